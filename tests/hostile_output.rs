//! End-to-end: hostile replies, file names and sheet names cannot crash the
//! renderers, inject terminal escapes or GitHub workflow commands, or break
//! a SARIF URI; baselines name inputs however they are given.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use support::{check, stderr, stdout};

const FORMATS: [&str; 6] = ["human", "concise", "json", "jsonl", "sarif", "github"];

/// Whether `c` would act on a terminal or a log instead of showing: a
/// control character, a line or paragraph separator, a bidi control.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Asserts that `text` has no hidden character but line breaks.
fn assert_no_hidden(what: &str, text: &str) {
    let bad: Vec<char> = text.chars().filter(|&c| c != '\n' && hidden(c)).collect();
    assert!(bad.is_empty(), "{what} has hidden characters {bad:?}:\n{text}");
}

/// A workbook with one sheet named `sheet` holding a `回复` column with `replies`.
fn workbook(path: &Path, sheet: &str, replies: &[&str]) {
    std::fs::write(path, support::xlsx(sheet, &support::inline_rows("回复", replies), None)).unwrap();
}

#[test]
fn a_finding_past_column_65535_is_shown_in_a_window_and_later_inputs_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("l.txt"), format!("{}但是\n", "好".repeat(32_768))).unwrap();
    std::fs::write(dir.path().join("other.txt"), "你自己看吧\n").unwrap();
    for format in FORMATS {
        let out = check(dir.path(), &["--format", format, "l.txt", "other.txt"]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(stdout(&out).contains("other.txt"), "{format}: other.txt not checked");
    }
    let out = check(dir.path(), &["l.txt", "other.txt"]);
    let text = stdout(&out);
    assert!(text.contains("[l.txt:1:32769]"), "{text}");
    assert!(text.contains("…好好好"), "no ellipsis before the window:\n{text}");
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 300, "a line of {longest} characters");
}

#[test]
fn human_output_of_a_1_mb_reply_with_many_findings_is_bounded() {
    // 20,000 findings on one line of 1.2 MB: each is shown with a window,
    // not with the whole line.
    let dir = tempfile::tempdir().unwrap();
    let reply = "你好，".repeat(20_000);
    std::fs::write(dir.path().join("big.txt"), format!("{reply}\n")).unwrap();
    let out = check(dir.path(), &["big.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings = stdout(&out).matches("ni-instead-of-nin").count();
    assert!(findings >= 20_000, "{findings} findings shown");
    let per_finding = out.stdout.len() / findings;
    assert!(per_finding < 2_000, "{per_finding} bytes of output per finding");
}

#[test]
fn terminal_escapes_and_other_hidden_characters_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let reply = "你好\u{1b}]0;PWNED\u{7}\u{1b}[2J但是\u{9b}31m\u{2028}\u{202e}您好\u{7f}";
    std::fs::write(dir.path().join("esc.txt"), format!("{reply}\n")).unwrap();
    for format in ["human", "concise", "github"] {
        let out = check(dir.path(), &["--format", format, "esc.txt"]);
        assert_no_hidden(format, &stdout(&out));
        assert_no_hidden(format, &stderr(&out));
    }
    let human = stdout(&check(dir.path(), &["esc.txt"]));
    assert!(
        human.contains("你好\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J但是\\u{9b}31m\\u{2028}\\u{202e}您好\\u{7f}"),
        "{human}"
    );
    // JSON escapes control characters itself; its byte offsets stay those of the reply.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&check(dir.path(), &["--format", "json", "esc.txt"]))).unwrap();
    let but = json
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["matched"] == "但是")
        .expect("但是 found");
    assert_eq!(but["start"], reply.find("但是").unwrap());
}

