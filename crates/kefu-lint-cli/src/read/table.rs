//! CSV and TSV tables: the reply column is found from the header.

use std::ops::Range;

use super::header::{HEADER_ROWS, names_a_reply, pick_header};
use super::names::norm;
use super::quotes::{SNIFFED, splits};
use super::role::{self, Senders, Side};
use super::{Document, Options, Problem, Record, RowError, lines, quotes};

/// Where the replies are in a table: found from its first row.
#[derive(Clone, Debug)]
pub struct Header {
    /// Index of the reply column.
    pub column: usize,
    /// Whether the header row is a header (and not a reply).
    pub has_header: bool,
    /// The header row's cells.
    pub names: Vec<String>,
    /// Rows of the first piece above the header row (titles), not replies.
    pub above: usize,
    /// Index of the sender column, if the table has one, and how its
    /// senders of neither side are read (see [`role::column`]).
    pub role: Option<role::Read>,
    /// The field delimiter (found by [`sniff`] for a `.csv` table).
    pub delimiter: u8,
}

/// The delimiters a `.csv` table may have, in the order they are tried:
/// the comma last, as a tab- or `;`-separated header line not split by it
/// is one field that may contain a reply header (`问题;客服回复` holds 回复).
const CANDIDATES: [u8; 3] = [b'\t', b';', b','];

/// The delimiter of a table read with `delimiter`: itself, unless it is
/// [`SNIFFED`]; then the first of [`CANDIDATES`] that splits one of the
/// first lines of `text` into fields of which one is the `--column NAME`
/// given or a known reply header (first exactly, else by containment; tab
/// and `;` only when they split it outside quotes and the comma does not
/// split it into several fields), and `,` when none does. So a data line
/// `1,"亲;内容已更新"` under `id,reply_text` leaves the comma. Excel's
/// "Unicode Text" export is tab-separated, and European Excel writes `;`,
/// under a `.csv` name.
pub fn sniff(text: &str, delimiter: u8, opts: &Options) -> u8 {
    if delimiter != SNIFFED {
        return delimiter;
    }
    let rows: Vec<Vec<Vec<String>>> = CANDIDATES
        .iter()
        .map(|&d| {
            csv::ReaderBuilder::new()
                .delimiter(d)
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes())
                .into_records()
                .take(HEADER_ROWS)
                .map_while(Result::ok)
                .map(|r| r.iter().map(str::to_owned).collect())
                .collect()
        })
        .collect();
    let chosen = opts.column.as_deref().filter(|c| c.parse::<usize>().is_err()).map(norm);
    let named = |row: &Vec<String>, exact: bool| {
        names_a_reply(row, exact) || chosen.as_ref().is_some_and(|c| row.iter().any(|cell| norm(cell) == *c))
    };
    // The comma's reading of the same lines (it is the last candidate).
    let comma = rows.last().map_or(&[][..], Vec::as_slice);
    let splits_by_comma = |i: usize| comma.get(i).is_some_and(|row| row.len() > 1);
    for exact in [true, false] {
        for (&d, rows) in CANDIDATES.iter().zip(&rows) {
            let wins = |(i, row): (usize, &Vec<String>)| {
                (d == b',' || row.len() > 1 && !splits_by_comma(i)) && named(row, exact)
            };
            if rows.iter().enumerate().any(wins) {
                return d;
            }
        }
    }
    b','
}

/// The note for a table split by `delimiter`, when it is not a comma.
pub fn delimiter_note(delimiter: u8) -> Option<String> {
    let what = match delimiter {
        b'\t' => "tabs (as Excel's \"Unicode Text\" export writes)",
        b';' => "semicolons (as Excel writes CSV where the decimal mark is a comma)",
        _ => return None,
    };
    Some(format!("fields are split by {what}, as its header line is"))
}

