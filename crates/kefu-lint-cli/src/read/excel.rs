//! Excel workbooks (`.xlsx`, `.xls`): every sheet, or the one `--sheet` names.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::{Document, Options, Record, pick_column};

/// Reads the reply column of each sheet; the first non-empty row is the header.
pub fn read(bytes: &[u8], opts: &Options, doc: &mut Document) -> Result<(), String> {
    let mut workbook =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = workbook.sheet_names();
    if let Some(wanted) = &opts.sheet
        && !names.contains(wanted)
    {
        return Err(format!("no sheet {wanted:?} (sheets: {})", names.join(", ")));
    }
    for name in names.iter().filter(|n| opts.sheet.as_ref().is_none_or(|w| w == *n)) {
        let range = workbook
            .worksheet_range(name)
            .map_err(|e| format!("sheet {name:?}: {e}"))?;
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let mut rows = range
            .rows()
            .enumerate()
            .filter(|(_, r)| r.iter().any(|c| !cell(c).trim().is_empty()));
        let Some((_, header)) = rows.next() else { continue };
        let header: Vec<String> = header.iter().map(cell).collect();
        let (column, has_header) =
            pick_column(&header, opts.column.as_deref()).map_err(|e| format!("sheet {name:?}: {e}"))?;
        let rows = range
            .rows()
            .enumerate()
            .skip_while(|(_, r)| r.iter().all(|c| cell(c).trim().is_empty()));
        for (i, row) in rows.skip(usize::from(has_header)) {
            let text = row.get(column).map(cell).unwrap_or_default();
            if text.trim().is_empty() {
                continue;
            }
            let context = row
                .iter()
                .enumerate()
                .filter(|&(j, c)| j != column && !cell(c).trim().is_empty())
                .map(|(j, c)| {
                    (
                        header
                            .get(j)
                            .filter(|_| has_header)
                            .cloned()
                            .unwrap_or(format!("column {}", j + 1)),
                        cell(c),
                    )
                })
                .collect();
            doc.records.push(Record {
                line: first_row + i + 1,
                sheet: Some(name.clone()),
                column: has_header.then(|| header[column].trim().to_owned()),
                text,
                column_offset: 0,
                context,
                raw: None,
            });
        }
    }
    Ok(())
}

fn cell(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}
