//! JSON Lines chat logs: one message per line; only agent turns are checked
//! (see [`super::message`]).

use super::message::{Locator, Log};
use super::{BYTE_ORDER_MARK, Document, Options};

/// Reads messages; lines that are not JSON objects or lack the text are
/// problems. `text` starts at line `first_line` of the input.
pub fn read(text: &str, first_line: usize, opts: &Options, doc: &mut Document) {
    let mut log = Log::new(opts);
    let mut at = Locator::new(text, first_line);
    for range in super::lines::lines(text) {
        // A byte-order mark opening a line: exports joined with `cat`.
        let body = text[range].trim_matches(|c: char| c.is_whitespace() || c == BYTE_ORDER_MARK);
        if !body.is_empty() {
            log.message(text, body, &mut at);
        }
    }
    log.finish(doc);
}
