//! Plain text: one reply per non-empty line.

use super::{Document, Record};

/// Reads one reply per non-empty line (`\n` or `\r\n` endings); `text`
/// starts at line `first_line` of the input.
pub fn read(text: &str, first_line: usize, doc: &mut Document) -> Result<(), String> {
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let end = start + line.len();
        let body = line.strip_suffix('\r').unwrap_or(line);
        if !body.trim().is_empty() {
            doc.records.push(Record {
                line: first_line + i,
                text: body.to_owned(),
                raw: Some(start..start + body.len()),
                ..Record::default()
            });
        }
        start = end + 1;
    }
    Ok(())
}
