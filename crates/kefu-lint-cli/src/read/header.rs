//! Which column of a table (CSV, TSV, a workbook sheet) holds the replies,
//! and whether its first row is a header.

use super::names::{NAMES, norm};

/// The reply column of a table, as [`pick_column`] chose it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnChoice {
    /// 0-based index of the reply column.
    pub column: usize,
    /// Whether the first row is a header (and not a reply).
    pub has_header: bool,
    /// What to tell the user about a choice that was a guess, once per table.
    pub note: Option<String>,
}

impl ColumnChoice {
    fn sure(column: usize, has_header: bool) -> ColumnChoice {
        ColumnChoice {
            column,
            has_header,
            note: None,
        }
    }
}

/// A cell as a note shows it: at most 20 characters.
fn shown(cell: &str) -> String {
    let cell = cell.trim();
    match cell.char_indices().nth(20) {
        Some((i, _)) => format!("{:?}", format!("{}…", &cell[..i])),
        None => format!("{cell:?}"),
    }
}

/// The column whose header names a reply: one that is a known reply header
/// (`names.toml`), else one that contains one (`客服回复` holds `回复`) and
/// no word of a header about replies (`回复时间`), the better-ranked name
/// first. `Ok(None)` when none does.
///
/// # Errors
/// Two columns that fit equally well, naming both.
fn by_name(first_row: &[String]) -> Result<Option<(usize, bool)>, String> {
    let header: Vec<String> = first_row.iter().map(|h| norm(h)).collect();
    let ambiguous = |found: &[usize]| {
        let named: Vec<String> = found
            .iter()
            .map(|&i| format!("{} ({:?})", i + 1, first_row[i].trim()))
            .collect();
        format!(
            "columns {} all look like the reply column; choose one with --column N (its number)",
            named.join(", ")
        )
    };
    let exact: Vec<usize> = (0..header.len())
        .filter(|&i| NAMES.reply_headers.contains(&header[i]))
        .collect();
    match exact.as_slice() {
        [one] => return Ok(Some((*one, true))),
        [] => {}
        many => return Err(ambiguous(many)),
    }
    let about = |h: &str| NAMES.not_reply_headers.iter().any(|w| h.contains(w.as_str()));
    for name in &NAMES.reply_headers {
        let found: Vec<usize> = (0..header.len())
            .filter(|&i| header[i].contains(name.as_str()) && !about(&header[i]))
            .collect();
        match found.as_slice() {
            [one] => return Ok(Some((*one, false))),
            [] => {}
            many => return Err(ambiguous(many)),
        }
    }
    Ok(None)
}

/// Whether a cell of `row` is a known reply header (`exact`), or is or
/// contains one (not `exact`), as [`pick_column`] finds them; two such
/// cells count.
pub fn names_a_reply(row: &[String], exact: bool) -> bool {
    match by_name(row) {
        Ok(Some((_, found_exactly))) => found_exactly || !exact,
        Ok(None) => false,
        Err(_) => true,
    }
}

/// The reply column of a table whose first row is `first_row`, and whether
/// that row is a header. `chosen` is `--column` (a header name, or a 1-based
/// index); `header` is `--header` (`Some(true)`) or `--no-header`
/// (`Some(false)`), else it is decided here:
///
/// - with `--column NAME` the first row is a header that must have it;
/// - with `--column INDEX` it is a header only if it names a reply column,
///   otherwise it is read as a reply and the note says so;
/// - without `--column`, a header naming a reply column (exactly, or by
///   containment, which the note says) decides; a one-column table without
///   one has no header (the note says its first row is read as a reply).
///
/// # Errors
/// An index out of range, a name not in the header, no reply column, two
/// equally likely ones, or a name with `--no-header`.
pub fn pick_column(first_row: &[String], chosen: Option<&str>, header: Option<bool>) -> Result<ColumnChoice, String> {
    let named = by_name(first_row);
    let first_is_reply = |column: usize| {
        format!(
            "the first row is read as a reply, as {} is not a known header (--header skips it)",
            shown(first_row.get(column).map_or("", String::as_str))
        )
    };
    if let Some(index) = chosen.and_then(|sel| sel.trim().parse::<usize>().ok()) {
        if index == 0 {
            return Err("--column 0: columns are numbered from 1".into());
        }
        if index > first_row.len().max(1) {
            return Err(format!("--column {index}: the table has {} columns", first_row.len()));
        }
        let has_header = header.unwrap_or(matches!(named, Ok(Some(_))));
        let note = (header.is_none() && !has_header).then(|| first_is_reply(index - 1));
        return Ok(ColumnChoice {
            column: index - 1,
            has_header,
            note,
        });
    }
    if let Some(name) = chosen {
        if header == Some(false) {
            return Err(format!(
                "--column {name:?} names a header, and --no-header says there is none; give the column's number"
            ));
        }
        return first_row
            .iter()
            .position(|h| norm(h) == norm(name))
            .map(|i| ColumnChoice::sure(i, true))
            .ok_or_else(|| format!("no column {name:?} in the header {first_row:?}"));
    }
    if header == Some(false) {
        return match first_row.len() {
            1 => Ok(ColumnChoice::sure(0, false)),
            n => Err(format!(
                "with --no-header, give the reply column's number with --column N (the table has {n} columns)"
            )),
        };
    }
    match named? {
        Some((column, true)) => Ok(ColumnChoice::sure(column, true)),
        Some((column, false)) => Ok(ColumnChoice {
            column,
            has_header: true,
            note: Some(format!(
                "replies read from column {} ({}), whose header names a reply; --column chooses another",
                column + 1,
                shown(&first_row[column])
            )),
        }),
        None if header.is_none() && first_row.len() == 1 => Ok(ColumnChoice {
            column: 0,
            has_header: false,
            note: Some(first_is_reply(0)),
        }),
        None => Err(format!(
            "no reply column in the header {first_row:?}; name it with --column NAME or --column N (known: {})",
            NAMES.reply_headers.join(", ")
        )),
    }
}

