//! Folding: the normalisation applied to a reply before matching.
//!
//! Folding maps each character to one character: full-width ASCII forms to
//! ASCII (`Ｘ` → `x`, `！` → `!`), the ideographic space to a space, ASCII to
//! lower case, and Traditional or regional variant characters to Simplified
//! (`證` → `证`, `裡` → `里`, `妳` → `你`). The folded text keeps a map back to
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
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let size = (DENSE_LAST - DENSE_FIRST + 1) as usize;
        let mut table = Table {
            dense: vec![0; size],
            simplified_only: vec![false; size],
            sparse: Vec::new(),
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
        table
    })
}

fn dense_index(c: char) -> Option<usize> {
    let cp = u32::from(c);
    (DENSE_FIRST..=DENSE_LAST)
        .contains(&cp)
        .then(|| (cp - DENSE_FIRST) as usize)
}

/// Folds one character (see the module docs).
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let cp = u32::from(c);
    if (0xFF01..=0xFF5E).contains(&cp) {
        return char::from_u32(cp - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase());
    }
    if c == '\u{3000}' {
        return ' ';
    }
    let t = table();
    match dense_index(c) {
        Some(i) => char::from_u32(t.dense[i]).filter(|&s| s != '\0').unwrap_or(c),
        None => t
            .sparse
            .binary_search_by_key(&c, |&(from, _)| from)
            .map_or(c, |i| t.sparse[i].1),
    }
}

/// Folds a whole string (for patterns and exceptions at build time).
pub fn fold_str(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Whether `c` is a character that only Traditional (or regional) text uses.
pub(crate) fn is_traditional_char(c: char) -> bool {
    !c.is_ascii() && fold_char(c) != c && !is_fullwidth_form(c)
}

/// Whether `c` is a character that only Simplified text uses.
pub(crate) fn is_simplified_char(c: char) -> bool {
    dense_index(c).is_some_and(|i| table().simplified_only[i])
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
        0x00AD | 0x200B..=0x200D | 0x2060 | 0xFEFF | 0xFE00..=0xFE0F | 0x2600..=0x27BF | 0x1F300..=0x1FAFF
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
        let mut set: Vec<char> = patterns
            .iter()
            .flat_map(|p| p.chars())
            .filter(|&c| is_han(c) && !doubled.contains(&c))
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
    /// For each byte of `text`, the original byte range it came from. Empty
    /// when `text` is borrowed (offsets are the same).
    origin: Vec<(usize, usize)>,
}

/// Builds a [`Folded`], copying only once the text first differs.
struct Builder<'a> {
    reply: &'a str,
    owned: Option<(String, Vec<(usize, usize)>)>,
}

impl Builder<'_> {
    /// Switches to an owned copy holding the unchanged text before `at`.
    fn own(&mut self, at: usize) -> &mut (String, Vec<(usize, usize)>) {
        let reply = self.reply;
        self.owned.get_or_insert_with(|| {
            let mut origin = Vec::with_capacity(reply.len());
            for (start, c) in reply[..at].char_indices() {
                origin.extend(std::iter::repeat_n((start, start + c.len_utf8()), c.len_utf8()));
            }
            let mut text = String::with_capacity(reply.len());
            text.push_str(&reply[..at]);
            (text, origin)
        })
    }

    /// Keeps the original character `c` at `start`, folded to `folded`.
    fn push(&mut self, start: usize, c: char, folded: char) {
        if self.owned.is_none() && folded == c {
            return;
        }
        let (text, origin) = self.own(start);
        text.push(folded);
        origin.extend(std::iter::repeat_n((start, start + c.len_utf8()), folded.len_utf8()));
    }

    /// Merges the original character at `start..end` into the last kept one.
    fn merge(&mut self, start: usize, end: usize) {
        let (_, origin) = self.own(start);
        if let Some(&(last_start, _)) = origin.last() {
            for o in origin.iter_mut().rev().take_while(|o| o.0 == last_start) {
                o.1 = end;
            }
        }
    }
}

impl<'a> Folded<'a> {
    /// Folds `reply`.
    pub fn new(reply: &'a str, collapsible: &Collapsible) -> Self {
        let mut builder = Builder { reply, owned: None };
        let mut last: Option<char> = None;
        let mut noise_from: Option<usize> = None;
        for (i, c) in reply.char_indices() {
            let folded = fold_char(c);
            if is_noise(folded) && last.is_some_and(is_han) {
                noise_from.get_or_insert(i);
                continue;
            }
            if let Some(from) = noise_from.take() {
                if is_han(folded) {
                    builder.own(from);
                } else {
                    for (j, n) in reply[from..i].char_indices() {
                        builder.push(from + j, n, fold_char(n));
                    }
                }
            }
            if last == Some(folded) && collapsible.contains(folded) {
                builder.merge(i, i + c.len_utf8());
                continue;
            }
            builder.push(i, c, folded);
            last = Some(folded);
        }
        if let Some(from) = noise_from {
            for (j, n) in reply[from..].char_indices() {
                builder.push(from + j, n, fold_char(n));
            }
        }
        match builder.owned {
            None => Folded {
                text: Cow::Borrowed(reply),
                origin: Vec::new(),
            },
            Some((text, origin)) => Folded {
                text: Cow::Owned(text),
                origin,
            },
        }
    }

    /// The original byte range of the folded byte range `range`.
    ///
    /// `range` must lie on character boundaries of the folded text.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        if self.origin.is_empty() || range.is_empty() {
            return self.origin_of_empty(range);
        }
        let start = self.origin[range.start].0;
        let end = self.origin[range.end - 1].1;
        start..end
    }

    fn origin_of_empty(&self, range: Range<usize>) -> Range<usize> {
        if self.origin.is_empty() {
            return range;
        }
        let at = self
            .origin
            .get(range.start)
            .map_or_else(|| self.origin.last().map_or(0, |o| o.1), |o| o.0);
        at..at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_script() {
        assert_eq!(fold_str("ＸＸ快遞！保證"), "xx快递!保证");
        assert_eq!(fold_str("這個我真的不知道"), "这个我真的不知道");
        assert_eq!(fold_str("妳好,裡面"), "你好,里面");
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
        assert_eq!(folded.text, "xx快递");
        // "xx" is bytes 0..2 folded, 0..6 original (two 3-byte full-width letters).
        assert_eq!(folded.original(0..2), 0..6);
        assert_eq!(&reply[folded.original(2..8)], "快遞");
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
    }

    #[test]
    fn knows_script_specific_characters() {
        assert!(is_traditional_char('證'));
        assert!(!is_traditional_char('证'));
        assert!(is_simplified_char('证'));
        assert!(!is_simplified_char('您'));
    }
}
