//! `--fix`, `--unsafe-fixes` and `--diff`: rewrite replies in their files.
//!
//! Only the bytes of the characters a fix changes are written anew: the
//! rest of the file, its encoding, byte-order mark, line endings and CSV
//! quoting stay as they were, byte for byte, the characters between two
//! fixes of one reply included (the file's own bytes are copied; only the
//! changed text is encoded). A fix that cannot be written in the file's encoding so that it
//! reads back as itself leaves the file alone. Files are written atomically
//! and only when something changed, through [`replace_verified`]: a file
//! that changed on disk since it was read is left alone. Workbooks are never
//! overwritten: their fixes go to `--output` as CSV (see [`crate::output`]).

use std::ops::Range;

use kefu_lint::{Applicability, Linter};

use crate::char_diff;
use crate::read::Document;
use crate::read::encoding::{Decoded, display_name, script_around};
use crate::render::visible::visible;
use crate::write::{Snapshot, replace_verified};

/// What fixing one document did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Fixes applied.
    pub applied: usize,
    /// The document's new text, when it changed (text formats).
    pub new_text: Option<Rewrite>,
    /// Lines of replies that had fixes but could not be rewritten in place.
    pub skipped: Vec<usize>,
    /// Lines of replies whose fix adds a line break, which their format
    /// (one reply per line) cannot hold: not written.
    pub splitting: Vec<usize>,
    /// The fixed text of each fixed reply, by its index in the document.
    pub fixed: Vec<(usize, String)>,
}

impl Outcome {
    /// Why some replies' fixes are not written, naming their lines, or
    /// `None` when every fix was.
    pub fn unwritten(&self) -> Option<String> {
        let lines = |lines: &[usize]| lines.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let why = [
            (
                &self.skipped,
                "the reply is not stored verbatim (escapes or quoting), so its fixes are not written",
            ),
            (
                &self.splitting,
                "a fix adds a line break, which would split the reply in two in a file of one reply per line, so its fixes are not written",
            ),
        ]
        .into_iter()
        .filter(|(at, _)| !at.is_empty())
        .map(|(at, why)| format!("line {}: {why}; fix it by hand", lines(at)))
        .collect::<Vec<_>>();
        (!why.is_empty()).then(|| why.join("; "))
    }

    /// Puts the fixed replies into `doc`'s records, once the fixes are
    /// written: what is reported is then what is on disk.
    pub fn apply_to(&mut self, doc: &mut Document) {
        for (index, text) in std::mem::take(&mut self.fixed) {
            if let Some(record) = doc.records.get_mut(index) {
                record.text = text;
            }
        }
    }
}

/// A text document's new text, and the stretches of its old text that were
/// replaced to make it.
#[derive(Debug)]
pub struct Rewrite {
    text: String,
    splices: Vec<Splice>,
}

/// One stretch of a document's decoded text replaced by a fix.
#[derive(Debug)]
struct Splice {
    /// The replaced bytes of the decoded text.
    range: Range<usize>,
    replacement: String,
    /// The line of the reply, for messages.
    line: usize,
}

impl Rewrite {
    /// The new text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The bytes to write: the file's own bytes, with only the replaced
    /// stretches encoded anew.
    ///
    /// # Errors
    /// Says which line's fix cannot be written in the file's encoding.
    fn bytes(&self, decoded: &Decoded, original: &[u8]) -> Result<Vec<u8>, String> {
        let splices = self.splices.iter().map(|s| (s.range.clone(), s.replacement.as_str()));
        let encoding = decoded.encoding;
        let bytes = encoding
            .splice(original, &decoded.text, splices)
            .map_err(|e| match e.splice {
                Some(i) => format!(
                    "line {}: the fixed reply cannot be written in {}: {}",
                    self.splices[i].line,
                    display_name(encoding.encoding),
                    e.why
                ),
                None => e.why,
            })?;
        if !encoding.reads_back(&bytes, &self.text) {
            return Err(format!(
                "the fixed file would not read back as the fixed text in {}",
                display_name(encoding.encoding)
            ));
        }
        Ok(bytes)
    }
}