/// Rows of a table looked at for its header, at most: a title row (or a
/// few) above the header is common in exports.
pub const HEADER_ROWS: usize = 10;

/// Non-blank cells of a row.
fn filled(row: &[String]) -> usize {
    row.iter().filter(|c| !c.trim().is_empty()).count()
}

/// Whether `row` names a reply column exactly (`Some(true)`), by
/// containment (`Some(false)`), or not at all (`None`); two equally
/// likely columns count as naming one, for [`pick_column`] to say so.
fn names_reply(row: &[String]) -> Option<bool> {
    match by_name(row) {
        Ok(Some((_, exact))) => Some(exact),
        Ok(None) => None,
        Err(_) => Some(true),
    }
}

/// The index of the header among a table's first rows `rows`: the first
/// that names a reply column and is not a title (a single non-blank cell
/// naming a reply only by containment, `千牛快捷短语导出`, in a wider row or
/// above another row naming a reply), every row above it a title or
/// narrower (fewer non-blank cells). `None`: no such row.
fn header_row(rows: &[Vec<String>]) -> Option<usize> {
    let window = &rows[..rows.len().min(HEADER_ROWS)];
    let title = |i: usize| {
        let row = &window[i];
        filled(row) == 1
            && names_reply(row) == Some(false)
            && (row.len() > 1 || window[i + 1..].iter().any(|below| names_reply(below).is_some()))
    };
    (0..window.len()).find(|&i| {
        names_reply(&window[i]).is_some()
            && !title(i)
            && (0..i).all(|above| title(above) || filled(&window[above]) < filled(&window[i]))
    })
}

