//! Legacy `.xls` workbooks are Compound Files (a small file system of
//! sector chains). Before the workbook parser (a dependency) sees one, its
//! chains are checked to end, and its `Workbook` stream is read here, within
//! the file's own size, so that what its records declare can be checked.

/// A Compound File held in memory.
pub struct CompoundFile<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
}

/// The first bytes of every Compound File.
const MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Sector numbers from here up mark the end of a chain or free sectors.
const MAX_SECTOR: u32 = 0xFFFF_FFFA;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl<'a> CompoundFile<'a> {
    /// Whether `bytes` start like a Compound File.
    pub fn is(bytes: &[u8]) -> bool {
        bytes.starts_with(MAGIC)
    }

    /// Reads the sector allocation table of the Compound File in `bytes`
    /// and checks that every chain ends.
    ///
    /// # Errors
    /// What is damaged: the sector size, a chain that loops or points past the file.
    pub fn open(bytes: &'a [u8]) -> Result<CompoundFile<'a>, String> {
        let damaged = |what: &str| format!("a damaged workbook: {what}");
        let shift = u32::from(u16_at(bytes, 0x1E).ok_or_else(|| damaged("too short"))?);
        if !(7..=16).contains(&shift) {
            return Err(damaged(&format!("sector size 2^{shift}")));
        }
        let size = 1usize << shift;
        let sectors = bytes.len().div_ceil(size);
        // The FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
            .filter(|&n| n < MAX_SECTOR)
            .collect();
        let mut difat = u32_at(bytes, 0x44).unwrap_or(MAX_SECTOR);
        let mut hops = 0;
        while difat < MAX_SECTOR {
            hops += 1;
            if hops > sectors || difat as usize >= sectors {
                return Err(damaged("the sector allocation list loops or points past the file"));
            }
            let base = (difat as usize + 1) << shift;
            fat_sectors.extend(
                (0..size / 4 - 1)
                    .filter_map(|i| u32_at(bytes, base + 4 * i))
                    .filter(|&n| n < MAX_SECTOR),
            );
            difat = u32_at(bytes, base + size - 4).unwrap_or(MAX_SECTOR);
        }
        if fat_sectors.len() > sectors {
            return Err(damaged("more allocation sectors than the file has"));
        }
        let fat: Vec<u32> = fat_sectors
            .iter()
            .flat_map(|&s| (0..size / 4).map(move |i| ((s as usize + 1) << shift) + 4 * i))
            .map(|at| u32_at(bytes, at).unwrap_or(MAX_SECTOR + 1))
            .collect();
        // Every chain must end: walk each from its start, marking what is done.
        let mut state = vec![0u8; fat.len()];
        for start in 0..fat.len() {
            let mut path = Vec::new();
            let mut at = start;
            while at < fat.len() && state[at] == 0 {
                state[at] = 1;
                path.push(at);
                at = fat[at] as usize;
            }
            if at < fat.len() && state[at] == 1 {
                return Err(damaged("a sector chain loops"));
            }
            for p in path {
                state[p] = 2;
            }
        }
        Ok(CompoundFile { bytes, shift, fat })
    }

    /// The bytes of the chain of sectors from `start` (sectors of
    /// `2^shift` bytes in `data`, linked by `table`), at most `len` bytes.
    fn chain(&self, data: &[u8], table: &[u32], shift: u32, start: u32, len: usize, skip_header: bool) -> Vec<u8> {
        let size = 1usize << shift;
        let mut out = Vec::new();
        let mut at = start;
        let mut hops = 0;
        while at < MAX_SECTOR && out.len() < len && hops <= table.len() {
            let base = (at as usize + usize::from(skip_header)) << shift;
            let Some(sector) = data.get(base..(base + size).min(data.len())) else {
                break;
            };
            out.extend_from_slice(sector);
            at = table.get(at as usize).copied().unwrap_or(MAX_SECTOR);
            hops += 1;
        }
        out.truncate(len);
        out
    }

    /// The stream named one of `names` (a workbook's `Workbook` or `Book`;
    /// names compare without regard to ASCII case, as the format says), if
    /// the file has one; never longer than the file.
    pub fn stream(&self, names: &[&str]) -> Option<Vec<u8>> {
        let bytes = self.bytes;
        let big = |start: u32, len: usize| self.chain(bytes, &self.fat, self.shift, start, len, true);
        let directory = big(u32_at(bytes, 0x30)?, bytes.len());
        let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
        let root = entries.first()?;
        let entry = entries.iter().find(|e| {
            let len = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
            let units: Vec<u16> = e[..len]
                .chunks_exact(2)
                .map(|u| u16::from_le_bytes([u[0], u[1]]))
                .take_while(|&u| u != 0)
                .collect();
            let name = String::from_utf16_lossy(&units);
            e[0x42] == 2 && names.iter().any(|n| n.eq_ignore_ascii_case(&name))
        })?;
        let start = u32_at(entry, 0x74)?;
        let len = (u32_at(entry, 0x78)? as usize).min(bytes.len());
        if len >= u32_at(bytes, 0x38).unwrap_or(4096) as usize {
            return Some(big(start, len));
        }
        // A small stream lives in 64-byte sectors of the mini stream.
        let mini_stream = big(u32_at(root, 0x74)?, bytes.len());
        let mini_fat: Vec<u32> = big(u32_at(bytes, 0x3C)?, bytes.len())
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mini_shift = u32::from(u16_at(bytes, 0x20).unwrap_or(6)).clamp(6, 12);
        Some(self.chain(&mini_stream, &mini_fat, mini_shift, start, len, false))
    }
}
