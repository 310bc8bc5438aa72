//! Excel workbooks (`.xlsx`, `.xlsm`, `.xls`): every sheet, or the one `--sheet` names.
//!
//! The workbook parser (calamine, a dependency) trusts what a file declares:
//! it reserves memory for the unique strings a workbook says it has, and
//! for a dense rectangle from the first cell to the last (A1 and XFD1048576
//! make 17 billion cells). So nothing it reads is trusted here first:
//!
//! - `.xlsx`: every part of the zip is inflated and counted (a bomb stops at
//!   the limit), the shared strings' declared and actual counts are checked,
//!   and cells are read one by one ([`calamine::Xlsx::worksheet_cells_reader`]),
//!   never as a rectangle;
//! - `.xls`: the sector chains are checked to end, and the records of the
//!   `Workbook` stream are scanned for the area each sheet's cells and
//!   declared dimensions span before the parser reads it.
//!
//! Every limit is in [`Limits`]; a workbook over one is an error naming it.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader, Sheets, Xlsx, open_workbook_auto_from_rs};

use super::cfb::CompoundFile;
use super::header::{HEADER_ROWS, pick_header};
use super::limits::{Limits, size};
use super::role::{self, Senders, Side};
use super::table::{roles_given, sender_column};
use super::{Document, Format, Options, Problem, Record, RowError};

/// Parts (files in the zip) of an `.xlsx`, at most: a workbook has a few
/// per sheet.
const MAX_PARTS: usize = 10_000;

/// The last column (XFD) and row an Excel sheet can have, 0-based.
const LAST_COLUMN: u32 = 16_383;
const LAST_ROW: u32 = 1_048_575;

/// What reading a workbook row by row meets, in order.
pub enum Event<'a> {
    /// A row with at least one non-empty cell: the sheet's name, the row
    /// (0-based) and its non-empty cells by column (0-based).
    Row {
        /// The sheet.
        sheet: &'a str,
        /// The row, 0-based.
        row: u32,
        /// The non-empty cells, by 0-based column.
        cells: &'a BTreeMap<u32, Data>,
    },
    /// A sheet the parser cannot read to its end (damaged XML, a cell past
    /// the last row of a sheet): its rows before the damage were passed,
    /// and its [`Event::End`] follows.
    Damaged {
        /// The sheet.
        sheet: &'a str,
        /// The 1-based row in or after which reading stopped: the last row
        /// passed (the damage may have cut it short), or 1.
        row: usize,
        /// What the parser met.
        why: String,
    },
    /// The end of a sheet (after its rows, if any).
    End {
        /// The sheet.
        sheet: &'a str,
    },
}

/// Reads the sheets of a workbook (the one `--sheet` names, else all) row
/// by row, each limit of `opts.limits` checked before the parser trusts
/// the file (see the module's documentation), passing each [`Event`] to
/// `each`, which returns false to stop or an error to end the reading.
/// Returns false when `each` stopped it. A sheet damaged past where it
/// begins is an [`Event::Damaged`], and the next sheet is read.
///
/// # Errors
/// A workbook over a limit, damaged where every sheet is listed, or on
/// which the parser panics; a `--sheet` it does not have; what `each`
/// returned.
pub fn rows(
    bytes: &[u8],
    opts: &Options,
    each: &mut dyn FnMut(Event<'_>) -> Result<bool, String>,
) -> Result<bool, String> {
    let limits = opts.limits;
    if bytes.len() as u64 > limits.workbook_bytes {
        return Err(over(&format!("the file has {}", size(bytes.len() as u64)), &limits));
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if CompoundFile::is(bytes) {
            check_xls(bytes, &limits)?;
            xls_rows(bytes, opts, each)
        } else {
            check_zip(bytes, &limits)?;
            xlsx_rows(bytes, opts, each)
        }
    }));
    outcome.unwrap_or_else(|_| Err("not a readable workbook: the workbook reader failed on this file".into()))
}

