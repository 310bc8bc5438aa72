//! `--fix`, `--diff`, `--output` and `--statistics` as a user meets them:
//! `--output` never replaces a file that is not its own, `--diff` shows
//! workbooks and lone carriage returns readably, the summaries count inputs
//! as `check` does, the JSON totals count what was not read, a Big5 file's
//! neutral replies are fixed in Traditional, and `explain` prints no empty
//! heading.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use support::{check, run, stderr, stdout};

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// A workbook whose sheet 话术 has the column 短语 holding `replies`.
fn workbook(replies: &[&str]) -> Vec<u8> {
    support::xlsx("话术", &support::inline_rows("短语", replies), None)
}

/// `text` in Big5.
fn big5(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(text);
    assert!(!unmappable, "{text} is Big5");
    bytes.into_owned()
}

// ---- 1. --output never destroys a file that is not its own ----

#[test]
fn output_refuses_an_existing_file_it_did_not_write_before_reading_anything() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let user = "\u{feff}分组,快捷编码,短语内容\n欢迎语,hy1,您好\n";
    fs::write(d.join("quick-replies.csv"), user).unwrap();
    fs::write(d.join("notes.txt"), "").unwrap();
    fs::write(d.join("book.xlsx"), workbook(&["你好"])).unwrap();
    fs::write(d.join("r.txt"), "你好\n").unwrap();
    for output in ["quick-replies.csv", "notes.txt"] {
        let out = check(d, &["--fix", "--output", output, "book.xlsx", "r.txt"]);
        assert_eq!(code(&out), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "--output {output} exists and is not a file kefu-lint's --output wrote"
            )),
            "{err}"
        );
        assert!(stdout(&out).is_empty(), "nothing read: {}", stdout(&out));
        // Nothing was read, so nothing was fixed either.
        assert_eq!(fs::read_to_string(d.join("r.txt")).unwrap(), "你好\n");
    }
    assert_eq!(fs::read_to_string(d.join("quick-replies.csv")).unwrap(), user);
    assert_eq!(fs::read_to_string(d.join("notes.txt")).unwrap(), "");
    // A symbolic link to the user's file is the user's file.
    std::os::unix::fs::symlink("quick-replies.csv", d.join("link.csv")).unwrap();
    let out = check(d, &["--fix", "--output", "link.csv", "book.xlsx"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(d.join("quick-replies.csv")).unwrap(), user);
}

#[test]
fn output_replaces_its_own_earlier_output_and_text_inputs_are_fixed_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("book.xlsx"), workbook(&["你好"])).unwrap();
    fs::write(d.join("r.txt"), "你好\n").unwrap();
    let out = check(d, &["--fix", "--output", "fixed.csv", "book.xlsx", "r.txt"]);
    // The workbook stays as it was, so its finding remains: 1.
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    // The text input is fixed in place, as --fix does; only workbooks go to --output.
    assert_eq!(fs::read_to_string(d.join("r.txt")).unwrap(), "您好\n");
    let first = fs::read_to_string(d.join("fixed.csv")).unwrap();
    assert!(
        first.starts_with("\u{feff}workbook,sheet,row,column,original,fixed\n"),
        "{first}"
    );
    // A second run replaces it (its first line says whose it is).
    fs::write(d.join("book.xlsx"), workbook(&["谢谢你"])).unwrap();
    let out = check(d, &["--fix", "--output", "fixed.csv", "book.xlsx"]);
    assert!(
        stderr(&out).contains("Wrote the fixed replies of 1 workbook to fixed.csv"),
        "{}",
        stderr(&out)
    );
    let second = fs::read_to_string(d.join("fixed.csv")).unwrap();
    assert!(second.contains(",谢谢你,谢谢您"), "{second}");
    assert!(!second.contains("你好"), "{second}");
    // Only text inputs: fixed in place, and the note says where --output fits.
    fs::write(d.join("y.txt"), "你好\n").unwrap();
    let out = check(d, &["--fix", "--output", "y.csv", "y.txt"]);
    assert_eq!(fs::read_to_string(d.join("y.txt")).unwrap(), "您好\n");
    assert!(
        stderr(&out).contains("not written (it is for workbooks: --fix fixes text inputs in place)"),
        "{}",
        stderr(&out)
    );
    assert!(!d.join("y.csv").exists());
}

