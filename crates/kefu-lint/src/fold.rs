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

/// A reply after folding, with the way back to the original byte offsets.
pub(crate) struct Folded<'a> {
    /// The folded text; borrowed when folding changed nothing.
    pub text: Cow<'a, str>,
    /// For each byte of `text`, the original byte range of the character it
    /// came from. Empty when `text` is borrowed (offsets are the same).
    origin: Vec<(usize, usize)>,
}

impl<'a> Folded<'a> {
    /// Folds `reply`.
    pub fn new(reply: &'a str) -> Self {
        if reply.chars().all(|c| fold_char(c) == c) {
            return Folded {
                text: Cow::Borrowed(reply),
                origin: Vec::new(),
            };
        }
        let mut text = String::with_capacity(reply.len());
        let mut origin = Vec::with_capacity(reply.len());
        for (start, c) in reply.char_indices() {
            let folded = fold_char(c);
            let span = (start, start + c.len_utf8());
            text.push(folded);
            origin.extend(std::iter::repeat_n(span, folded.len_utf8()));
        }
        Folded {
            text: Cow::Owned(text),
            origin,
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
        assert!(matches!(Folded::new(text).text, Cow::Borrowed(_)));
    }

    #[test]
    fn maps_back_to_original_offsets() {
        let reply = "ＸＸ快遞";
        let folded = Folded::new(reply);
        assert_eq!(folded.text, "xx快递");
        // "xx" is bytes 0..2 folded, 0..6 original (two 3-byte full-width letters).
        assert_eq!(folded.original(0..2), 0..6);
        assert_eq!(&reply[folded.original(2..8)], "快遞");
    }

    #[test]
    fn knows_script_specific_characters() {
        assert!(is_traditional_char('證'));
        assert!(!is_traditional_char('证'));
        assert!(is_simplified_char('证'));
        assert!(!is_simplified_char('您'));
    }
}
