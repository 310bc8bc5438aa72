//! Text from the input made safe to show on a terminal or in a one-line
//! record: characters that would act instead of showing (terminal escapes,
//! line breaks, bidirectional overrides) are written as escapes, as ripgrep
//! and git do.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` acts on a terminal, a log or the text's layout rather than
/// showing as itself: C0 and C1 controls and DEL (tab and line breaks
/// included), the line and paragraph separators U+2028/U+2029, and the
/// bidirectional formatting characters (U+061C, U+200E/F, U+202A–U+202E,
/// U+2066–U+2069).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Whether `c`, after `before`, shows as nothing: a zero-width space or
/// non-joiner, the byte-order mark (a zero-width no-break space), the soft
/// hyphen, the word joiner and the invisible operators (U+2060–U+2064), and
/// a zero-width joiner unless it follows an emoji (👨‍👩‍👧 is one emoji
/// joined by them). Two ids differing only by these look the same.
pub fn is_invisible(before: Option<char>, c: char) -> bool {
    let after_emoji =
        || before.is_some_and(|b| u32::from(b) >= 0x1F000 || ('\u{2600}'..='\u{27bf}').contains(&b) || b == '\u{fe0f}');
    match c {
        '\u{200d}' => !after_emoji(),
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{2060}'..='\u{2064}' | '\u{feff}' => true,
        _ => false,
    }
}

/// `text` with every [hidden](is_hidden) and [invisible](is_invisible) character written as an escape:
/// `\t`, `\n`, `\r`, otherwise `\u{1b}` (hexadecimal code point). Borrowed
/// when there is nothing to escape. The result holds no character for which
/// [`is_hidden`] is true, so it is one line.
///
/// It is also never read as a GitHub Actions workflow command when it
/// starts a line of a log: see [`defuse`].
pub fn visible(text: &str) -> Cow<'_, str> {
    if !acts(text, |_| false) {
        return defuse(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len() + 8);
    escaped(text, &mut out, |_| false);
    defuse(Cow::Owned(out))
}

/// Whether `text` holds a [hidden](is_hidden) or [invisible](is_invisible)
/// character that `keep` does not keep.
pub fn acts(text: &str, keep: impl Fn(char) -> bool) -> bool {
    let mut before = None;
    text.chars().any(|c| {
        let acts = (is_hidden(c) || is_invisible(before, c)) && !keep(c);
        before = Some(c);
        acts
    })
}

/// Appends `text` to `out` with every [hidden](is_hidden) and
/// [invisible](is_invisible) character that `keep` does not keep written
/// as an escape (`\u{200b}`; `\t`, `\n`, `\r`).
pub fn escaped(text: &str, out: &mut String, keep: impl Fn(char) -> bool) {
    let mut before = None;
    for c in text.chars() {
        if keep(c) || !(is_hidden(c) || is_invisible(before, c)) {
            out.push(c);
        } else if is_hidden(c) {
            push_visible(out, c);
        } else {
            // Writing into a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        before = Some(c);
    }
}

/// `line` with what the GitHub Actions runner reads as a workflow command
/// written as an escape: `::` at its start (after blanks, which the runner
/// skips) becomes `\u{3a}:`, and `##[` anywhere (the runner's older form)
/// becomes `##\u{5b}`. A file name, cell or reply may hold either, and
/// every line kefu-lint prints may end up in a CI log.
pub fn defuse(line: Cow<'_, str>) -> Cow<'_, str> {
    let blanks = line.len() - line.trim_start().len();
    let command = line[blanks..].starts_with("::");
    if !command && !line.contains("##[") {
        return line;
    }
    let mut out = without_legacy_commands(&line);
    if command {
        out.replace_range(blanks..blanks + 1, "\\u{3a}");
    }
    Cow::Owned(out)
}

/// `text` with the runner's older `##[command]` form, which it reads
/// anywhere in a line, written `##\u{5b}`.
pub fn without_legacy_commands(text: &str) -> String {
    text.replace("##[", "##\\u{5b}")
}

/// Multi-line `text` (a diff) with its line endings (LF, CRLF or a lone CR,
/// as the file had them) and tabs kept and every other [hidden](is_hidden)
/// character escaped as by [`visible`], each line [defused](defuse).
/// Borrowed when there is nothing to escape.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    let commands = text.contains("##[") || text.split(['\n', '\r']).any(|l| l.trim_start().starts_with("::"));
    if !commands
        && !text
            .chars()
            .any(|c| is_hidden(c) && c != '\n' && c != '\t' && c != '\r')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        let (body, end, next) = match rest.find(['\n', '\r']) {
            None => (rest, "", ""),
            Some(at) if rest[at..].starts_with("\r\n") => (&rest[..at], "\r\n", &rest[at + 2..]),
            Some(at) => (&rest[..at], &rest[at..at + 1], &rest[at + 1..]),
        };
        let mut shown = String::with_capacity(body.len());
        for c in body.chars() {
            if c == '\t' {
                shown.push(c);
            } else {
                push_visible(&mut shown, c);
            }
        }
        out.push_str(&defuse(Cow::Owned(shown)));
        out.push_str(end);
        rest = next;
    }
    Cow::Owned(out)
}

