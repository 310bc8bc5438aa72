//! Chat logs read as messages, for the session check: JSON Lines, CSV and
//! TSV streamed in pieces (memory bounded by a piece, not the file), JSON
//! documents and Excel workbooks read whole within `--max-workbook-mb`.
//! A log whose format is not said (standard input, an unknown extension)
//! is sniffed; a `.csv`'s delimiter is found as a plain check finds it.
//! Each message comes with its line (a sheet's row) and where its text
//! lies on it; a message that cannot be read is a problem for its line,
//! and so is a field it does without (a bad time), the message kept.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use calamine::Data;

use super::activity::Spooled;
use super::cell::{Cell, Columns, Field, Parsed, Reading, Within};
use crate::read::encoding::decode_whole;
use crate::read::excel::{self, Event};
use crate::read::header::HEADER_ROWS;
use crate::read::message::{Locator, Members, offset_in, string};
use crate::read::names::NAMES;
use crate::read::quotes::{self, SNIFFED};
use crate::read::stream::{Fault, LineFault, pieces, repaired};
use crate::read::{
    BYTE_ORDER_MARK, Format, Options, Problem, ReadError, RowError, STDIN, json, limits, lines, literal, table,
};

/// Where a message's text lies, for positions in output.
#[derive(Clone, Debug, Default)]
pub struct Place {
    /// 1-based line (a sheet's row).
    pub line: usize,
    /// The workbook sheet.
    pub sheet: Option<String>,
    /// The text column's header, in tables and workbooks.
    pub column: Option<String>,
    /// Characters between the start of the line and the start of the text.
    pub column_offset: usize,
    /// A JSON string's escapes (see `Record::escapes`).
    pub escapes: Vec<(usize, usize)>,
    /// On the first message of a session that comes back after other
    /// sessions (a fragment): the line its session began on. The session
    /// rules pass over such a fragment; the reply rules still check it.
    pub resumes: Option<usize>,
    /// On the first message of a session: a record read while it was the
    /// current one could not be read (a line too long, a record with no
    /// text), so its end is not known and the rules that judge how it ends
    /// (an unanswered customer, no farewell) pass over it.
    pub dropped: bool,
    /// On the first message of a session: the session comes back later in
    /// the file (known when a first pass read the whole log).
    pub returns: bool,
}

/// What reading a log gives, in file order.
pub enum Item {
    /// A message.
    Message(Parsed, Place),
    /// A record that could not be read: no message.
    Problem(Problem),
    /// What is wrong with a message read all the same (a bad time: the
    /// message kept without it), said after the message.
    Kept(Problem),
    /// Something to tell about how the input was read.
    Note(String),
}

/// Where a log's bytes are.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// The file at this path.
    File(&'a Path),
    /// Standard input, read as it comes or from the copy of its first
    /// bytes (followed, when it is not whole, by the rest of standard input).
    Stdin(Option<&'a Spooled>),
}

impl<'a> Source<'a> {
    /// The log the user named `path` (`-`: standard input), read from
    /// `spooled` instead when standard input was kept there.
    pub fn of(path: &'a Path, spooled: Option<&'a Spooled>) -> Source<'a> {
        if path.as_os_str() == "-" {
            Source::Stdin(spooled)
        } else {
            Source::File(path)
        }
    }

    /// A reader of the log's bytes from the start.
    fn open(self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            Source::File(path) => Box::new(File::open(path)?),
            Source::Stdin(Some(spooled)) => {
                let mut copy = spooled.file.try_clone()?;
                copy.seek(SeekFrom::Start(0))?;
                if spooled.whole {
                    Box::new(copy)
                } else {
                    Box::new(copy.chain(io::stdin()))
                }
            }
            Source::Stdin(None) => Box::new(io::stdin()),
        })
    }
}