#[test]
fn output_lists_only_replies_whose_text_a_fix_changed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A safe fix; an unsafe fix only (但是, not applied without --unsafe-fixes);
    // no finding at all, the text of a GitHub workflow command; clean.
    let book1 = workbook(&["你好", "衣服很好,但是有点薄哦", "::error::pwned", "您好"]);
    fs::write(d.join("book1.xlsx"), book1).unwrap();
    // A workbook with nothing its fixes change: absent from the file.
    fs::write(d.join("book2.xlsx"), workbook(&["这件我们不讲价哦", "谢谢你"])).unwrap();
    fs::write(d.join("book3.xlsx"), workbook(&["亲,您好"])).unwrap();
    let out = check(
        d,
        &[
            "--fix",
            "--output",
            "fixed.csv",
            "book1.xlsx",
            "book2.xlsx",
            "book3.xlsx",
        ],
    );
    assert!(
        stderr(&out).contains("Wrote the fixed replies of 2 workbooks to fixed.csv"),
        "{}",
        stderr(&out)
    );
    let written = fs::read_to_string(d.join("fixed.csv")).unwrap();
    let rows: Vec<&str> = written.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{written}");
    assert!(rows[0].starts_with("book1.xlsx,话术,2,短语,你好,您好"), "{written}");
    assert!(rows[1].starts_with("book2.xlsx,话术,3,短语,谢谢你,谢谢您"), "{written}");
    for unchanged in ["但是", "pwned", "不讲价", "book3"] {
        assert!(!written.contains(unchanged), "{unchanged} is not changed: {written}");
    }
    // With --unsafe-fixes the 但是 row has a change to list.
    let out = check(d, &["--fix", "--unsafe-fixes", "--output", "fixed.csv", "book1.xlsx"]);
    assert!(stderr(&out).contains("fixed 2 findings in 1 input"), "{}", stderr(&out));
    let written = fs::read_to_string(d.join("fixed.csv")).unwrap();
    assert_eq!(written.lines().count(), 3, "{written}");
    assert!(
        written.contains(",\"衣服很好,但是有点薄哦\",\"衣服很好,不过有点薄哦\""),
        "{written}"
    );
}

#[test]
fn output_must_be_named_csv_and_kefu_lint_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("book.xlsx"), workbook(&["你好", "你自己看吧"])).unwrap();
    fs::create_dir(d.join("out")).unwrap();
    for name in ["out/new.tsv", "out/new.txt", "out/new", "out/new.jsonl"] {
        let out = check(d, &["--fix", "--output", name, "book.xlsx"]);
        assert_eq!(code(&out), Some(2), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("--output {name}: the fixed replies are written as CSV")),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("name the file .csv"), "{}", stderr(&out));
    }
    assert_eq!(fs::read_dir(d.join("out")).unwrap().count(), 0, "nothing written");
    // A .csv name (any case) is written, and checking it checks the fixed replies.
    for name in ["out/new.csv", "out/NEW2.CSV"] {
        let out = check(d, &["--fix", "--output", name, "book.xlsx"]);
        assert_eq!(code(&out), Some(1), "{}", stderr(&out));
        let out = check(d, &["--format", "concise", name]);
        let (said, found) = (stderr(&out), stdout(&out));
        assert!(said.contains("in 2 replies from 1 input"), "{said}");
        // 你好 became 您好 (clean); 您自己看吧 is still a brush-off, at row 3 of the file.
        assert!(
            found.contains(&format!("{name}:3:")) && found.contains("KF003"),
            "{found}"
        );
        assert!(!found.contains("KF011"), "{found}");
    }
}

