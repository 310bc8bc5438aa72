//! The bad-input matrix: one test per kind of broken input, each asserting the
//! message and the exit status, and that the other inputs are still checked.

mod support;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Output;

use support::xlsx_row as row;

fn run(dir: &Path, args: &[&str]) -> Output {
    support::command(dir, &["check", "--no-config", "--format", "concise"])
        .args(args)
        .output()
        .expect("kefu-lint runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A directory holding `name` with `bytes`, and a good file `ok.txt` whose
/// one finding shows the rest was still checked.
fn with_file(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join(name), bytes).expect("write input");
    fs::write(dir.path().join("ok.txt"), "嗯\n").expect("write input");
    dir
}

/// Asserts that `text` holds `part`, showing `text` if not.
fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "{text}");
}

fn assert_rest_checked(out: &Output) {
    assert_contains(&text(&out.stdout), "ok.txt:1:1: warning KF009");
}

#[test]
fn wrong_encoding() {
    // 你 in UTF-8, then two bytes no encoding reads after it: UTF-8, damaged
    // where it is.
    let dir = with_file("bad.txt", b"\xE4\xBD\xA0\xFF\xFE\n");
    let out = run(dir.path(), &["bad.txt", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), "error: bad.txt: not valid UTF-8 at byte 3\n");
    assert_contains(&text(&out.stderr), "1 input could not be read");
    assert_rest_checked(&out);
}

#[test]
fn a_bad_byte_after_an_ascii_start_comes_after_the_note_on_the_encoding() {
    // The first byte outside ASCII comes after the first block: the encoding
    // is chosen there, and its note is said before the error, in every mode.
    let mut bytes: Vec<u8> = (0..4000)
        .flat_map(|i| format!("order {i} shipped ok\n").into_bytes())
        .collect();
    let at = bytes.len();
    bytes.push(0xFF);
    bytes.extend(encoding_rs::GB18030.encode("谢谢您的耐心等待\n不客气\n").0.iter());
    let dir = with_file("late.txt", &bytes);
    for mode in [None, Some("--diff"), Some("--fix")] {
        let args: Vec<&str> = mode.into_iter().chain(["late.txt"]).collect();
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{mode:?}");
        let err = text(&out.stderr);
        assert_contains(&err, "note: late.txt: read as GB18030 (Simplified Chinese)");
        assert_contains(&err, &format!("error: late.txt: not valid GB18030 at byte {at}"));
        assert!(
            err.find("note: late.txt").unwrap() < err.find("error: late.txt").unwrap(),
            "{err}"
        );
    }
    assert_eq!(fs::read(dir.path().join("late.txt")).unwrap(), bytes);
}