/// Reads the log at `source` in `format`, giving each item to `each`
/// until it returns false; returns whether it always did.
/// A log whose format neither its extension nor `--input-format` says
/// (standard input, `log.txt`, `export.dat`) is sniffed ([`sniff`]).
///
/// # Errors
/// The input cannot be opened (said first), or read at all, or from some
/// point on.
pub fn read(
    source: Source<'_>,
    format: Format,
    opts: &Options,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    let opts = &Options {
        read_past_bad_lines: true,
        ..opts.clone()
    };
    let mut reader = source.open().map_err(|e| ReadError::Io(e.to_string()))?;
    let format = match format {
        Format::Txt if opts.format == Some(Format::Txt) => {
            return Err(ReadError::Shape(
                "a chat log is JSON Lines, JSON, CSV, TSV or a workbook, not plain text (--input-format txt says it is)".into(),
            ));
        }
        Format::Txt => {
            let (format, head) = sniff(&mut reader)?;
            reader = Box::new(io::Cursor::new(head).chain(reader));
            format
        }
        format => format,
    };
    match format {
        Format::Json | Format::Excel => {
            let file = match source {
                Source::File(path) => Some(path),
                Source::Stdin(_) => None,
            };
            let bytes = whole(reader, file, opts)?;
            if format == Format::Excel {
                return workbook(&bytes, opts, reading, each);
            }
            document(&bytes, source, opts, reading, each)
        }
        // JSON Lines, CSV or TSV (plain text was sniffed as one of those above).
        _ => streamed(reader, format, opts, reading, each),
    }
}

/// The bytes of a JSON document or workbook, at most `--max-workbook-mb`.
///
/// # Errors
/// It cannot be read, or is larger.
fn whole(reader: Box<dyn Read + Send>, file: Option<&Path>, opts: &Options) -> Result<Vec<u8>, ReadError> {
    let most = opts.limits.workbook_bytes;
    let mut bytes = Vec::new();
    if let Some(path) = file.filter(|path| reader_is_file(path)) {
        bytes = limits::read_file(path, most).map_err(|e| ReadError::Io(e.to_string()))?;
    } else {
        reader
            .take(most.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Io(e.to_string()))?;
    }
    if bytes.len() as u64 > most {
        return Err(ReadError::TooLarge {
            limit: most,
            option: "--max-workbook-mb",
        });
    }
    Ok(bytes)
}

