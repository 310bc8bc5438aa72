//! What the end-to-end tests share: running the `kefu-lint` binary.

// Each test crate includes this module and uses part of it.
#![allow(dead_code)]

use std::io::{self, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root, where the bundled examples and evaluation sets are.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// `kefu-lint` with `args`, to run in `dir`, without colour.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kefu-lint"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    command
}

/// Runs `kefu-lint` in `dir` with `args` and `stdin` (empty when `None`),
/// and waits for it.
pub fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let input = stdin.unwrap_or_default().to_owned();
    run_fed(dir, args, move |pipe| pipe.write_all(input.as_bytes()))
}

/// Runs `kefu-lint` in `dir` with `args` while `feed` writes its standard
/// input from another thread (so that input of any size streams in), and
/// waits for both.
pub fn run_fed(
    dir: &Path,
    args: &[&str],
    feed: impl FnOnce(&mut ChildStdin) -> io::Result<()> + Send + 'static,
) -> Output {
    let mut child = command(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu-lint starts");
    let mut pipe = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || feed(&mut pipe));
    let out = child.wait_with_output().expect("kefu-lint finishes");
    writer.join().expect("writer thread").expect("standard input written");
    out
}

/// Standard output, which must be UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout")
}

/// Standard error, which must be UTF-8.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 stderr")
}

/// `text` escaped for XML content and attributes, line breaks included.
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
}

/// The `<sheetData>` rows of a column headed `header` holding `replies`, as
/// inline strings from A1 down.
pub fn inline_rows(header: &str, replies: &[&str]) -> String {
    std::iter::once(header)
        .chain(replies.iter().copied())
        .enumerate()
        .map(|(i, text)| {
            let r = i + 1;
            format!(
                r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c></row>"#,
                xml_escape(text)
            )
        })
        .collect()
}

/// An `.xlsx` written by hand: one sheet named `sheet` whose `<sheetData>`
/// is `rows`, and, when given, shared strings declaring `unique` of them
/// (a count that may lie).
pub fn xlsx(sheet: &str, rows: &str, shared: Option<(&[&str], &str)>) -> Vec<u8> {
    xlsx_sharing_one_part(&[sheet], rows, shared)
}