/// The header row and reply column of a table whose first rows are `rows`
/// (each with its 1-based line, or row of a sheet: `place` names which).
/// Without `--column` and `--no-header`, the header is looked for in the
/// first [`HEADER_ROWS`] rows (see [`header_row`]); rows above it are not
/// replies, and the note names its place. Otherwise as [`pick_column`]
/// decides for the first row.
///
/// # Errors
/// As [`pick_column`].
pub fn pick_header(
    rows: &[(usize, Vec<String>)],
    chosen: Option<&str>,
    header: Option<bool>,
    place: &str,
) -> Result<(usize, ColumnChoice), String> {
    let cells: Vec<Vec<String>> = rows.iter().take(HEADER_ROWS).map(|(_, r)| r.clone()).collect();
    if chosen.is_none()
        && header != Some(false)
        && let Some(at) = header_row(&cells).filter(|&at| at > 0)
    {
        let mut choice = pick_column(&cells[at], None, Some(true))?;
        let shown: Vec<String> = cells[at]
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| shown(c))
            .collect();
        let above = if at == 1 {
            format!("the {place} above it is not a reply")
        } else {
            format!("the {at} {place}s above it are not replies")
        };
        let said = format!("the header is {place} {} ({}); {above}", rows[at].0, shown.join(", "));
        choice.note = Some(choice.note.map_or(said.clone(), |n| format!("{said}; {n}")));
        return Ok((at, choice));
    }
    let first = cells.first().map_or(&[][..], Vec::as_slice);
    Ok((0, pick_column(first, chosen, header)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    fn pick(cells: &[&str], chosen: Option<&str>, header: Option<bool>) -> Result<(usize, bool), String> {
        pick_column(&row(cells), chosen, header).map(|c| (c.column, c.has_header))
    }

    #[test]
    fn picks_the_reply_column() {
        assert_eq!(pick(&["分组", "快捷编码", "短语内容"], None, None), Ok((2, true)));
        assert_eq!(pick(&["group", " Reply "], None, None), Ok((1, true)));
        assert_eq!(pick(&["分組", "內容"], None, None), Ok((1, true)));
        assert_eq!(pick(&["亲,您好"], None, None), Ok((0, false)));
        assert_eq!(pick(&["a", "备注"], Some("备注"), None), Ok((1, true)));
        assert_eq!(pick(&["x", "y"], Some("2"), None), Ok((1, false)));
        assert_eq!(pick(&["x", "y"], Some("2"), Some(true)), Ok((1, true)));
        assert!(
            pick(&["a", "b"], None, None)
                .unwrap_err()
                .starts_with("no reply column")
        );
        assert!(pick(&["a", "b"], Some("9"), None).is_err());
        assert!(pick(&["a", "b"], Some("a"), Some(false)).is_err());
        assert!(pick(&["a", "b"], None, Some(false)).is_err());
    }

    #[test]
    fn ranks_and_contains_header_names() {
        // kefu-lint's own --output.
        let own = ["workbook", "sheet", "row", "column", "original", "fixed"];
        assert_eq!(pick(&own, None, None), Ok((5, true)));
        for name in [
            "话术内容",
            "客服回复",
            "回复话术",
            "答案",
            "answer",
            "快捷短语内容",
            "自动回复内容",
            "聊天记录",
        ] {
            assert_eq!(pick(&["编号", name], None, None), Ok((1, true)), "{name}");
        }
        // By containment, with a note; not a header about replies.
        let choice = pick_column(&row(&["回复时间", "标准回复(新)"]), None, None).unwrap();
        assert_eq!((choice.column, choice.has_header), (1, true));
        assert!(choice.note.unwrap().contains("column 2 (\"标准回复(新)\")"));
        assert!(pick(&["回复时间", "回复人"], None, None).is_err());
        // A one-column table headed by a reply name is a header.
        assert_eq!(pick(&["客服回复"], None, None), Ok((0, true)));
        assert!(
            pick(&["回复", "回复"], None, None)
                .unwrap_err()
                .contains("all look like")
        );
        // Taiwan's 回覆 and an FAQ's 回答 are replies; rates, counts and durations are not.
        for name in ["回覆", "標準回覆", "回覆內容", "回答", "客服回答"] {
            assert_eq!(pick(&["問題", name], None, None), Ok((1, true)), "{name}");
        }
        for about in [
            "回复率",
            "回复数",
            "回复时长",
            "回覆率",
            "平均回复时长",
            "回复次数",
            "回复耗时",
        ] {
            assert!(pick(&["问题", about], None, None).is_err(), "{about}");
        }
    }

    #[test]
    fn finds_the_header_below_title_rows() {
        let rows = |rows: &[&[&str]]| rows.iter().map(|r| row(r)).collect::<Vec<_>>();
        let title = rows(&[
            &["千牛快捷短语导出", "", ""],
            &["分组", "快捷编码", "快捷短语"],
            &["售前", "a", "你自己看吧"],
        ]);
        assert_eq!(header_row(&title), Some(1));
        let dated = rows(&[&["导出", "2024-05-01", ""], &[""], &["分组", "编码", "回复"]]);
        assert_eq!(header_row(&dated), Some(2));
        // One column: a title naming a reply above the exact header.
        assert_eq!(
            header_row(&rows(&[&["快捷短语导出"], &["快捷短语"], &["你好"]])),
            Some(1)
        );
        assert_eq!(header_row(&rows(&[&["快捷短语导出"], &["你好"]])), Some(0));
        // A reply named like a header below replies is not the header.
        assert_eq!(header_row(&rows(&[&["你好"], &["请稍等"], &["回复"]])), None);
        assert_eq!(header_row(&rows(&[&["a", "b"], &["c", "回复"]])), None);
        let numbered: Vec<(usize, Vec<String>)> = title.into_iter().enumerate().map(|(i, r)| (i + 1, r)).collect();
        let (at, choice) = pick_header(&numbered, None, None, "line").unwrap();
        assert_eq!((at, choice.column, choice.has_header), (1, 2, true));
        assert_eq!(
            choice.note.as_deref(),
            Some(r#"the header is line 2 ("分组", "快捷编码", "快捷短语"); the line above it is not a reply"#)
        );
        assert_eq!(pick_header(&numbered, Some("1"), None, "line").unwrap().0, 0);
    }
}
