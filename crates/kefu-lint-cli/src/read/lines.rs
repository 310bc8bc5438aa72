//! Line ends, the same for every reader: `\n`, `\r\n` and a lone `\r` (the
//! line end of old Mac files) each end one line.

use std::ops::Range;

/// The byte ranges of the lines of `text`, without their line ends; the last
/// one runs to the end of `text` (empty after a final line end).
pub fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes);
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        loop {
            match ends.next() {
                // The `\n` of a `\r\n`, already taken with its `\r`.
                Some(i) if i < start => {}
                Some(i) => {
                    let line = start..i;
                    start = i + 1 + usize::from(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n'));
                    return Some(line);
                }
                None => {
                    done = true;
                    return Some(start..bytes.len());
                }
            }
        }
    })
}

/// Just past the first line end (`\n`, `\r\n` or a lone `\r`) of `text` at or
/// after byte `from`; `None` when none comes.
pub fn past_line_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr2(b'\n', b'\r', &bytes[from..]).map(|at| {
        let at = from + at;
        at + 1 + usize::from(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n'))
    })
}

/// The line of byte offsets into a text that begins on a given line,
/// counted as the offsets asked for move forward (each line end is counted
/// once; a lone `\r` ends a line too).
pub struct LineOf<'t> {
    text: &'t str,
    first: usize,
    /// The byte up to which line ends are counted, and how many there are.
    counted: usize,
    before: usize,
}

impl<'t> LineOf<'t> {
    /// Lines of `text`, whose first byte is on line `first`.
    pub fn new(text: &'t str, first: usize) -> LineOf<'t> {
        LineOf {
            text,
            first,
            counted: 0,
            before: 0,
        }
    }

    /// The line of byte `byte` (an offset before one asked for earlier, or
    /// not at a character boundary, gets the line counted so far).
    pub fn at(&mut self, byte: usize) -> usize {
        if byte > self.counted && self.text.is_char_boundary(byte) {
            self.before += count(&self.text[self.counted..byte]);
            self.counted = byte;
        }
        self.first + self.before
    }
}

/// How many line ends `text` holds (a `\r\n` is one).
pub fn count(text: &str) -> usize {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return count_newlines(text);
    }
    lines(text).count() - 1
}

/// Where the last line of `text` that is certainly whole ends (just past its
/// line end); a `\r` at the very end may be the start of a `\r\n`, unless
/// `at_end` says nothing follows. `from` is where to start looking.
pub fn last_end(text: &str, from: usize, at_end: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut within = &bytes[from..];
    loop {
        let i = memchr::memrchr2(b'\n', b'\r', within)?;
        if bytes[from + i] == b'\r' && from + i + 1 == bytes.len() && !at_end {
            within = &within[..i];
            continue;
        }
        return Some(from + i + 1);
    }
}

/// How many `\n` `text` holds; counted in byte-sized sums over short chunks,
/// which the compiler turns into vector code (several times faster than a
/// plain filter and count).
fn count_newlines(text: &str) -> usize {
    text.as_bytes()
        .chunks(u8::MAX as usize)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_cr_a_crlf_and_a_lf_each_end_one_line() {
        let text = "a\rb\r\nc\nd\r\re";
        let got: Vec<&str> = lines(text).map(|r| &text[r]).collect();
        assert_eq!(got, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(count(text), 5);
        assert_eq!(count("x\n"), 1);
        assert_eq!(lines("x\n").map(|r| r.len()).collect::<Vec<_>>(), [1, 0]);
        for text in ["", "a", "\n", "你\n好\n", &"\n".repeat(1000), &"亲,\n".repeat(777)] {
            assert_eq!(count(text), text.matches('\n').count(), "{text:?}");
        }
    }

    #[test]
    fn a_cr_at_the_end_waits_for_what_follows() {
        assert_eq!(last_end("a\nb\r", 0, false), Some(2));
        assert_eq!(last_end("a\nb\r", 0, true), Some(4));
        assert_eq!(last_end("a\rb", 0, false), Some(2));
        assert_eq!(last_end("ab", 0, false), None);
        assert_eq!(last_end("a\nb\nc", 2, false), Some(4));
    }
}