#[test]
fn the_readme_says_what_output_replaces_and_that_text_inputs_are_fixed_in_place() {
    let readme = fs::read_to_string(Path::new(support::ROOT).join("README.md")).unwrap();
    assert!(readme.contains("`--output` never replaces a file that is not its own"));
    assert!(readme.contains("are still\n  fixed in place, as `--fix` always does"));
}

// ---- 2. --diff with --output is a usage error ----

#[test]
fn diff_with_output_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("book.xlsx"), workbook(&["你好"])).unwrap();
    for args in [
        &["--diff", "--output", "o.csv", "book.xlsx"][..],
        &["--diff", "--unsafe-fixes", "--output", "o.csv", "book.xlsx"],
    ] {
        let out = check(dir.path(), args);
        assert_eq!(code(&out), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("'--diff' cannot be used with '--output <FILE>'"), "{err}");
        assert!(!err.contains("Would fix"), "nothing checked: {err}");
        assert!(!dir.path().join("o.csv").exists());
    }
}

// ---- 3. --diff shows what would change in a workbook ----

#[test]
fn diff_of_a_workbook_shows_each_fixed_reply_by_sheet_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    // The second reply holds a line break: still one line in the diff.
    let book = workbook(&["亲,您好哦", "你的订单已发货", "谢谢你\n再见"]);
    fs::write(dir.path().join("book.xlsx"), &book).unwrap();
    let out = check(dir.path(), &["--diff", "book.xlsx"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let diff = stdout(&out);
    assert_eq!(
        diff,
        "--- a/book.xlsx\n+++ b/book.xlsx\n\
         @@ 话术 row 3, 短语 @@\n-你的订单已发货\n+您的订单已发货\n\
         @@ 话术 row 4, 短语 @@\n-谢谢你\\n再见\n+谢谢您\\n再见\n"
    );
    let err = stderr(&out);
    assert!(err.contains("a workbook is never rewritten"), "{err}");
    assert!(err.contains("--fix --output FILE.csv writes them"), "{err}");
    assert!(err.contains("Would fix 2 findings in 2 replies from 1 input."), "{err}");
    assert_eq!(fs::read(dir.path().join("book.xlsx")).unwrap(), book);
    // A sheet of replies with no header row: its hunks name sheet and row only.
    let bare = support::xlsx("备注", &support::inline_rows("谢谢你的耐心", &["你好"]), None);
    fs::write(dir.path().join("bare.xlsx"), &bare).unwrap();
    let out = check(dir.path(), &["--diff", "bare.xlsx"]);
    assert_eq!(
        stdout(&out),
        "--- a/bare.xlsx\n+++ b/bare.xlsx\n\
         @@ 备注 row 1 @@\n-谢谢你的耐心\n+谢谢您的耐心\n\
         @@ 备注 row 2 @@\n-你好\n+您好\n"
    );
}

// ---- 4. the --diff and --fix summaries count inputs as check does ----

#[test]
fn diff_summaries_count_inputs_as_check_does_and_agree_with_the_diff() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("r.txt"), "你好\n谢谢你\n").unwrap();
    fs::write(d.join("clean.txt"), "亲,您好哦\n").unwrap();
    // UTF-16LE with a BOM and an odd number of bytes: unreadable.
    fs::write(d.join("odd.txt"), b"\xFF\xFE\x60\x4f\x7d\x59\x0a\x00\x60").unwrap();
    let check_err = stderr(&check(d, &["odd.txt"]));
    assert!(
        check_err.contains("from 1 input; 1 input could not be read."),
        "{check_err}"
    );
    let out = check(d, &["--diff", "odd.txt"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("Nothing to fix from 1 input; 1 input could not be read."),
        "{}",
        stderr(&out)
    );
    let out = check(d, &["--diff", "r.txt", "clean.txt", "odd.txt"]);
    assert!(
        stderr(&out).contains("Would fix 2 findings in 2 replies from 3 inputs; 1 input could not be read."),
        "{}",
        stderr(&out)
    );
    // A diff printed for fixes the file's encoding cannot hold is counted, and said.
    fs::write(d.join("big5.txt"), big5("嗯嗯\n但是可以\n")).unwrap();
    let out = check(
        d,
        &[
            "--diff",
            "--unsafe-fixes",
            "--script",
            "hans",
            "--encoding",
            "big5",
            "big5.txt",
        ],
    );
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stdout(&out).contains("+好的没问题\n+不过可以\n"), "{}", stdout(&out));
    assert!(
        stderr(&out)
            .contains("Would fix 2 findings in 2 replies from 1 input; --fix could not write the fixes of 1 input."),
        "{}",
        stderr(&out)
    );
    // --fix counts as check does.
    let out = check(d, &["--fix", "r.txt", "odd.txt"]);
    assert!(
        stderr(&out).contains("in 2 replies from 2 inputs; fixed 2 findings in 1 input; 1 input could not be read."),
        "{}",
        stderr(&out)
    );
}

