//! A bounded window of a reply around a finding, for formats that show
//! context: however long the reply, what is shown of it is a few dozen
//! characters, with its hidden characters made visible.

use std::ops::Range;

use super::visible::push_visible;

/// Characters of the reply shown on each side of a finding.
pub const CONTEXT: usize = 30;
/// Characters shown at each end of a longer match (the middle is elided).
pub const MATCH_ENDS: usize = 30;
/// Marks text left out.
const ELLIPSIS: char = '…';

/// A window of a reply: the finding with up to [`CONTEXT`] characters on
/// each side, `…` where the reply goes on, every character made visible.
#[derive(Debug, PartialEq, Eq)]
pub struct Window {
    /// The shown text, one line.
    pub text: String,
    /// Where the finding lies in `text`, in bytes.
    pub span: Range<usize>,
}

impl Window {
    /// The window of `reply` around the byte range `span` (which must lie
    /// on character boundaries of `reply`). Takes time in the window's
    /// size, not the reply's.
    pub fn new(reply: &str, span: Range<usize>) -> Window {
        let before = &reply[..span.start];
        let from = before.char_indices().rev().nth(CONTEXT - 1).map_or(0, |(i, _)| i);
        let after = &reply[span.end..];
        let to = after.char_indices().nth(CONTEXT).map_or(after.len(), |(i, _)| i);

        let mut text = String::new();
        if from > 0 {
            text.push(ELLIPSIS);
        }
        push_all(&mut text, &before[from..]);
        let start = text.len();
        push_all(&mut text, &shorten(&reply[span.clone()]));
        let end = text.len();
        push_all(&mut text, &after[..to]);
        if to < after.len() {
            text.push(ELLIPSIS);
        }
        Window { text, span: start..end }
    }
}

/// Appends `text` made visible, and never with `##[`, which the GitHub
/// Actions runner reads as a command anywhere in a line (see
/// [`super::visible::defuse`]).
fn push_all(out: &mut String, text: &str) {
    for c in text.chars() {
        if c == '[' && out.ends_with("##") {
            out.push_str("\\u{5b}");
        } else {
            push_visible(out, c);
        }
    }
}

/// `text` if it has at most `2 * MATCH_ENDS + 1` characters, otherwise its
/// first and last [`MATCH_ENDS`] characters joined by `…`. Takes time in
/// `MATCH_ENDS`, not in the length of `text`.
pub fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    let Some((head, _)) = text.char_indices().nth(MATCH_ENDS) else {
        return text.into();
    };
    let tail = text.char_indices().rev().nth(MATCH_ENDS - 1).map_or(0, |(i, _)| i);
    if tail <= head || text[head..tail].chars().nth(1).is_none() {
        return text.into();
    }
    format!("{}{ELLIPSIS}{}", &text[..head], &text[tail..]).into()
}

/// `text` cut to its first `chars` characters, with `…` after them when
/// there was more. Takes time in `chars`, not in the length of `text`.
pub fn cut(text: &str, chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(chars) {
        Some((end, _)) => format!("{}{ELLIPSIS}", &text[..end]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_reply_is_shown_whole() {
        let w = Window::new("亲,但是不行", 4..10);
        assert_eq!(w.text, "亲,但是不行");
        assert_eq!(&w.text[w.span], "但是");
    }

    #[test]
    fn a_long_reply_is_cut_around_the_finding() {
        let reply = format!("{}但是{}", "好".repeat(100_000), "的".repeat(100_000));
        let start = 300_000;
        let w = Window::new(&reply, start..start + 6);
        assert_eq!(
            w.text,
            format!("…{}但是{}…", "好".repeat(CONTEXT), "的".repeat(CONTEXT))
        );
        assert_eq!(&w.text[w.span], "但是");
    }

    #[test]
    fn a_long_match_keeps_its_ends() {
        let reply = "你".repeat(1000);
        let w = Window::new(&reply, 0..reply.len());
        assert_eq!(
            w.text,
            format!("{}…{}", "你".repeat(MATCH_ENDS), "你".repeat(MATCH_ENDS))
        );
        assert_eq!(
            shorten(&"你".repeat(2 * MATCH_ENDS + 1)).chars().count(),
            2 * MATCH_ENDS + 1
        );
    }

    #[test]
    fn cut_keeps_short_text_and_marks_a_cut() {
        assert_eq!(cut("分组", 2), "分组");
        assert_eq!(cut("售后服务", 2), "售后…");
        assert_eq!(cut(&"长".repeat(1_000_000), 3), "长长长…");
    }

    #[test]
    fn hidden_characters_are_shown_escaped() {
        let reply = "你好\u{1b}]0;PWNED\u{7}\u{1b}[2J但是";
        let start = reply.find("但是").unwrap_or_default();
        let w = Window::new(reply, start..reply.len());
        assert_eq!(w.text, "你好\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J但是");
        assert_eq!(&w.text[w.span], "但是");
    }
}
