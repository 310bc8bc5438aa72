//! JSON Lines chat logs: one message per line; only agent turns are checked
//! (see [`super::message`]).

use super::message::{Locator, Log};
use super::{Document, Options};

/// Reads messages; lines that are not JSON objects or lack the text are
/// problems. `text` starts at line `first_line` of the input.
pub fn read(text: &str, first_line: usize, opts: &Options, doc: &mut Document) {
    let mut log = Log::new(opts);
    let mut at = Locator::new(text, first_line);
    for (i, range) in super::lines::lines(text).enumerate() {
        let body = &text[range];
        if body.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<&serde_json::value::RawValue>(body) {
            Ok(value) if value.get().starts_with('{') => log.message(text, value.get(), &mut at),
            Ok(_) => log.unreadable(first_line + i, "not a JSON object".into()),
            Err(e) => log.unreadable(first_line + i, format!("invalid JSON: {e}")),
        }
    }
    log.finish(doc);
}
