//! Chat logs read as messages, for the session check: JSON Lines, CSV and
//! TSV streamed in pieces (memory bounded by a piece, not the file), JSON
//! documents and Excel workbooks read whole within `--max-workbook-mb`.
//! Each message comes with its line (a sheet's row) and where its text
//! lies on it; a message that cannot be read is a problem for its line.

use std::io::{self, Read};
use std::path::Path;

use calamine::Data;

use super::cell::{Cell, Parsed, Reading};
use crate::read::encoding::decode_whole;
use crate::read::excel::{self, Event};
use crate::read::message::{Locator, Members, lookup, offset_in};
use crate::read::stream::pieces;
use crate::read::{Format, Options, Problem, ReadError, RowError, json, limits, literal};

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
}

/// What reading a log gives, in file order.
pub enum Item {
    /// A message.
    Message(Parsed, Place),
    /// A message that could not be read.
    Problem(Problem),
    /// Something to tell about how the input was read.
    Note(String),
}

/// Reads the log at `path` (`-`: standard input) in `format`, giving each
/// item to `each` until it returns false; returns whether it always did.
///
/// # Errors
/// The input cannot be read at all, or from some point on.
pub fn read(
    path: &Path,
    format: Format,
    opts: &Options,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    let is_stdin = path.as_os_str() == "-";
    match format {
        Format::Jsonl | Format::Csv | Format::Tsv => {
            let reader: Box<dyn Read + Send> = if is_stdin {
                Box::new(io::stdin())
            } else {
                Box::new(std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?)
            };
            let delimiter = match format {
                Format::Csv => Some(b','),
                Format::Tsv => Some(b'\t'),
                _ => None,
            };
            let mut pieces = pieces(reader, opts, delimiter)?;
            if let Some(note) = pieces.take_note()
                && !each(Item::Note(note))
            {
                return Ok(false);
            }
            let mut header: Option<Vec<String>> = None;
            for piece in pieces.by_ref() {
                let piece = piece?;
                let going = match delimiter {
                    None => jsonl(&piece.text, piece.first_line, reading, each),
                    Some(d) => table(&piece.text, piece.first_line, d, &mut header, reading, each)?,
                };
                if !going {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Format::Json | Format::Excel => {
            let most = opts.limits.workbook_bytes;
            let bytes = if is_stdin {
                let mut buf = Vec::new();
                io::stdin()
                    .take(most.saturating_add(1))
                    .read_to_end(&mut buf)
                    .map_err(|e| ReadError::Io(e.to_string()))?;
                buf
            } else {
                limits::read_file(path, most).map_err(|e| ReadError::Io(e.to_string()))?
            };
            if bytes.len() as u64 > most {
                return Err(ReadError::TooLarge {
                    limit: most,
                    option: "--max-workbook-mb",
                });
            }
            if format == Format::Excel {
                return workbook(&bytes, opts, reading, each);
            }
            let decoded = decode_whole(&bytes, opts.encoding).map_err(|(e, _)| ReadError::decode(e, opts.binary))?;
            let mut notes = Vec::new();
            let (_, elements) = json::messages(&decoded.text, opts, &mut notes)?;
            for (_, note) in notes.into_iter().chain(decoded.note.map(|n| (String::new(), n))) {
                if !each(Item::Note(note)) {
                    return Ok(false);
                }
            }
            let mut at = Locator::new(&decoded.text, 1);
            Ok(elements
                .into_iter()
                .all(|element| each(object(&decoded.text, element.get(), &mut at, reading))))
        }
        Format::Txt => Err(ReadError::Shape(
            "a chat log for --sessions is JSON Lines, JSON, CSV, TSV or a workbook, not plain text (--input-format says which)".into(),
        )),
    }
}

/// The messages of the JSON Lines `text`, which starts at line `first_line`.
fn jsonl(text: &str, first_line: usize, reading: &Reading<'_>, each: &mut dyn FnMut(Item) -> bool) -> bool {
    let mut at = Locator::new(text, first_line);
    crate::read::lines::lines(text).all(|range| {
        let body = text[range].trim();
        body.is_empty() || each(object(text, body, &mut at, reading))
    })
}

/// The message in the JSON value `body`, a slice of `whole`.
fn object(whole: &str, body: &str, at: &mut Locator<'_>, reading: &Reading<'_>) -> Item {
    let (line, _) = at.at(offset_in(whole, body).unwrap_or(0));
    let problem = |kind| {
        Item::Problem(Problem {
            line,
            sheet: None,
            kind,
        })
    };
    let members = match Members::of(body) {
        Ok(members) => members,
        Err(e) => return problem(RowError::Json(e.to_string())),
    };
    match reading.message(|name| Cell::of_json(&members, name)) {
        Ok(parsed) => {
            let raw = lookup(&members, &reading.fields.text)
                .map(|r| r.get())
                .unwrap_or_default();
            let (text_line, before) = at.at(offset_in(whole, raw).unwrap_or(0));
            let place = Place {
                line: text_line,
                column_offset: before + 1,
                escapes: literal::escapes(raw).unwrap_or_default(),
                ..Place::default()
            };
            Item::Message(parsed, place)
        }
        Err(why) => problem(RowError::Session(why)),
    }
}

/// Checks that `header` has the columns a message needs.
fn check_header(header: &[String], reading: &Reading<'_>) -> Result<(), ReadError> {
    let f = reading.fields;
    for (name, option) in [
        (&f.session, "--session-field"),
        (&f.role, "--role-field"),
        (&f.text, "--field"),
    ] {
        if !header.iter().any(|h| h == name) {
            return Err(ReadError::Shape(format!(
                "no column {name} ({option} names it); the header is {}",
                header.join(", ")
            )));
        }
    }
    Ok(())
}

/// The messages of the table `text` (whole records), which starts at line
/// `first_line`; the first record of the input is the header.
fn table(
    text: &str,
    first_line: usize,
    delimiter: u8,
    header: &mut Option<Vec<String>>,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    for record in rows.records() {
        let line_of =
            |position: Option<&csv::Position>| first_line + position.map_or(1, csv::Position::line) as usize - 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = line_of(e.position());
                let problem = Problem {
                    line,
                    sheet: None,
                    kind: RowError::Csv(e.to_string()),
                };
                if !each(Item::Problem(problem)) {
                    return Ok(false);
                }
                continue;
            }
        };
        let line = line_of(record.position());
        let Some(names) = header.as_ref() else {
            let names: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
            check_header(&names, reading)?;
            *header = Some(names);
            continue;
        };
        let get = |name: &str| {
            let i = names.iter().position(|h| h == name)?;
            Some(Cell::of_table(record.get(i).unwrap_or_default()))
        };
        let item = match reading.message(get) {
            Ok(parsed) => Item::Message(
                parsed,
                Place {
                    line,
                    column: Some(reading.fields.text.clone()),
                    ..Place::default()
                },
            ),
            Err(why) => Item::Problem(Problem {
                line,
                sheet: None,
                kind: RowError::Session(why),
            }),
        };
        if !each(item) {
            return Ok(false);
        }
    }
    Ok(true)
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
        Data::DateTime(d) => {
            super::time::excel_serial(d.as_f64()).map_or(Cell::Other("a date out of range"), Cell::Text)
        }
        Data::Bool(_) => Cell::Other("a boolean"),
        Data::Error(_) => Cell::Other("an error value"),
    }
}

