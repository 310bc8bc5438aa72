//! Input readers: files and standard input turned into replies.
//!
//! Formats by extension (`--input-format` overrides): `.txt` one reply per
//! non-empty line; `.csv` / `.tsv` a table whose reply column is found from its
//! header; `.jsonl` one message per line, agent turns only; `.json` an array
//! of messages; `.xlsx` / `.xls` every sheet. Text files are decoded by
//! [`encoding::TextDecoder`], the one detection of encodings (and of binary
//! files) every mode uses.
//!
//! What a format means is said once, by its [`reader::Reader`]: how it is
//! read, whether it streams, how a fixed reply is written back, whether a
//! reply's line ends are the file's. The pipeline, renderers and fixer ask
//! [`Format::reader`] and never name a format.

mod cfb;
pub mod encoding;
pub(crate) mod excel;
pub mod header;
pub mod json;
mod jsonl;
pub mod limits;
pub mod lines;
pub mod literal;
pub mod message;
pub mod names;
mod plausible;
pub(crate) mod quotes;
pub mod reader;
pub mod role;
pub mod stream;
pub mod table;
pub(crate) mod txt;

pub use json::parse_pointer;

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
    /// JSON chat log: an array of messages, or an object holding one.
    Json,
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
            "json" => Format::Json,
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
    /// Whether a table's first row is a header (`--header`, `--no-header`);
    /// `None` decides from what it holds.
    pub header: Option<bool>,
    /// Dotted path of the message text in chat logs (default: the first of
    /// `names.toml`'s `text_fields` a message has).
    pub field: Option<String>,
    /// Dotted path of the sender's role in chat logs (default: the first of
    /// `names.toml`'s `role_fields` a message has).
    pub role_field: Option<String>,
    /// `--agent-role`: the roles whose messages are checked (default: see
    /// [`role::side`]).
    pub agent_roles: Option<role::AgentRoles>,
    /// `--json-pointer`: where a JSON document's array of messages is.
    pub json_pointer: Option<String>,
    /// Only this sheet of a workbook.
    pub sheet: Option<String>,
    /// Decode text inputs in this encoding instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// What to do with binary files.
    pub binary: Binary,
    /// Whether a line that cannot be read as written (longer than
    /// [`stream::MAX_LINE`], bytes that do not decode, a NUL byte) is a
    /// fault of that line ([`stream::Piece::faults`]) and the lines after it
    /// are read; otherwise the input ends there with an error.
    pub read_past_bad_lines: bool,
    /// How much a workbook (or a JSON document, read whole) may make
    /// kefu-lint read, inflate and hold.
    pub limits: limits::Limits,
}

impl Options {
    /// What the decoder does with bytes that do not decode, as
    /// [`Options::read_past_bad_lines`] says.
    pub fn bad_bytes(&self) -> encoding::BadBytes {
        if self.read_past_bad_lines {
            encoding::BadBytes::Replace
        } else {
            encoding::BadBytes::Fail
        }
    }
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
    /// The reply exactly as written (a chat log's string, its escapes read).
    pub text: String,
    /// Characters between the start of the line and the start of the reply.
    pub column_offset: usize,
    /// The row's other columns (group, shortcut …) as `(header, value)`.
    pub context: Vec<(String, String)>,
    /// Where the reply's raw field lies in the decoded text, for fixes.
    pub raw: Option<Range<usize>>,
    /// A JSON string's escapes, for columns in the file: see
    /// [`literal::escapes`] (empty elsewhere).
    pub escapes: Vec<(usize, usize)>,
}

/// A row or line that could not be read; the rest of the input still is.
#[derive(Debug)]
pub struct Problem {
    /// 1-based line of the row (of a chat log's message, the line it starts on).
    pub line: usize,
    /// The workbook sheet it is on.
    pub sheet: Option<String>,
    /// What is wrong with it.
    pub kind: RowError,
}

impl RowError {
    /// Whether it is a whole workbook sheet's (left unread, or read only in
    /// part), not one row's.
    pub fn of_a_sheet(&self) -> bool {
        matches!(self, RowError::NoReplyColumn(_) | RowError::Damaged(_))
    }
}