#[test]
fn empty_and_blank_files() {
    let dir = with_file("empty.txt", b"");
    fs::write(dir.path().join("blank.txt"), " \n\t\r\n\u{3000}\n").unwrap();
    let out = run(dir.path(), &["empty.txt", "blank.txt", "ok.txt"]);
    assert_eq!(out.status.code(), Some(1), "only ok.txt has a finding");
    assert!(
        text(&out.stderr).ends_with("in 1 reply from 3 inputs.\n"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn binary_file_is_an_error_unless_skipped() {
    // A NUL byte anywhere (here past the first 64 KB, and in a CSV cell)
    // makes a binary file, in every mode: an error by default, so that a CI
    // gate never passes over it; skipped and counted with --binary skip.
    let dir = with_file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    fs::write(dir.path().join("nul.txt"), "你自己看吧,爱买不买\n\0\n").unwrap();
    // Even in length, with the NUL where UTF-16BE would put a line end's.
    fs::write(dir.path().join("even.txt"), "你自己看吧\n\0\n").unwrap();
    let late = format!("{}你自己看吧\n\0\n", "亲,您好\n".repeat(10_000));
    fs::write(dir.path().join("late.txt"), late).unwrap();
    fs::write(dir.path().join("cell.csv"), "短语\n\"亲\0\"\n").unwrap();
    let inputs = ["image.txt", "nul.txt", "even.txt", "late.txt", "cell.csv", "ok.txt"];
    for mode in [None, Some("--fix"), Some("--diff")] {
        let args: Vec<&str> = mode.into_iter().chain(inputs).collect();
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{mode:?}");
        let err = text(&out.stderr);
        assert_contains(
            &err,
            "error: nul.txt: binary file (a NUL byte at byte 29); --binary skip skips such files",
        );
        assert_contains(&err, "error: even.txt: binary file (a NUL byte at byte 16)");
        assert_contains(&err, "error: late.txt: binary file (a NUL byte at byte 110016)");
        assert_contains(&err, "error: cell.csv: binary file (a NUL byte at byte 11)");
        if mode != Some("--diff") {
            assert_contains(&err, "5 inputs could not be read");
        }
    }
    let out = run(dir.path(), &["--binary", "skip", "image.txt", "nul.txt", "ok.txt"]);
    assert_eq!(out.status.code(), Some(1), "only ok.txt has a finding");
    let err = text(&out.stderr);
    assert_contains(&err, "note: image.txt: binary file (a NUL byte at byte 8), skipped");
    assert_contains(&err, "in 1 reply from 3 inputs; 2 inputs skipped.");
    assert_rest_checked(&out);
    assert_eq!(
        fs::read(dir.path().join("nul.txt")).unwrap(),
        "你自己看吧,爱买不买\n\0\n".as_bytes()
    );
}

/// A spreadsheet in a format kefu-lint does not read (OpenDocument .ods,
/// Apple Numbers, WPS) is an error like any binary file, with a note that
/// says what to do with it; with --binary skip it is skipped as one.
#[test]
fn a_spreadsheet_kefu_lint_does_not_read_says_what_to_do() {
    let dir = with_file(
        "sheet.ods",
        b"PK\x03\x04\x14\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
    );
    fs::write(dir.path().join("sheet.numbers"), b"PK\x03\x04\x00\x00\x00\x00").unwrap();
    let out = run(dir.path(), &["sheet.ods", "sheet.numbers"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let ods = "note: sheet.ods: an OpenDocument spreadsheet (LibreOffice, WPS): kefu-lint reads .xlsx and .xls workbooks; save it as .xlsx or .csv and check that";
    assert_contains(&err, ods);
    assert_contains(
        &err,
        "note: sheet.numbers: an Apple Numbers spreadsheet: kefu-lint reads",
    );
    assert_contains(&err, "error: sheet.ods: binary file");
    // A chat-log audit says the same.
    let out = run(dir.path(), &["--sessions", "sheet.ods"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), ods);
    let out = run(dir.path(), &["--binary", "skip", "sheet.ods"]);
    assert!(!text(&out.stderr).contains("save it as"), "skipped, not an error");
}

#[test]
fn one_encoding_detection_for_every_mode() {
    let dir = with_file("le.txt", &utf16("你好,但是不行\n亲,你看吧\n", true));
    fs::write(dir.path().join("be.txt"), utf16("你好,但是不行\n", false)).unwrap();
    // GBK whose first 84,000 bytes are ASCII.
    let mut gbk = b"hello world\n".repeat(7000);
    gbk.extend_from_slice(&encoding_rs::GB18030.encode("你好,但是不行\n").0);
    fs::write(dir.path().join("gbk.txt"), &gbk).unwrap();
    let big5 = encoding_rs::BIG5
        .encode("您好,但是這個不行,請您見諒。我們會盡快處理您的訂單\n")
        .0;
    fs::write(dir.path().join("big5.txt"), &big5).unwrap();
    let out = run(dir.path(), &["le.txt", "be.txt", "gbk.txt", "big5.txt", "ok.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let (stdout, err) = (text(&out.stdout), text(&out.stderr));
    assert_contains(
        &err,
        "note: le.txt: read as UTF-16LE (Unicode); the file has no byte-order mark",
    );
    assert_contains(
        &err,
        "note: be.txt: read as UTF-16BE (Unicode); the file has no byte-order mark",
    );
    assert_contains(
        &err,
        "note: gbk.txt: read as GB18030 (Simplified Chinese); the file is not UTF-8, and GB18030 fits it better than Big5 — use --encoding to choose (its first 84000 bytes are ASCII",
    );
    assert_contains(
        &err,
        "note: big5.txt: read as Big5 (Traditional Chinese); the file is not UTF-8, and Big5 fits it better than GB18030 — use --encoding to choose",
    );
    for found in [
        "le.txt:1:4: warning KF007",
        "le.txt:2:3: warning KF011",
        "be.txt:1:4: warning KF007",
    ] {
        assert_contains(&stdout, found);
    }
    assert_contains(&stdout, "gbk.txt:7001:4: warning KF007");
    assert_contains(&stdout, "big5.txt:1:4: warning KF007");
    assert_rest_checked(&out);
    // --encoding is obeyed for a file without a byte-order mark, and any label is known.
    let out = run(dir.path(), &["--encoding", "utf-16le", "le.txt"]);
    assert_contains(&text(&out.stdout), "le.txt:1:4: warning KF007");
    assert!(!text(&out.stderr).contains("note:"), "{}", text(&out.stderr));
    let out = run(dir.path(), &["--encoding", "big5", "big5.txt"]);
    assert_contains(&text(&out.stdout), "big5.txt:1:4: warning KF007");
    // --diff and --fix read the same text in the same encodings.
    let out = run(dir.path(), &["--diff", "le.txt", "gbk.txt"]);
    assert_contains(
        &text(&out.stderr),
        "note: le.txt: read as UTF-16LE (Unicode); the file has no byte-order mark",
    );
    assert_contains(
        &text(&out.stderr),
        "note: gbk.txt: read as GB18030 (Simplified Chinese); the file is not UTF-8, and GB18030 fits it better than Big5 — use --encoding to choose (its first 84000 bytes are ASCII",
    );
    assert_contains(&text(&out.stdout), "+您好,但是不行");
    assert_contains(&text(&out.stdout), "@@ -7000,2 +7000,2 @@");
    let out = run(dir.path(), &["--fix", "le.txt", "gbk.txt"]);
    assert_eq!(
        fs::read(dir.path().join("le.txt")).unwrap(),
        utf16("您好,但是不行\n亲,您看吧\n", true)
    );
    assert_contains(&text(&out.stdout), "gbk.txt:7001:4: warning KF007");
    assert!(
        fs::read(dir.path().join("gbk.txt"))
            .unwrap()
            .ends_with(&encoding_rs::GB18030.encode("您好,但是不行\n").0)
    );
}

/// `text` in UTF-16 without a byte-order mark.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| {
            if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            }
        })
        .collect()
}

#[test]
fn huge_single_line() {
    // 1 MB without a line break (just under the limit), streamed into standard input: one reply,
    // checked, its finding at the right column.
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("ok.txt"), "嗯\n").expect("write input");
    let phrase = "亲,您好,很高兴为您服务哦"; // 13 characters, 35 bytes
    let args = ["check", "--no-config", "--format", "concise", "-", "ok.txt"];
    let out = support::run_fed(dir.path(), &args, move |stdin| {
        stdin.write_all(phrase.repeat(29_000).as_bytes())?;
        stdin.write_all("但是".as_bytes())
    });
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let column = 29_000 * 13 + 1;
    assert_contains(&text(&out.stdout), &format!("<stdin>:1:{column}: warning KF007"));
    assert!(
        text(&out.stderr).ends_with("in 2 replies from 2 inputs.\n"),
        "{}",
        text(&out.stderr)
    );
    assert_rest_checked(&out);
}

#[test]
fn a_line_over_the_limit_is_an_error_for_its_input() {
    // 100 MB without a line break: longer than any reply, and an endless
    // one would hold memory without bound. kefu-lint stops reading it, so
    // the writer's later writes may fail.
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("ok.txt"), "嗯\n").expect("write input");
    let args = ["check", "--no-config", "--format", "concise", "-", "ok.txt"];
    let out = support::run_fed(dir.path(), &args, move |stdin| {
        let chunk = "亲,您好".repeat(100_000);
        for _ in 0..100 {
            if stdin.write_all(chunk.as_bytes()).is_err() {
                break;
            }
        }
        Ok(())
    });
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_contains(
        &text(&out.stderr),
        "error: <stdin>: line 1 is longer than 1 MiB; it and what follows are not checked",
    );
    assert_rest_checked(&out);
}

#[test]
fn csv_with_a_ragged_row() {
    let dir = with_file("t.csv", "分组,编码,短语\n售前,a1,你好\n售后\n售后,a3,嗯\n".as_bytes());
    let out = run(dir.path(), &["t.csv", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &text(&out.stderr),
        "error: t.csv:3: row has 1 field, no column \"短语\"",
    );
    let found = text(&out.stdout);
    assert!(found.contains("t.csv:2:") && found.contains("t.csv:4:"), "{found}");
    assert_contains(&text(&out.stderr), "1 row could not be read");
}

#[test]
fn csv_with_an_unterminated_quote() {
    let dir = with_file("t.csv", "短语\n你好\n\"没有结尾的引号,\n嗯\n".as_bytes());
    let out = run(dir.path(), &["t.csv", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_contains(&text(&out.stderr), "error: t.csv:3: unterminated quoted field");
    assert_contains(&text(&out.stdout), "t.csv:2:1: warning KF011");
    // The row after the quote is read as a row, not as the quoted field's rest.
    assert_contains(&text(&out.stdout), "t.csv:4:1: warning KF009");
    assert_rest_checked(&out);
}

#[test]
fn malformed_json_lines() {
    let dir = with_file(
        "c.jsonl",
        b"{\"role\":\"agent\",\"content\":\"\xE4\xBD\xA0\xE5\xA5\xBD\"}\n{oops\n[1,2]\n{\"role\":\"agent\"}\n",
    );
    let out = run(dir.path(), &["c.jsonl", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_contains(&err, "error: c.jsonl:2: invalid JSON");
    assert_contains(&err, "error: c.jsonl:3: not a JSON object");
    // A message without text, beside others with one, is skipped and counted.
    assert_contains(
        &err,
        "note: c.jsonl: 1 message whose text is null or missing (no field content or text",
    );
    assert_contains(&err, "2 rows could not be read");
    assert_contains(&text(&out.stdout), "c.jsonl:1:");
    assert_rest_checked(&out);
}

#[test]
fn a_chat_log_role_that_is_neither_side_is_a_problem() {
    // Agent turns written as "bot" are not passed over in silence.
    let log = "{\"role\":\"user\",\"content\":\"在吗\"}\n{\"role\":\"bot\",\"content\":\"爱买不买\"}\n{\"role\":\"客服\",\"content\":\"亲,在的哦\"}\n";
    let dir = with_file("c.jsonl", log.as_bytes());
    let out = run(dir.path(), &["c.jsonl", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_contains(
        &text(&out.stderr),
        "error: c.jsonl:2: role \"bot\" is neither an agent's",
    );
    assert_contains(&text(&out.stderr), "1 row could not be read");
    assert_rest_checked(&out);
    // A null role is a missing one: the message is checked, never a role "null".
    fs::write(dir.path().join("n.jsonl"), "{\"role\":null,\"content\":\"你\"}\n").unwrap();
    let out = run(dir.path(), &["n.jsonl"]);
    assert_contains(&text(&out.stdout), "n.jsonl:1:");
    assert_contains(&text(&out.stderr), "1 message whose sender is null checked");
    assert!(!text(&out.stderr).contains("\"null\""), "{}", text(&out.stderr));
    // Named as the agent's, it is checked; the others are the customer's.
    let out = run(dir.path(), &["--agent-role", "bot", "c.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_contains(&text(&out.stdout), "c.jsonl:2:");
}

#[test]
fn options_that_only_mean_something_when_fixing_are_refused_without_it() {
    let dir = with_file("keep.txt", b"");
    for args in [
        &["--unsafe-fixes", "ok.txt"][..],
        &["--output", "o.csv", "ok.txt"],
        &["--max-fix-size", "1M", "ok.txt"],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_contains(&text(&out.stderr), "the following required arguments were not provided");
    }
    assert_eq!(
        run(dir.path(), &["--diff", "--unsafe-fixes", "ok.txt"]).status.code(),
        Some(1)
    );
    // Options for a format no input has are named as not used.
    let out = run(
        dir.path(),
        &["--column", "3", "--sheet", "售前", "--field", "a.b", "ok.txt"],
    );
    assert_eq!(out.status.code(), Some(1));
    for option in ["--column", "--sheet", "--field"] {
        assert_contains(&text(&out.stderr), &format!("note: {option} applies to"));
    }
}

#[test]
fn a_table_with_two_reply_columns_asks_which() {
    // Checking one and passing over the other would let a CI gate pass.
    let dir = with_file("dup.csv", "回复,回复\n亲,你的\n".as_bytes());
    fs::write(dir.path().join("two.csv"), "内容,回复\n亲,你的\n").unwrap();
    let out = run(dir.path(), &["dup.csv", "two.csv", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_contains(
        &text(&out.stderr),
        "error: dup.csv: columns 1 (\"回复\"), 2 (\"回复\") all look like the reply column",
    );
    assert_contains(&text(&out.stderr), "error: two.csv: columns 1 (\"内容\"), 2 (\"回复\")");
    assert_rest_checked(&out);
    let out = run(dir.path(), &["--column", "2", "dup.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_contains(&text(&out.stdout), "dup.csv:2:");
}

#[test]
fn missing_path_and_empty_directory() {
    let dir = with_file("keep.txt", b"");
    fs::create_dir(dir.path().join("nothing")).unwrap();
    fs::write(dir.path().join("nothing/readme.md"), "嗯").unwrap();
    let out = run(dir.path(), &["gone.txt", "nothing", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_contains(&err, "error: gone.txt: No such file or directory");
    assert_contains(&err, "error: nothing: no files to check in this directory");
    assert_contains(&err, "2 inputs could not be read");
    assert_rest_checked(&out);
}

#[test]
fn workbook_that_is_another_zip() {
    // A zip archive (an empty one) that is no workbook.
    let dir = with_file("book.xlsx", b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    let out = run(dir.path(), &["book.xlsx", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), "error: book.xlsx: not a readable workbook");
    assert_rest_checked(&out);
}

#[test]
fn a_stray_quote_inside_an_unquoted_field_is_text() {
    // Read as the csv crate reads it: the quote opens no field, so the row is
    // whole, and a large file of such rows is still read in pieces.
    let row = "售前\t他说\"好的,但是不能改价\n";
    let dir = with_file("s.tsv", format!("分组\t短语\n{row}").as_bytes());
    let out = run(dir.path(), &["s.tsv", "ok.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("unterminated"), "{}", text(&out.stderr));
    assert_contains(&text(&out.stdout), "s.tsv:2:10: warning KF007");
    assert_rest_checked(&out);

    let big = format!("分组\t短语\n{}售前\t最后一行,但是\n", row.repeat(100_000));
    let dir = with_file("big.tsv", big.as_bytes());
    let out = run(dir.path(), &["--statistics", "big.tsv"]);
    assert_contains(&text(&out.stderr), "in 100001 replies from 1 input");
    // --fix rewrites such a field in place, quotes as they were.
    let dir = with_file("f.tsv", "分组\t短语\n售前\t他说\"你好\n".as_bytes());
    let out = run(dir.path(), &["--fix", "f.tsv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        fs::read_to_string(dir.path().join("f.tsv")).unwrap(),
        "分组\t短语\n售前\t他说\"您好\n"
    );
    // A quote that does open a field and never closes is still reported.
    let dir = with_file("u.csv", "短语\n\"亲,您好\n你好\n".as_bytes());
    let out = run(dir.path(), &["u.csv"]);
    assert_contains(&text(&out.stderr), "u.csv:2: unterminated quoted field");
}

#[test]
fn a_lone_cr_ends_a_line() {
    // Old Mac line ends: every line is its own reply, numbered as a text
    // editor numbers it, in text, tables (a CR inside quotes stays in the
    // cell) and JSON Lines, when checking and when fixing.
    let dir = with_file("mac.txt", "亲,您好\r但是不行\r\r您好,你看\r".as_bytes());
    fs::write(dir.path().join("mac.csv"), "短语\r亲\r\"多行\r但是\"\r但是\r").unwrap();
    let jsonl = "{\"role\":\"agent\",\"content\":\"亲\"}\r{\"role\":\"agent\",\"content\":\"但是呢\"}\r";
    fs::write(dir.path().join("mac.jsonl"), jsonl).unwrap();
    let out = run(dir.path(), &["mac.txt", "mac.csv", "mac.jsonl", "ok.txt"]);
    let stdout = text(&out.stdout);
    assert_contains(&stdout, "mac.txt:2:1: warning KF007");
    assert_contains(&stdout, "mac.txt:4:4: warning KF011");
    assert_contains(&stdout, "mac.csv:4:1: warning KF007");
    assert_contains(&stdout, "mac.csv:5:1: warning KF007");
    assert_contains(&stdout, "mac.jsonl:2:28: warning KF007");
    assert_contains(&text(&out.stderr), "in 9 replies from 4 inputs");
    assert_rest_checked(&out);
    let out = run(dir.path(), &["--fix", "mac.txt"]);
    assert_contains(&text(&out.stdout), "mac.txt:2:1: warning KF007");
    assert_eq!(
        fs::read_to_string(dir.path().join("mac.txt")).unwrap(),
        "亲,您好\r但是不行\r\r您好,您看\r"
    );
}

#[test]
fn an_entry_that_cannot_be_walked_spares_the_rest_of_its_directory() {
    // A path over 4,096 bytes (the walker cannot open it), a symbolic link
    // back up the tree, and a readable file beside them.
    let dir = with_file("keep.txt", b"");
    let tree = dir.path().join("tree");
    fs::create_dir_all(tree.join("a")).unwrap();
    fs::write(tree.join("a/x.txt"), "但是\n").unwrap();
    std::os::unix::fs::symlink("..", tree.join("a/up")).unwrap();
    let deep = std::process::Command::new("sh")
        .arg("-c")
        .arg("cd tree && n=$(printf 'd%.0s' $(seq 200)) && for i in $(seq 25); do mkdir $n && cd -P $n || exit 1; done && echo 但是 > deep.txt")
        .current_dir(dir.path())
        .status()
        .expect("sh runs");
    assert!(deep.success());
    let out = run(dir.path(), &["tree", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_contains(&err, "File name too long");
    assert_contains(
        &err,
        "error: File system loop found: tree/a/up points to an ancestor tree",
    );
    assert_contains(&err, "2 inputs could not be read");
    assert_contains(&text(&out.stdout), "tree/a/x.txt:1:1: warning KF007");
    assert_rest_checked(&out);
}

#[test]
fn a_walk_checks_what_symbolic_links_point_to() {
    // A CI gate over a directory must not pass a file because it is linked in.
    let dir = with_file("keep.txt", b"");
    let d = dir.path();
    fs::create_dir_all(d.join("real/sub")).unwrap();
    fs::write(d.join("real/bad.txt"), "你自己看吧\n").unwrap();
    fs::write(d.join("real/sub/worse.txt"), "爱买不买\n").unwrap();
    fs::create_dir(d.join("tree")).unwrap();
    std::os::unix::fs::symlink("../real/bad.txt", d.join("tree/replies.txt")).unwrap();
    std::os::unix::fs::symlink("../real/sub", d.join("tree/linked")).unwrap();
    std::os::unix::fs::symlink("../nowhere.txt", d.join("tree/gone.txt")).unwrap();
    let out = run(d, &["tree", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let found = text(&out.stdout);
    assert_contains(&found, "tree/replies.txt:1:1: error KF003");
    assert_contains(&found, "tree/linked/worse.txt:1:1:");
    assert_contains(&text(&out.stderr), "gone.txt");
    assert_rest_checked(&out);
}

/// An `.xlsx` of one sheet whose `<sheetData>` is `rows` and whose shared
/// strings are `strings`, declaring `unique` of them.
fn xlsx(rows: &str, strings: &[&str], unique: &str) -> Vec<u8> {
    support::xlsx("S1", rows, Some((strings, unique)))
}

#[test]
fn sheets_that_share_one_part_are_refused() {
    // 1,000 sheets naming one 8 MB part: reading each sheet would inflate
    // it again, 8 GB in all, from a file of kilobytes.
    let rows = format!("{}{}", row(1, &[("A1", 0)]), " ".repeat(8 << 20));
    let names: Vec<String> = (0..1000).map(|i| format!("S{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let dir = with_file(
        "shared.xlsx",
        &support::xlsx_sharing_one_part(&names, &rows, Some((&["短语"], "1"))),
    );
    let out = run(dir.path(), &["shared.xlsx", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_contains(
        &text(&out.stderr),
        "error: shared.xlsx: not a readable workbook: it lists 1000 sheets but has 1 sheet parts: parts are missing, or sheets share a part",
    );
    assert_rest_checked(&out);
    // (Workbooks of several sheets, each its own part, are read as ever:
    // workbooks_report_sheet_row_and_column in tests/workflow.rs.)
}

#[test]
fn hostile_workbooks_are_errors_for_that_input_and_the_rest_is_checked() {
    let strings = ["短语", "你好,但是不行"];
    let header = row(1, &[("A1", 0)]);
    let books: Vec<(&str, Vec<u8>)> = vec![
        // Cells at A1 and XFD1048576 once made a 17-billion-cell rectangle (abort).
        (
            "far.xlsx",
            xlsx(
                &format!(
                    "{header}{}{}",
                    row(2, &[("A2", 1)]),
                    row(1_048_576, &[("XFD1048576", 1)])
                ),
                &strings,
                "2",
            ),
        ),
        ("unique.xlsx", xlsx(&header, &strings, "4294967295")),
        ("huge-unique.xlsx", xlsx(&header, &strings, "99999999999999999999999")),
        // 2 MB of sheet from a small zip, over a 1 MiB limit.
        (
            "bomb.xlsx",
            xlsx(&format!("{header}{}", " ".repeat(2 << 20)), &strings, "2"),
        ),
        // 1,200 cells, over a limit of 1,000.
        (
            "many.xlsx",
            xlsx(
                &(2..=1201).map(|n| row(n, &[(&format!("A{n}"), 1)])).collect::<String>(),
                &strings,
                "2",
            ),
        ),
        // One 300 KB string in five rows: 1.5 MB of text kept, over 1 MiB.
        (
            "long.xlsx",
            xlsx(
                &(2..=6).map(|n| row(n, &[(&format!("A{n}"), 1)])).collect::<String>(),
                &["短语", &"好".repeat(100_000)],
                "2",
            ),
        ),
    ];
    let dir = with_file("keep.txt", b"");
    for (name, bytes) in &books {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let mut args = vec!["--max-workbook-mb", "1", "--max-cells", "1000"];
    args.extend(books.iter().map(|(name, _)| *name));
    args.push("ok.txt");
    let out = run(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for expected in [
        "error: unique.xlsx: workbook over the limits (its shared strings declare 4294967295 unique strings; at most 1 MiB read, inflated or kept with --max-workbook-mb, 1000 cells with --max-cells)",
        "error: huge-unique.xlsx: workbook over the limits (its shared strings declare 18446744073709551615 unique strings",
        "error: bomb.xlsx: workbook over the limits (its parts inflate to more than 1 MiB",
        "error: many.xlsx: workbook over the limits (it has more than 1000 cells",
        "error: long.xlsx: workbook over the limits (its rows hold more than 1 MiB of text",
        "5 inputs could not be read",
    ] {
        assert_contains(&err, expected);
    }
    assert_contains(&text(&out.stdout), "far.xlsx[S1]:2:4: warning KF007");
    assert_rest_checked(&out);
    // A zip of more parts than any workbook has is refused before they are listed.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..10_001 {
        zip.start_file(format!("x/{i}"), zip::write::SimpleFileOptions::default())
            .unwrap();
    }
    fs::write(dir.path().join("parts.xlsx"), zip.finish().unwrap().into_inner()).unwrap();
    let out = run(dir.path(), &["parts.xlsx", "ok.txt"]);
    assert_contains(
        &text(&out.stderr),
        "error: parts.xlsx: workbook over the limits (it has 10001 parts, more than 10000",
    );
    assert_rest_checked(&out);
    // Within the default limits, the same bomb and cells are read.
    let out = run(dir.path(), &["--statistics", "bomb.xlsx", "many.xlsx"]);
    assert_contains(&text(&out.stderr), "in 1200 replies from 2 inputs.");
}

#[test]
fn hostile_legacy_workbooks_are_refused_before_the_parser_reads_them() {
    let seed = fs::read(Path::new(support::ROOT).join("fuzz/seeds/read_xlsx/quick-replies.xls")).unwrap();
    let find = |needle: &[u8]| seed.windows(needle.len()).position(|w| w == needle).expect("record");
    // DIMENSIONS (0x0200, 14 bytes): first row, last row + 1 (32 bits each), columns.
    let dims = find(b"\x00\x02\x0e\x00");
    let mut four_billion = seed.clone();
    four_billion[dims + 8..dims + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut reversed = seed.clone();
    reversed[dims + 4..dims + 8].copy_from_slice(&100u32.to_le_bytes());
    reversed[dims + 8..dims + 12].copy_from_slice(&5u32.to_le_bytes());
    // A LABELSST cell (0x00FD) moved to the last row and column.
    let cell = find(b"\xfd\x00\x0a\x00");
    let mut far = seed.clone();
    far[cell + 4..cell + 8].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    let dir = with_file("seed.xls", &seed);
    for (name, bytes) in [
        ("dims.xls", &four_billion),
        ("reversed.xls", &reversed),
        ("far.xls", &far),
    ] {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let out = run(
        dir.path(),
        &["dims.xls", "reversed.xls", "far.xls", "seed.xls", "ok.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_contains(
        &err,
        "error: dims.xls: workbook over the limits (a sheet declares 4294967294 rows by 3 columns",
    );
    assert_contains(
        &err,
        "error: reversed.xls: not a readable workbook: a damaged sheet dimensions record",
    );
    assert_contains(
        &err,
        "error: far.xls: workbook over the limits (a sheet's cells span 65535 rows by 255 columns",
    );
    assert_contains(&err, "3 inputs could not be read");
    assert_contains(&text(&out.stdout), "seed.xls[售前]:");
    assert_rest_checked(&out);
}

#[test]
fn endless_and_special_files_are_not_read_without_bound() {
    let dir = with_file("keep.txt", b"");
    // (--input-format applies to every input, so ok.txt is no workbook either.)
    let out = run(dir.path(), &["--input-format", "excel", "/dev/zero", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), "error: /dev/zero: a device, not a regular file");
    assert_contains(&text(&out.stderr), "error: ok.txt: not a readable workbook");
    // A FIFO with no writer: opening it for reading would wait for ever.
    let d = dir.path();
    for fifo in ["p.toml", "e.jsonl"] {
        support::mkfifo(&d.join(fifo));
    }
    fs::write(d.join("c.toml"), "extend-packs = [\"p.toml\"]\n").unwrap();
    for (args, what) in [
        (
            &["check", "--config", "/dev/zero", "ok.txt"][..],
            "/dev/zero: a device, not a regular file",
        ),
        (&["eval", "/dev/zero"], "error: /dev/zero: a device, not a regular file"),
        (
            &["check", "--config", "p.toml", "ok.txt"],
            "p.toml: a FIFO (named pipe), not a regular file",
        ),
        (
            &["check", "--extend-pack", "p.toml", "ok.txt"],
            "a FIFO (named pipe), not a regular file",
        ),
        (
            &["check", "--config", "c.toml", "ok.txt"],
            "a FIFO (named pipe), not a regular file",
        ),
        (&["eval", "e.jsonl"], "e.jsonl: a FIFO (named pipe), not a regular file"),
    ] {
        let out = support::output_within_a_minute(support::command(d, args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_contains(&text(&out.stderr), what);
    }
}

#[test]
fn thread_counts_are_clamped_with_a_note() {
    let dir = with_file("keep.txt", b"");
    for n in [
        "9223372036854775808",
        "18446744073709551615",
        "99999999999999999999999",
        "1000",
        "0",
    ] {
        let out = run(dir.path(), &["--threads", n, "ok.txt"]);
        assert_eq!(out.status.code(), Some(1), "--threads {n}: {}", text(&out.stderr));
        assert_contains(&text(&out.stderr), "note: --threads ");
        assert_contains(&text(&out.stderr), "at most 4 per core");
        assert_rest_checked(&out);
    }
    let out = run(dir.path(), &["--threads", "many", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), "a whole number of threads");
}

#[test]
fn configuration_packs_stay_inside_its_directory_and_are_never_quoted_whole() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("rules")).unwrap();
    fs::write(dir.path().join("secret.toml"), "TOKEN = \"s3cr3t\"\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.toml"), repo.join("rules/link.toml")).unwrap();
    std::os::unix::fs::symlink("loop.toml", repo.join("rules/loop.toml")).unwrap();
    fs::write(repo.join("rules/notes.txt"), "TOKEN=s3cr3t\n").unwrap();
    let long = format!(
        "# pack\nx = \"{}\" TOKEN s3cr3t \u{1b}]0;PWNED\u{7} = 1\n",
        "y".repeat(500)
    );
    fs::write(repo.join("rules/bad.toml"), long).unwrap();
    fs::write(repo.join("ok.txt"), "嗯\n").unwrap();
    let cases = [
        ("/proc/self/environ", "outside the configuration's directory"),
        ("/etc/passwd", "outside the configuration's directory"),
        ("../secret.toml", "outside the configuration's directory"),
        ("rules/link.toml", "outside the configuration's directory"),
        ("rules/loop.toml", "Too many levels of symbolic links"),
        ("rules/notes.txt", "not a rule pack (not a .toml file)"),
        ("/dev/zero", "outside the configuration's directory"),
        ("rules/bad.toml", "rules/bad.toml"),
    ];
    for (pack, expected) in cases {
        fs::write(repo.join("kefu-lint.toml"), format!("extend-packs = [\"{pack}\"]\n")).unwrap();
        let out = support::command(&repo, &["check", "ok.txt"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{pack}");
        // The report wraps long lines.
        let err = text(&out.stderr).replace("\n  │ ", " ");
        assert_contains(&err, expected);
        // Only a plainly TOML pack is quoted, in a short excerpt with its control characters escaped.
        let quoted = pack == "rules/bad.toml";
        assert_eq!(err.contains("s3cr3t"), quoted, "{pack}: {err}");
        for secret in ["PATH=", "root:", "\u{1b}", "\u{7}", &"y".repeat(61)] {
            assert!(!err.contains(secret), "{pack}: {secret:?} in {err}");
        }
    }
}

#[test]
fn a_pack_named_on_the_command_line_may_lie_anywhere() {
    // What a configuration may not name, the user may: --extend-pack.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    fs::write(
        dir.path().join("shop.toml"),
        concat!(
            "[pack]\nname = \"shop\"\ndescription = \"house words\"\n",
            "[[rule]]\nid = \"S001\"\nname = \"old-mark\"\ncategory = \"shop\"\n",
            "severity = \"warning\"\nsummary = \"s\"\nmessage = \"m\"\npatterns = [\"旧标\"]\n",
            "source = { seed = \"shop\", passage = \"p\" }\n",
        ),
    )
    .unwrap();
    fs::write(repo.join("r.txt"), "亲,旧标已经下架了哦\n").unwrap();
    fs::write(repo.join("kefu-lint.toml"), "extend-packs = [\"../shop.toml\"]\n").unwrap();
    let out = support::command(&repo, &["check", "--format", "concise", "r.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    fs::write(repo.join("kefu-lint.toml"), "fail-on = \"warning\"\n").unwrap();
    let out = support::command(
        &repo,
        &["check", "--format", "concise", "--extend-pack", "../shop.toml", "r.txt"],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_contains(&text(&out.stdout), "r.txt:1:3: warning S001");
    // Still only a regular file of text.
    let out = support::command(&repo, &["check", "--extend-pack", "/dev/zero", "r.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), "--extend-pack: a device, not a regular file");
}

/// A chat log's quote opened in one row and closed by a later row's quote
/// swallows the rows between into one field: the plain check says so for
/// the row, reads the lines after it as rows again, and so still finds the
/// agent's brush-off it would have hidden (and exits 2).
#[test]
fn a_quote_that_swallows_later_rows_is_an_error_and_the_rows_are_read_again() {
    let dir = with_file(
        "log.csv",
        "session,role,content\nA,customer,\"在吗?\nA,agent,你自己看吧\nA,agent,\"好的亲\n".as_bytes(),
    );
    let out = run(dir.path(), &["log.csv"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_contains(
        &stderr,
        "error: log.csv:2: unterminated quoted field (its quote is not closed on its row; the lines after this one are read as rows)",
    );
    assert_contains(&stdout, "log.csv:3:9: error KF003");
}

/// A log whose reading stops at a line over 1 MiB (here the agent's) says
/// so, and does not go on to call every sender a customer's: the senders
/// were read only up to that line.
#[test]
fn a_log_cut_short_by_a_long_line_gives_no_verdict_on_its_senders() {
    let agent = format!("{{\"role\": \"agent\", \"content\": \"{}\"}}\n", "您好".repeat(400_000));
    let log = format!("{{\"role\": \"customer\", \"content\": \"在吗\"}}\n{agent}");
    let dir = with_file("log.jsonl", log.as_bytes());
    let out = run(dir.path(), &["log.jsonl"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_contains(
        &stderr,
        "error: log.jsonl: line 2 is longer than 1 MiB; it and what follows are not checked",
    );
    assert!(!stderr.contains("no agent message"), "{stderr}");
}

/// After a row whose quote swallowed later rows, `--fix` still writes each
/// fix over the characters it names (the re-read rows' places were once
/// counted from the wrong byte and overwrote the header); a table without
/// a role column is told the same; a valid reply over several lines with a
/// line that looks like a row is one reply, no error.
#[test]
fn fixes_after_a_swallowing_quote_land_on_their_rows_and_other_tables_are_told_too() {
    // A quote closed inside a later row's field, and one never closed.
    for log in [
        "角色,内容\r\n买家,\"在吗\r\n客服,你好\r\n买家,\"好的\"\r\n",
        "角色,内容\r\n客服,\"您好\r\n客服,你好\r\n",
    ] {
        let dir = with_file("log.csv", log.as_bytes());
        let out = run(dir.path(), &["--fix", "log.csv"]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert_eq!(
            fs::read_to_string(dir.path().join("log.csv")).unwrap(),
            log.replace("你好", "您好")
        );
    }
    let dir = with_file(
        "replies.csv",
        "快捷短语\n亲，您好呀\n\"没有\n亲，欢迎光临哦\n\"亲，感谢您\"\n".as_bytes(),
    );
    let out = run(dir.path(), &["replies.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &text(&out.stderr),
        "error: replies.csv:3: unterminated quoted field (its quote is not closed on its row; the lines after this one are read as rows)",
    );
    let dir = with_file(
        "valid.csv",
        "角色,内容\n客服,\"第一行\na,买家,我要退货\n您好\"\n".as_bytes(),
    );
    let out = run(dir.path(), &["valid.csv"]);
    assert!(!text(&out.stderr).contains("unterminated"), "{}", text(&out.stderr));
}

/// In a table without a header, a row wider than the first (an unquoted
/// comma in a reply of a one-column list) is an error, not cut to its first
/// field in silence.
#[test]
fn a_row_wider_than_the_first_of_a_headerless_table_is_an_error() {
    let dir = with_file("t.csv", "亲，您好，欢迎光临哦\n售后,爱买不买\n你好\n".as_bytes());
    let out = run(dir.path(), &["t.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &text(&out.stderr),
        "error: t.csv:2: row has 2 fields, the first row 1: an unquoted delimiter in a field? (quote the field)",
    );
    assert_contains(&text(&out.stdout), "t.csv:3:1: warning KF011");
    // A column named by the user says the layout is known: rows may be wider.
    let out = run(dir.path(), &["--no-header", "--column", "1", "t.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

/// A quote that opens a field and closes at the end of a field a few lines
/// later, over lines that read as rows of the table, swallowed them: an
/// error of its row, and the rows are read again (their cold 嗯 and 不行
/// are found); a reply of its own over lines stays one reply.
#[test]
fn a_quote_closed_rows_later_over_rows_is_an_error_and_the_rows_are_read() {
    let csv = "分组,快捷短语\n售前,\"亲，您好\n售前,嗯\n售前,不行\n售前,好的\"\n售后,您好\n";
    let dir = with_file("t.csv", csv.as_bytes());
    let out = run(dir.path(), &["t.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_contains(&text(&out.stderr), "error: t.csv:2: unterminated quoted field");
    assert_contains(&text(&out.stdout), "t.csv:3:4: warning KF009");
    assert_contains(&text(&out.stdout), "t.csv:4:4: warning KF004");
    let dir = with_file(
        "ok.csv",
        "分组,快捷短语\n售前,\"亲，您好\n退货地址：北京,朝阳\n谢谢\"\n".as_bytes(),
    );
    let out = run(dir.path(), &["ok.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// A header row whose quote never closes, or closes only over rows below, is
/// named as such, in a plain check and under `--sessions`, not read as a
/// header made of the rows below it.
#[test]
fn a_header_with_a_stray_quote_is_named_as_such() {
    for (csv, args) in [
        ("\"分组,快捷短语\n售前,你好\n", &["t.csv"][..]),
        ("分组,\"快捷短语\n售前,你好\n", &["t.csv"]),
        (
            "\"session,role,content\ns1,agent,你自己看吧\n",
            &["--sessions", "t.csv"],
        ),
        // closed on a later line, over rows
        (
            "分组,\"快捷短语\n售前,你自己看吧\n售后,爱买不买\"\n售后,亲\n",
            &["t.csv"],
        ),
    ] {
        let dir = with_file("t.csv", csv.as_bytes());
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{csv:?}");
        assert_contains(
            &text(&out.stderr),
            "error: t.csv: line 1, the header, opens a quoted field that is not closed on its line (a stray quote?)",
        );
    }
    // Header cells over two lines (Excel's Alt+Enter), a comma in one, are a header.
    let dir = with_file("ok.csv", "\"分组\n(售前,售后)\",\"快捷\n短语\"\n售前,你好\n".as_bytes());
    let out = run(dir.path(), &["--column", "2", "ok.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_contains(&text(&out.stdout), "ok.csv:4:4: warning KF011");
}

/// A quote that opens a field and never closes is an error of its row, and
/// the rows after it are still checked, however many follow and however
/// long (past the 1 MiB a record may hold), in a plain check as in
/// `--sessions` (`--fix` after it:
/// `fixes_after_a_swallowing_quote_land_on_their_rows_and_other_tables_are_told_too`). A
/// quote closed only rows later, over rows of the table, swallowed them
/// too; a long reply of its own over 150 lines did not.
#[test]
fn a_quote_never_closed_hides_no_later_row() {
    let mut log = String::from("会话,角色,内容\ns0,客服,\"您好\n");
    for i in 0..60_000 {
        log.push_str(&format!("s{i},客服,你好 第{i}条\n"));
    }
    let dir = with_file("log.csv", log.as_bytes());
    let out = run(dir.path(), &["log.csv"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_contains(
        &stderr,
        "error: log.csv:2: unterminated quoted field (its quote is not closed on its row; the lines after this one are read as rows)",
    );
    assert_eq!(stdout.matches(": warning KF011").count(), 60_000, "{}", &stderr);
    assert_contains(&stdout, "log.csv:3:7: warning KF011");
    assert_contains(&stdout, "log.csv:60002:11: warning KF011");

    // A quote closed only rows later has swallowed them, in a short file too.
    let mut short = String::from("角色,内容\n客服,\"您好\n");
    for i in 1..=150 {
        short += &format!("客服,你好{i}{}\n", if i == 150 { "\"" } else { "" });
    }
    let dir = with_file("short.csv", short.as_bytes());
    let out = run(dir.path(), &["short.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), "error: short.csv:2: unterminated quoted field");
    assert_eq!(text(&out.stdout).matches(": warning KF011").count(), 150);
    let chart = format!(
        "角色,内容\n客服,\"尺码表：\n{}\"\n客服,你好\n",
        "S码 胸围88\n".repeat(150)
    );
    let dir = with_file("chart.csv", chart.as_bytes());
    let out = run(dir.path(), &["chart.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_contains(&text(&out.stdout), "chart.csv:154:4: warning KF011");

    let long = format!(
        "角色,内容\n客服,\"您好\n{}",
        format!("客服,{}\n", "您".repeat(20_000)).repeat(30)
    );
    let dir = with_file("long.csv", long.as_bytes());
    let out = run(dir.path(), &["long.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&text(&out.stderr), "error: long.csv:2: unterminated quoted field");
    assert_contains(
        &text(&out.stderr),
        " in 30 replies from 1 input; 1 row could not be read as written.",
    );
}