/// Reads the reply column of each sheet; the first non-empty row is the header.
///
/// A panic of the workbook parser on a damaged file becomes an error for this input.
pub fn read(bytes: &[u8], opts: &Options, doc: &mut Document) -> Result<(), String> {
    let mut out = Out {
        doc: Document::new(String::new(), None, Format::Excel),
        senders: Senders::new(opts.agent_roles.as_ref()),
        kept: 0,
        headed: 0,
        unheaded: Vec::new(),
    };
    let mut sheet: Option<SheetRecords<'_>> = None;
    let result = rows(bytes, opts, &mut |event| {
        match event {
            Event::Row {
                sheet: name,
                row,
                cells,
            } => {
                let texts: BTreeMap<u32, String> = cells.iter().map(|(&col, c)| (col, cell(c))).collect();
                sheet
                    .get_or_insert_with(|| SheetRecords::new(name, opts))
                    .row(row, &texts, &mut out)?;
            }
            Event::Damaged { sheet: name, row, why } => {
                out.doc.problems.push(Problem {
                    line: row,
                    sheet: Some(name.to_owned()),
                    kind: RowError::Damaged(why),
                });
            }
            Event::End { sheet: name } => {
                sheet
                    .take()
                    .unwrap_or_else(|| SheetRecords::new(name, opts))
                    .finish(&mut out)?;
            }
        }
        Ok(true)
    });
    let Out {
        doc: read,
        headed,
        unheaded,
        ..
    } = out;
    // With no sheet read, the first damage is the workbook's error.
    if headed == 0
        && let Some(damage) = read.problems.iter().find_map(|p| match (&p.kind, &p.sheet) {
            (RowError::Damaged(why), Some(sheet)) => Some(format!("sheet {sheet:?}: {why}")),
            _ => None,
        })
    {
        return result.and(Err(damage));
    }
    // A sheet without a reply column is left unread when another sheet has
    // one: a sheet of sentences is an error of its own, a summary of figures
    // beside the logs a note. When no sheet has one, the workbook is an error.
    // The error says why of the first sheet of sentences, if any, and names the others.
    if headed == 0
        && let Some(first) = unheaded.iter().find(|u| u.sentences).or(unheaded.first())
    {
        let others: Vec<String> = unheaded
            .iter()
            .filter(|u| u.sheet != first.sheet)
            .map(|u| format!("{:?}", u.sheet))
            .collect();
        let others = match others.len() {
            0 => String::new(),
            n => format!(
                " ({} other sheet{} without one: {})",
                n,
                if n == 1 { "" } else { "s" },
                others.join(", ")
            ),
        };
        return result.and(Err(format!(
            "no sheet has a reply column{others}; sheet {:?}: {}",
            first.sheet, first.why
        )));
    }
    doc.records.extend(read.records);
    doc.problems.extend(read.problems);
    doc.notes.extend(read.notes);
    for Unheaded {
        sheet,
        row,
        why,
        sentences,
    } in unheaded
    {
        if sentences {
            doc.problems.push(Problem {
                line: row,
                sheet: Some(sheet),
                kind: RowError::NoReplyColumn(why),
            });
        } else {
            doc.notes.push((
                format!("column of {sheet}"),
                format!("sheet {sheet:?} is not checked: {why}"),
            ));
        }
    }
    doc.roles = read.roles;
    result.map(|_| ())
}

/// The message for a workbook over a limit: what it has, and the limits.
fn over(what: &str, limits: &Limits) -> String {
    format!(
        "workbook over the limits ({what}; at most {} read, inflated or kept with --max-workbook-mb, {} cells with --max-cells)",
        size(limits.workbook_bytes),
        limits.cells
    )
}