/// Appends `c` to `out`, escaped if it is [hidden](is_hidden).
pub fn push_visible(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if is_hidden(c) => {
            // Writing into a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// A path as shown in human, concise and GitHub output and in messages.
/// On Unix a name is bytes: each byte that is not part of valid UTF-8 is
/// written `\xFF` (as ripgrep and git do), so two names that differ only
/// there stay different (`Path::display` would show both as U+FFFD).
/// Elsewhere, as `Path::display`. Hidden characters are not escaped here;
/// [`visible`] does that where the name is printed.
pub fn path_name(path: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                // Writing into a String cannot fail.
                let _ = write!(out, "\\x{byte:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
    }
}

/// Writes one line to standard error, `kind: message`, with the message
/// made [visible]: a path, sheet name or cell quoted in it can neither end
/// the line (and start a GitHub workflow command on the next) nor act on
/// the terminal.
pub fn eprint(kind: &str, message: std::fmt::Arguments<'_>) {
    let message = message.to_string();
    crate::console::say!("{kind}: {}", visible(&message));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_separators_and_bidi_characters() {
        assert_eq!(visible("你好\u{1b}]0;X\u{7}"), "你好\\u{1b}]0;X\\u{7}");
        assert_eq!(visible("a\nb\rc\td"), "a\\nb\\rc\\td");
        assert_eq!(visible("\u{85}\u{9b}\u{7f}"), "\\u{85}\\u{9b}\\u{7f}");
        assert_eq!(
            visible("\u{2028}\u{2029}\u{202e}\u{2066}"),
            "\\u{2028}\\u{2029}\\u{202e}\\u{2066}"
        );
        assert!(matches!(visible("您好，请稍等"), Cow::Borrowed(_)));
    }

    #[cfg(unix)]
    #[test]
    fn bad_bytes_of_a_path_are_shown_as_hex_escapes() {
        use std::os::unix::ffi::OsStrExt;
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(b"d/b\xffad\\\xe5\x9b\x9e.txt"));
        assert_eq!(path_name(path), "d/b\\xFFad\\回.txt");
    }

    #[test]
    fn lines_keep_their_endings_and_tabs() {
        // A lone CR ends a line, as in the readers.
        assert_eq!(visible_lines("a\tb\r\nc\u{1b}[2J\rd\n"), "a\tb\r\nc\\u{1b}[2J\rd\n");
        assert_eq!(visible_lines(" x\r ::y\r"), " x\r \\u{3a}:y\r");
        assert!(matches!(visible_lines("-你\n+您\n"), Cow::Borrowed(_)));
    }
}