#[test]
fn file_names_with_hidden_characters_are_shown_escaped_on_stdout_and_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\rb\u{1b}[31m\u{85}\u{2029}.txt";
    std::fs::write(dir.path().join(name), "但是\n").unwrap();
    for format in FORMATS {
        let out = check(dir.path(), &["--format", format, name, "missing\u{1b}]0;X\u{7}\n.txt"]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let err = stderr(&out);
        assert_no_hidden(&format!("{format} stderr"), &err);
        assert!(err.contains("missing\\u{1b}]0;X\\u{7}\\n.txt"), "{err}");
        if matches!(format, "human" | "concise") {
            assert_no_hidden(format, &stdout(&out));
            assert!(
                stdout(&out).contains("a\\rb\\u{1b}[31m\\u{85}\\u{2029}.txt"),
                "{}",
                stdout(&out)
            );
        }
    }
}

/// Asserts that every line of standard output is an annotation and no line
/// of either stream starts another workflow command.
fn assert_no_injected_command(out: &Output) {
    for line in stdout(out).lines() {
        assert!(
            ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|p| line.starts_with(p)),
            "a stdout line that is not an annotation: {line:?}"
        );
        let properties = line.split_once(" file=").unwrap().1.split_once("::").unwrap().0;
        assert!(properties.contains(",title="), "properties ended early: {line:?}");
    }
    for line in stderr(out).lines() {
        assert!(!line.starts_with("::"), "stderr starts a workflow command: {line:?}");
    }
}

#[test]
fn github_workflow_commands_cannot_be_injected_through_names() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n::error file=evil.txt,line=1::INJECTED.txt";
    std::fs::write(dir.path().join(name), "但是\n").unwrap();
    let sheet = "x\n::error file=evil.txt,line=1::INJECTED";
    workbook(&dir.path().join("book.xlsx"), sheet, &["但是不能"]);
    let out = check(
        dir.path(),
        &[
            "--format",
            "github",
            name,
            "book.xlsx",
            "gone\n::error::GONE.txt",
            "50%,a:b\r.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_no_injected_command(&out);
    let text = stdout(&out);
    assert!(
        text.contains("file=x%0A%3A%3Aerror file=evil.txt%2Cline=1%3A%3AINJECTED.txt,"),
        "{text}"
    );
    let err = stderr(&out);
    assert!(err.contains("gone\\n::error::GONE.txt"), "{err}");
    assert!(err.contains("50%,a:b\\r.txt"), "{err}");

    // The sheet name reaches stderr when the sheet asked for is not there,
    // and the other formats when it is.
    let out = check(dir.path(), &["--format", "github", "--sheet", "nope", "book.xlsx"]);
    assert_no_injected_command(&out);
    assert!(
        stderr(&out).contains("x\\n::error file=evil.txt,line=1::INJECTED"),
        "{}",
        stderr(&out)
    );
    for format in ["human", "concise"] {
        let out = check(dir.path(), &["--format", format, "book.xlsx"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stdout(&out).contains("book.xlsx[x\\n::error file=evil.txt,line=1::INJECTED]"),
            "{}",
            stdout(&out)
        );
        assert_no_hidden(format, &stdout(&out));
    }
}

/// Whether the runner of GitHub Actions would read `line` as a command:
/// `::` after leading blanks, or the older `##[` anywhere.
fn is_workflow_command(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

#[test]
fn no_format_prints_a_line_the_actions_runner_reads_as_a_command() {
    // A file name, a reply and a line of the file that look like commands, in
    // every format but github (whose own annotations are the commands), in
    // --diff, and on standard error.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let named = "::error title=PWNED::x.txt";
    std::fs::write(d.join(named), "你好 ##[error]PWNED\n").unwrap();
    std::fs::write(d.join("##[error]PWNED.txt"), "你好\n  ::error::CONTEXT\n").unwrap();
    std::fs::write(d.join("##[warning]nul.txt"), "你好\0\n").unwrap();
    let inputs = [named, "##[error]PWNED.txt", "##[warning]nul.txt"];
    for format in ["human", "concise", "json", "jsonl", "sarif"] {
        let mut args = vec!["--format", format];
        args.extend(inputs);
        let out = check(d, &args);
        for line in stdout(&out).lines().chain(stderr(&out).lines()) {
            assert!(!is_workflow_command(line), "{format}: {line:?}");
        }
        if format == "json" {
            // The same data: `[` written as `\u005b` reads back as `[`.
            let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
            assert!(
                findings
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["matched"] == "你好 ##[error]PWNED")
            );
        }
    }
    let out = check(d, &["--diff", "##[error]PWNED.txt"]);
    assert!(stdout(&out).contains("+您好"), "{}", stdout(&out));
    for line in stdout(&out).lines().chain(stderr(&out).lines()) {
        assert!(!is_workflow_command(line), "--diff: {line:?}");
    }
    let mut args = vec!["--format", "github"];
    args.extend(inputs);
    let out = check(d, &args);
    assert_no_injected_command(&out);
    assert!(!stdout(&out).contains("##["), "{}", stdout(&out));
}

#[test]
fn json_writes_hidden_characters_as_escapes_of_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let reply = "你好\u{9b}2J\u{202e}反\u{7f}\u{2028}";
    std::fs::write(dir.path().join("r.txt"), format!("{reply}\n")).unwrap();
    for format in ["json", "jsonl", "sarif"] {
        let out = check(dir.path(), &["--format", format, "r.txt"]);
        assert_no_hidden(format, &stdout(&out));
        if format == "jsonl" {
            let first: serde_json::Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
            assert_eq!(first["path"], "r.txt");
            let all: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            assert!(all.iter().any(|f| f["matched"] == reply.trim_end()), "{}", stdout(&out));
        }
    }
}

#[test]
fn github_annotations_of_a_workbook_name_the_sheet_and_column() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("book.xlsx"), "售后", &["我不能改价"]);
    let out = check(dir.path(), &["--format", "github", "book.xlsx"]);
    assert!(
        stdout(&out).contains("title=KF001 negative-ability (售后 / 回复)::"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("子 目录")).unwrap();
    let cases = [
        ("sp ace#frag%20?.txt", "sp%20ace%23frag%2520%3F.txt"),
        (
            "子 目录/a:b,c[1].txt",
            "%E5%AD%90%20%E7%9B%AE%E5%BD%95/a%3Ab,c%5B1%5D.txt",
        ),
        ("./plain.txt", "plain.txt"),
    ];
    for (name, uri) in cases {
        std::fs::write(dir.path().join(name), "但是\n").unwrap();
        let out = check(dir.path(), &["--format", "sarif", name]);
        let sarif: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
        let found = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(found, uri, "{name}");
    }
}