/// A row of shared-string cells `(reference, string index)` of an `.xlsx` sheet.
pub fn xlsx_row(n: u32, cells: &[(&str, usize)]) -> String {
    let cells: String = cells
        .iter()
        .map(|(at, i)| format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>"))
        .collect();
    format!("<row r=\"{n}\">{cells}</row>")
}

/// [`xlsx`] with every sheet of `sheets` listed in the workbook and all of
/// them pointing at the same part: a real workbook has one part per sheet.
pub fn xlsx_sharing_one_part(sheets: &[&str], rows: &str, shared: Option<(&[&str], &str)>) -> Vec<u8> {
    let named: Vec<(&str, usize)> = sheets.iter().map(|name| (*name, 0)).collect();
    workbook(&named, &[rows], shared, None)
}

/// An `.xlsx` of `sheets`, each `(name, rows)` in a part of its own.
pub fn xlsx_sheets(sheets: &[(&str, &str)]) -> Vec<u8> {
    let named: Vec<(&str, usize)> = sheets.iter().enumerate().map(|(i, (name, _))| (*name, i)).collect();
    let rows: Vec<&str> = sheets.iter().map(|(_, rows)| *rows).collect();
    workbook(&named, &rows, None, None)
}

/// An `.xlsx` of one sheet, `rows`, whose cells with the style `s="1"`
/// are dates (number format 22, `m/d/yy h:mm`), counted in the 1904 date
/// system (Mac Excel's `date1904`) when `date1904`.
pub fn xlsx_dated(rows: &str, date1904: bool) -> Vec<u8> {
    workbook(&[("Sheet1", 0)], &[rows], None, Some(date1904))
}

/// An `.xlsx` whose sheets are `(name, index of its part)`, the parts
/// holding `parts`' rows, with shared strings as [`xlsx`] says, and, when
/// `dates` is given, a date style as [`xlsx_dated`] says.
fn workbook(sheets: &[(&str, usize)], parts: &[&str], shared: Option<(&[&str], &str)>, dates: Option<bool>) -> Vec<u8> {
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006";
    let types = "application/vnd.openxmlformats";
    let strings_rel = if shared.is_some() {
        format!(r#"<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>"#)
    } else {
        String::new()
    };
    let (styles_rel, workbook_pr) = match dates {
        Some(date1904) => (
            format!(r#"<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>"#),
            format!(r#"<workbookPr date1904="{}"/>"#, u8::from(date1904)),
        ),
        None => (String::new(), String::new()),
    };
    let overrides: String = (1..=parts.len())
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{types}-officedocument.spreadsheetml.worksheet+xml"/>"#))
        .collect();
    let sheet_rels: String = (0..parts.len())
        .map(|i| {
            format!(
                r#"<Relationship Id="rIdS{i}" Type="{rel}/worksheet" Target="worksheets/sheet{}.xml"/>"#,
                i + 1
            )
        })
        .collect();
    let mut parts_out: Vec<(String, String)> = vec![
        (
            "[Content_Types].xml".to_owned(),
            format!(
                r#"<Types xmlns="{package}/content-types"><Default Extension="rels" ContentType="{types}-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{types}-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
            ),
        ),
        (
            "_rels/.rels".to_owned(),
            format!(
                r#"<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml".to_owned(),
            format!(
                r#"<workbook xmlns="{main}" xmlns:r="{rel}">{workbook_pr}<sheets>{}</sheets></workbook>"#,
                sheets
                    .iter()
                    .enumerate()
                    .map(|(i, (name, part))| format!(
                        r#"<sheet name="{}" sheetId="{}" r:id="rIdS{part}"/>"#,
                        xml_escape(name),
                        i + 1
                    ))
                    .collect::<String>()
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_owned(),
            format!(
                r#"<Relationships xmlns="{package}/relationships">{sheet_rels}{strings_rel}{styles_rel}</Relationships>"#
            ),
        ),
    ];
    for (i, rows) in parts.iter().enumerate() {
        parts_out.push((
            format!("xl/worksheets/sheet{}.xml", i + 1),
            format!(r#"<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>"#),
        ));
    }
    if dates.is_some() {
        parts_out.push((
            "xl/styles.xml".to_owned(),
            format!(
                r#"<styleSheet xmlns="{main}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>"#
            ),
        ));
    }
    if let Some((strings, unique)) = shared {
        let items: String = strings
            .iter()
            .map(|s| format!("<si><t>{}</t></si>", xml_escape(s)))
            .collect();
        parts_out.push((
            "xl/sharedStrings.xml".to_owned(),
            format!(r#"<sst xmlns="{main}" uniqueCount="{unique}">{items}</sst>"#),
        ));
    }
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    for (name, text) in parts_out {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip part");
        zip.write_all(text.as_bytes()).expect("zip part written");
    }
    zip.finish().expect("zip written").into_inner()
}

/// Runs `command` with no standard input and fails the test if it takes
/// longer than 60 s (a run blocked on a FIFO, or reading something endless).
pub fn output_within_a_minute(mut command: Command) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu-lint starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    let finished = loop {
        if child.try_wait().expect("kefu-lint runs").is_some() {
            break true;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(finished, "{command:?} did not finish within a minute");
    child.wait_with_output().expect("kefu-lint finishes")
}

/// Makes a FIFO (named pipe) at `path`.
pub fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// `kefu-lint check --no-config ARGS` in `dir`, with empty standard input.
pub fn check(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["check", "--no-config"];
    all.extend_from_slice(args);
    run(dir, &all, None)
}

/// `kefu-lint check --no-config --format concise ARGS` in `dir`.
pub fn check_concise(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--format", "concise"];
    all.extend_from_slice(args);
    check(dir, &all)
}

/// Fails, showing `haystack`, unless it contains `needle`.
#[track_caller]
pub fn assert_has(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "no {needle:?} in:\n{haystack}");
}

/// Fails, showing `haystack`, if it contains `needle`.
#[track_caller]
pub fn assert_lacks(haystack: &str, needle: &str) {
    assert!(!haystack.contains(needle), "{needle:?} in:\n{haystack}");
}