/// Inflates every part of a zip, counting bytes against the limit, and
/// checks the shared strings: their declared count (which the parser
/// reserves room for) and their actual number.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    // Each part costs the zip reader a few hundred bytes before anything is
    // inflated: count the central directory's headers (an upper bound).
    let parts = memchr::memmem::find_iter(bytes, b"PK\x01\x02").count();
    if parts > MAX_PARTS {
        return Err(over(&format!("it has {parts} parts, more than {MAX_PARTS}"), limits));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a readable workbook: {e}"))?;
    let mut left = limits.workbook_bytes;
    let mut buf = vec![0u8; 1 << 16];
    // Sheets are read once each, so what reading them inflates stays within
    // what was counted here only if no two share a part.
    let (mut sheet_parts, mut sheets) = (0, SheetCount::default());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| format!("not a readable workbook: {e}"))?;
        let name = String::from_utf8_lossy(part.name_raw()).into_owned();
        let lower = name.to_ascii_lowercase();
        let shared_strings = lower.ends_with("sharedstrings.xml");
        let workbook_part = lower.ends_with("workbook.xml");
        sheet_parts += usize::from(
            [
                "xl/worksheets/",
                "xl/chartsheets/",
                "xl/dialogsheets/",
                "xl/macrosheets/",
            ]
            .iter()
            .any(|dir| lower.trim_start_matches('/').starts_with(dir))
                && lower.ends_with(".xml"),
        );
        let mut strings = StringCount::default();
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(format!("not a readable workbook: {name}: {e}")),
            };
            if workbook_part {
                sheets.feed(&buf[..n]);
            }
            left = left.checked_sub(n as u64).ok_or_else(|| {
                over(
                    &format!("its parts inflate to more than {}", size(limits.workbook_bytes)),
                    limits,
                )
            })?;
            if shared_strings {
                strings.feed(&buf[..n]);
                if let Some(declared) = strings.declared.filter(|&d| d > limits.cells) {
                    return Err(over(
                        &format!("its shared strings declare {declared} unique strings"),
                        limits,
                    ));
                }
                if strings.found > limits.cells {
                    return Err(over(
                        &format!("it has more than {} shared strings", limits.cells),
                        limits,
                    ));
                }
            }
        }
    }
    // Not a limit: a damaged workbook, or one built to be inflated over and over.
    if sheets.found > sheet_parts {
        return Err(format!(
            "not a readable workbook: it lists {} sheets but has {sheet_parts} sheet parts: parts are missing, or sheets share a part (which would be inflated once per sheet)",
            sheets.found
        ));
    }
    Ok(())
}

/// Counts the `<sheet …>` elements (any namespace prefix) of
/// `workbook.xml` fed in blocks.
#[derive(Default)]
struct SheetCount {
    found: usize,
    /// The last bytes of the previous block, for a tag cut between blocks.
    tail: Vec<u8>,
}