/// On Unix a file name is bytes and a `\\` is part of it: SARIF names the
/// file by its own bytes, and the other formats show a byte that is not
/// UTF-8 as `\\xFF`, so two such names never look the same.
#[cfg(unix)]
#[test]
fn names_with_backslashes_and_bytes_that_are_not_utf8_are_kept() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("back\\slash.txt"), "但是\n").unwrap();
    std::fs::write(dir.path().join(OsStr::from_bytes(b"bad\xff.txt")), "但是\n").unwrap();
    std::fs::write(dir.path().join(OsStr::from_bytes(b"bad\xfe.txt")), "但是\n").unwrap();

    let out = check(dir.path(), &["--format", "sarif", "."]);
    let sarif: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    let mut uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    uris.sort_unstable();
    uris.dedup();
    assert_eq!(uris, ["back%5Cslash.txt", "bad%FE.txt", "bad%FF.txt"]);

    for (format, names) in [
        (
            "concise",
            ["./back\\slash.txt:1:1:", "./bad\\xFF.txt:1:1:", "./bad\\xFE.txt:1:1:"],
        ),
        (
            "github",
            [
                "file=./back\\slash.txt,",
                "file=./bad\\xFF.txt,",
                "file=./bad\\xFE.txt,",
            ],
        ),
        (
            "human",
            [
                "[./back\\slash.txt:1:1]",
                "[./bad\\xFF.txt:1:1]",
                "[./bad\\xFE.txt:1:1]",
            ],
        ),
    ] {
        let text = stdout(&check(dir.path(), &["--format", format, "."]));
        for name in names {
            assert!(text.contains(name), "{format}: no {name}:\n{text}");
        }
        assert!(!text.contains('\u{fffd}'), "{format}: a name shown as U+FFFD:\n{text}");
    }
}

#[test]
fn baselines_of_another_version_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.txt"), "但是\n").unwrap();
    std::fs::write(dir.path().join("base.json"), r#"{"version": 99, "findings": []}"#).unwrap();
    let out = check(dir.path(), &["--baseline", "base.json", "r.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("base.json: baseline version 99 is not supported"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_baseline_that_is_endless_or_not_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.txt"), "但是\n").unwrap();
    for baseline in ["/dev/zero", "."] {
        let out = check(dir.path(), &["--baseline", baseline, "r.txt"]);
        assert_eq!(out.status.code(), Some(2), "{baseline}");
        assert!(stderr(&out).contains("not a regular file"), "{}", stderr(&out));
    }
}

