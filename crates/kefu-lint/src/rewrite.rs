//! Where a fix's replacement lands in the original reply, and applying fixes.
//!
//! The promise: a fix changes only the characters its match names. Folding
//! lets a match span more than those characters — noise between them
//! (`你😊你`, `保 证`) and collapsed repeats (`你 你` read as one 你) — so a
//! match whose original text is not simply its folded text is rewritten
//! character by character, leaving everything between the named characters
//! as it was.

use std::ops::Range;

use crate::finding::{Edit, Fix};
use crate::fold::fold_char;

/// The edits that put `replacement` in place of the match `matched` (folded
/// text) found at `span` (bytes) of `reply`.
///
/// One edit over the span when the span's characters fold one by one to
/// `matched`. Otherwise each original character that folds to the `i`-th
/// character of `matched` becomes the `i`-th character of `replacement`,
/// and noise stays; that needs `replacement` to have as many characters as
/// `matched`. A repeated character that folding merged into the match is
/// rewritten too when the match is that one character (`你 你` → `您 您`:
/// each is the word), and left as it is when it follows the whole match
/// (`但是是我们的错` → `不过是我们的错`: the second 是 is a word of its
/// own). `None` when the rewrite cannot be placed that way (a repeat inside
/// a longer match, `保保证`), or when the match itself holds white space (a
/// word spelt out, `dan shi`: which of its spaces the rewrite stands for is
/// not known): the finding then has no automatic fix.
pub(crate) fn edits(reply: &str, span: Range<usize>, matched: &str, replacement: &str) -> Option<Vec<Edit>> {
    if matched.chars().any(char::is_whitespace) {
        return None;
    }
    let original = reply.get(span.clone())?;
    if original.chars().map(fold_char).eq(matched.chars()) {
        return Some(vec![Edit {
            range: span,
            replacement: replacement.to_owned(),
        }]);
    }
    let wanted: Vec<char> = matched.chars().collect();
    let put: Vec<char> = replacement.chars().collect();
    if wanted.len() != put.len() {
        return None;
    }
    let mut edits = Vec::new();
    let mut next = 0;
    for (i, c) in original.char_indices() {
        let folded = fold_char(c);
        let at = if wanted.get(next) == Some(&folded) {
            next += 1;
            next - 1
        } else if next > 0 && wanted[next - 1] == folded {
            match (wanted.len(), next == wanted.len()) {
                (1, _) => 0,
                (_, true) => continue,
                (_, false) => return None,
            }
        } else {
            continue;
        };
        let start = span.start + i;
        edits.push(Edit {
            range: start..start + c.len_utf8(),
            replacement: put[at].to_string(),
        });
    }
    (next == wanted.len()).then_some(edits)
}

/// `text` with `fixes` applied, and how many were. A fix is applied whole or
/// not at all: one that overlaps (by the hull of its edits) a fix starting
/// earlier waits, and is left out here.
pub(crate) fn apply(text: &str, mut fixes: Vec<Fix>) -> (String, usize) {
    let hull = |f: &Fix| {
        let start = f.edits.first().map_or(0, |e| e.range.start);
        (start, f.edits.last().map_or(start, |e| e.range.end))
    };
    fixes.retain(|f| !f.edits.is_empty());
    fixes.sort_by_key(hull);
    let mut out = String::with_capacity(text.len());
    let (mut at, mut applied) = (0, 0);
    for fix in fixes {
        if hull(&fix).0 < at {
            continue;
        }
        for edit in fix.edits {
            out.push_str(&text[at..edit.range.start]);
            out.push_str(&edit.replacement);
            at = edit.range.end;
        }
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(reply: &str, matched: &str, replacement: &str) -> Option<Vec<(String, String)>> {
        let edits = edits(reply, 0..reply.len(), matched, replacement)?;
        Some(
            edits
                .into_iter()
                .map(|e| (reply[e.range].to_owned(), e.replacement))
                .collect(),
        )
    }

    #[test]
    fn a_match_holding_white_space_has_no_edits() {
        assert_eq!(placed("dan shi", "dan shi", "不过"), None);
        assert_eq!(placed("Ｄａｎ　ｓｈｉ", "dan shi", "不过"), None);
    }

    #[test]
    fn a_plain_match_is_one_edit() {
        assert_eq!(placed("妳", "你", "您"), Some(vec![("妳".into(), "您".into())]));
        assert_eq!(
            placed("但是", "但是", "不过"),
            Some(vec![("但是".into(), "不过".into())])
        );
    }

    #[test]
    fn noise_and_repeats_inside_a_match_stay() {
        let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect::<Vec<_>>();
        assert_eq!(placed("你😊你", "你", "您"), Some(pairs(&[("你", "您"), ("你", "您")])));
        assert_eq!(
            placed("但 是", "但是", "不过"),
            Some(pairs(&[("但", "不"), ("是", "过")]))
        );
        assert_eq!(placed("你你", "你", "您"), Some(pairs(&[("你", "您"), ("你", "您")])));
        assert_eq!(
            placed("但是是", "但是", "不过"),
            Some(pairs(&[("但", "不"), ("是", "过")]))
        );
        assert_eq!(
            placed("保 证证", "保证", "尽量"),
            Some(pairs(&[("保", "尽"), ("证", "量")]))
        );
        assert_eq!(placed("保保证", "保证", "尽量"), None);
    }

    #[test]
    fn a_rewrite_of_another_length_cannot_be_placed_around_noise() {
        assert_eq!(placed("我 不能", "我不能", "我们无法"), None);
    }

    #[test]
    fn fixes_apply_whole_or_not_at_all() {
        let fix = |edits: &[(Range<usize>, &str)]| Fix {
            edits: edits
                .iter()
                .map(|(r, s)| Edit {
                    range: r.clone(),
                    replacement: (*s).into(),
                })
                .collect(),
            applicability: crate::Applicability::Safe,
        };
        // "abcdef": the second fix lies inside the first one's hull and waits.
        let (text, applied) = apply("abcdef", vec![fix(&[(0..1, "A"), (4..5, "E")]), fix(&[(2..3, "C")])]);
        assert_eq!((text.as_str(), applied), ("AbcdEf", 1));
    }
}