impl SheetCount {
    fn feed(&mut self, block: &[u8]) {
        let mut text = std::mem::take(&mut self.tail);
        let start = text.len();
        text.extend_from_slice(block);
        for at in memchr::memmem::find_iter(&text, b"sheet") {
            let before = at.checked_sub(1).map(|i| text[i]);
            let after = text.get(at + 5).copied();
            // `<sheet ` or `<x:sheet/`, wholly or partly in the new block.
            if at + 6 > start
                && matches!(before, Some(b'<' | b':'))
                && after.is_some_and(|c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            {
                self.found += 1;
            }
        }
        self.tail = text[text.len().saturating_sub(8)..].to_vec();
    }
}

/// Counts `<si` (a shared string) in `sharedStrings.xml` fed in blocks, and
/// reads the `uniqueCount` its `<sst>` element declares.
#[derive(Default)]
struct StringCount {
    /// The start of the part, until the `<sst …>` tag is whole.
    head: Vec<u8>,
    declared: Option<u64>,
    found: u64,
    /// The last bytes of the previous block, for a `<si` cut between blocks.
    tail: Vec<u8>,
}

impl StringCount {
    fn feed(&mut self, block: &[u8]) {
        if self.head.len() < 4096 {
            self.head.extend_from_slice(&block[..block.len().min(4096)]);
            self.declared = declared_unique(&self.head);
        }
        let mut joined = std::mem::take(&mut self.tail);
        joined.extend_from_slice(block);
        self.found += memchr::memmem::find_iter(&joined, b"<si").count() as u64;
        // Keep the last two bytes: a `<si` cut after them is counted next
        // time, and no `<si` fits in two bytes to be counted twice.
        let keep = joined.len().min(2);
        self.tail = joined[joined.len() - keep..].to_vec();
    }
}

/// The `uniqueCount` attribute of the `<sst` tag in `head`; a value too large
/// for 64 bits reads as the largest.
fn declared_unique(head: &[u8]) -> Option<u64> {
    let start = memchr::memmem::find(head, b"<sst")?;
    let end = start + memchr::memchr(b'>', &head[start..])?;
    let tag = &head[start..end];
    let at = memchr::memmem::find(tag, b"uniqueCount=")? + "uniqueCount=".len();
    let digits: Vec<u8> = tag[at..]
        .iter()
        .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    let digits = std::str::from_utf8(&digits).ok()?;
    (!digits.is_empty()).then(|| digits.parse().unwrap_or(u64::MAX))
}

/// Checks a legacy `.xls`: its chains end, and the records of its workbook
/// stream declare and use sheets of at most the cell limit's area.
fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let file = CompoundFile::open(bytes).map_err(|e| format!("not a readable workbook: {e}"))?;
    let Some(stream) = file.stream(&["Workbook", "Book"]) else {
        return Err("not a readable workbook: no Workbook stream".into());
    };
    let mut at = 0;
    let mut depth = 0usize;
    let mut area = Area::default();
    let mut cells = 0u64;
    while let (Some(kind), Some(len)) = (stream.get(at..at + 2), stream.get(at + 2..at + 4)) {
        let kind = u16::from_le_bytes([kind[0], kind[1]]);
        let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else {
            break;
        };
        at += 4 + len;
        let u16_at = |i: usize| data.get(i..i + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])));
        let u32_at = |i: usize| data.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        match kind {
            // BOF and EOF of a substream (a sheet, or a chart inside one).
            0x0809 => {
                if depth == 0 {
                    area = Area::default();
                }
                depth += 1;
            }
            0x000A => depth = depth.saturating_sub(1),
            // DIMENSIONS, read as the parser reads it (which reserves its area).
            0x0200 => {
                let (rf, rl, cf, cl) = match len {
                    10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                    _ => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
                };
                let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) else {
                    continue;
                };
                if cf > 0xFF || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let rows = i64::from(rl) - 1 - i64::from(rf) + 1;
                    let cols = i64::from(cl) - 1 - i64::from(cf) + 1;
                    if rows <= 0 || cols <= 0 {
                        return Err("not a readable workbook: a damaged sheet dimensions record".into());
                    }
                    if (rows as u64).saturating_mul(cols as u64) > limits.cells {
                        return Err(over(&format!("a sheet declares {rows} rows by {cols} columns"), limits));
                    }
                }
            }
            // Cells: NUMBER, LABEL, LABELSST, RK, FORMULA, BOOLERR, RSTRING; MULRK.
            0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0006 | 0x0205 | 0x00D6 | 0x00BD => {
                let (Some(row), Some(first)) = (u16_at(0), u16_at(2)) else {
                    continue;
                };
                let last = if kind == 0x00BD {
                    len.checked_sub(2).and_then(u16_at).unwrap_or(first)
                } else {
                    first
                };
                cells += u64::from(last.saturating_sub(first)) + 1;
                area.add(row, first);
                area.add(row, last);
                if cells > limits.cells {
                    return Err(over(&format!("it has more than {} cells", limits.cells), limits));
                }
                if area.size() > limits.cells {
                    return Err(over(
                        &format!(
                            "a sheet's cells span {} rows by {} columns",
                            area.rows(),
                            area.columns()
                        ),
                        limits,
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The rectangle a sheet's cells span, which the parser allocates whole.
#[derive(Default)]
struct Area {
    span: Option<(u32, u32, u32, u32)>,
}

impl Area {
    fn add(&mut self, row: u32, col: u32) {
        self.span = Some(match self.span {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn rows(&self) -> u64 {
        self.span.map_or(0, |(r0, r1, _, _)| u64::from(r1 - r0) + 1)
    }

    fn columns(&self) -> u64 {
        self.span.map_or(0, |(_, _, c0, c1)| u64::from(c1 - c0) + 1)
    }

    fn size(&self) -> u64 {
        self.rows() * self.columns()
    }
}

/// Reads an `.xlsx` cell by cell, counting cells and the text kept.
/// The rows of an `.xlsx` (checked by [`check_zip`] first), cell by cell.
fn xlsx_rows(
    bytes: &[u8],
    opts: &Options,
    each: &mut dyn FnMut(Event<'_>) -> Result<bool, String>,
) -> Result<bool, String> {
    let limits = &opts.limits;
    let mut workbook: Xlsx<_> =
        calamine::Reader::new(Cursor::new(bytes)).map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = workbook.sheet_names();
    check_sheet_wanted(&names, opts)?;
    let epoch_1904 = workbook.has_1904_epoch();
    let mut cells = 0u64;
    for name in names.iter().filter(|n| opts.sheet.as_ref().is_none_or(|w| w == *n)) {
        let damage = match workbook.worksheet_cells_reader(name) {
            Ok(mut reader) => {
                // The row being read: cells come row by row.
                let (mut at, mut row_cells) = (0, BTreeMap::new());
                let damage = loop {
                    let cell = match reader.next_cell() {
                        Ok(Some(cell)) => cell,
                        Ok(None) => break None,
                        Err(e) => break Some(e.to_string()),
                    };
                    let (row, col) = cell.get_position();
                    let value = in_1900_system(Data::from(cell.get_value().clone()), epoch_1904);
                    if is_blank(&value) {
                        continue;
                    }
                    if row > LAST_ROW || col > LAST_COLUMN {
                        break Some("a cell past the last row or column of a sheet (XFD1048576)".to_owned());
                    }
                    cells += 1;
                    if cells > limits.cells {
                        return Err(over(&format!("it has more than {} cells", limits.cells), limits));
                    }
                    if row != at && !row_cells.is_empty() {
                        let cells = std::mem::take(&mut row_cells);
                        if !each(Event::Row {
                            sheet: name,
                            row: at,
                            cells: &cells,
                        })? {
                            return Ok(false);
                        }
                    }
                    at = row;
                    row_cells.insert(col, value);
                };
                // The last row begun is passed, damage or not: its cells read
                // are whole (the damage may have cost it later ones).
                if !row_cells.is_empty()
                    && !each(Event::Row {
                        sheet: name,
                        row: at,
                        cells: &row_cells,
                    })?
                {
                    return Ok(false);
                }
                damage.map(|why| (at as usize + 1, why))
            }
            // A chart sheet or other part that holds no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => Some((1, e.to_string())),
        };
        if !ended(name, damage, each)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Passes the end of sheet `name` to `each`, after its damage (the 1-based
/// row where reading stopped, and why) if any; returns what `each` does.
fn ended(
    name: &str,
    damage: Option<(usize, String)>,
    each: &mut dyn FnMut(Event<'_>) -> Result<bool, String>,
) -> Result<bool, String> {
    if let Some((row, why)) = damage
        && !each(Event::Damaged { sheet: name, row, why })?
    {
        return Ok(false);
    }
    each(Event::End { sheet: name })
}

/// The rows of a legacy `.xls` (checked by [`check_xls`] first), through the parser's ranges.
fn xls_rows(
    bytes: &[u8],
    opts: &Options,
    each: &mut dyn FnMut(Event<'_>) -> Result<bool, String>,
) -> Result<bool, String> {
    let mut workbook =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = workbook.sheet_names();
    check_sheet_wanted(&names, opts)?;
    let epoch_1904 = matches!(&workbook, Sheets::Xls(xls) if xls.has_1904_epoch());
    for name in names.iter().filter(|n| opts.sheet.as_ref().is_none_or(|w| w == *n)) {
        let range = match workbook.worksheet_range(name) {
            Ok(range) => range,
            Err(e) => {
                if !ended(name, Some((1, e.to_string())), each)? {
                    return Ok(false);
                }
                continue;
            }
        };
        let (row0, col0) = range.start().unwrap_or((0, 0));
        for (i, cells) in range.rows().enumerate() {
            let cells: BTreeMap<u32, Data> = cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !is_blank(c))
                .map(|(j, c)| (col0 + j as u32, in_1900_system(c.clone(), epoch_1904)))
                .collect();
            if !cells.is_empty()
                && !each(Event::Row {
                    sheet: name,
                    row: row0 + i as u32,
                    cells: &cells,
                })?
            {
                return Ok(false);
            }
        }
        if !ended(name, None, each)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether a cell holds nothing: empty, or an empty string.
fn is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.is_empty(),
        _ => false,
    }
}

/// Days from the 1900 date system's day 0 to the 1904 system's (Mac Excel's
/// `date1904` workbooks count dates from 1904-01-01).
const DAYS_1900_TO_1904: f64 = 1_462.0;

/// `value` with a date counted in the 1900 date system, as every date is
/// read (a duration stays as it is): a workbook in the 1904 system
/// (`epoch_1904`) counts its dates 1,462 days later.
fn in_1900_system(value: Data, epoch_1904: bool) -> Data {
    match value {
        Data::DateTime(d) if epoch_1904 && d.is_datetime() => Data::DateTime(ExcelDateTime::new(
            d.as_f64() + DAYS_1900_TO_1904,
            ExcelDateTimeType::DateTime,
            false,
        )),
        other => other,
    }
}

/// Refuses a workbook whose sheets `names` are not all different, or that
/// has no sheet `--sheet` names.
///
/// # Errors
/// The sheet named twice (sheets are read by name: of two with one name,
/// the second would never be read), or the list of sheets.
fn check_sheet_wanted(names: &[String], opts: &Options) -> Result<(), String> {
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = names[..i].iter().position(|n| n == name) {
            return Err(format!(
                "sheets {} and {} are both named {name:?}: Excel never writes that, so another program made or changed the file; rename one and check again",
                first + 1,
                i + 1
            ));
        }
    }
    match &opts.sheet {
        Some(wanted) if !names.contains(wanted) => Err(format!("no sheet {wanted:?} (sheets: {})", names.join(", "))),
        _ => Ok(()),
    }
}

/// What the sheets read make: their replies, row problems and notes, in a
/// document of their own until the workbook is read whole, and who sent
/// their rows (a sheet with a sender column, see [`role::column`]).
struct Out<'o> {
    doc: Document,
    senders: Senders<'o>,
    /// Bytes of text kept in records so far, over all sheets.
    kept: u64,
    /// Sheets whose header was found, and those left unread for having no
    /// reply column, in order.
    headed: usize,
    unheaded: Vec<Unheaded>,
}

/// A sheet whose header names no reply column (and `--sheet` does not name it).
struct Unheaded {
    sheet: String,
    /// The 1-based row of its first non-empty row.
    row: usize,
    /// Why no column is the reply column.
    why: String,
    /// Whether it holds sentences ([`holds_sentences`]): then it is an
    /// error of its own, where a sheet of figures (a summary) is passed over.
    sentences: bool,
}

/// Han characters in one cell from which a sheet is read as holding
/// sentences (replies under a header kefu-lint does not know), not figures
/// or labels (a summary: 总计 | 5).
const SENTENCE_HAN: usize = 6;

/// Whether a cell of `rows` holds a sentence ([`SENTENCE_HAN`] Han characters or more).
fn holds_sentences(rows: &[(usize, Vec<String>)]) -> bool {
    rows.iter()
        .flat_map(|(_, cells)| cells)
        .any(|cell| cell.chars().filter(|&c| super::plausible::is_han(c)).count() >= SENTENCE_HAN)
}

/// Turns the rows of one sheet, in order, into records: the header is
/// looked for in the first rows with a non-blank cell (see
/// [`pick_header`]); the first row is the first reply when none names a
/// known column.
struct SheetRecords<'a> {
    name: String,
    opts: &'a Options,
    /// The header's cells, the reply column, whether the header is one,
    /// and the sender column with how its senders of neither side are read.
    header: Option<(Vec<String>, usize, bool, Option<role::Read>)>,
    /// The first rows (0-based row, cells), held until the header is found among them.
    pending: Vec<(u32, BTreeMap<u32, String>)>,
    /// Whether the sheet is left unread: its header names no reply column.
    passed: bool,
}

impl<'a> SheetRecords<'a> {
    fn new(name: &str, opts: &'a Options) -> SheetRecords<'a> {
        SheetRecords {
            name: name.to_owned(),
            opts,
            header: None,
            pending: Vec::new(),
            passed: false,
        }
    }

    /// Finds the header among the rows held, then reads the rows below it.
    fn decide(&mut self, out: &mut Out<'_>) -> Result<(), String> {
        let pending = std::mem::take(&mut self.pending);
        let rows: Vec<(usize, Vec<String>)> = pending
            .iter()
            .map(|(row, cells)| {
                let width = cells.keys().next_back().map_or(0, |&c| c as usize + 1);
                let mut header = vec![String::new(); width];
                for (&col, value) in cells {
                    header[col as usize] = value.clone();
                }
                (*row as usize + 1, header)
            })
            .collect();
        let (above, choice) = match pick_header(&rows, self.opts.column.as_deref(), self.opts.header, "row") {
            Ok(found) => found,
            Err(why) if self.opts.sheet.is_none() => {
                out.unheaded.push(Unheaded {
                    sheet: self.name.clone(),
                    row: rows.first().map_or(1, |(row, _)| *row),
                    why,
                    sentences: holds_sentences(&rows),
                });
                self.passed = true;
                return Ok(());
            }
            Err(why) => return Err(format!("sheet {:?}: {why}", self.name)),
        };
        out.headed += 1;
        if let Some(note) = choice.note {
            out.doc.notes.push((
                format!("column of {}", self.name),
                format!("sheet {:?}: {note}", self.name),
            ));
        }
        let mut rows = rows.into_iter().skip(above).map(|(_, row)| row);
        let Some(header) = rows.next() else {
            return Ok(());
        };
        let below: Vec<Vec<String>> = rows.collect();
        let found = sender_column(&header, choice.column, choice.has_header, &below, self.opts)
            .map_err(|e| format!("sheet {:?}: {e}", self.name))?;
        let role = found.read();
        if let Some((key, note)) = role::column_note(found, &header, roles_given(self.opts)) {
            out.doc.notes.push((
                format!("{key} of {}", self.name),
                format!("sheet {:?}: {note}", self.name),
            ));
        }
        self.header = Some((header, choice.column, choice.has_header, role));
        for (row, cells) in pending.iter().skip(above + usize::from(choice.has_header)) {
            self.row(*row, cells, out)?;
        }
        Ok(())
    }

    /// Reads the rows held at the end of a sheet shorter than
    /// [`HEADER_ROWS`], and ends what its senders tell.
    fn finish(&mut self, out: &mut Out<'_>) -> Result<(), String> {
        if self.header.is_none() && !self.passed && !self.pending.is_empty() {
            self.decide(out)?;
        }
        out.senders.take().finish(&mut out.doc, Some(&self.name));
        Ok(())
    }

    fn row(&mut self, row: u32, cells: &BTreeMap<u32, String>, out: &mut Out<'_>) -> Result<(), String> {
        if self.passed || cells.values().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        let Some((header, column, has_header, role)) = &self.header else {
            self.pending.push((row, cells.clone()));
            return if self.pending.len() == HEADER_ROWS {
                self.decide(out)
            } else {
                Ok(())
            };
        };
        let (column, has_header) = (*column, *has_header);
        let text = cells.get(&(column as u32)).cloned().unwrap_or_default();
        if text.trim().is_empty() {
            return Ok(());
        }
        if let Some((j, neither)) = *role {
            let (field, value) = (header[j].as_str(), cells.get(&(j as u32)).map_or("", String::as_str));
            match out.senders.cell(field, value, neither) {
                Side::Agent => {}
                Side::Customer | Side::Nick => return Ok(()),
                Side::Unknown => {
                    out.doc.problems.push(Problem {
                        line: row as usize + 1,
                        sheet: Some(self.name.clone()),
                        kind: RowError::UnknownRole {
                            field: field.trim().to_owned(),
                            role: value.trim().to_owned(),
                        },
                    });
                    return Ok(());
                }
            }
        }
        let context: Vec<(String, String)> = cells
            .iter()
            .filter(|&(&j, c)| j as usize != column && !c.trim().is_empty())
            .map(|(&j, c)| {
                let j = j as usize;
                let named = header.get(j).filter(|h| has_header && !h.trim().is_empty());
                (
                    named.map_or(format!("column {}", j + 1), |h| h.trim().to_owned()),
                    c.clone(),
                )
            })
            .collect();
        out.kept += (text.len() + context.iter().map(|(h, c)| h.len() + c.len()).sum::<usize>()) as u64;
        let limits = &self.opts.limits;
        if out.kept > limits.workbook_bytes {
            return Err(over(
                &format!("its rows hold more than {} of text", size(limits.workbook_bytes)),
                limits,
            ));
        }
        out.doc.records.push(Record {
            line: row as usize + 1,
            sheet: Some(self.name.clone()),
            column: has_header.then(|| header[column].trim().to_owned()),
            text,
            column_offset: 0,
            context,
            ..Record::default()
        });
        Ok(())
    }
}

fn cell(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}