/// The messages of the workbook `bytes`: `--sheet`, else its first sheet,
/// with a header row (its first non-empty row); read within the workbook
/// limits, as a plain check reads workbooks ([`excel::rows`]).
fn workbook(
    bytes: &[u8],
    opts: &Options,
    reading: &Reading<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<bool, ReadError> {
    let mut header: Option<Vec<String>> = None;
    let mut wanted: Option<String> = None;
    let mut stopped = false;
    let read = excel::rows(bytes, opts, &mut |event| {
        let (sheet, row, cells) = match event {
            Event::End { sheet } if header.is_none() => {
                return Err(format!("sheet {sheet:?} has no rows: no header row names the fields"));
            }
            // Only the first sheet read (or --sheet's): then stop.
            Event::End { .. } => return Ok(false),
            Event::Row { sheet, row, cells } => (sheet, row, cells),
        };
        let Some(header) = &header else {
            let width = cells.keys().next_back().map_or(0, |&c| c as usize + 1);
            let mut names = vec![String::new(); width];
            for (&col, value) in cells {
                names[col as usize] = value.to_string().trim().to_owned();
            }
            check_header(&names, reading).map_err(|e| e.to_string())?;
            header = Some(names);
            wanted = Some(sheet.to_owned());
            return Ok(true);
        };
        let line = row as usize + 1;
        let get = |name: &str| {
            let at = header.iter().position(|h| h == name)?;
            Some(cells.get(&(at as u32)).map_or(Cell::Null, cell_of))
        };
        let item = match reading.message(get) {
            Ok(parsed) => Item::Message(
                parsed,
                Place {
                    line,
                    sheet: wanted.clone(),
                    column: Some(reading.fields.text.clone()),
                    ..Place::default()
                },
            ),
            Err(why) => Item::Problem(Problem {
                line,
                sheet: wanted.clone(),
                kind: RowError::Session(why),
            }),
        };
        stopped = !each(item);
        Ok(!stopped)
    });
    read.map(|_| !stopped).map_err(ReadError::Shape)
}
