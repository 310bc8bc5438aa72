//! Folding: the normalisation applied to a reply before matching.
//!
//! Folding maps each character to one character: full-width letters and
//! digits to ASCII (`ＸＸ` → `XX`, `１００％` → `100%`) and Traditional or
//! regional variant characters to Simplified (`證` → `证`, `裡` → `里`, `妳` →
//! `你`). Case and punctuation (full-width `，` or half-width `,`) are kept:
//! literals match ASCII case-insensitively, and regexes are compiled
//! case-insensitive and name both forms of punctuation they care about, so
//! that the common reply needs no copy at all. The folded text keeps a map back to
//! byte offsets in the original, so a finding's span always covers the
//! characters the user wrote.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

/// The Traditional → Simplified character table (generated, see the file header).
const T2S_TSV: &str = include_str!("../data/fold-t2s.tsv");

/// First and last code point of the dense table (CJK Extension A and the URO).
const DENSE_FIRST: u32 = 0x3400;
const DENSE_LAST: u32 = 0x9FFF;

/// Character table built once from [`T2S_TSV`].
struct Table {
    /// Simplified form for each code point in `DENSE_FIRST..=DENSE_LAST`, 0 = unchanged.
    dense: Vec<u32>,
    /// Whether a code point in the dense range is a Simplified-only character
    /// (the target of a mapping and not a Traditional key itself).
    simplified_only: Vec<bool>,
    /// Mappings outside the dense range (supplementary planes).
    sparse: Vec<(char, char)>,
    /// For every BMP code point: its folded form (low 21 bits) and [`Flags`].
    bmp: Vec<u32>,
    /// The [`Flags`] of `bmp` alone: a quarter of its size, so the common
    /// path, which reads only these, stays in cache.
    bmp_flags: Vec<u8>,
}

/// What the per-character table knows of a character, besides its fold.
struct Flags;

impl Flags {
    const NOISE: u32 = 1 << 24;
    const HAN: u32 = 1 << 25;
    const SPACE: u32 = 1 << 26;
    const QUOTE: u32 = 1 << 27;
    const TRADITIONAL: u32 = 1 << 28;
    const SIMPLIFIED: u32 = 1 << 29;
    /// The folded form differs from the character.
    const CHANGED: u32 = 1 << 30;
    const CHAR: u32 = (1 << 21) - 1;
    /// The flags are the bits from this one up.
    const SHIFT: u32 = 24;
    /// A character a rule set asked about (see [`marked_flags`]); only in
    /// a rule set's own copy of the byte table.
    const MARKED: u32 = 1 << 31;
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let size = (DENSE_LAST - DENSE_FIRST + 1) as usize;
        let mut table = Table {
            dense: vec![0; size],
            simplified_only: vec![false; size],
            sparse: Vec::new(),
            bmp: Vec::new(),
            bmp_flags: Vec::new(),
        };
        let pairs = T2S_TSV
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut chars = line.chars();
                let from = chars.next()?;
                let to = chars.nth(1)?;
                Some((from, to))
            });
        for (from, to) in pairs {
            match dense_index(from) {
                Some(i) => table.dense[i] = u32::from(to),
                None => table.sparse.push((from, to)),
            }
            if let Some(i) = dense_index(to) {
                table.simplified_only[i] = true;
            }
        }
        for i in 0..size {
            if table.dense[i] != 0 {
                table.simplified_only[i] = false;
            }
        }
        table.sparse.sort_unstable();
        // The folded form of each BMP code point, mapping by mapping (as
        // `fold_slow` would give it, a character at a time, but quicker: this
        // runs at every start).
        let mut bmp_folded: Vec<u32> = (0..0x1_0000).collect();
        for &(from, to) in &table.sparse {
            if let Some(slot) = bmp_folded.get_mut(from as usize) {
                *slot = u32::from(to);
            }
        }
        for (i, &to) in table.dense.iter().enumerate() {
            if to != 0 {
                bmp_folded[DENSE_FIRST as usize + i] = to;
            }
        }
        for cp in 0xFF01..=0xFF5E {
            bmp_folded[cp as usize] = fold_fullwidth(cp).unwrap_or(cp);
        }
        table.bmp = (0..0x1_0000u32)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else { return 0 };
                let folded = char::from_u32(bmp_folded[cp as usize]).unwrap_or(c);
                let dense = dense_index(c);
                let flag = |yes: bool, bit: u32| if yes { bit } else { 0 };
                u32::from(folded)
                    | flag(is_noise(folded), Flags::NOISE)
                    | flag(is_han(folded), Flags::HAN)
                    | flag(folded.is_whitespace(), Flags::SPACE)
                    | flag(matches!(folded, '"' | '“' | '「' | '『' | '‘' | '《'), Flags::QUOTE)
                    | flag(
                        !c.is_ascii() && folded != c && !is_fullwidth_form(c),
                        Flags::TRADITIONAL,
                    )
                    | flag(dense.is_some_and(|i| table.simplified_only[i]), Flags::SIMPLIFIED)
                    | flag(folded != c, Flags::CHANGED)
            })
            .collect();
        table.bmp_flags = table.bmp.iter().map(|&entry| (entry >> Flags::SHIFT) as u8).collect();
        table
    })
}

