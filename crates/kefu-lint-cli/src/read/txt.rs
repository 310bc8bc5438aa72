//! Plain text: one reply per non-empty line.

use super::{Document, Record};

/// Reads one reply per non-empty line (`\n` or `\r\n` endings).
pub fn read(text: &str, doc: &mut Document) -> Result<(), String> {
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let end = start + line.len();
        let body = line.strip_suffix('\r').unwrap_or(line);
        if !body.trim().is_empty() {
            doc.records.push(Record {
                line: i + 1,
                text: body.to_owned(),
                raw: Some(start..start + body.len()),
                ..Record::default()
            });
        }
        start = end + 1;
    }
    Ok(())
}