/// What is wrong with one row of a table or one message of a chat log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    /// A CSV record the csv crate could not read, and why.
    #[error("{0}")]
    Csv(String),
    /// A row whose quote swallowed the rows after it ([`quotes::swallows`];
    /// in a chat log, also a quote open over a hundred lines). The lines
    /// after the row's first are read as rows again.
    #[error(
        "unterminated quoted field (its quote is not closed on its row; the lines after this one are read as rows)"
    )]
    Unterminated,
    /// A row with `fields` fields, none of them the reply column `column`
    /// (a row cut short before it).
    #[error(
        "row has {fields} field{}, no {column} (the row ends before it)",
        if *fields == 1 { "" } else { "s" }
    )]
    NoColumn {
        /// Fields the row has.
        fields: usize,
        /// The reply column, named (`column "短语"`) or numbered (`column 3`).
        column: String,
    },
    /// A row with more fields than its header, or than the first row of a
    /// table without one (an unquoted delimiter inside a reply:
    /// `售前,不讲价,爱买不买` under a two-column header); its fields cannot
    /// be told apart, so none is checked.
    #[error(
        "row has {found} field{}, the {} {expected}: an unquoted delimiter in a field? (quote the field)",
        if *found == 1 { "" } else { "s" },
        if *headed { "header" } else { "first row" }
    )]
    Ragged {
        /// Fields of the header (or first row).
        expected: usize,
        /// Fields of the row.
        found: usize,
        /// Whether the table has a header row.
        headed: bool,
    },
    /// A workbook sheet whose reading stopped in or after this row, and why;
    /// the rows up to it were read, and so are the other sheets.
    #[error("reading the sheet stopped in or after this row ({0}); the rows up to it were read")]
    Damaged(String),
    /// A workbook sheet of sentences whose header names no reply column,
    /// and why (another sheet of the workbook has one, and is checked).
    #[error("the sheet is not checked: {0}")]
    NoReplyColumn(String),
    /// A line that is not JSON, and why.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A JSON value that is not an object where a message should be;
    /// `what` it is, when known (`a number`).
    #[error("{}not a JSON object", what.map_or(String::new(), |w| format!("a message is {w}, ")))]
    NotAnObject {
        /// What it is instead.
        what: Option<&'static str>,
    },
    /// A message without any of the text fields looked for.
    #[error("no field {}", fields.join(" or "))]
    NoText {
        /// The fields looked for.
        fields: Vec<String>,
    },
    /// A message whose text is not a JSON string but `what` (`a number`);
    /// `inside`, the `--field` path of a text field within it, when it is
    /// an object holding one (`message.content`).
    #[error(
        "the message text is {what}, not a string{}",
        inside.as_ref().map_or(String::new(), |f| format!("; --field {f} reads the text inside it"))
    )]
    TextNotString {
        /// What it is instead.
        what: &'static str,
        /// The path of a text field inside it.
        inside: Option<String>,
    },
    /// A message text holding `escape`, half of a UTF-16 surrogate pair
    /// without the other half, at 1-based `line` and `column` (in characters).
    #[error(
        "the message text has an unpaired surrogate escape {escape} at line {line}, column {column} (half of a UTF-16 pair: it writes no character), so the message is not checked; write the character itself or remove the escape"
    )]
    UnpairedSurrogate {
        /// The escape as written (`\ud800`).
        escape: String,
        /// Its line.
        line: usize,
        /// Its column, in characters.
        column: usize,
    },
    /// A sender field holding an object without a role or a name inside,
    /// or an array.
    #[error(
        "{field} holds {}, with no role or name inside, so who sent the message is not known and it is not checked; --role-field names the field inside ({field}.…)",
        if members.is_empty() { "a list or an object".to_owned() } else { format!("an object of {members}") }
    )]
    ShapelessSender {
        /// The sender field.
        field: String,
        /// Its members, quoted and listed (empty for a list).
        members: String,
    },
    /// A chat log message the session check cannot read, and why (its
    /// session id, role or time).
    #[error("{0}")]
    Session(String),
    /// A role word that is neither an agent's nor a customer's, in `field`.
    #[error(
        "{field} {role:?} is neither an agent's (holding {} or a word {}) nor a customer's; --agent-role {role:?} checks it",
        names::NAMES.agent_within.join(", "),
        names::NAMES.agent_words.join(", ")
    )]
    UnknownRole {
        /// The role field.
        field: String,
        /// The value.
        role: String,
    },
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
    /// The decoded text of text formats (for fixes).
    pub decoded: Option<Decoded>,
    /// The file's bytes as read, to tell whether it changed before a fix is written.
    pub original: Vec<u8>,
    /// The replies, in order.
    pub records: Vec<Record>,
    /// Rows that could not be read.
    pub problems: Vec<Problem>,
    /// What to tell the user about how the input was read (the reply column
    /// chosen, the field roles were read from …), each under a key: a note
    /// is said once per input, however many pieces repeat it.
    pub notes: Vec<(String, String)>,
    /// What it tells of its senders, when it has a role field (or column):
    /// an input none of whose messages is an agent's is an error.
    pub roles: Option<role::RoleSummary>,
}