/// The folded form and flags of `c`.
fn info(c: char) -> (char, u32) {
    let cp = u32::from(c);
    if cp < 0x1_0000 {
        let entry = table().bmp[cp as usize];
        return (char::from_u32(entry & Flags::CHAR).unwrap_or(c), entry);
    }
    let folded = fold_slow(table(), c);
    let flag = |yes: bool, bit: u32| if yes { bit } else { 0 };
    (
        folded,
        flag(is_noise(folded), Flags::NOISE)
            | flag(is_han(folded), Flags::HAN)
            | flag(folded != c, Flags::TRADITIONAL | Flags::CHANGED),
    )
}

fn dense_index(c: char) -> Option<usize> {
    let cp = u32::from(c);
    (DENSE_FIRST..=DENSE_LAST)
        .contains(&cp)
        .then(|| (cp - DENSE_FIRST) as usize)
}

/// Folds one character (see the module docs).
pub fn fold_char(c: char) -> char {
    info(c).0
}

/// Folds one character without the per-character table (to build it).
fn fold_slow(t: &Table, c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let cp = u32::from(c);
    if (0xFF01..=0xFF5E).contains(&cp) {
        return char::from_u32(fold_fullwidth(cp).unwrap_or(cp)).unwrap_or(c);
    }
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
fn fold_fullwidth(cp: u32) -> Option<u32> {
    let ascii = char::from_u32(cp - 0xFEE0)?;
    (ascii.is_ascii_alphanumeric() || "%{}$".contains(ascii)).then_some(u32::from(ascii))
}

/// Folds a whole string (for patterns and exceptions at build time).
pub fn fold_str(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn is_fullwidth_form(c: char) -> bool {
    matches!(u32::from(c), 0xFF01..=0xFF5E | 0x3000)
}

/// Whether `c` is a Han (CJK ideograph) character.
pub(crate) fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Whether the folded character `c` is noise when it stands between two Han
/// characters: spaces, zero-width characters, symbols and emoji people insert
/// to slip past a filter (保 证, 保*证, 不\u{200b}知道). Sentence punctuation
/// (`,` `。` `!` `?` `~` …) is never noise: it separates clauses.
fn is_noise(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '*' | '.' | '_' | '-' | '|' | '/' | '\\' | '^' | '#' | '@' | '+' | '=' | '`' | '\'' | '·' | '•'
    ) || matches!(
        u32::from(c),
        0x00AD | 0x3000 | 0x200B..=0x200D | 0x2060 | 0xFEFF | 0xFE00..=0xFE0F | 0x2600..=0x27BF | 0x1F300..=0x1FAFF
    )
}

/// Characters that are commonly doubled in ordinary words (看看, 说说, 好好),
/// so a doubled one is never collapsed.
const COMMONLY_DOUBLED: &str = "看说想等好问查试常刚慢天人";

/// The Han characters whose immediate repetition folds to one (保保证 → 保证).
#[derive(Debug, Default)]
pub(crate) struct Collapsible(Vec<char>);

impl Collapsible {
    /// Characters of `patterns` that no pattern or other literal uses doubled
    /// (哈哈, 嗯嗯, 谢谢, 妈妈 stay as they are) and that are not commonly doubled.
    pub fn new<'s>(patterns: impl Iterator<Item = &'s str>, literals: impl Iterator<Item = &'s str>) -> Self {
        let patterns: Vec<&str> = patterns.collect();
        let mut doubled: Vec<char> = COMMONLY_DOUBLED.chars().collect();
        for literal in literals.chain(patterns.iter().copied()) {
            let chars: Vec<char> = literal.chars().collect();
            doubled.extend(chars.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
        }
        // Looked up once per pattern character: a sorted set, not a list
        // (a pack of many literals such as 词000123 repeats a character
        // hundreds of thousands of times).
        doubled.sort_unstable();
        doubled.dedup();
        let mut set: Vec<char> = patterns
            .iter()
            .flat_map(|p| p.chars())
            .filter(|&c| is_han(c) && doubled.binary_search(&c).is_err())
            .collect();
        set.sort_unstable();
        set.dedup();
        Collapsible(set)
    }

    fn contains(&self, c: char) -> bool {
        self.0.binary_search(&c).is_ok()
    }
}

/// A reply after folding, with the way back to the original byte offsets.
///
/// Besides [`fold_char`], folding drops noise between two Han characters and
/// collapses an immediately repeated [`Collapsible`] character.
pub(crate) struct Folded<'a> {
    /// The folded text; borrowed when folding changed nothing.
    pub text: Cow<'a, str>,
    /// Characters that are not white space.
    pub chars: usize,
    /// Whether the text has a Han character.
    pub has_han: bool,
    /// Whether the text has an opening quotation or title mark.
    pub has_quote: bool,
    /// Whether the text has a character marked in the flag table it was folded with.
    pub has_marked: bool,
    /// Characters only Traditional text uses minus those only Simplified uses.
    script: isize,
    /// Where the folded text's byte offsets stop matching the original's,
    /// in order; empty when every change kept the byte length.
    changes: Vec<Change>,
}

