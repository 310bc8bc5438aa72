//! Input readers: files and standard input turned into replies.
//!
//! Formats by extension (`--input-format` overrides): `.txt` one reply per
//! non-empty line; `.csv` / `.tsv` a table whose reply column is found from its
//! header; `.jsonl` one message per line, agent turns only; `.xlsx` / `.xls`
//! every sheet. Text files are decoded by [`encoding::TextDecoder`], the
//! one detection of encodings (and of binary files) every mode uses.

mod cfb;
pub mod encoding;
mod excel;
mod jsonl;
pub mod limits;
pub mod lines;
mod quotes;
pub mod stream;
pub mod table;
pub(crate) mod txt;

use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use self::encoding::{DecodeError, Decoded};

/// Input file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One reply per non-empty line.
    Txt,
    /// Comma-separated table with a header.
    Csv,
    /// Tab-separated table with a header.
    Tsv,
    /// JSON Lines chat log.
    Jsonl,
    /// Excel workbook (`.xlsx`, `.xls`).
    Excel,
}

impl Format {
    /// The format a path's extension says, if it is one kefu-lint reads.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Txt,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "jsonl" | "ndjson" => Format::Jsonl,
            "xlsx" | "xlsm" | "xls" => Format::Excel,
            _ => return None,
        })
    }
}

/// What to do with a binary file (one with a NUL byte outside UTF-16), `--binary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Binary {
    /// It is an error (exit status 2): a CI gate never passes over an input it did not check.
    #[default]
    Error,
    /// Skip it with a note; the summary counts it.
    Skip,
}

/// How to find replies inside the inputs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Format of every input, instead of guessing from the extension.
    pub format: Option<Format>,
    /// Reply column of tables: a header name or a 1-based index.
    pub column: Option<String>,
    /// Dotted path of the message text in JSON Lines (default `content`, then `text`).
    pub field: Option<String>,
    /// Dotted path of the speaker's role in JSON Lines.
    pub role_field: String,
    /// Roles whose messages are checked.
    pub agent_roles: Vec<String>,
    /// Only this sheet of a workbook.
    pub sheet: Option<String>,
    /// Decode text inputs in this encoding instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Find every reply's exact place in the file, for fixes (slower for JSON Lines).
    pub spans: bool,
    /// What to do with binary files.
    pub binary: Binary,
    /// How much a workbook may make kefu-lint read, inflate and hold.
    pub limits: limits::Limits,
}

/// One reply and where it came from.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// 1-based line where the reply starts (in tables, the line its field
    /// starts on; the row, in workbooks).
    pub line: usize,
    /// Workbook sheet.
    pub sheet: Option<String>,
    /// Header of the reply column, in tables and workbooks.
    pub column: Option<String>,
    /// The reply exactly as written.
    pub text: String,
    /// Characters between the start of the line and the start of the reply.
    pub column_offset: usize,
    /// The row's other columns (group, shortcut …) as `(header, value)`.
    pub context: Vec<(String, String)>,
    /// Where the reply's raw field lies in the decoded text, for fixes.
    pub raw: Option<Range<usize>>,
}