/// Reads the rows of a table with `delimiter`; rows without the reply column
/// are problems. `text` starts at line `first_line` of the input. When
/// `header` is `None`, the first rows decide it (and the header row is
/// skipped if it is one); later pieces of the same table pass it back in.
/// A row whose quote swallowed the rows after it ([`quotes::swallows`]) is
/// a problem, and the lines after its first are read again as rows.
/// Problems are in line order.
pub fn read(
    text: &str,
    first_line: usize,
    delimiter: u8,
    header: &mut Option<Header>,
    opts: &Options,
    doc: &mut Document,
) -> Result<(), String> {
    let delimiter = match header {
        Some(h) => h.delimiter,
        None => {
            let found = sniff(text, delimiter, opts);
            if delimiter == SNIFFED {
                doc.notes
                    .extend(delimiter_note(found).map(|n| ("delimiter".to_owned(), n)));
            }
            found
        }
    };
    let mut rows = Vec::new();
    // The header's fields, or the first row's while the header is not yet chosen.
    // What a row of this table is, once a row (the header) has been read.
    let mut seen = header.as_ref().map(|h| quotes::Rows::new(h.names.len()));
    let mut from = scan(text, (0, first_line), delimiter, &mut seen, &mut rows, doc);
    // A quote that swallowed the header leaves nothing to find the columns by.
    if header.is_none()
        && rows.is_empty()
        && let Some(problem) = doc.problems.last().filter(|p| p.kind == RowError::Unterminated)
    {
        return Err(header_swallowed(problem.line));
    }
    while let Some(at) = from {
        from = scan(text, at, delimiter, &mut seen, &mut rows, doc);
    }
    let checked = check_rows(text, &rows, delimiter, header, opts, doc);
    doc.problems.sort_by_key(|p| p.line);
    checked
}

/// The error of a table whose header row, on `line`, opens a quote it does
/// not close ([`quotes::swallows`]): its columns cannot be told.
pub fn header_swallowed(line: usize) -> String {
    format!(
        "line {line}, the header, opens a quoted field that is not closed on its line (a stray quote?), so the columns cannot be told"
    )
}

/// A row of a table: its 1-based line, its bytes in the text, its fields.
type Row = (usize, Range<usize>, csv::StringRecord);