/// A stretch of folded text whose original had another byte length: a
/// character folded to a shorter one (`，` → `,`), dropped noise (an empty
/// stretch), or a collapsed repeat.
#[derive(Clone, Copy, Debug)]
struct Change {
    /// Folded byte range.
    start: usize,
    end: usize,
    /// Original offset minus folded offset just after this stretch.
    delta: isize,
}

/// Builds a [`Folded`]: unchanged stretches of the reply are copied whole,
/// and only once the text first differs.
struct Builder<'a> {
    reply: &'a str,
    text: Option<String>,
    /// Start of the unchanged stretch not yet copied.
    copied: usize,
    changes: Vec<Change>,
}

impl<'a> Builder<'a> {
    /// Copies the unchanged stretch up to `at` (creating the copy on first use).
    fn flush(&mut self, at: usize) -> &mut String {
        let text = self.text.get_or_insert_with(|| String::with_capacity(self.reply.len()));
        text.push_str(&self.reply[self.copied..at]);
        self.copied = at;
        text
    }

    /// Records that the folded bytes `start..end` stand for `original` bytes
    /// (replacing what an earlier call said of the same stretch).
    fn change(&mut self, start: usize, end: usize, original: usize) {
        let same = self.changes.last().is_some_and(|c| c.start == start && c.end == end);
        let before = self.changes.len() - usize::from(same);
        let base = before.checked_sub(1).map_or(0, |i| self.changes[i].delta);
        let delta = base + original as isize - (end - start) as isize;
        self.changes.truncate(before);
        self.changes.push(Change { start, end, delta });
    }

    /// Keeps the original character `c` at `start`, folded to `folded` (which differs).
    fn push(&mut self, start: usize, c: char, folded: char) {
        let text = self.flush(start);
        let at = text.len();
        text.push(folded);
        self.copied = start + c.len_utf8();
        if folded.len_utf8() != c.len_utf8() {
            self.change(at, at + folded.len_utf8(), c.len_utf8());
        }
    }

    /// Keeps the original characters `from..to`, each folded.
    fn push_all(&mut self, from: usize, to: usize) {
        for (j, c) in self.reply[from..to].char_indices() {
            let folded = fold_char(c);
            if folded != c {
                self.push(from + j, c, folded);
            }
        }
    }

    /// Drops the original bytes `from..to` (noise).
    fn drop_noise(&mut self, from: usize, to: usize) {
        let at = self.flush(from).len();
        self.copied = to;
        self.change(at, at, to - from);
    }

    /// Merges the original character `c` at `start` into the last kept one, `last`.
    fn merge(&mut self, start: usize, c: char, last: char) {
        let end = self.flush(start).len();
        self.copied = start + c.len_utf8();
        let begin = end - last.len_utf8();
        let original = match self.changes.last() {
            Some(prev) if prev.start == begin && prev.end == end => {
                (prev.delta - self.changes.iter().rev().nth(1).map_or(0, |p| p.delta)) as usize + last.len_utf8()
            }
            _ => last.len_utf8(),
        };
        self.change(begin, end, original + c.len_utf8());
    }

    /// The folded text.
    fn finish(mut self) -> (Cow<'a, str>, Vec<Change>) {
        if self.text.is_none() {
            return (Cow::Borrowed(self.reply), self.changes);
        }
        self.flush(self.reply.len());
        (Cow::Owned(self.text.unwrap_or_default()), self.changes)
    }
}

