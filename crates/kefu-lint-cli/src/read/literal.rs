//! Fixed replies written back into JSON string literals: a fix changes only
//! the characters its findings name, and every other character stays as the
//! file wrote it (`\u4f60`, `\ud83d\ude00`, `\/` included).

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// The characters of the JSON string literal `raw` (quotes included), each
/// with the text that writes it (`你`, `\u4f60`, `\n`); `None` if `raw` is
/// not a string literal.
fn written_chars(raw: &str) -> Option<Vec<(char, &str)>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Vec::with_capacity(inner.len());
    let mut at = 0;
    while let Some(c) = inner[at..].chars().next() {
        let len = match c {
            '\\' if inner[at..].starts_with("\\u") => {
                let unit = |from: usize| u32::from_str_radix(inner.get(from..from + 4)?, 16).ok();
                let high = unit(at + 2)?;
                if (0xD800..0xDC00).contains(&high) && inner[at + 6..].starts_with("\\u") {
                    12
                } else {
                    6
                }
            }
            '\\' => 2,
            c => c.len_utf8(),
        };
        let piece = inner.get(at..at + len)?;
        let decoded: String = serde_json::from_str(&format!("\"{piece}\"")).ok()?;
        let mut chars = decoded.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => out.push((c, piece)),
            _ => return None,
        }
        at += len;
    }
    Some(out)
}

/// Whether `c` is written as a `\uXXXX` escape when a fix writes it: C0
/// and C1 controls, the line and paragraph separators (U+2028, U+2029) and
/// the bidirectional controls, which would otherwise reorder or hide text
/// in an editor or a terminal.
fn escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `c` to `out` as the inside of a JSON string literal writes it.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if escaped(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        c => out.push(c),
    }
}

/// The JSON string literal for `text` that replaces the literal `raw`: the
/// characters `text` keeps from `raw` are written as `raw` wrote them
/// (escapes included), the characters a fix wrote are escaped as JSON
/// requires (and controls, U+2028/2029 and bidirectional controls as
/// `\uXXXX`). A `raw` that is not a string literal is written anew.
pub fn rewrite(raw: &str, text: &str) -> String {
    let new: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(raw.len() + text.len());
    out.push('"');
    match written_chars(raw) {
        None => new.iter().for_each(|&c| push_escaped(&mut out, c)),
        Some(old) => {
            let old_chars: Vec<char> = old.iter().map(|(c, _)| *c).collect();
            for op in capture_diff_slices(Algorithm::Myers, &old_chars, &new) {
                match op {
                    DiffOp::Equal { old_index, len, .. } => {
                        old[old_index..old_index + len]
                            .iter()
                            .for_each(|(_, p)| out.push_str(p));
                    }
                    DiffOp::Delete { .. } => {}
                    DiffOp::Insert { new_index, new_len, .. } | DiffOp::Replace { new_index, new_len, .. } => new
                        [new_index..new_index + new_len]
                        .iter()
                        .for_each(|&c| push_escaped(&mut out, c)),
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_the_changed_characters() {
        assert_eq!(rewrite(r#""\u4f60\u7684\n单""#, "您的\n单"), r#""您\u7684\n单""#);
        assert_eq!(
            rewrite(r#""a\ud83d\ude00你""#, "a\u{1F600}您\""),
            r#""a\ud83d\ude00您\"""#
        );
        // Escapes between two fixes stay as written.
        assert_eq!(
            rewrite(r#""亲 你\u7684 \ud83d\ude00 你好""#, "亲 您的 \u{1F600} 您好"),
            r#""亲 您\u7684 \ud83d\ude00 您好""#
        );
        assert_eq!(rewrite(r#""你""#, "您"), r#""您""#);
        // Not a literal this reads: written anew.
        assert_eq!(rewrite("x", "您"), r#""您""#);
        for (raw, text) in [(r#""\u4f60\t好""#, "您\t好!"), (r#""\\你\/""#, "\\您/")] {
            let written = rewrite(raw, text);
            assert_eq!(serde_json::from_str::<String>(&written).unwrap(), text, "{raw}");
        }
    }

    #[test]
    fn escapes_controls_and_bidi_a_fix_writes() {
        assert_eq!(
            rewrite(r#""你""#, "您\u{2028}\u{7}\u{202E}\u{85}\"\\\n"),
            r#""您\u2028\u0007\u202e\u0085\"\\\n""#
        );
        assert_eq!(rewrite(r#""你\u202e好你""#, "您\u{202E}好您"), r#""您\u202e好您""#);
    }
}