/// Reads JSON Lines, CSV or TSV from `reader` in pieces; a line longer
/// than [`MAX_LINE`] is a problem for its line, and the lines after it
/// are read.
///
/// # Errors
/// The input cannot be decoded or read from some point on, or a table's
/// header lacks a column a message needs.
fn streamed(
    reader: Box<dyn Read + Send>,
    format: Format,
    opts: &Options,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    let delimiter = match format {
        Format::Csv => Some(SNIFFED),
        Format::Tsv => Some(b'\t'),
        _ => None,
    };
    let mut pieces = pieces(reader, opts, delimiter)?;
    if let Some(note) = pieces.take_note()
        && !each(Item::Note(note))
    {
        return Ok(false);
    }
    let mut table_state = TableState {
        delimiter: delimiter.unwrap_or(b','),
        columns: None,
        seen: None,
    };
    for piece in pieces.by_ref() {
        let piece = piece?;
        if !problems(piece.faults.iter().copied(), each) {
            return Ok(false);
        }
        let going = match delimiter {
            None => jsonl(&piece.text, piece.first_line, reading, each),
            Some(_) => table(&piece.text, piece.first_line, &mut table_state, opts, reading, each)
                .map_err(|e| with_damage(e, piece.faults.iter().copied()))?,
        };
        if !going {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Bad bytes read as U+FFFD before a JSON document's first character or
/// after its last (a stray byte after `]`) are no part of it: they become
/// spaces (three, as U+FFFD takes three bytes, so offsets stay), and the
/// document parses; their lines are still named.
fn blank_damage_around(text: &mut String) {
    let start = text.len() - text.trim_start_matches(outside).len();
    let end = text.trim_end_matches(outside).len().max(start);
    if !text[..start].contains(char::REPLACEMENT_CHARACTER) && !text[end..].contains(char::REPLACEMENT_CHARACTER) {
        return;
    }
    let blank = |part: &str| part.replace(char::REPLACEMENT_CHARACTER, "   ");
    *text = format!("{}{}{}", blank(&text[..start]), &text[start..end], blank(&text[end..]));
}

/// White space, a byte that did not decode (U+FFFD) or a byte-order mark:
/// what may lie around a JSON document or a JSON Lines record without being
/// part of it.
fn outside(c: char) -> bool {
    c.is_whitespace() || c == char::REPLACEMENT_CHARACTER || c == BYTE_ORDER_MARK
}

/// `error` (a document that does not parse, a table's header without a
/// needed column), naming the first line of `faults`, whose bad bytes may be
/// the cause: the problems of the lines are not said when the input fails.
fn with_damage(error: ReadError, mut faults: impl Iterator<Item = LineFault>) -> ReadError {
    let Some(fault) = faults.next() else {
        return error;
    };
    let damage = format!(" (line {}: {})", fault.line, fault.fault);
    match error {
        ReadError::Json { line, column, why } => ReadError::Json {
            line,
            column,
            why: why + &damage,
        },
        ReadError::Shape(why) => ReadError::Shape(why + &damage),
        other => other,
    }
}

/// Gives `each` a problem for each line that could not be read as
/// written: a line left out loses its message; a repaired one keeps it.
fn problems(faults: impl Iterator<Item = LineFault>, each: &mut dyn FnMut(Item) -> bool) -> bool {
    faults.into_iter().all(|fault| {
        let problem = Problem {
            line: fault.line,
            sheet: None,
            kind: RowError::Session(fault.fault.to_string()),
        };
        each(if fault.fault == Fault::TooLong {
            Item::Problem(problem)
        } else {
            Item::Kept(problem)
        })
    })
}

/// Whether `path` names a regular file (read within the limit by
/// [`limits::read_file`]) rather than a pipe or device, read as a stream.
fn reader_is_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// How many bytes of a log are looked at to tell its format.
const SNIFF_BYTES: usize = 4096;

/// How many bytes outside ASCII before a log's first `[` or `{` are read
/// as damage rather than text.
const STRAY_BYTES: usize = 3;

/// The format of a log that does not say it: its first byte that is not
/// blank (nor a byte-order mark, nor the zero bytes of UTF-16, nor up to
/// [`STRAY_BYTES`] bytes outside ASCII) is `[`: a
/// JSON document; `{`: JSON Lines, unless its line ends before the object
/// does (`{"buyer": "tb1", "chats": [`: a JSON document written over
/// lines); anything else: a table, whose delimiter is sniffed as a
/// `.csv`'s. Returns the bytes read, to be read again.
fn sniff(reader: &mut Box<dyn Read + Send>) -> Result<(Format, Vec<u8>), ReadError> {
    let mut head = Vec::new();
    reader
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    let first = head
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0xef | 0xbb | 0xbf | 0xfe | 0xff));
    // A stray byte or two outside ASCII before `[` or `{` is damage to a
    // JSON document or a JSON Lines log, not the start of a table's header.
    let first = first.map(|at| {
        let stray = head[at..]
            .iter()
            .take(STRAY_BYTES + 1)
            .take_while(|b| !b.is_ascii())
            .count();
        match head.get(at + stray) {
            Some(b'[' | b'{') if stray <= STRAY_BYTES => at + stray,
            _ => at,
        }
    });
    let format = match first.map(|at| (at, head[at])) {
        Some((at, b'{')) if object_spans_lines(&head[at..]) => Format::Json,
        Some((_, b'{')) => Format::Jsonl,
        Some((_, b'[')) => Format::Json,
        _ => Format::Csv,
    };
    Ok((format, head))
}

/// Whether the JSON object that `text` starts with goes on past its first
/// line: that line, read whole, ends where more of the object is due.
/// (A first line that does not end within `text`, or is no JSON for
/// another reason, such as another encoding, says nothing.)
fn object_spans_lines(text: &[u8]) -> bool {
    let Some(end) = memchr::memchr2(b'\n', b'\r', text) else {
        return false;
    };
    serde_json::from_slice::<serde::de::IgnoredAny>(&text[..end]).is_err_and(|e| e.is_eof())
}

/// The messages of the JSON document `bytes`. When none of them has a
/// session field, the document is one conversation (a 千牛 export holds
/// one buyer's): its session id is the file's name, said in a note.
fn document(
    bytes: &[u8],
    source: Source<'_>,
    opts: &Options,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    let mut decoded =
        decode_whole(bytes, opts.encoding, opts.bad_bytes()).map_err(|(e, _)| ReadError::decode(e, opts.binary))?;
    blank_damage_around(&mut decoded.text);
    let mut notes = Vec::new();
    let faults = || repaired(&decoded.text, 1, &decoded.repairs, decoded.encoding.encoding);
    let (root, elements) = json::messages(&decoded.text, opts, &mut notes)
        .map_err(|e| with_damage(e, faults()).noted(decoded.note.clone()))?;
    let buyer = json::buyer(root);
    let fields = reading.fields;
    let sessionless = !elements.is_empty()
        && elements
            .iter()
            .all(|element| Members::of(element.get()).is_ok_and(|m| fields.in_json(&m, Field::Session).is_none()));
    let whole = sessionless.then(|| match source {
        Source::File(path) => path
            .file_name()
            .map_or_else(|| STDIN.to_owned(), |name| name.to_string_lossy().into_owned()),
        Source::Stdin(_) => STDIN.to_owned(),
    });
    let mut notes: Vec<String> = notes.into_iter().map(|(_, note)| note).collect();
    notes.extend(decoded.note);
    if let Some(id) = &whole {
        notes.push(format!(
            "no message has a session field ({}): the whole document is read as one session, {id:?}",
            fields.names(Field::Session, false).join(", ")
        ));
    }
    for note in notes {
        if !each(Item::Note(note)) {
            return Ok(false);
        }
    }
    if !problems(faults(), each) {
        return Ok(false);
    }
    let mut at = Locator::new(&decoded.text, 1);
    for element in elements {
        let within = Within {
            table: false,
            buyer: buyer.as_deref(),
        };
        if !object(
            &decoded.text,
            element.get(),
            &mut at,
            reading,
            within,
            whole.as_deref(),
            each,
        ) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The messages of the JSON Lines `text`, which starts at line `first_line`.
fn jsonl(text: &str, first_line: usize, reading: &Reading<'_>, each: &mut dyn FnMut(Item) -> bool) -> bool {
    let mut at = Locator::new(text, first_line);
    crate::read::lines::lines(text).all(|range| {
        // Bad bytes around the record are a problem of the line already.
        let body = text[range].trim_matches(outside);
        body.is_empty() || object(text, body, &mut at, reading, Within::default(), None, each)
    })
}

/// Gives `each` the message in the JSON value `body`, a slice of `whole`,
/// read `within` its document (its session `session` when the document
/// has no session field; a time of day joined to its date field), then
/// the problem of the fields it does without (one for the record); returns what `each` last
/// said.
fn object(
    whole: &str,
    body: &str,
    at: &mut Locator<'_>,
    reading: &Reading<'_>,
    within: Within<'_>,
    session: Option<&str>,
    each: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let (line, _) = at.at(offset_in(whole, body).unwrap_or(0));
    let problem = |kind| Problem {
        line,
        sheet: None,
        kind,
    };
    let members = match Members::of(body) {
        Ok(members) => members,
        Err(e) => return each(Item::Problem(problem(RowError::Json(e.to_string())))),
    };
    let get = |field: Field| match (reading.fields.in_json(&members, field), session) {
        (None, Some(id)) if field == Field::Session => Some((String::new(), Cell::Text(id.to_owned()))),
        (Some((name, raw)), _) if field == Field::Time => Some(dated(name, Cell::of_raw(raw), || {
            NAMES
                .date_fields
                .iter()
                .find_map(|key| Some((key.clone(), string(members.get(key)?)?)))
        })),
        (found, _) => found.map(|(name, raw)| (name, Cell::of_raw(raw))),
    };
    match reading.message(get, within) {
        Ok((parsed, kept)) => {
            let raw = reading
                .fields
                .in_json(&members, Field::Text)
                .map(|(_, r)| r.get())
                .unwrap_or_default();
            let (text_line, before) = at.at(offset_in(whole, raw).unwrap_or(0));
            let place = Place {
                line: text_line,
                column_offset: before + 1,
                escapes: literal::escapes(raw).unwrap_or_default(),
                ..Place::default()
            };
            each(Item::Message(parsed, place))
                && (kept.is_empty() || each(Item::Kept(problem(RowError::Session(kept.join("; "))))))
        }
        Err(why) => each(Item::Problem(problem(RowError::Session(why)))),
    }
}

/// `cell`, the time field `name`: when it holds only a time of day
/// (`10:00:05`, as 千牛 and many table exports write beside a date), joined
/// to the message's date field (`names.toml`'s `date_fields`), which `date`
/// gives as its name and value, and named `date+time` (the fields' names);
/// any other time as it is. A date written with a time (`2024-03-01
/// 00:00:00`, as a workbook's date cell reads) gives its date.
fn dated(name: String, cell: Cell, date: impl FnOnce() -> Option<(String, String)>) -> (String, Cell) {
    let Cell::Text(time) = &cell else {
        return (name, cell);
    };
    if !super::time::is_time_of_day(time) {
        return (name, cell);
    }
    match date() {
        Some((key, date)) => {
            let day = date.trim().split(['T', ' ']).next().unwrap_or_default();
            (format!("{key}+{name}"), Cell::Text(format!("{day} {}", time.trim())))
        }
        None => (name, cell),
    }
}

/// A table's delimiter and columns, once its first piece has told them.
struct TableState {
    delimiter: u8,
    columns: Option<Columns>,
    /// What a row of the log is, once its header is read ([`quotes::swallows`]).
    seen: Option<quotes::Rows>,
}

/// Gives `each` the message read from a table's or sheet's row (`get`
/// finds its cells), on `line`, its text at `text_at` (line, and characters
/// before it on that line), then the problem of the fields it does without
/// (one for the record); returns what `each` last said.
fn row(
    line: usize,
    (text_line, column_offset): (usize, usize),
    sheet: Option<&String>,
    columns: &Columns,
    get: impl Fn(Field) -> Option<(String, Cell)>,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let problem = |why| {
        Item::Problem(Problem {
            line,
            sheet: sheet.cloned(),
            kind: RowError::Session(why),
        })
    };
    let within = Within {
        table: true,
        buyer: None,
    };
    match reading.message(get, within) {
        Ok((parsed, kept)) => {
            let place = Place {
                line: text_line,
                sheet: sheet.cloned(),
                column: columns.name(Field::Text).map(str::to_owned),
                column_offset,
                ..Place::default()
            };
            let kept = (!kept.is_empty()).then(|| Problem {
                line,
                sheet: sheet.cloned(),
                kind: RowError::Session(kept.join("; ")),
            });
            each(Item::Message(parsed, place)) && kept.is_none_or(|kept| each(Item::Kept(kept)))
        }
        Err(why) => each(problem(why)),
    }
}

/// The messages of the table `text` (whole records), which starts at line
/// `first_line`; the first record of the input is the header, which also
/// tells a `.csv`'s delimiter (as a plain check's [`table::sniff`] does).
/// Lines are counted here from where each record starts (a `\r\n` is one
/// line end), as the plain check counts them.
fn table(
    text: &str,
    first_line: usize,
    state: &mut TableState,
    opts: &Options,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    if state.columns.is_none() && state.delimiter == SNIFFED {
        state.delimiter = table::sniff(text, SNIFFED, opts);
        if let Some(note) = table::delimiter_note(state.delimiter)
            && !each(Item::Note(note))
        {
            return Ok(false);
        }
    }
    let (mut text, mut first_line) = (text, first_line);
    loop {
        match rows(text, first_line, state, reading, each)? {
            Rows::Ended(going) => return Ok(going),
            Rows::ReadOn { from, line } => (text, first_line) = (&text[from..], line),
        }
    }
}

/// How [`rows`] left a piece of a table.
enum Rows {
    /// At its end, or stopped: whether `each` wants more.
    Ended(bool),
    /// At a row whose quote is not closed on it: read on from byte `from`,
    /// line `line`.
    ReadOn { from: usize, line: usize },
}

/// Gives `each` the messages of the rows of `text` (from line
/// `first_line`), up to its end or a row whose quote is not closed on it.
fn rows(
    text: &str,
    first_line: usize,
    state: &mut TableState,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<Rows, ReadError> {
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(state.delimiter)
        .from_reader(text.as_bytes());
    let mut line_of = lines::LineOf::new(text, first_line);
    let mut record = csv::StringRecord::new();
    loop {
        let start = rows.position().byte() as usize;
        // The reader may stop before the line end of the previous record.
        let begins = start
            + text.as_bytes()[start.min(text.len())..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        match rows.read_record(&mut record) {
            Ok(false) => return Ok(Rows::Ended(true)),
            Ok(true) => {}
            Err(e) => {
                let byte = e.position().map_or(begins, |p| p.byte() as usize);
                let problem = Problem {
                    line: line_of.at(byte),
                    sheet: None,
                    kind: RowError::Csv(e.to_string()),
                };
                if !each(Item::Problem(problem)) {
                    return Ok(Rows::Ended(false));
                }
                continue;
            }
        }
        let line = line_of.at(begins);
        // A quote never closed ran over the rows after it: the row is an
        // error of its first line, and the rows are read again from the
        // line after it, as if that quote were not there.
        let end = (rows.position().byte() as usize).min(text.len());
        let raw = &text[begins.min(end)..end];
        if let Some(seen) = state.seen.as_mut() {
            seen.saw(&record);
        }
        let broken = quotes::swallows(raw, state.delimiter, state.seen.as_ref());
        if broken && state.columns.is_none() {
            return Err(ReadError::Shape(table::header_swallowed(line)));
        }
        if broken {
            let problem = Problem {
                line,
                sheet: None,
                kind: RowError::Unterminated,
            };
            if !each(Item::Problem(problem)) {
                return Ok(Rows::Ended(false));
            }
            return Ok(match lines::past_line_end(text, begins) {
                Some(from) => Rows::ReadOn {
                    from,
                    line: line_of.at(from),
                },
                None => Rows::Ended(true),
            });
        }
        let Some(columns) = state.columns.as_ref() else {
            let names: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
            state.columns = Some(reading.fields.columns(&names).map_err(ReadError::Shape)?);
            state.seen = Some(quotes::Rows::new(names.len()));
            continue;
        };
        // More fields than the header: an unquoted delimiter split one, so none can be told apart.
        if let Some(found) = table::ragged(&record, columns.header(), true, false) {
            let problem = Problem {
                line,
                sheet: None,
                kind: RowError::Ragged {
                    expected: table::width(columns.header().iter().map(String::as_str)),
                    found,
                    headed: true,
                },
            };
            if !each(Item::Problem(problem)) {
                return Ok(Rows::Ended(false));
            }
            continue;
        }
        let get = |field: Field| {
            let i = columns.of(field)?;
            let name = columns.name(field).unwrap_or_default().to_owned();
            let cell = Cell::of_table(record.get(i).unwrap_or_default());
            Some(match field {
                Field::Time => dated(name, cell, || {
                    let (at, key) = columns.date()?;
                    Some((
                        key.to_owned(),
                        record.get(at).filter(|d| !d.trim().is_empty())?.to_owned(),
                    ))
                }),
                _ => (name, cell),
            })
        };
        // Where the text begins in the file, for positions in output.
        let at = columns
            .of(Field::Text)
            .and_then(|i| table::field_span(raw, i, state.delimiter))
            .map_or((line, 0), |field| {
                let (down, before) = table::place_in(raw, field);
                (line + down, before)
            });
        if !row(line, at, None, columns, get, reading, each) {
            return Ok(Rows::Ended(false));
        }
    }
}

/// A workbook cell as a field's value: a date cell as its civil date and time.
fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Null,
        Data::String(s) if s.is_empty() => Cell::Null,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cell::Number(format!("{f:.0}")),
        Data::Float(f) => Cell::Number(f.to_string()),
        // A time cell (a serial under one day) is a time of day, which a
        // date column may complete ([`dated`]); any other its date and time.
        Data::DateTime(d) if (0.0..1.0).contains(&d.as_f64()) => super::time::excel_serial(d.as_f64())
            .and_then(|at| Some(Cell::Text(at.split_once('T')?.1.to_owned())))
            .unwrap_or(Cell::Other("a date out of range")),
        Data::DateTime(d) => {
            super::time::excel_serial(d.as_f64()).map_or(Cell::Other("a date out of range"), Cell::Text)
        }
        Data::Bool(_) => Cell::Other("a boolean"),
        Data::Error(_) => Cell::Other("an error value"),
    }
}

/// The messages of the workbook `bytes`: of `--sheet`, else of every sheet,
/// each a log of its own with a header row (the first of its first
/// [`HEADER_ROWS`] non-empty rows that names the fields; rows above it, such
/// as a title, are passed over); read within the workbook limits, as a plain
/// check reads workbooks ([`excel::rows`]). Sessions never run from one sheet
/// into the next. A sheet with no rows is passed over; one with no header
/// naming chat-log fields is passed over with a note, unless `--sheet`
/// names it.
///
/// # Errors
/// The workbook cannot be read, or no sheet of it is a chat log (the first
/// sheet's reason).
fn workbook(
    bytes: &[u8],
    opts: &Options,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    // The header of the sheet being read, `None` until found; the rows
    // tried as its header (after HEADER_ROWS, the sheet is passed over) and
    // why the first was none.
    let mut header: Option<(Columns, String)> = None;
    let (mut tried, mut why_not): (usize, Option<String>) = (0, None);
    let mut stopped = false;
    let (mut logs, mut not_logs, mut damaged) = (0usize, Vec::new(), Vec::new());
    let read = excel::rows(bytes, opts, &mut |event| {
        let (sheet, row, cells) = match event {
            Event::Damaged { sheet, row, why } => {
                damaged.push((sheet.to_owned(), row, why));
                return Ok(true);
            }
            Event::End { sheet } => {
                if let (None, Some(why)) = (&header, why_not.take()) {
                    if opts.sheet.is_some() {
                        return Err(format!("sheet {sheet:?}: {why}"));
                    }
                    not_logs.push(format!("sheet {sheet:?} is not read as a chat log: {why}"));
                }
                (header, tried) = (None, 0);
                return Ok(true);
            }
            Event::Row { .. } if header.is_none() && tried == HEADER_ROWS => return Ok(true),
            Event::Row { sheet, row, cells } => (sheet, row, cells),
        };
        let Some((columns, name)) = &header else {
            let width = cells.keys().next_back().map_or(0, |&c| c as usize + 1);
            let mut names = vec![String::new(); width];
            for (&col, value) in cells {
                names[col as usize] = value.to_string().trim().to_owned();
            }
            match reading.fields.columns(&names) {
                Ok(columns) => {
                    logs += 1;
                    header = Some((columns, sheet.to_owned()));
                    why_not = None;
                }
                Err(why) => {
                    why_not.get_or_insert(why);
                    tried += 1;
                }
            }
            return Ok(true);
        };
        let line = row as usize + 1;
        let get = |field: Field| {
            let at = columns.of(field)?;
            let name = columns.name(field).unwrap_or_default().to_owned();
            let cell = cells.get(&(at as u32)).map_or(Cell::Null, cell_of);
            Some(match field {
                Field::Time => dated(name, cell, || {
                    let (at, key) = columns.date()?;
                    match cells.get(&(at as u32)).map(cell_of)? {
                        Cell::Text(date) | Cell::Number(date) => Some((key.to_owned(), date)),
                        Cell::Null | Cell::Other(_) => None,
                    }
                }),
                _ => (name, cell),
            })
        };
        stopped = !self::row(line, (line, 0), Some(name), columns, get, reading, each);
        Ok(!stopped)
    });
    read.map_err(ReadError::Shape)?;
    let mut not_logs = not_logs.into_iter();
    // With no sheet read as a chat log, the first damage is the workbook's
    // error; else each damaged sheet is a problem of its own.
    let first_damage = damaged.first().map(|(sheet, _, why)| format!("sheet {sheet:?}: {why}"));
    if logs == 0 {
        return Err(ReadError::Shape(
            first_damage.or_else(|| not_logs.next()).unwrap_or_else(|| {
                "no sheet has rows: a chat log is a sheet whose header row names its fields".to_owned()
            }),
        ));
    }
    let mut damaged = damaged.into_iter().map(|(sheet, line, why)| Problem {
        line,
        sheet: Some(sheet),
        kind: RowError::Damaged(why),
    });
    Ok(!stopped && damaged.all(|problem| each(Item::Problem(problem))) && not_logs.all(|note| each(Item::Note(note))))
}