/// A copy of the per-character flag table in which the BMP characters that
/// fold to one of `marked` (and are never dropped as noise) also carry the
/// flag [`Folded::has_marked`] reports: the folded text of a reply with
/// that flag holds one of `marked`.
pub(crate) fn marked_flags(marked: &[char]) -> Vec<u8> {
    let table = table();
    let mut flags = table.bmp_flags.clone();
    let byte = |flag: u32| (flag >> Flags::SHIFT) as u8;
    let folds_to_marked = |cp: usize, f: u8| {
        let folded = if f & byte(Flags::CHANGED) == 0 {
            cp as u32
        } else {
            table.bmp[cp] & Flags::CHAR
        };
        f & byte(Flags::NOISE) == 0 && marked.iter().any(|&m| u32::from(m) == folded)
    };
    // Only a character itself or one that changes when folded can fold to a marked one.
    let candidates = marked
        .iter()
        .map(|&m| m as usize)
        .chain((0..flags.len()).filter(|&cp| flags[cp] & byte(Flags::CHANGED) != 0));
    let hits: Vec<usize> = candidates
        .filter(|&cp| flags.get(cp).is_some_and(|&f| folds_to_marked(cp, f)))
        .collect();
    for cp in hits {
        flags[cp] |= byte(Flags::MARKED);
    }
    flags
}

impl<'a> Folded<'a> {
    /// Folds `reply`.
    pub fn new(reply: &'a str, collapsible: &Collapsible) -> Self {
        Folded::with_flags(reply, collapsible, &table().bmp_flags)
    }

    /// Folds `reply`, reading the characters' flags from `bmp_flags` (the
    /// table, or a copy from [`marked_flags`]).
    pub fn with_flags(reply: &'a str, collapsible: &Collapsible, bmp_flags: &[u8]) -> Self {
        let mut builder = Builder {
            reply,
            text: None,
            copied: 0,
            changes: Vec::new(),
        };
        // The last kept folded character and its flags.
        let (mut last, mut last_flags) = ('\0', 0);
        let mut noise_from: Option<usize> = None;
        let (mut chars, mut flags_seen, mut script) = (0, 0, 0);
        for (i, c) in reply.char_indices() {
            let flags = match bmp_flags.get(c as usize) {
                Some(&flags) => u32::from(flags) << Flags::SHIFT,
                None => info(c).1,
            };
            chars += usize::from(flags & Flags::SPACE == 0);
            flags_seen |= flags;
            script += isize::from(flags & Flags::TRADITIONAL != 0) - isize::from(flags & Flags::SIMPLIFIED != 0);
            if flags & (Flags::NOISE | Flags::CHANGED) == 0 && c != last && noise_from.is_none() {
                // The common case: a character kept as it is.
                (last, last_flags) = (c, flags);
                continue;
            }
            let folded = if flags & Flags::CHANGED == 0 { c } else { fold_char(c) };
            if flags & Flags::NOISE != 0 && last_flags & Flags::HAN != 0 {
                noise_from.get_or_insert(i);
                continue;
            }
            if let Some(from) = noise_from.take() {
                if flags & Flags::HAN != 0 {
                    builder.drop_noise(from, i);
                } else {
                    builder.push_all(from, i);
                }
            }
            if last == folded && collapsible.contains(folded) {
                builder.merge(i, c, folded);
                continue;
            }
            if folded != c {
                builder.push(i, c, folded);
            }
            (last, last_flags) = (folded, flags);
        }
        if let Some(from) = noise_from {
            builder.push_all(from, reply.len());
        }
        let (text, changes) = builder.finish();
        Folded {
            text,
            chars,
            has_han: flags_seen & Flags::HAN != 0,
            has_quote: flags_seen & Flags::QUOTE != 0,
            has_marked: flags_seen & Flags::MARKED != 0,
            script,
            changes,
        }
    }

    /// Whether the reply is Traditional: it has more characters only
    /// Traditional text uses than characters only Simplified text uses.
    pub fn is_traditional(&self) -> bool {
        self.script > 0
    }