/// Adds to `rows` the rows of `text` from `at` (a byte and its line) up to
/// its end (then gives `None`) or up to a row whose quote swallowed the rows
/// after it (a problem; then gives the byte and line to read on from, past
/// the row's first line). `seen` is what rows read so far tell (see
/// [`quotes::swallows`]), `None` before the first (the header).
/// Records the csv crate cannot read are problems.
fn scan(
    text: &str,
    (base, first_line): (usize, usize),
    delimiter: u8,
    seen: &mut Option<quotes::Rows>,
    rows: &mut Vec<Row>,
    doc: &mut Document,
) -> Option<(usize, usize)> {
    let rest = &text[base..];
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(rest.as_bytes());
    let mut record = csv::StringRecord::new();
    // Lines are counted here (a lone `\r` ends one too), not by the reader.
    let mut line_of = lines::LineOf::new(rest, first_line);
    loop {
        let start = reader.position().clone();
        match reader.read_record(&mut record) {
            Ok(false) => return None,
            Ok(true) => {
                // The reader may stop before the line end of the previous
                // record: this one starts past it.
                let mut byte = start.byte() as usize;
                while let Some(b'\r' | b'\n') = rest.as_bytes().get(byte) {
                    byte += 1;
                }
                let end = (reader.position().byte() as usize).clamp(byte, rest.len());
                let raw = &rest[byte..end];
                let line = line_of.at(byte);
                // The row's own first field counts: the rows it swallowed
                // often share it (one session, one group).
                if let Some(seen) = seen.as_mut() {
                    seen.saw(&record);
                }
                if quotes::swallows(raw, delimiter, seen.as_ref()) {
                    doc.problems.push(Problem {
                        line,
                        sheet: None,
                        kind: RowError::Unterminated,
                    });
                    return lines::past_line_end(rest, byte).map(|from| (base + from, line + 1));
                }
                // The first row (the header) starts what a row is.
                seen.get_or_insert_with(|| {
                    let mut first = quotes::Rows::default();
                    first.saw(&record);
                    first
                });
                rows.push((line, base + byte..base + end, record.clone()));
            }
            Err(e) => {
                let byte = e.position().map_or(start.byte(), |p| p.byte()) as usize;
                doc.problems.push(Problem {
                    line: line_of.at(byte),
                    sheet: None,
                    kind: RowError::Csv(csv_error(&e)),
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return None;
                }
            }
        }
    }
}

/// Turns the `rows` of `text` into records under `header` (chosen from
/// the first rows when `None`); a row that cannot be read under it is a
/// problem.
fn check_rows(
    text: &str,
    rows: &[Row],
    delimiter: u8,
    header: &mut Option<Header>,
    opts: &Options,
    doc: &mut Document,
) -> Result<(), String> {
    let skip = match header {
        Some(_) => 0,
        None => {
            let first: Vec<(usize, Vec<String>)> = rows
                .iter()
                .take(HEADER_ROWS)
                .map(|(line, _, row)| (*line, row.iter().map(str::to_owned).collect()))
                .collect();
            let Some(found) = choose(&first, delimiter, opts, doc)? else {
                return Ok(());
            };
            let skip = found.above + usize::from(found.has_header);
            *header = Some(found);
            skip
        }
    };
    let Some(Header {
        column,
        has_header,
        names,
        role,
        ..
    }) = header.as_ref()
    else {
        return Ok(());
    };
    let (column, has_header) = (*column, *has_header);
    let mut senders = Senders::new(opts.agent_roles.as_ref());
    let sender = role.map(|(j, neither)| (j, names[j].as_str(), neither));
    let name = has_header.then(|| names[column].trim().to_owned());
    for (line, raw, row) in rows.iter().skip(skip) {
        let start = raw.start;
        if let Some(found) = ragged(row, names, has_header, opts.column.is_some()) {
            doc.problems.push(Problem {
                line: *line,
                sheet: None,
                kind: RowError::Ragged {
                    expected: width(names.iter().map(String::as_str)),
                    found,
                    headed: has_header,
                },
            });
            continue;
        }
        let Some(reply) = row.get(column) else {
            let what = name
                .as_deref()
                .map_or(format!("column {}", column + 1), |n| format!("column {n:?}"));
            doc.problems.push(Problem {
                line: *line,
                sheet: None,
                kind: RowError::NoColumn {
                    fields: row.len(),
                    column: what,
                },
            });
            continue;
        };
        if reply.trim().is_empty() {
            continue;
        }
        if let Some((j, field, neither)) = sender {
            let value = row.get(j).unwrap_or_default();
            match senders.cell(field, value, neither) {
                Side::Agent => {}
                Side::Customer | Side::Nick => continue,
                Side::Unknown => {
                    doc.problems.push(Problem {
                        line: *line,
                        sheet: None,
                        kind: RowError::UnknownRole {
                            field: field.trim().to_owned(),
                            role: value.trim().to_owned(),
                        },
                    });
                    continue;
                }
            }
        }
        let context = row
            .iter()
            .enumerate()
            .filter(|&(j, v)| j != column && !v.trim().is_empty())
            .map(|(j, v)| (header_name(names, j, has_header), v.to_owned()))
            .collect();
        // Keep the range for fixes only if it reads back as exactly this reply.
        let raw = field_span(&text[raw.clone()], column, delimiter)
            .map(|r| start + r.start..start + r.end)
            .filter(|r| unquote(&text[r.clone()]).as_deref() == Some(reply));
        // The field may start on a later line than its row (an earlier
        // field spans lines): its line, and its column on that line.
        let (line, column_offset) = raw.as_ref().map_or((*line, 0), |r| {
            let (down, before) = place_in(&text[start..], r.start - start..r.end - start);
            (line + down, before)
        });
        doc.records.push(Record {
            line,
            column: name.clone(),
            text: reply.to_owned(),
            column_offset,
            context,
            raw,
            ..Record::default()
        });
    }
    senders.finish(doc, None);
    Ok(())
}

/// Fields up to the last that is not blank: trailing empty fields (which
/// Excel writes for empty cells) are no fields.
pub fn width<'a>(fields: impl Iterator<Item = &'a str>) -> usize {
    let mut width = 0;
    for (i, field) in fields.enumerate() {
        if !field.trim().is_empty() {
            width = i + 1;
        }
    }
    width
}

