//! Where a fixed reply differs from the reply as read, character by
//! character: what `--fix` rewrites in a file, so that every character
//! between two fixes keeps the file's own bytes or escapes.

use std::ops::Range;

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// Characters, on either side, up to which the changed middle of a reply
/// is diffed character by character: the diff takes time in proportion to
/// the characters times the changes, at most a few milliseconds here.
pub const DIFF_MAX_CHARS: usize = 1_024;

/// The stretches of `old` that `new` changes: for each, in order and not
/// touching, the range of `old` (character indices) and the range of `new`
/// that replaces it. Stretches lie between the common beginning and end of
/// the two. Where as many characters replace as many, each differing place
/// is a stretch (adjacent ones joined), however long the reply; otherwise a
/// differing middle longer than [`DIFF_MAX_CHARS`] on either side is one
/// stretch, so the time taken stays bounded.
pub fn changed(old: &[char], new: &[char]) -> Vec<(Range<usize>, Range<usize>)> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    let mut stretches: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut add = |from: Range<usize>, to: Range<usize>| {
        let (from, to) = (
            prefix + from.start..prefix + from.end,
            prefix + to.start..prefix + to.end,
        );
        match stretches.last_mut() {
            Some((last_from, last_to)) if last_from.end == from.start && last_to.end == to.start => {
                last_from.end = from.end;
                last_to.end = to.end;
            }
            _ => stretches.push((from, to)),
        }
    };
    if a.len() == b.len() {
        // Characters replaced one for one (你 → 您), however many: the
        // differing places, in linear time.
        for i in (0..a.len()).filter(|&i| a[i] != b[i]) {
            add(i..i + 1, i..i + 1);
        }
    } else if a.len().max(b.len()) <= DIFF_MAX_CHARS {
        for op in capture_diff_slices(Algorithm::Myers, a, b) {
            let (tag, from, to) = op.as_tag_tuple();
            if tag != DiffTag::Equal {
                add(from, to);
            }
        }
    } else {
        add(0..a.len(), 0..b.len());
    }
    stretches
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `changed` on strings, the stretches as the text they cover.
    fn stretches(old: &str, new: &str) -> Vec<(String, String)> {
        let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        changed(&a, &b)
            .into_iter()
            .map(|(from, to)| (a[from].iter().collect(), b[to].iter().collect()))
            .collect()
    }

    #[test]
    fn names_only_the_characters_that_differ() {
        assert!(stretches("同样", "同样").is_empty());
        assert_eq!(
            stretches("亲,你的订单你好", "亲,您的订单您好"),
            [("你".into(), "您".into()), ("你".into(), "您".into())]
        );
        // Added or removed characters: the stretch is where they go.
        assert_eq!(stretches("不行。", "不行哦。"), [(String::new(), "哦".into())]);
        assert_eq!(stretches("a你b", "ab"), [("你".into(), String::new())]);
        assert_eq!(
            stretches("你说的不行。你看", "您说的不行哦。您看"),
            [
                ("你".into(), "您".into()),
                (String::new(), "哦".into()),
                ("你".into(), "您".into())
            ]
        );
    }

    #[test]
    fn stays_bounded_on_long_replies() {
        // Any number of one-for-one replacements are each a stretch.
        let many = "你€".repeat(DIFF_MAX_CHARS);
        let fixed_many = "您€".repeat(DIFF_MAX_CHARS);
        assert_eq!(
            stretches(&many, &fixed_many),
            vec![("你".to_owned(), "您".to_owned()); DIFF_MAX_CHARS]
        );
        // Other changes over a middle longer than the diff takes are one
        // stretch, from the first change to the last.
        let other = "您哦€".repeat(DIFF_MAX_CHARS);
        let stretch = stretches(&many, &other);
        assert_eq!(stretch.len(), 1);
        assert_eq!(stretch[0].0, many[..many.len() - "€".len()]);
        // Adjacent replacements are one stretch.
        let long = "你".repeat(DIFF_MAX_CHARS + 1);
        let fixed = "您".repeat(DIFF_MAX_CHARS + 1);
        assert_eq!(
            stretches(&format!("亲{long}哦"), &format!("亲{fixed}哦")),
            [(long, fixed)]
        );
    }
}