/// A row or line that could not be read; the rest of the input still is.
#[derive(Debug)]
pub struct Problem {
    /// 1-based line of the row.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// The replies of one input.
#[derive(Debug)]
pub struct Document {
    /// The path as the user gave it, or `<stdin>`.
    pub name: String,
    /// The file, unless standard input.
    pub path: Option<PathBuf>,
    /// How it was read.
    pub format: Format,
    /// The field delimiter of tables.
    pub delimiter: u8,
    /// The decoded text of text formats (for fixes).
    pub decoded: Option<Decoded>,
    /// The file's bytes as read, to tell whether it changed before a fix is written.
    pub original: Vec<u8>,
    /// The replies, in order.
    pub records: Vec<Record>,
    /// Rows that could not be read.
    pub problems: Vec<Problem>,
}

/// Name used for standard input in output.
pub const STDIN: &str = "<stdin>";

/// Why an input was not read at all.
#[derive(Debug)]
pub enum ReadError {
    /// Could not be read; counts as a failure.
    Failed(String),
    /// Not text (binary); skipped with a note.
    Skipped(String),
}

/// The [`ReadError`] for bytes that are not text: a binary file is skipped or
/// an error as `binary` says.
pub fn decode_error(error: DecodeError, binary: Binary) -> ReadError {
    match (error, binary) {
        (e @ DecodeError::Binary { .. }, Binary::Skip) => ReadError::Skipped(format!("{e}, skipped")),
        (e @ DecodeError::Binary { .. }, Binary::Error) => {
            ReadError::Failed(format!("{e}; --binary skip skips such files"))
        }
        (DecodeError::Invalid(why), _) => ReadError::Failed(why),
    }
}

/// What output calls the input at `path` (`-` is standard input), whether
/// it is standard input, and its format.
pub fn identify(path: &Path, opts: &Options) -> (String, bool, Format) {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin {
        STDIN.to_owned()
    } else {
        crate::render::visible::path_name(path)
    };
    (
        name,
        is_stdin,
        opts.format.or_else(|| Format::of(path)).unwrap_or(Format::Txt),
    )
}

impl Document {
    /// An input with no records yet.
    pub fn new(name: String, path: Option<PathBuf>, format: Format) -> Document {
        Document {
            name,
            path,
            format,
            delimiter: if format == Format::Tsv { b'\t' } else { b',' },
            decoded: None,
            original: Vec::new(),
            records: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Reads `path` (`-` is standard input).
pub fn read(path: &Path, opts: &Options) -> Result<Document, ReadError> {
    let (name, is_stdin, format) = identify(path, opts);
    // A workbook is read whole: at most its limit, and only from a regular file.
    let most = if format == Format::Excel {
        opts.limits.workbook_bytes
    } else {
        u64::MAX
    };
    let too_large = || {
        ReadError::Failed(format!(
            "larger than the limit of {} (--max-workbook-mb)",
            limits::size(most)
        ))
    };
    let bytes = if is_stdin {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), most.saturating_add(1)),
            &mut buf,
        )
        .map_err(|e| ReadError::Failed(e.to_string()))?;
        if buf.len() as u64 > most {
            return Err(too_large());
        }
        buf
    } else if format == Format::Excel {
        limits::read_file(path, most).map_err(|e| match e {
            limits::FileError::TooLarge(_) => too_large(),
            other => ReadError::Failed(other.to_string()),
        })?
    } else {
        std::fs::read(path).map_err(|e| ReadError::Failed(e.to_string()))?
    };
    read_bytes(name, (!is_stdin).then(|| path.to_owned()), bytes, format, opts)
}

/// Parses an input held in memory: `name` is what output calls it, `path`
/// the file fixes are written to.
pub fn read_bytes(
    name: String,
    path: Option<PathBuf>,
    bytes: Vec<u8>,
    format: Format,
    opts: &Options,
) -> Result<Document, ReadError> {
    let mut doc = Document::new(name, path, format);
    if format == Format::Excel {
        excel::read(&bytes, opts, &mut doc).map_err(ReadError::Failed)?;
        doc.original = bytes;
        return Ok(doc);
    }
    let decoded = encoding::decode(&bytes, opts.encoding).map_err(|e| decode_error(e, opts.binary))?;
    parse(&decoded.text, 1, &mut None, opts, &mut doc).map_err(ReadError::Failed)?;
    doc.decoded = Some(decoded);
    doc.original = bytes;
    Ok(doc)
}

/// Parses a piece of a text input that starts at line `first_line`, adding
/// its records and problems to `doc`. `header` carries a table's header from
/// one piece to the next.
pub fn parse(
    text: &str,
    first_line: usize,
    header: &mut Option<table::Header>,
    opts: &Options,
    doc: &mut Document,
) -> Result<(), String> {
    match doc.format {
        Format::Txt => txt::read(text, first_line, doc),
        Format::Csv | Format::Tsv => table::read(text, first_line, doc.delimiter, header, opts, doc),
        Format::Jsonl => jsonl::read(text, first_line, opts, doc),
        Format::Excel => Err("a workbook is not text".into()),
    }
}

/// Header names of the reply column, in order of preference.
const REPLY_HEADERS: &[&str] = &[
    "短语",
    "短语内容",
    "快捷短语",
    "回复内容",
    "内容",
    "话术",
    "回复",
    "phrase",
    "reply",
    "text",
    "content",
];

/// The reply column of a table: its index, and whether `first_row` is a header.
///
/// With `--column NAME` the header must have it; with `--column INDEX`
/// (1-based) the first row is a header only if it names a known column.
/// Otherwise the first known header name wins; a one-column table without one
/// has no header.
pub fn pick_column(first_row: &[String], chosen: Option<&str>) -> Result<(usize, bool), String> {
    let norm = |s: &str| kefu_lint::fold::fold_str(s.trim()).to_lowercase();
    let header: Vec<String> = first_row.iter().map(|h| norm(h)).collect();
    let known = header.iter().any(|h| REPLY_HEADERS.contains(&h.as_str()));
    match chosen {
        Some(sel) if sel.parse::<usize>().is_ok() => {
            let index: usize = sel.parse().unwrap_or(0);
            if index == 0 || index > first_row.len().max(1) {
                return Err(format!("--column {index}: the table has {} columns", first_row.len()));
            }
            Ok((index - 1, known))
        }
        Some(name) => header
            .iter()
            .position(|h| *h == norm(name))
            .map(|i| (i, true))
            .ok_or_else(|| format!("no column {name:?} in the header {first_row:?}")),
        None if header.iter().filter(|h| REPLY_HEADERS.contains(&h.as_str())).count() > 1 => {
            let named: Vec<String> = header
                .iter()
                .enumerate()
                .filter(|(_, h)| REPLY_HEADERS.contains(&h.as_str()))
                .map(|(i, _)| format!("{} ({:?})", i + 1, first_row[i]))
                .collect();
            Err(format!(
                "columns {} all look like the reply column; choose one with --column N (its number)",
                named.join(", ")
            ))
        }
        None => REPLY_HEADERS
            .iter()
            .find_map(|name| header.iter().position(|h| h == name))
            .map(|i| (i, true))
            .or_else(|| (first_row.len() == 1).then_some((0, false)))
            .ok_or_else(|| {
                format!(
                    "no reply column in the header {first_row:?}; name it with --column (known: {})",
                    REPLY_HEADERS.join(", ")
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn picks_the_reply_column() {
        assert_eq!(
            pick_column(&row(&["分组", "快捷编码", "短语内容"]), None),
            Ok((2, true))
        );
        assert_eq!(pick_column(&row(&["group", " Reply "]), None), Ok((1, true)));
        assert_eq!(pick_column(&row(&["分組", "內容"]), None), Ok((1, true)));
        assert_eq!(pick_column(&row(&["亲,您好"]), None), Ok((0, false)));
        assert_eq!(pick_column(&row(&["a", "备注"]), Some("备注")), Ok((1, true)));
        assert_eq!(pick_column(&row(&["x", "y"]), Some("2")), Ok((1, false)));
        assert!(
            pick_column(&row(&["a", "b"]), None)
                .unwrap_err()
                .starts_with("no reply column")
        );
        assert!(pick_column(&row(&["a", "b"]), Some("9")).is_err());
    }
}
