//! The folding tables: Traditional → Simplified, compatibility forms and
//! noise, read from the generated files in `data/`, and the per-code-point
//! table of the Basic Multilingual Plane computed from them. The build
//! script includes this file to compute that table once (`build.rs`); it
//! depends on nothing else in the crate.

/// The Traditional → Simplified character table (generated, see the file header).
pub(super) const T2S_TSV: &str = include_str!("../../data/fold-t2s.tsv");
/// Compatibility forms → unified ideograph, by NFKC (generated, see the file header).
pub(super) const NFKC_TSV: &str = include_str!("../../data/fold-nfkc.tsv");
/// Runs of noise code points (generated, see the file header).
pub(super) const NOISE_TSV: &str = include_str!("../../data/noise.tsv");

/// First and last code point of the dense table (CJK Extension A and the URO).
const DENSE_FIRST: u32 = 0x3400;
const DENSE_LAST: u32 = 0x9FFF;

/// Number of code points in the Basic Multilingual Plane.
pub(super) const BMP: usize = 0x1_0000;

/// Character table built once from [`T2S_TSV`], [`NFKC_TSV`] and [`NOISE_TSV`].
pub(super) struct Table {
    /// Simplified form for each code point in `DENSE_FIRST..=DENSE_LAST`, 0 = unchanged.
    pub(super) dense: Vec<u32>,
    /// Whether a code point in the dense range is a Simplified-only character
    /// (the target of a mapping and not a Traditional key itself).
    pub(super) simplified_only: Vec<bool>,
    /// Traditional → Simplified mappings outside the dense range, sorted.
    pub(super) sparse: Vec<(char, char)>,
    /// Compatibility form → unified ideograph, sorted.
    pub(super) compat: Vec<(char, char)>,
    /// First and last code point of each run of noise, sorted, not touching.
    pub(super) noise: Vec<(u32, u32)>,
}

/// What the per-character table knows of a character, besides its fold.
pub(super) struct Flags;

impl Flags {
    pub(super) const NOISE: u32 = 1 << 24;
    pub(super) const HAN: u32 = 1 << 25;
    pub(super) const SPACE: u32 = 1 << 26;
    pub(super) const QUOTE: u32 = 1 << 27;
    pub(super) const TRADITIONAL: u32 = 1 << 28;
    pub(super) const SIMPLIFIED: u32 = 1 << 29;
    /// The folded form differs from the character.
    pub(super) const CHANGED: u32 = 1 << 30;
    pub(super) const CHAR: u32 = (1 << 21) - 1;
    /// The flags are the bits from this one up.
    pub(super) const SHIFT: u32 = 24;
    /// A character a rule set asked about (see [`super::marked_flags`]); only in
    /// a rule set's own copy of the byte table.
    pub(super) const MARKED: u32 = 1 << 31;
}

/// The `from → to` pairs of a generated character table (`from`, a tab, `to`).
fn char_pairs(tsv: &'static str) -> impl Iterator<Item = (char, char)> {
    tsv.lines().filter_map(pair)
}

/// The `from → to` pair of a line of a generated character table (`from`, a
/// tab, `to`, and perhaps more columns); `None` for a comment.
fn pair(line: &str) -> Option<(char, char)> {
    if line.starts_with('#') {
        return None;
    }
    let mut chars = line.chars();
    let from = chars.next()?;
    let to = chars.nth(1)?;
    Some((from, to))
}

/// The runs of the generated noise table (first and last code point in hex,
/// then the reason), merged where they touch.
fn noise_runs(tsv: &str) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for (first, last, _) in noise_rows(tsv) {
        match runs.last_mut() {
            Some(run) if run.1 + 1 == first => run.1 = last,
            _ => runs.push((first, last)),
        }
    }
    runs
}

/// The runs of the generated noise table that are invisible or attach to
/// the character before them: format characters (Cf: zero-width space and
/// joiners, the word joiner, the soft hyphen, tags) and nonspacing and
/// enclosing marks (Mn, Me: combining accents and strokes, variation
/// selectors). Each as first and last code point.
pub(super) fn invisible_runs() -> Vec<(u32, u32)> {
    noise_rows(NOISE_TSV)
        .filter(|(_, _, why)| matches!(*why, "Cf" | "Mn" | "Me"))
        .map(|(first, last, _)| (first, last))
        .collect()
}

/// The rows of the generated noise table: first and last code point, and why.
fn noise_rows(tsv: &str) -> impl Iterator<Item = (u32, u32, &str)> {
    tsv.lines().filter(|line| !line.starts_with('#')).filter_map(|line| {
        let mut fields = line.split('\t');
        let first = u32::from_str_radix(fields.next()?, 16).ok()?;
        let last = u32::from_str_radix(fields.next()?, 16).ok()?;
        Some((first, last, fields.next().unwrap_or_default()))
    })
}

