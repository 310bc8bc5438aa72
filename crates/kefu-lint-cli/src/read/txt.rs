//! Plain text: one reply per non-empty line.

use std::ops::Range;

use super::{Document, Record};

/// The non-empty lines of `text` (`\n`, `\r\n` or `\r` endings), which
/// starts at line `first_line` of the input: each line's number and the byte
/// range of its text without the line end.
pub fn lines(text: &str, first_line: usize) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
    super::lines::lines(text)
        .enumerate()
        .filter(|(_, range)| !text[range.clone()].chars().all(char::is_whitespace))
        .map(move |(i, range)| (first_line + i, range))
}

/// The record of the line `line` whose text is `text[range]`.
pub fn record(text: &str, line: usize, range: Range<usize>) -> Record {
    Record {
        line,
        text: text[range.clone()].to_owned(),
        raw: Some(range),
        ..Record::default()
    }
}

/// Reads one reply per non-empty line; `text` starts at line `first_line` of the input.
pub fn read(text: &str, first_line: usize, doc: &mut Document) {
    doc.records
        .extend(lines(text, first_line).map(|(line, range)| record(text, line, range)));
}