/// `--diff` tells the rows it could not read, as a check does, and exits 2
/// for them: a CI step using it does not pass over a broken row in silence.
#[test]
fn diff_tells_the_rows_it_could_not_read_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("q.csv"), "角色,内容\n客服,\"您好\n客服,你好\n").unwrap();
    fs::write(d.join("bad.jsonl"), "{\"content\": \"你好\"}\n{not json\n").unwrap();
    let out = check(d, &["--diff", "q.csv", "bad.jsonl"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("error: q.csv:2: unterminated quoted field"), "{err}");
    assert!(err.contains("error: bad.jsonl:2: invalid JSON"), "{err}");
    assert!(
        err.contains("Would fix 2 findings in 2 replies from 2 inputs; 2 rows could not be read as written."),
        "{err}"
    );
    assert!(stdout(&out).contains("+客服,您好"), "{}", stdout(&out));
}

// ---- 5. diff lines are readable and safe in a terminal or CI log ----

#[test]
fn diff_lines_hold_no_raw_carriage_return_but_before_a_line_feed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("mac.txt"), "亲,您好\r你的订单已发货\r请问还有什么\r你好\r").unwrap();
    let out = check(d, &["--diff", "mac.txt"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(!diff.contains('\r'), "{diff:?}");
    assert!(
        diff.contains("\n-你的订单已发货\\r\n+您的订单已发货\\r\n 请问还有什么\\r\n-你好\\r\n+您好\\r\n"),
        "{diff:?}"
    );
    assert!(
        stderr(&out).contains("shown with `\\r` at their end"),
        "{}",
        stderr(&out)
    );
    // --fix writes the real bytes.
    check(d, &["--fix", "mac.txt"]);
    assert_eq!(
        fs::read_to_string(d.join("mac.txt")).unwrap(),
        "亲,您好\r您的订单已发货\r请问还有什么\r您好\r"
    );
    // A carriage return inside a line of a CRLF file: CRLF stays, the lone one is shown.
    fs::write(d.join("crlf.txt"), "你好\r\n你看 \r::error::cr\r\n").unwrap();
    let diff = stdout(&check(d, &["--diff", "crlf.txt"]));
    for line in ["-你好\r\n", "-你看 \\r\n", "+您好\r\n", "+您看 \\r\n"] {
        assert!(diff.contains(line), "{line:?} in {diff:?}");
    }
    for line in diff.split('\n') {
        let body = line.strip_suffix('\r').unwrap_or(line);
        assert!(!body.contains('\r'), "{line:?}");
        assert!(!body.trim_start().starts_with("::"), "{line:?}");
    }
}

// ---- 6. --statistics --format json counts what was not read ----

#[test]
fn statistics_json_totals_count_unreadable_and_skipped_inputs_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("good.txt"), "你好\n").unwrap();
    fs::write(d.join("bin.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    fs::write(
        d.join("log.jsonl"),
        "{\"role\":\"客服\",\"content\":\"你好\"}\nnot json\n",
    )
    .unwrap();
    let out = check(
        d,
        &[
            "--statistics",
            "--format",
            "json",
            "--binary",
            "skip",
            "good.txt",
            "missing.txt",
            "bin.txt",
            "log.jsonl",
        ],
    );
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let stats: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let totals = &stats["totals"];
    assert_eq!(totals["inputs"], 4, "{totals}");
    assert_eq!(totals["unreadable_inputs"], 1, "{totals}");
    assert_eq!(totals["skipped_inputs"], 1, "{totals}");
    assert_eq!(totals["unreadable_rows"], 1, "{totals}");
    assert_eq!(totals["replies"], 2, "{totals}");
    let readme = fs::read_to_string(Path::new(support::ROOT).join("README.md")).unwrap();
    assert!(readme.contains("\"unreadable_inputs\", \"unreadable_rows\", \"unreadable_sheets\", \"skipped_inputs\""));
}

