//! Fixed replies written back into JSON string literals: a fix changes only
//! the characters its findings name, and every other character stays as the
//! file wrote it (`\u4f60`, `\ud83d\ude00`, `\/` included).

use crate::char_diff;
use crate::render::visible::is_hidden;

/// Why the characters of a JSON string literal could not be told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    /// It is not a string literal JSON allows.
    NotALiteral,
    /// A `\uXXXX` escape of half a UTF-16 surrogate pair (U+D800 to
    /// U+DFFF) without its other half, at this byte offset of the literal:
    /// it writes no character.
    Unpaired(usize),
}

/// The characters of the JSON string literal `raw` (quotes included), each
/// with the text that writes it (`你`, `\u4f60`, `\n`).
///
/// # Errors
/// `raw` is not a string literal, or holds an unpaired surrogate escape.
fn written_chars(raw: &str) -> Result<Vec<(char, &str)>, Unread> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .ok_or(Unread::NotALiteral)?;
    let unit = |from: usize| {
        inner
            .get(from..from + 4)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .ok_or(Unread::NotALiteral)
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut at = 0;
    while let Some(c) = inner[at..].chars().next() {
        let (c, len) = match c {
            '\\' if inner[at..].starts_with("\\u") => {
                let first = unit(at + 2)?;
                let second = || inner[at + 6..].starts_with("\\u").then(|| unit(at + 8).ok()).flatten();
                match first {
                    0xD800..0xDC00 => match second() {
                        Some(low @ 0xDC00..0xE000) => (0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00), 12),
                        _ => return Err(Unread::Unpaired(at + 1)),
                    },
                    0xDC00..0xE000 => return Err(Unread::Unpaired(at + 1)),
                    unit => (unit, 6),
                }
            }
            '\\' => {
                let c = match inner.as_bytes().get(at + 1) {
                    Some(b'"') => '"',
                    Some(b'\\') => '\\',
                    Some(b'/') => '/',
                    Some(b'b') => '\u{8}',
                    Some(b'f') => '\u{c}',
                    Some(b'n') => '\n',
                    Some(b'r') => '\r',
                    Some(b't') => '\t',
                    _ => return Err(Unread::NotALiteral),
                };
                (u32::from(c), 2)
            }
            c => (u32::from(c), c.len_utf8()),
        };
        let c = char::from_u32(c).ok_or(Unread::NotALiteral)?;
        out.push((c, &inner[at..at + len]));
        at += len;
    }
    Ok(out)
}

/// The escapes of the JSON string literal `raw` (quotes included) as a
/// column needs them: for each escape, the byte offset of its character in
/// the decoded string, and the characters the file writes beyond one for
/// it, summed over it and every escape before it (`\u4f60` is 6 characters
/// of the file for 1 of the string: 5). Empty when there is no escape.
///
/// # Errors
/// As [`written_chars`].
pub fn escapes(raw: &str) -> Result<Vec<(usize, usize)>, Unread> {
    let mut out = Vec::new();
    if !raw.contains('\\') {
        return Ok(out);
    }
    let (mut decoded, mut extra) = (0, 0);
    for (c, written) in written_chars(raw)? {
        if written.starts_with('\\') {
            // Escapes are ASCII: their length in bytes is in characters.
            extra += written.len() - 1;
            out.push((decoded, extra));
        }
        decoded += c.len_utf8();
    }
    Ok(out)
}

/// Appends `c` to `out` as the inside of a JSON string literal writes it.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        // What would act instead of showing (controls, U+2028/2029, bidi
        // controls) is written as an escape, as kefu-lint's own output does.
        c if is_hidden(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
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
    match written_chars(raw).ok() {
        None => new.iter().for_each(|&c| push_escaped(&mut out, c)),
        Some(old) => {
            let old_chars: Vec<char> = old.iter().map(|(c, _)| *c).collect();
            // Each changed stretch after the unchanged characters before it, then the rest.
            let mut kept = 0;
            for (from, to) in char_diff::changed(&old_chars, &new)
                .into_iter()
                .chain([(old.len()..old.len(), new.len()..new.len())])
            {
                old[kept..from.start]
                    .iter()
                    .for_each(|(_, written)| out.push_str(written));
                new[to].iter().for_each(|&c| push_escaped(&mut out, c));
                kept = from.end;
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
        // A long literal whose changes add characters is written whole and right.
        let (long, fixed) = ("\\u4f60好。".repeat(2_000), "您好哦。".repeat(2_000));
        let long = format!("\"{long}\"");
        for (raw, text) in [
            (r#""\u4f60\t好""#, "您\t好!"),
            (r#""\\你\/""#, "\\您/"),
            (long.as_str(), fixed.as_str()),
        ] {
            let written = rewrite(raw, text);
            assert_eq!(serde_json::from_str::<String>(&written).unwrap(), text, "{raw}");
        }
    }

    #[test]
    fn tells_escapes_and_unpaired_surrogates() {
        assert_eq!(escapes(r#""你好""#), Ok(vec![]));
        // 你 (3 bytes) as \u4f60: 5 more; \n: 1 more; a pair for one character: 11 more.
        assert_eq!(escapes(r#""\u4f60\n\ud83d\ude00a""#), Ok(vec![(0, 5), (3, 6), (4, 17)]));
        assert_eq!(escapes(r#""你\ud800好""#), Err(Unread::Unpaired(4)));
        assert_eq!(escapes(r#""\ude00""#), Err(Unread::Unpaired(1)));
        assert_eq!(escapes(r#""\ud83d\u0041""#), Err(Unread::Unpaired(1)));
        assert_eq!(escapes(r#""\x""#), Err(Unread::NotALiteral));
        assert_eq!(
            written_chars(r#""\"\\\/\b\f\r\t""#).map(|w| w.into_iter().map(|(c, _)| c).collect::<String>()),
            Ok("\"\\/\u{8}\u{c}\r\t".to_owned())
        );
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