/// The stretches of `old` that `new` changes (byte ranges of `old`, in
/// order, not touching) and what replaces each, as [`char_diff::changed`]
/// finds them: the characters between two fixes of one reply are not among
/// them, so they keep the file's own bytes (in GB18030 the byte `80` reads
/// as € but € is written `A2 E3`).
fn changed_stretches(old: &str, new: &str) -> Vec<(Range<usize>, String)> {
    let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let bytes_at = |text: &str| -> Vec<usize> { text.char_indices().map(|(i, _)| i).chain([text.len()]).collect() };
    let (old_at, new_at) = (bytes_at(old), bytes_at(new));
    char_diff::changed(&a, &b)
        .into_iter()
        .map(|(from, to)| {
            (
                old_at[from.start]..old_at[from.end],
                new[new_at[to.start]..new_at[to.end]].to_owned(),
            )
        })
        .collect()
}

/// Works out the fixes up to `up_to` of every reply of `doc`: the fixed
/// replies, and the document's new text if it changes. `doc` itself is left
/// as read (see [`Outcome::apply_to`]).
pub fn fix_document(doc: &Document, linter: &Linter, up_to: Applicability) -> Outcome {
    let mut outcome = Outcome::default();
    let mut splices = Vec::new();
    // A reply written the same in both scripts is fixed in its document's,
    // as its encoding decides.
    let script = std::cell::OnceCell::new();
    let of_text = || kefu_lint::Script::of_all(doc.records.iter().map(|r| r.text.as_str()));
    let around = || {
        *script.get_or_init(|| match &doc.decoded {
            Some(decoded) => script_around(decoded.encoding.encoding, of_text),
            None => of_text(),
        })
    };
    for (index, record) in doc.records.iter().enumerate() {
        let fixed = linter.fix_in(&record.text, up_to, around);
        if fixed.applied == 0 {
            continue;
        }
        match (&record.raw, &doc.decoded) {
            (Some(raw), Some(decoded)) => {
                let Some(replacement) = doc.format.reader().rewrite(&decoded.text[raw.clone()], &fixed.text) else {
                    outcome.splitting.push(record.line);
                    continue;
                };
                // Only the characters that changed are replaced.
                for (range, new) in changed_stretches(&decoded.text[raw.clone()], &replacement) {
                    splices.push(Splice {
                        range: raw.start + range.start..raw.start + range.end,
                        replacement: new,
                        line: record.line,
                    });
                }
            }
            // A workbook's fixed replies go to --output.
            _ if !doc.format.reader().fixes_in_place() => {}
            _ => {
                outcome.skipped.push(record.line);
                continue;
            }
        }
        outcome.applied += fixed.applied;
        outcome.fixed.push((index, fixed.text));
    }
    if let (false, Some(decoded)) = (splices.is_empty(), &doc.decoded) {
        splices.sort_by_key(|s| s.range.start);
        let mut text = String::with_capacity(decoded.text.len());
        let mut at = 0;
        for splice in &splices {
            text.push_str(&decoded.text[at..splice.range.start]);
            text.push_str(&splice.replacement);
            at = splice.range.end;
        }
        text.push_str(&decoded.text[at..]);
        outcome.new_text = Some(Rewrite { text, splices });
    }
    outcome
}

/// Writes the fixed text of a text document over its file, in its encoding
/// and byte for byte the same outside the fixes, unless a fix cannot be
/// written in its encoding or [`replace_verified`] refuses (the file is not
/// the one read as `snapshot`, or cannot be rewritten without harm).
///
/// # Errors
/// Why the file was left as it is.
pub fn write_document(doc: &Document, new: &Rewrite, snapshot: Option<Snapshot>) -> Result<(), String> {
    let (Some(path), Some(decoded), Some(snapshot)) = (&doc.path, &doc.decoded, snapshot) else {
        return Err("standard input cannot be fixed in place; use --diff".into());
    };
    let bytes = new
        .bytes(decoded, &doc.original)
        .map_err(|e| format!("{e}; not written"))?;
    replace_verified(path, &bytes, &doc.original, snapshot)
}

/// What `--diff` shows for a document.
#[derive(Debug)]
pub struct Preview {
    /// The diff, every line ended by a line feed.
    pub diff: String,
    /// A note on how the diff shows what it cannot show as it is.
    pub note: Option<String>,
    /// Whether `--fix` could write the new text in the file's encoding (as
    /// `--fix` would say it).
    pub writable: Result<(), String>,
}