impl Table {
    /// The tables read from the data files (the per-code-point table of the
    /// BMP is made from them: see [`Table::bmp_entries`]).
    pub(super) fn parse() -> Table {
        let size = (DENSE_LAST - DENSE_FIRST + 1) as usize;
        let mut table = Table {
            dense: vec![0; size],
            simplified_only: vec![false; size],
            sparse: Vec::new(),
            compat: char_pairs(NFKC_TSV).collect(),
            noise: noise_runs(NOISE_TSV),
        };
        for (line, (from, to)) in T2S_TSV.lines().filter_map(|line| Some((line, pair(line)?))) {
            match dense_index(from) {
                Some(i) => table.dense[i] = u32::from(to),
                None => table.sparse.push((from, to)),
            }
            // A target Traditional text writes too (麵 → 面, 妳 → 你) tells no script.
            if let Some(i) = dense_index(to).filter(|_| !line.ends_with("\tshared")) {
                table.simplified_only[i] = true;
            }
        }
        for i in 0..size {
            if table.dense[i] != 0 {
                table.simplified_only[i] = false;
            }
        }
        table.sparse.sort_unstable();
        table.compat.sort_unstable();
        table
    }

    /// For every BMP code point, its folded form (low 21 bits) and
    /// [`Flags`]: computed mapping by mapping (as `fold_slow` would give it,
    /// a character at a time, but quicker). The build script runs this and
    /// the library embeds the result (`fold-bmp.bin`); its tests compare the two.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) fn bmp_entries(&self) -> Vec<u32> {
        let mut bmp_folded: Vec<u32> = (0..BMP as u32).collect();
        for &(from, to) in &self.sparse {
            if let Some(slot) = bmp_folded.get_mut(from as usize) {
                *slot = u32::from(to);
            }
        }
        for (i, &to) in self.dense.iter().enumerate() {
            if to != 0 {
                bmp_folded[DENSE_FIRST as usize + i] = to;
            }
        }
        for cp in 0xFF01..=0xFF5E {
            bmp_folded[cp as usize] = fold_fullwidth(cp).unwrap_or(cp);
        }
        for &(from, to) in self.compat.iter().take_while(|(from, _)| (*from as usize) < BMP) {
            bmp_folded[from as usize] = u32::from(simplified(self, to));
        }
        // The compatibility forms in code point order, met as the loop below goes.
        let mut compat = self.compat.iter().peekable();
        let mut bmp_noise = vec![false; BMP];
        for &(first, last) in self.noise.iter().take_while(|(first, _)| (*first as usize) < BMP) {
            let last = (last as usize).min(BMP - 1);
            bmp_noise[first as usize..=last].fill(true);
        }
        (0..BMP as u32)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else { return 0 };
                let i = cp as usize;
                let base = compat.next_if(|&&(from, _)| from == c).map_or(c, |&(_, to)| to);
                let folded = char::from_u32(bmp_folded[i]).unwrap_or(c);
                u32::from(folded) | flags(self, c, base, folded, bmp_noise[i])
            })
            .collect()
    }
}

/// The [`Flags`] of `c`, whose compatibility fold is `base` and whole fold
/// `folded`; `noise` says whether the noise table lists `c`.
pub(super) fn flags(t: &Table, c: char, base: char, folded: char, noise: bool) -> u32 {
    let flag = |yes: bool, bit: u32| if yes { bit } else { 0 };
    flag(noise && !is_han(folded), Flags::NOISE)
        | flag(is_han(folded), Flags::HAN)
        | flag(folded.is_whitespace(), Flags::SPACE)
        | flag(matches!(folded, '"' | '“' | '「' | '『' | '‘' | '《'), Flags::QUOTE)
        | flag(
            !base.is_ascii() && folded != base && !is_fullwidth_form(base),
            Flags::TRADITIONAL,
        )
        | flag(
            dense_index(base).is_some_and(|i| t.simplified_only[i]),
            Flags::SIMPLIFIED,
        )
        | flag(folded != c, Flags::CHANGED)
}

pub(super) fn dense_index(c: char) -> Option<usize> {
    let cp = u32::from(c);
    (DENSE_FIRST..=DENSE_LAST)
        .contains(&cp)
        .then(|| (cp - DENSE_FIRST) as usize)
}

/// Whether the noise table lists the code point `cp`.
pub(super) fn listed_as_noise(t: &Table, cp: u32) -> bool {
    let i = t.noise.partition_point(|&(_, last)| last < cp);
    t.noise.get(i).is_some_and(|&(first, _)| first <= cp)
}

/// The unified ideograph NFKC maps the compatibility form `c` to, or `c`.
pub(super) fn compatibility(t: &Table, c: char) -> char {
    t.compat
        .binary_search_by_key(&c, |&(from, _)| from)
        .map_or(c, |i| t.compat[i].1)
}

/// The Simplified form of `c`, or `c`.
pub(super) fn simplified(t: &Table, c: char) -> char {
    match dense_index(c) {
        Some(i) => char::from_u32(t.dense[i]).filter(|&s| s != '\0').unwrap_or(c),
        None => t
            .sparse
            .binary_search_by_key(&c, |&(from, _)| from)
            .map_or(c, |i| t.sparse[i].1),
    }
}

/// The ASCII form of the full-width letters, digits and the few symbols rules
/// spell (ＸＸ, １００％, ｛｝) in `0xFF01..=0xFF5E`; full-width punctuation stays.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) fn fold_fullwidth(cp: u32) -> Option<u32> {
    let ascii = char::from_u32(cp - 0xFEE0)?;
    (ascii.is_ascii_alphanumeric() || "%{}$".contains(ascii)).then_some(u32::from(ascii))
}

fn is_fullwidth_form(c: char) -> bool {
    matches!(u32::from(c), 0xFF01..=0xFF5E | 0x3000)
}

/// Whether `c` is a Han (CJK ideograph) character.
pub fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}