    /// The original byte range of the folded byte range `range`.
    ///
    /// `range` must lie on character boundaries of the folded text.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        // Deltas of the changes that end at or before a position; for an end
        // position, dropped noise that starts right there comes after it.
        let before = |pos: usize, end: bool| {
            let n = self.changes.partition_point(|c| c.end <= pos);
            let n = if end && n > 0 && self.changes[n - 1].start == pos && self.changes[n - 1].end == pos {
                n - 1
            } else {
                n
            };
            n.checked_sub(1).map_or(0, |i| self.changes[i].delta)
        };
        let start = range.start as isize + before(range.start, false);
        let end = range.end as isize + before(range.end, true);
        start as usize..(end as usize).max(start as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_script() {
        assert_eq!(fold_str("ＸＸ快遞！保證"), "XX快递！保证");
        assert_eq!(fold_str("這個我真的不知道"), "这个我真的不知道");
        assert_eq!(fold_str("妳好,裡面"), "你好,里面");
    }

    #[test]
    fn table_agrees_with_folding_one_character_at_a_time() {
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            assert_eq!(fold_char(c), fold_slow(table(), c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn keeps_simplified_text_unchanged() {
        let text = "您好,什么时候发货?我们保证金已缴纳";
        assert_eq!(fold_str(text), text);
        assert!(matches!(
            Folded::new(text, &Collapsible::default()).text,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn maps_back_to_original_offsets() {
        let reply = "ＸＸ快遞";
        let folded = Folded::new(reply, &Collapsible::default());
        assert_eq!(folded.text, "XX快递");
        // "xx" is bytes 0..2 folded, 0..6 original (two 3-byte full-width letters).
        assert_eq!(folded.original(0..2), 0..6);
        assert_eq!(&reply[folded.original(2..8)], "快遞");
        let reply = "亲，保 证！保保证";
        let folded = Folded::new(reply, &Collapsible::new(["保证"].into_iter(), std::iter::empty()));
        assert_eq!(folded.text, "亲，保证！保证");
        assert_eq!(&reply[folded.original(6..12)], "保 证");
        assert_eq!(&reply[folded.original(12..15)], "！");
        assert_eq!(&reply[folded.original(15..21)], "保保证");
        assert_eq!(&reply[folded.original(0..6)], "亲，");
    }

    #[test]
    fn drops_noise_between_han_characters() {
        let none = Collapsible::default();
        let cases = [
            ("保 证", "保证"),
            ("保*证", "保证"),
            ("但\u{3000}是", "但是"),
            ("不\u{200b}知道", "不知道"),
            ("肯.定", "肯定"),
            ("保😀证", "保证"),
            ("您好, 我们", "您好, 我们"),
            ("a b", "a b"),
            ("好的~但是", "好的~但是"),
            ("保 ", "保 "),
        ];
        for (reply, expected) in cases {
            assert_eq!(Folded::new(reply, &none).text, expected, "{reply:?}");
        }
        let reply = "不 知\u{200b}道";
        let folded = Folded::new(reply, &none);
        assert_eq!(folded.text, "不知道");
        assert_eq!(folded.original(0..9), 0..reply.len());
        assert_eq!(folded.original(3..6), 4..7);
    }

    #[test]
    fn collapses_repeats_of_pattern_characters_only() {
        let set = Collapsible::new(["保证", "哈哈", "你自己看吧"].into_iter(), ["谢谢"].into_iter());
        let folded = Folded::new("保保证 哈哈 看看 谢谢", &set);
        assert_eq!(folded.text, "保证哈哈看看谢谢");
        assert_eq!(folded.original(0..6), 0..9);
        assert_eq!(Folded::new("你你好", &set).text, "你好");
        let tripled = Folded::new("保保保证", &set);
        assert_eq!(tripled.text, "保证");
        assert_eq!(tripled.original(0..3), 0..9);
        assert_eq!(tripled.original(3..6), 9..12);
    }

    #[test]
    fn reports_marked_characters() {
        let none = Collapsible::default();
        let flags = marked_flags(&['您', '亲', '请']);
        assert!(Folded::with_flags("好的亲", &none, &flags).has_marked);
        assert!(Folded::with_flags("妳好,您", &none, &flags).has_marked);
        assert!(Folded::with_flags("請稍候", &none, &flags).has_marked);
        assert!(!Folded::with_flags("好的", &none, &flags).has_marked);
        assert!(!Folded::new("好的亲", &none).has_marked);
    }

    #[test]
    fn counts_script_specific_characters() {
        let none = Collapsible::default();
        assert!(Folded::new("證", &none).is_traditional());
        assert!(!Folded::new("证", &none).is_traditional());
        assert!(!Folded::new("您ＸＸ", &none).is_traditional());
        assert!(Folded::new("這個证據", &none).is_traditional());
        assert!(!Folded::new("這个证据", &none).is_traditional());
    }
}