/// What `--diff` shows for a text document: the unified diff of its old
/// and new text, and whether `--fix` could write the new text.
pub fn preview(doc: &Document, decoded: &Decoded, new: &Rewrite) -> Preview {
    let writable = new
        .bytes(decoded, &doc.original)
        .map(drop)
        .map_err(|e| format!("{e}; --fix would not write this file"));
    let (mut diff, lone_crs) = lone_crs_shown(diff(&doc.name, &decoded.text, new.text()));
    if !diff.ends_with('\n') {
        diff.push('\n');
    }
    let note = lone_crs.then(|| {
        "lines that end with a lone carriage return are shown with `\\r` at their end in the diff, which is for reading; --fix writes the file's own line ends".to_owned()
    });
    Preview { diff, note, writable }
}

/// What `--diff` shows for a workbook, which is never rewritten: for each
/// fixed reply (`fixed`, by record index, in order) a hunk headed by its
/// sheet, row and column, the old and the new reply each on one line.
pub fn cell_diff(doc: &Document, fixed: &[(usize, String)]) -> Preview {
    let name = visible(doc.name.trim_start_matches('/')).into_owned();
    let mut diff = format!("--- a/{name}\n+++ b/{name}\n");
    for (index, new) in fixed {
        let Some(record) = doc.records.get(*index) else {
            continue;
        };
        let sheet = visible(record.sheet.as_deref().unwrap_or_default()).into_owned();
        // A column without a header has no name to show.
        let column = record
            .column
            .as_deref()
            .map(|c| format!(", {}", visible(c)))
            .unwrap_or_default();
        diff += &format!(
            "@@ {sheet} row {}{column} @@\n-{}\n+{}\n",
            record.line,
            visible(&record.text),
            visible(new)
        );
    }
    Preview {
        diff,
        note: Some(
            "a workbook is never rewritten: the diff shows each fixed reply by sheet, row and column; --fix --output FILE.csv writes them to a CSV".to_owned(),
        ),
        writable: Ok(()),
    }
}

/// A unified diff of a document's old and new text, its lines ended as the
/// document's are.
fn diff(name: &str, old: &str, new: &str) -> String {
    let name = visible(name.trim_start_matches('/'));
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// `diff` with each lone carriage return (one not followed by a line
/// feed: `similar` ends a line there, as the readers do) written `\r` and
/// followed by a line feed, so that each line of the diff is one line on a
/// terminal or in a log; and whether there was one. CRLF stays as it is.
fn lone_crs_shown(diff: String) -> (String, bool) {
    let lone = |at: usize| diff.as_bytes().get(at + 1) != Some(&b'\n');
    if !diff.match_indices('\r').any(|(at, _)| lone(at)) {
        return (diff, false);
    }
    let mut out = String::with_capacity(diff.len() + 16);
    let mut from = 0;
    for (at, _) in diff.match_indices('\r').filter(|&(at, _)| lone(at)) {
        out.push_str(&diff[from..at]);
        out.push_str("\\r\n");
        from = at + 1;
    }
    out.push_str(&diff[from..]);
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Options, read};

    #[test]
    fn only_the_changed_characters_are_stretches() {
        fn stretches<'a>(old: &'a str, new: &str) -> Vec<(&'a str, String)> {
            changed_stretches(old, new)
                .into_iter()
                .map(|(range, new)| (&old[range], new))
                .collect()
        }
        // Two fixes in one reply: what lies between them is no stretch.
        assert_eq!(
            stretches("你€你", "您€您"),
            [("你", "您".to_owned()), ("你", "您".to_owned())]
        );
        // Added or removed characters: the stretch is where they go.
        assert_eq!(stretches("不行。", "不行哦。"), [("", "哦".to_owned())]);
        assert_eq!(stretches("a你b", "ab"), [("你", String::new())]);
    }

    #[test]
    fn refuses_a_file_that_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.txt");
        std::fs::write(&path, "你好\n").unwrap();
        let snapshot = Snapshot::of(&std::fs::metadata(&path).unwrap());
        let options = Options::default();
        let doc = read(&path, &options).unwrap();
        let outcome = fix_document(&doc, &Linter::builtin(), Applicability::Safe);
        std::fs::write(&path, "你好,有人改过了\n").unwrap();
        let err = write_document(&doc, outcome.new_text.as_ref().unwrap(), Some(snapshot)).unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "你好,有人改过了\n");
    }

    #[test]
    fn lone_carriage_returns_end_lines_shown_as_escapes() {
        let (shown, lone) = lone_crs_shown("-a\r+b\r c\r\n".to_owned());
        assert!(lone);
        assert_eq!(shown, "-a\\r\n+b\\r\n c\r\n");
        assert_eq!(lone_crs_shown("-a\r\n".to_owned()), ("-a\r\n".to_owned(), false));
    }
}
