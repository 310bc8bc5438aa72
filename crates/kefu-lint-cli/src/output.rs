//! `--output`: the fixed replies of workbooks, as one CSV file (UTF-8 with
//! a byte-order mark, as Excel opens it) with a row per reply whose text a
//! fix changed: workbook, sheet, row, column, original and fixed reply.
//!
//! The file is kefu-lint's own, meant to be opened in a spreadsheet, so a
//! cell that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return; OWASP's rule) is written with a
//! leading `'`. The path must be a new file or one an earlier `--output`
//! wrote (its first line is [`HEADER`]): [`check_path`] refuses an input of
//! the run, a workbook and any other existing file before anything is read,
//! so that a user's own CSV is never replaced.

use std::borrow::Cow;
use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::read::{Document, Format};
use crate::write::write_atomically;

/// The header row `--output` writes, after a UTF-8 byte-order mark.
pub const HEADER: [&str; 6] = ["workbook", "sheet", "row", "column", "original", "fixed"];

/// One reply of a workbook, as `--output` writes it.
#[derive(Debug)]
pub struct Row {
    workbook: String,
    sheet: String,
    row: usize,
    column: String,
    original: String,
    fixed: String,
}

/// The rows of a workbook `doc` (as read) for `--output`: one for each
/// reply that `fixed` (the fixed text by record index) changes. A reply
/// with no fix applied, or whose fixes leave its text as it was, is not
/// listed.
pub fn rows(doc: &Document, fixed: &[(usize, String)]) -> Vec<Row> {
    fixed
        .iter()
        .filter_map(|(index, new)| doc.records.get(*index).map(|record| (record, new)))
        .filter(|(record, new)| record.text != **new)
        .map(|(record, new)| Row {
            workbook: doc.name.clone(),
            sheet: record.sheet.clone().unwrap_or_default(),
            row: record.line,
            column: record.column.clone().unwrap_or_default(),
            original: record.text.clone(),
            fixed: new.clone(),
        })
        .collect()
}

/// Writes `rows` to `path` as CSV, atomically.
///
/// # Errors
/// The path and the I/O error.
pub fn write(path: &Path, rows: &[Row]) -> Result<(), String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| e.to_string();
    writer.write_record(HEADER).map_err(io)?;
    for r in rows {
        let number = r.row.to_string();
        let cells = [&r.workbook, &r.sheet, &number, &r.column, &r.original, &r.fixed];
        writer
            .write_record(cells.map(|c| neutralise(c).into_owned()))
            .map_err(io)?;
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(writer.into_inner().map_err(|e| e.to_string())?);
    write_atomically(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cell`, with a leading `'` if a spreadsheet would read it as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Refuses an `--output` path not named `.csv` (any case: a `.tsv` or `.txt`
/// name would be read back as another format), one of `inputs` (the same
/// file, by any path or link), an existing workbook (by extension or
/// content), or any other existing file but one an earlier `--output` wrote.
///
/// # Errors
/// Says which.
pub fn check_path(output: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    check_place(output, inputs)?;
    if Format::of(output) != Some(Format::Excel) && output.extension().is_none_or(|e| !e.eq_ignore_ascii_case("csv")) {
        return Err(format!(
            "--output {}: the fixed replies are written as CSV (comma-separated), which kefu-lint reads back only from a .csv file; name the file .csv",
            output.display()
        ));
    }
    Ok(())
}

/// [`check_path`] but for the name.
fn check_place(output: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let shown = output.display();
    let Ok(meta) = fs::metadata(output) else {
        let dir = output.parent().filter(|p| !p.as_os_str().is_empty());
        return if Format::of(output) == Some(Format::Excel) {
            Err(format!(
                "--output {shown}: the fixed replies are CSV; name the file .csv"
            ))
        } else if fs::symlink_metadata(output).is_ok() {
            Err(format!(
                "--output {shown} is a symbolic link to nothing; give a new .csv file"
            ))
        } else if dir.is_some_and(|d| !d.is_dir()) {
            Err(format!("--output {shown}: no such directory"))
        } else {
            Ok(())
        };
    };
    if let Some(input) = same_file(&meta, inputs) {
        return Err(format!(
            "--output {shown} is the input {}; give a new file for the fixed replies",
            input.display()
        ));
    }
    if !meta.is_file() {
        return Err(format!("--output {shown} is not a regular file; give a new .csv file"));
    }
    if Format::of(output) == Some(Format::Excel) || looks_like_a_workbook(output) {
        return Err(format!(
            "--output {shown} is an existing workbook; it is never overwritten, give a .csv file"
        ));
    }
    if !is_own_output(output) {
        return Err(format!(
            "--output {shown} exists and is not a file kefu-lint's --output wrote (its first line is not \"{}\"); it is never replaced: give a new file, or remove it first",
            HEADER.join(",")
        ));
    }
    Ok(())
}

/// Whether the file at `path` starts as [`write`] starts a file: a UTF-8
/// byte-order mark, then the line [`HEADER`] (ended by LF or CRLF).
fn is_own_output(path: &Path) -> bool {
    let header = format!("\u{feff}{}", HEADER.join(","));
    // The header and a line end: a few dozen bytes.
    let mut head = Vec::with_capacity(header.len() + 2);
    let read = fs::File::open(path).and_then(|f| f.take(header.len() as u64 + 2).read_to_end(&mut head));
    read.is_ok()
        && head
            .strip_prefix(header.as_bytes())
            .is_some_and(|rest| rest.starts_with(b"\n") || rest.starts_with(b"\r\n"))
}

/// The input among `inputs` that is the file `meta` describes (the same
/// device and inode, whatever the path or link), if any.
pub fn same_file<'a>(meta: &fs::Metadata, inputs: &'a [PathBuf]) -> Option<&'a PathBuf> {
    inputs
        .iter()
        .find(|input| fs::metadata(input).is_ok_and(|m| (m.dev(), m.ino()) == (meta.dev(), meta.ino())))
}

/// Whether the file at `path` starts like an `.xlsx` (zip) or `.xls` (OLE) file.
fn looks_like_a_workbook(path: &Path) -> bool {
    let mut head = [0; 4];
    fs::File::open(path)
        .and_then(|f| f.take(4).read_exact(&mut head))
        .is_ok_and(|()| head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formulas_only() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("您好=1"), "您好=1");
        assert_eq!(neutralise(""), "");
    }
}