/// The fields of a row with more fields than its header (not counting
/// trailing empty ones): an unquoted delimiter split one of them, so which
/// is the reply cannot be told. `names` is the header, or the first row of a
/// table without one: then only a list whose first row has no delimiter at
/// all, read without `--column`, is held to it (`亲,您好` in a list of
/// replies); other tables without a header may have rows of any width. A
/// row with fewer fields is read (Excel and many exports leave trailing
/// empty cells out) when it holds the reply column; one without it is
/// [`RowError::NoColumn`].
pub fn ragged(row: &csv::StringRecord, names: &[String], has_header: bool, column_given: bool) -> Option<usize> {
    if !has_header && (names.len() > 1 || column_given) {
        return None;
    }
    let filled = width(row.iter());
    (filled > width(names.iter().map(String::as_str))).then_some(filled)
}

/// The header of a table from the first records of its first piece.
pub fn header_of(text: &str, delimiter: u8, opts: &Options) -> Result<Option<Header>, String> {
    let delimiter = sniff(text, delimiter, opts);
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let first: Vec<(usize, Vec<String>)> = reader
        .into_records()
        .take(HEADER_ROWS)
        .map_while(Result::ok)
        .map(|r| {
            (
                r.position().map_or(0, |p| p.line() as usize),
                r.iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    choose(
        &first,
        delimiter,
        opts,
        &mut Document::new(String::new(), None, super::Format::Csv),
    )
}

/// The header of a table from its first rows (each with its line), its
/// note added to `doc`; `None` for a table without rows.
fn choose(
    first: &[(usize, Vec<String>)],
    delimiter: u8,
    opts: &Options,
    doc: &mut Document,
) -> Result<Option<Header>, String> {
    if first.is_empty() {
        return Ok(None);
    }
    let (above, choice) = pick_header(first, opts.column.as_deref(), opts.header, "line")?;
    doc.notes.extend(choice.note.map(|n| ("column".to_owned(), n)));
    let names = first[above].1.clone();
    let below: Vec<Vec<String>> = first.iter().skip(above + 1).map(|(_, row)| row.clone()).collect();
    let found = sender_column(&names, choice.column, choice.has_header, &below, opts)?;
    doc.notes.extend(role::column_note(found, &names, roles_given(opts)));
    let role = found.read();
    Ok(Some(Header {
        column: choice.column,
        has_header: choice.has_header,
        names,
        above,
        role,
        delimiter,
    }))
}

/// Whether `--role-field` or `--agent-role` was given.
pub fn roles_given(opts: &Options) -> bool {
    opts.role_field.is_some() || opts.agent_roles.is_some()
}

/// The sender column of a table (or a sheet) whose header row is `names`,
/// reply column `reply` and first rows below the header `below` (see
/// [`role::column`]).
///
/// # Errors
/// A `--role-field` that names no column, or given for a table without a header.
pub fn sender_column(
    names: &[String],
    reply: usize,
    has_header: bool,
    below: &[Vec<String>],
    opts: &Options,
) -> Result<role::Column, String> {
    match (has_header, &opts.role_field) {
        (true, given) => role::column(names, reply, given.as_deref(), below, opts.agent_roles.as_ref()),
        (false, Some(given)) => Err(format!(
            "--role-field {given:?} names a column of the header, and this table is read without one"
        )),
        (false, None) => Ok(role::Column::None),
    }
}

fn header_name(header: &[String], j: usize, has_header: bool) -> String {
    match header.get(j) {
        Some(h) if has_header => h.trim().to_owned(),
        _ => format!("column {}", j + 1),
    }
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("not valid UTF-8 in field {}", err.field() + 1),
        _ => e.to_string(),
    }
}

/// Where `field` (a byte range of `record`, which starts a line) begins:
/// the lines into the record, and the characters before its text on that
/// line, its opening quote counted.
pub fn place_in(record: &str, field: Range<usize>) -> (usize, usize) {
    let before = &record[..field.start];
    let last = lines::last_end(before, 0, true).unwrap_or(0);
    let quote = usize::from(record[field].starts_with('"'));
    (lines::count(before), before[last..].chars().count() + quote)
}

/// The byte range of field `index` (quotes included) within one raw record.
pub fn field_span(raw: &str, index: usize, delimiter: u8) -> Option<Range<usize>> {
    let bytes = raw.as_bytes();
    let (mut field, mut start, mut i, mut quoted) = (0, 0, 0, false);
    while i <= bytes.len() {
        let b = bytes.get(i).copied();
        if quoted {
            match b {
                Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 1,
                Some(b'"') => quoted = false,
                None => return None,
                _ => {}
            }
        } else {
            match b {
                Some(b'"') if i == start => quoted = true,
                Some(d) if d == delimiter => {
                    if field == index {
                        return Some(start..i);
                    }
                    field += 1;
                    start = i + 1;
                }
                Some(b'\n' | b'\r') | None => return (field == index).then_some(start..i),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// The value of a raw CSV field: the text (a `"` inside an unquoted field is
/// text), or the text between its quotes with `""` read as `"`; `None` if
/// its quotes are not balanced.
fn unquote(raw: &str) -> Option<String> {
    match raw.strip_prefix('"') {
        Some(rest) => {
            let inner = rest.strip_suffix('"')?;
            let mut parts = inner.split("\"\"");
            let value: Vec<&str> = parts.by_ref().collect();
            value.iter().all(|p| !p.contains('"')).then(|| value.join("\""))
        }
        None => Some(raw.to_owned()),
    }
}

/// The raw CSV text for a fixed field: quoted if the original was, or if the
/// new text needs it (a delimiter, a line end, or a `"` first; a `"` later
/// in an unquoted field is text).
pub fn quote_like(original_raw: &str, text: &str, delimiter: u8) -> String {
    let needs = text.starts_with('"') || text.bytes().any(|b| splits(delimiter, b) || matches!(b, b'\n' | b'\r'));
    if original_raw.starts_with('"') || needs {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_raw_field_spans() {
        let raw = "售前,\"亲,您好\",\"说\"\"好\"\"的\"\r\n";
        let spans: Vec<&str> = (0..3).map(|i| &raw[field_span(raw, i, b',').unwrap()]).collect();
        assert_eq!(spans, ["售前", "\"亲,您好\"", "\"说\"\"好\"\"的\""]);
        assert_eq!(field_span(raw, 3, b','), None);
        assert_eq!(field_span("a\tb", 1, b'\t').map(|r| &"a\tb"[r]), Some("b"));
    }

    #[test]
    fn quotes_like_the_original() {
        assert_eq!(quote_like("你好", "您好", b','), "您好");
        assert_eq!(quote_like("\"你好\"", "您好", b','), "\"您好\"");
        assert_eq!(quote_like("a", "b,\"c\"", b','), "\"b,\"\"c\"\"\"");
        assert_eq!(quote_like("他说\"你好", "他说\"您好", b'\t'), "他说\"您好");
        assert_eq!(quote_like("a", "\"b", b','), "\"\"\"b\"");
        assert_eq!(unquote("他说\"你好").as_deref(), Some("他说\"你好"));
    }
}
