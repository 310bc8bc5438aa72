//! Excel workbooks (`.xlsx`, `.xls`): every sheet, or the one `--sheet` names.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::{Document, Options, Record, pick_column};

/// Reads the reply column of each sheet; the first non-empty row is the header.
///
/// The workbook parser is a dependency that can panic (or, on a legacy `.xls`
/// whose sector chains loop, allocate without bound) on a damaged file: such
/// files are refused first, and a panic becomes an error for this input.
pub fn read(bytes: &[u8], opts: &Options, doc: &mut Document) -> Result<(), String> {
    if let Some(problem) = compound_file_problem(bytes) {
        return Err(format!("not a readable workbook: {problem}"));
    }
    let mut records = Vec::new();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets(bytes, opts, &mut records)));
    match outcome {
        Ok(result) => {
            doc.records.extend(records);
            result
        }
        Err(_) => Err("not a readable workbook: the workbook reader failed on this file".into()),
    }
}

/// The sector size and sector-chain checks of a legacy `.xls` (a Compound
/// File): a chain that loops or points past the file is a damaged file.
fn compound_file_problem(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const END: u32 = 0xFFFF_FFFE;
    if !bytes.starts_with(MAGIC) || bytes.len() < 512 {
        return None;
    }
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let shift = u16_at(0x1E);
    if !(7..=16).contains(&shift) {
        return Some(format!("sector size 2^{shift}"));
    }
    let size = 1usize << shift;
    let sectors = (bytes.len() - 512).div_ceil(size);
    let sector = |n: u32| 512 + n as usize * size;
    // The FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(0x4C + 4 * i))
        .filter(|&n| n < END - 2)
        .collect();
    let mut difat = u32_at(0x44).unwrap_or(END);
    let mut hops = 0;
    while difat < END - 2 {
        hops += 1;
        if hops > sectors || difat as usize >= sectors {
            return Some("the sector allocation list loops or points past the file".into());
        }
        let base = sector(difat);
        fat_sectors.extend(
            (0..size / 4 - 1)
                .filter_map(|i| u32_at(base + 4 * i))
                .filter(|&n| n < END - 2),
        );
        difat = u32_at(base + size - 4).unwrap_or(END);
    }
    let fat: Vec<u32> = fat_sectors
        .iter()
        .flat_map(|&s| (0..size / 4).map(move |i| sector(s) + 4 * i))
        .map(|at| u32_at(at).unwrap_or(END))
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
            return Some("a sector chain loops".into());
        }
        for p in path {
            state[p] = 2;
        }
    }
    None
}

fn read_sheets(bytes: &[u8], opts: &Options, out: &mut Vec<Record>) -> Result<(), String> {
    let mut workbook =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = workbook.sheet_names();
    if let Some(wanted) = &opts.sheet
        && !names.contains(wanted)
    {
        return Err(format!("no sheet {wanted:?} (sheets: {})", names.join(", ")));
    }
    for name in names.iter().filter(|n| opts.sheet.as_ref().is_none_or(|w| w == *n)) {
        let range = workbook
            .worksheet_range(name)
            .map_err(|e| format!("sheet {name:?}: {e}"))?;
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let mut rows = range
            .rows()
            .enumerate()
            .filter(|(_, r)| r.iter().any(|c| !cell(c).trim().is_empty()));
        let Some((_, header)) = rows.next() else { continue };
        let header: Vec<String> = header.iter().map(cell).collect();
        let (column, has_header) =
            pick_column(&header, opts.column.as_deref()).map_err(|e| format!("sheet {name:?}: {e}"))?;
        let rows = range
            .rows()
            .enumerate()
            .skip_while(|(_, r)| r.iter().all(|c| cell(c).trim().is_empty()));
        for (i, row) in rows.skip(usize::from(has_header)) {
            let text = row.get(column).map(cell).unwrap_or_default();
            if text.trim().is_empty() {
                continue;
            }
            let context = row
                .iter()
                .enumerate()
                .filter(|&(j, c)| j != column && !cell(c).trim().is_empty())
                .map(|(j, c)| {
                    (
                        header
                            .get(j)
                            .filter(|_| has_header)
                            .cloned()
                            .unwrap_or(format!("column {}", j + 1)),
                        cell(c),
                    )
                })
                .collect();
            out.push(Record {
                line: first_row + i + 1,
                sheet: Some(name.clone()),
                column: has_header.then(|| header[column].trim().to_owned()),
                text,
                column_offset: 0,
                context,
                raw: None,
            });
        }
    }
    Ok(())
}

fn cell(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}