// ---- 7. a Big5 file is Traditional: its neutral replies are fixed in Traditional ----

#[test]
fn a_big5_file_of_neutral_replies_gets_traditional_rewrites_it_can_hold() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("n.txt"), big5("嗯嗯\n但是可以\n")).unwrap();
    let out = check(d, &["--diff", "--unsafe-fixes", "n.txt"]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("+好的沒問題\n+不過可以\n"), "{}", stdout(&out));
    // Checked (streamed), its messages are Traditional too.
    let out = check(d, &["--format", "concise", "n.txt"]);
    assert!(stdout(&out).contains("換成“好的沒問題”"), "{}", stdout(&out));
    // And --fix writes them, in Big5.
    let out = check(d, &["--fix", "--unsafe-fixes", "n.txt"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read(d.join("n.txt")).unwrap(), big5("好的沒問題\n不過可以\n"));
    // A Big5 table too; --script still decides when given.
    fs::write(d.join("t.csv"), big5("話術\n嗯\n")).unwrap();
    let out = check(d, &["--diff", "--unsafe-fixes", "t.csv"]);
    assert!(stdout(&out).contains("+好的沒問題\n"), "{}", stdout(&out));
    let out = check(d, &["--format", "concise", "--script", "hans", "t.csv"]);
    assert!(stdout(&out).contains("换成“好的没问题”"), "{}", stdout(&out));
}

// ---- 8. explain prints no empty heading, and says when it quotes ----

#[test]
fn explain_prints_no_empty_heading_and_says_the_guideline_is_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = stdout(&run(dir.path(), &["rules"], None))
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    assert!(ids.len() > 10, "{ids:?}");
    for id in &ids {
        for script in ["hans", "hant"] {
            let text = stdout(&run(dir.path(), &["explain", id, "--script", script], None));
            let lines: Vec<&str> = text.lines().collect();
            for pair in lines.windows(2) {
                let heading = pair[0].ends_with(':') && !pair[0].starts_with(' ');
                assert!(
                    !heading || !pair[1].trim().is_empty(),
                    "{id} --script {script}: empty {:?}\n{text}",
                    pair[0]
                );
            }
        }
    }
    let hant = stdout(&run(dir.path(), &["explain", "KF002", "--script", "hant"], None));
    assert!(hant.contains("依據 网店售中客服培训讲义"), "{hant}");
    assert!(hant.contains("(標題與引文照錄指引原文,未轉換字體)"), "{hant}");
    let hans = stdout(&run(dir.path(), &["explain", "KF002", "--script", "hans"], None));
    assert!(
        !hans.contains("照录指引原文"),
        "a Simplified quotation under a Simplified label: {hans}"
    );
}