/// Name used for standard input in output.
pub const STDIN: &str = "<stdin>";

/// U+FEFF, the byte-order mark: Windows exports begin with it, and files
/// joined with `cat` have it at the start of a line inside, where it is
/// passed over as it is at the start of a file.
pub const BYTE_ORDER_MARK: char = '\u{FEFF}';

/// Why an input was not read (at all, or from some point on); the
/// pipeline names the file, and [`Problem`] the rows of one.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file, or an I/O error.
    #[error("{0}")]
    Io(String),
    /// Larger than `limit` bytes, which `option` sets.
    #[error("larger than the limit of {} ({option})", limits::size(*limit))]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The option that sets it.
        option: &'static str,
    },
    /// A binary file (a NUL byte outside UTF-16, at byte `at`); `skip`
    /// when `--binary skip` skips it.
    #[error("binary file (a NUL byte at byte {at}){}", if *skip { ", skipped" } else { "; --binary skip skips such files" })]
    Binary {
        /// Byte offset of the first NUL byte.
        at: usize,
        /// Skipped with a note rather than an error.
        skip: bool,
    },
    /// Bytes that do not decode: where, in what.
    #[error("{0}")]
    Undecodable(String),
    /// A line (or CSV record) longer than the longest read.
    #[error("line {line} is longer than {} MiB; it and what follows are not checked", stream::MAX_LINE >> 20)]
    LongLine {
        /// Its 1-based line.
        line: usize,
    },
    /// Not JSON: where (1-based line, and column in characters), and why.
    #[error("invalid JSON at line {line}, column {column}: {why}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong there.
        why: String,
    },
    /// An error met after the input began to be read, and the note said on
    /// how it was read (the encoding detected), to be said before it.
    #[error("{error}")]
    Noted {
        /// How the input was read.
        note: String,
        /// What went wrong.
        error: Box<ReadError>,
    },
    /// What the format's reader finds wrong with the input as a whole: no
    /// reply column, no array of messages, a damaged workbook ….
    #[error("{0}")]
    Shape(String),
}

impl ReadError {
    /// The error for bytes that are not text: a binary file is skipped or
    /// an error as `binary` says.
    pub fn decode(error: DecodeError, binary: Binary) -> ReadError {
        match error {
            DecodeError::Binary { at } => ReadError::Binary {
                at,
                skip: binary == Binary::Skip,
            },
            DecodeError::Invalid(why) => ReadError::Undecodable(why),
        }
    }

    /// Whether the input is skipped with a note (not an error).
    pub fn skipped(&self) -> bool {
        match self {
            ReadError::Noted { error, .. } => error.skipped(),
            other => matches!(other, ReadError::Binary { skip: true, .. }),
        }
    }

    /// This error, with the note on how the input was read, if any.
    pub fn noted(self, note: Option<String>) -> ReadError {
        match note {
            Some(note) => ReadError::Noted {
                note,
                error: Box::new(self),
            },
            None => self,
        }
    }

    /// The note to say before this error: how the input was read.
    pub fn note(&self) -> Option<&str> {
        match self {
            ReadError::Noted { note, .. } => Some(note),
            _ => None,
        }
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
            decoded: None,
            original: Vec::new(),
            records: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            roles: None,
        }
    }
}

/// Reads `path` (`-` is standard input).
pub fn read(path: &Path, opts: &Options) -> Result<Document, ReadError> {
    let (name, is_stdin, format) = identify(path, opts);
    // A workbook or JSON document is read whole: at most its limit, and only from a regular file.
    let most = if format.reader().streams() {
        u64::MAX
    } else {
        opts.limits.workbook_bytes
    };
    let too_large = || ReadError::TooLarge {
        limit: most,
        option: "--max-workbook-mb",
    };
    let bytes = if is_stdin {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), most.saturating_add(1)),
            &mut buf,
        )
        .map_err(|e| ReadError::Io(e.to_string()))?;
        if buf.len() as u64 > most {
            return Err(too_large());
        }
        buf
    } else if !format.reader().streams() {
        limits::read_file(path, most).map_err(|e| match e {
            limits::FileError::TooLarge(_) => too_large(),
            other => ReadError::Io(other.to_string()),
        })?
    } else {
        std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?
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
    format.reader().read_whole(&bytes, opts, &mut doc)?;
    doc.original = bytes;
    Ok(doc)
}