#[test]
fn a_baseline_replaces_only_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("r.txt"), "但是\n").unwrap();
    std::fs::write(d.join("kefu-lint.toml"), "fail-on = \"error\"\n").unwrap();
    std::fs::write(d.join("book.xlsx"), b"PK\x03\x04 a workbook").unwrap();
    for target in ["kefu-lint.toml", "book.xlsx"] {
        let before = std::fs::read(d.join(target)).unwrap();
        let out = support::command(d, &["check", "--write-baseline", target, "r.txt"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{target}");
        assert!(
            stderr(&out).contains(&format!(
                "{target}: exists and is not a kefu-lint baseline; not overwritten"
            )),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read(d.join(target)).unwrap(), before, "{target} left alone");
    }
    // A baseline is written, and written again.
    for _ in 0..2 {
        let out = check(d, &["--write-baseline", "base.json", "r.txt"]);
        assert!(stderr(&out).contains("to the baseline base.json"), "{}", stderr(&out));
    }
}

#[test]
fn a_baseline_covers_its_inputs_however_they_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
    std::fs::write(root.join("sub/r.txt"), "亲,但是不行\n你看\n").unwrap();
    let out = check(root, &["--write-baseline", "sub/base.json", "sub/r.txt"]);
    assert!(stderr(&out).contains("Wrote 3 findings"), "{}", stderr(&out));
    let absolute = root.join("sub/r.txt").display().to_string();
    let runs: [(&str, &[&str]); 5] = [
        ("sub", &["--baseline", "base.json", "r.txt"]),
        ("sub", &["--baseline", "base.json", "./r.txt"]),
        ("sub/deeper", &["--baseline", "../base.json", "../r.txt"]),
        ("", &["--baseline", "sub/base.json", "sub/deeper/../r.txt"]),
        ("", &["--baseline", "./sub/../sub/base.json", &absolute]),
    ];
    for (cwd, args) in runs {
        let out = check(&root.join(cwd), args);
        assert_eq!(out.status.code(), Some(0), "in {cwd:?} with {args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("3 findings in the baseline not shown"),
            "{}",
            stderr(&out)
        );
    }
    // A baseline written elsewhere while another is read names the file
    // relative to its own directory.
    std::fs::create_dir(root.join("other")).unwrap();
    let out = check(
        root,
        &[
            "--baseline",
            "sub/base.json",
            "--write-baseline",
            "other/new.json",
            "sub/r.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(root.join("other/new.json")).unwrap();
    assert!(written.contains(r#""path": "../sub/r.txt""#), "{written}");
    let out = check(&root.join("other"), &["--baseline", "new.json", "../sub/r.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Another file with the same text is not covered.
    std::fs::copy(root.join("sub/r.txt"), root.join("sub/s.txt")).unwrap();
    let out = check(&root.join("sub"), &["--baseline", "base.json", "s.txt"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn eval_names_a_hostile_path_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let out = support::run(dir.path(), &["eval", "no\u{1b}[2J\npe.jsonl"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_no_hidden("eval stderr", &stderr(&out));
    assert!(stderr(&out).contains("no\\u{1b}[2J\\npe.jsonl"), "{}", stderr(&out));
}

#[test]
fn diff_output_shows_escapes_and_names_escaped_and_keeps_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let name = "d\n+++ evil.txt";
    std::fs::write(dir.path().join(name), "你好\u{1b}]0;PWNED\u{7}\t\u{2028}好\r\n").unwrap();
    let out = check(dir.path(), &["--diff", name]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("--- a/d\\n+++ evil.txt\n+++ b/d\\n+++ evil.txt\n"),
        "{text}"
    );
    assert!(
        text.contains("\n+您好\\u{1b}]0;PWNED\\u{7}\t\\u{2028}好\r\n"),
        "{text:?}"
    );
    let hidden: Vec<char> = text.chars().filter(|&c| hidden(c) && !"\n\r\t".contains(c)).collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_diff_of_a_file_with_lone_cr_line_ends_shows_them_escaped_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cr.txt"), "好的\r你的\r::error::cr\r").unwrap();
    let out = check(dir.path(), &["--diff", "cr.txt"]);
    let diff = stdout(&out);
    assert!(diff.contains("\n-你的\\r\n+您的\\r\n"), "{diff:?}");
    assert!(!diff.contains('\r'), "a raw carriage return: {diff:?}");
    for line in diff.split('\n') {
        assert!(!is_workflow_command(line), "{line:?}");
    }
}

// Positions: every format reports a finding at the physical line it is on
// and its column from the start of that line, also inside a quoted table
// field that spans lines.

/// `(line, column)` of each finding of `rule` in JSON Lines output.
fn places(out: &Output, rule: &str) -> Vec<(u64, u64)> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|f| f["rule"] == rule)
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect()
}

/// A table whose reply field spans lines 2–4 (你 at 3:4, 但是 at 4:4),
/// another row at line 5; and one whose *first* field spans two lines, so
/// the reply starts on line 3 (LF), and one with CRLF line ends.
const MULTILINE: &str = "分组,短语\n售后,\"第一行好的哦\n第二行你的订单\n第三行但是不行\"\n售后,不知道\n";
const EARLIER_FIELD: &str = "分组,短语\n\"售\n后\",亲你好\n";
const CRLF: &str = "分组,短语\r\n\"x\r\ny\",\"第一\r\n你好但是\"\r\n";

#[test]
fn findings_in_a_field_spanning_lines_are_at_their_own_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.csv"), MULTILINE).unwrap();

    let out = check(dir.path(), &["--format", "concise", "m.csv"]);
    let text = stdout(&out);
    assert!(text.contains("m.csv:3:4: warning KF011"), "{text}");
    assert!(text.contains("m.csv:4:4: warning KF007"), "{text}");
    assert!(text.contains("m.csv:5:4: error KF002"), "{text}");

    let out = check(dir.path(), &["--format", "jsonl", "m.csv"]);
    assert_eq!(places(&out, "KF011"), [(3, 4)], "{}", stdout(&out));
    assert_eq!(places(&out, "KF007"), [(4, 4)]);

    let out = check(dir.path(), &["--format", "json", "m.csv"]);
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let but = all.as_array().unwrap().iter().find(|f| f["rule"] == "KF007").unwrap();
    assert_eq!((&but["line"], &but["column"]), (&Value::from(4), &Value::from(4)));

    let out = check(dir.path(), &["--format", "github", "m.csv"]);
    let text = stdout(&out);
    assert!(text.contains("file=m.csv,line=3,col=4,endColumn=5,"), "{text}");
    assert!(text.contains("file=m.csv,line=4,col=4,endColumn=6,"), "{text}");

    let out = check(dir.path(), &["--format", "sarif", "m.csv"]);
    let log: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let region =
        &results.iter().find(|r| r["ruleId"] == "KF007").unwrap()["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 4);
    assert_eq!(region["startColumn"], 4);
    assert_eq!(region["endLine"], 4);
    assert_eq!(region["endColumn"], 6);

    let out = check(dir.path(), &["m.csv"]);
    let text = stdout(&out);
    assert!(text.contains("[m.csv:3:4]"), "{text}");
    assert!(text.contains("[m.csv:4:4]"), "{text}");
}

#[test]
fn a_reply_after_a_field_spanning_lines_starts_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("e.csv"), EARLIER_FIELD).unwrap();
    std::fs::write(dir.path().join("r.csv"), CRLF).unwrap();
    let out = check(dir.path(), &["--format", "jsonl", "e.csv", "r.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let found: Vec<(String, u64, u64)> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|f| f["rule"] == "KF011" || f["rule"] == "KF007")
        .map(|f| {
            let path = f["path"].as_str().unwrap().to_owned();
            (path, f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
        })
        .collect();
    // `后",亲你好`: 你 is the 5th character of line 3. In r.csv `你好但是` is line 4.
    assert!(found.contains(&("e.csv".into(), 3, 5)), "{text}");
    assert!(found.contains(&("r.csv".into(), 4, 1)), "{text}");
    assert!(found.contains(&("r.csv".into(), 4, 3)), "{text}");

    // KF020 names the whole reply `第一\r\n你好但是`: 3:5 up to 4:5.
    let out = check(dir.path(), &["--format", "github", "r.csv"]);
    let text = stdout(&out);
    assert!(
        text.contains("file=r.csv,line=3,col=5,endLine=4,endColumn=5,title=KF020"),
        "{text}"
    );
    let out = check(dir.path(), &["--format", "sarif", "r.csv"]);
    let log: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let region =
        &results.iter().find(|r| r["ruleId"] == "KF020").unwrap()["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        [
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ],
        [3, 5, 4, 5]
    );
}

#[test]
fn a_json_lines_reply_is_on_its_line_with_escapes_counted_as_the_file_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    // `{"role":"agent","content":"` is 27 characters; `好的\n` four more.
    std::fs::write(
        dir.path().join("c.jsonl"),
        "{\"role\":\"agent\",\"content\":\"好的\\n你好但是\"}\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--format", "jsonl", "c.jsonl"]);
    assert_eq!(places(&out, "KF011"), [(1, 32)], "{}", stdout(&out));
    assert_eq!(places(&out, "KF007"), [(1, 34)]);

    // Written with a `\u` escape, after another field holding 你: 39
    // characters before the reply, and 你 is its third; 但是 comes after
    // the six characters of the escape as the file writes it.
    std::fs::write(
        dir.path().join("u.jsonl"),
        "{\"text\":\"你好\",\"role\":\"agent\",\"content\":\"好的\\u4f60但是\"}\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--format", "jsonl", "u.jsonl"]);
    assert_eq!(places(&out, "KF011"), [(1, 42)], "{}", stdout(&out));
    assert_eq!(places(&out, "KF007"), [(1, 48)]);
}

// Output bounds: what a finding carries of its row is bounded, so output
// grows with the input, not with the row's size times its findings.

/// A table with 12 other columns (the first `big` characters long) before
/// the reply `你好` × `findings`, under a reply header of 300 characters.
fn wide_row(big: usize, findings: usize) -> String {
    let long_header = format!("回复{}", "头".repeat(298));
    let mut header: Vec<String> = (1..=12).map(|i| format!("列{i}")).collect();
    header.push(long_header);
    let mut row: Vec<String> = (1..=12).map(|i| format!("值{i}")).collect();
    row[0] = "x".repeat(big);
    row.push("你好".repeat(findings));
    format!("{}\n{}\n", header.join(","), row.join(","))
}

#[test]
fn findings_carry_a_bounded_part_of_their_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.csv"), wide_row(1_000, 1_000)).unwrap();
    std::fs::write(dir.path().join("large.csv"), wide_row(100_000, 1_000)).unwrap();
    let column = format!("回复{}", "头".repeat(298));
    for format in ["json", "jsonl", "sarif"] {
        let size = |name: &str| {
            let out = check(dir.path(), &["--format", format, "--column", &column, name]);
            assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
            out.stdout.len()
        };
        let (small, large) = (size("small.csv"), size("large.csv"));
        // 99,000 more bytes of input, 1,000 findings: the output may grow
        // by what the input grew, not by that for every finding.
        assert!(large < small + 2 * 99_000, "{format}: {small} bytes, then {large}");
    }

    let out = check(dir.path(), &["--format", "jsonl", "--column", &column, "large.csv"]);
    let first: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    let context = first["context"].as_object().unwrap();
    assert_eq!(context.len(), 8, "{context:?}");
    assert_eq!(context["列1"], format!("{}…", "x".repeat(200)));
    assert_eq!(context["列8"], "值8");
    let name = first["column_name"].as_str().unwrap();
    assert_eq!(name, format!("回复{}…", "头".repeat(198)));
}

#[test]
fn a_fix_of_a_long_run_is_shown_in_one_bounded_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("run.txt"), format!("{}\n", "你".repeat(20_000))).unwrap();
    let out = check(dir.path(), &["run.txt"]);
    let text = stdout(&out);
    assert!(text.len() < 10_000, "{} bytes of human output", text.len());
    // Help text is wrapped at spaces: compare with runs of white space as one.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("fix (safe): 你你你"), "{text}");
    assert!(flat.contains("→ 您您您"), "{text}");
    assert!(flat.contains("(20000 edits)"), "{text}");

    let out = check(dir.path(), &["--format", "jsonl", "run.txt"]);
    let text = stdout(&out);
    let fix = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|f| f["rule"] == "KF011")
        .unwrap()["fix"]
        .clone();
    let edits = fix["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "edits that follow on one another are one");
    assert_eq!(
        (&edits[0]["start"], &edits[0]["end"]),
        (&Value::from(0), &Value::from(60_000))
    );
    assert_eq!(edits[0]["replacement"], "您".repeat(20_000));
}
