//! Cases of a labelled set that point into a corpus instead of copying it:
//! `"from": "<path>:<line>"`, the path relative to the set's directory and
//! the line counted from 1. The reply is that line without its line ending
//! (`\n` or `\r\n`; a UTF-8 byte order mark before the first line is not
//! part of it).
//!
//! Each file is read once, whatever the number of cases that point into it,
//! and only one file is held at a time. A set may come from anyone (a pull
//! request), and eval prints the replies it misses: so a reference names a
//! corpus file only, a relative path to a `.txt`, `.csv`, `.tsv` or `.jsonl`
//! file outside `/proc`, `/sys` and `/dev` (not `/etc/shadow`, not
//! `/proc/self/environ`, not a `.json` key file, whatever links lead there;
//! a whole JSON document has no reply per line anyway).

use std::ops::Range;
use std::path::Path;

use crate::read::limits::{LARGE_FILE_BYTES, MIB, read_file, size};

/// Bytes of the replies all references of one set may add up to (256 MiB):
/// a set of a few megabytes could otherwise point a million times at one
/// long line.
const MAX_REFERENCED_BYTES: usize = 256 * MIB as usize;

/// One case that points into a corpus.
struct Reference {
    /// Line of the set the case is written on (from 1).
    set_line: usize,
    /// Index of the case among the set's cases.
    case: usize,
    /// The `from` value as written, for messages.
    from: String,
    /// Byte range of the path in `from`.
    path: Range<usize>,
    /// The line of the file (from 1).
    line: usize,
}

/// The references of one set, gathered while parsing it.
#[derive(Default)]
pub(super) struct References(Vec<Reference>);

impl References {
    /// Records that case `case`, written on line `set_line` of the set, is
    /// the line `from` names.
    ///
    /// # Errors
    /// `from` is not `<path>:<line>` with a line number of 1 or more; the
    /// message names the set's line.
    pub fn push(&mut self, set_line: usize, case: usize, from: String) -> Result<(), String> {
        let parsed = from
            .rsplit_once(':')
            .filter(|(path, _)| !path.is_empty())
            .and_then(|(path, line)| Some((path.len(), line.parse::<usize>().ok().filter(|&l| l >= 1)?)));
        let Some((path_len, line)) = parsed else {
            return Err(format!(
                "line {set_line}: \"from\" is {from:?}; it must be \"<path>:<line>\", lines counted from 1"
            ));
        };
        self.0.push(Reference {
            set_line,
            case,
            from,
            path: 0..path_len,
            line,
        });
        Ok(())
    }

    /// The reply of each reference, `(case, text)`, reading the files
    /// relative to `dir`.
    ///
    /// # Errors
    /// For the first line of the set (in order) whose reference cannot be
    /// read: the file is not a corpus file ([`corpus_file`]), missing, not a
    /// regular file or over 64 MiB, the
    /// line is past the end of the file or not UTF-8, or the replies add up
    /// to more than 256 MiB. The message names the set's line and the
    /// reference.
    pub fn resolve(mut self, dir: &Path) -> Result<Vec<(usize, String)>, String> {
        self.0
            .sort_by(|a, b| (&a.from[a.path.clone()], a.line).cmp(&(&b.from[b.path.clone()], b.line)));
        let mut texts = Vec::with_capacity(self.0.len());
        let mut first_error: Option<(usize, String)> = None;
        let mut fail = |r: &Reference, what: String| {
            if first_error.as_ref().is_none_or(|(line, _)| r.set_line < *line) {
                first_error = Some((
                    r.set_line,
                    format!("line {}: \"from\" {:?}: {what}", r.set_line, r.from),
                ));
            }
        };
        let mut total = 0usize;
        for group in self.0.chunk_by(|a, b| a.from[a.path.clone()] == b.from[b.path.clone()]) {
            let path = &group[0].from[group[0].path.clone()];
            if let Err(why) = corpus_file(Path::new(path), dir) {
                group.iter().for_each(|r| fail(r, why.clone()));
                continue;
            }
            let bytes = match read_file(&dir.join(path), LARGE_FILE_BYTES) {
                Ok(bytes) => bytes,
                Err(e) => {
                    group.iter().for_each(|r| fail(r, format!("cannot read {path}: {e}")));
                    continue;
                }
            };
            let mut lines = lines_of(&bytes);
            let (mut number, mut current): (usize, &[u8]) = (0, &[]);
            for r in group {
                while number < r.line
                    && let Some(next) = lines.next()
                {
                    (number, current) = (number + 1, next);
                }
                if number < r.line {
                    fail(
                        r,
                        format!("line {} is past the end of {path}, which has {number} lines", r.line),
                    );
                    continue;
                }
                total = total.saturating_add(current.len());
                if total > MAX_REFERENCED_BYTES {
                    fail(
                        r,
                        format!(
                            "the replies referenced add up to more than {}",
                            size(MAX_REFERENCED_BYTES as u64)
                        ),
                    );
                    continue;
                }
                match std::str::from_utf8(current) {
                    Ok(text) => texts.push((r.case, text.to_owned())),
                    Err(e) => fail(
                        r,
                        format!(
                            "line {} of {path} is not valid UTF-8 at byte {} of the line",
                            r.line,
                            e.valid_up_to()
                        ),
                    ),
                }
            }
        }
        match first_error {
            Some((_, message)) => Err(message),
            None => Ok(texts),
        }
    }
}

/// The extensions of the files a reference may name: text a corpus of
/// replies is kept in, one reply a line.
const CORPUS_EXTENSIONS: [&str; 4] = ["txt", "csv", "tsv", "jsonl"];

/// Checks that `path` (as a reference writes it, relative to `dir`) names a
/// corpus file: relative, and, once links are followed, a file with one of
/// [`CORPUS_EXTENSIONS`] outside `/proc`, `/sys` and `/dev`. A path that does
/// not resolve, or names a directory, passes, for reading to say why.
///
/// # Errors
/// What the path is instead.
fn corpus_file(path: &Path, dir: &Path) -> Result<(), String> {
    if path.is_absolute() {
        return Err("the path must be relative to the set's directory".into());
    }
    let Ok(real) = dir.join(path).canonicalize() else {
        return Ok(());
    };
    if real.is_dir() {
        return Ok(());
    }
    if ["/proc", "/sys", "/dev"]
        .iter()
        .any(|special| real.starts_with(special))
    {
        return Err(format!("{} is not a corpus file", real.display()));
    }
    let extension = real.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if extension.is_none_or(|e| !CORPUS_EXTENSIONS.contains(&e.as_str())) {
        return Err(format!(
            "{} is not a corpus file (a .txt, .csv, .tsv or .jsonl file)",
            real.display()
        ));
    }
    Ok(())
}

/// The lines of a file, without their `\n` or `\r\n` endings and without a
/// UTF-8 byte order mark before the first; no empty line after a final `\n`.
fn lines_of(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_lose_their_endings() {
        fn lines(bytes: &[u8]) -> Vec<&[u8]> {
            lines_of(bytes).collect()
        }
        assert_eq!(lines(b"\xEF\xBB\xBFa\r\n\nb"), [&b"a"[..], b"", b"b"]);
        assert_eq!(lines(b"a\n"), [b"a"]);
        assert_eq!(lines(b"\n"), [b""]);
        assert!(lines(b"").is_empty());
    }

    #[test]
    fn a_reference_is_a_path_and_a_line_from_1() {
        let mut refs = References::default();
        assert!(refs.push(1, 0, "c:d/corpus.txt:12".into()).is_ok());
        assert_eq!(refs.0[0].line, 12);
        assert_eq!(&refs.0[0].from[refs.0[0].path.clone()], "c:d/corpus.txt");
        for bad in ["corpus.txt", "corpus.txt:0", "corpus.txt:x", ":3", "corpus.txt:-1"] {
            let err = refs.push(4, 1, bad.into()).expect_err(bad);
            assert!(err.starts_with("line 4: \"from\" is "), "{err}");
        }
    }
}
