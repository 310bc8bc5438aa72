//! End-to-end tests of the `kefu-lint` binary: every output format, the exit
//! codes and input errors. Expected output lives in `tests/snapshots/`.

mod support;

use std::path::Path;
use std::process::Output;

use support::{ROOT, stderr, stdout};

/// Runs `kefu-lint` from the repository root with `args` and optional stdin.
fn run(args: &[&str], stdin: Option<&str>) -> Output {
    support::run(Path::new(ROOT), args, stdin)
}

#[test]
fn human_output_on_the_bundled_example() {
    let out = run(&["check", "examples/replies.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("human", stdout(&out));
    assert_eq!(
        stderr(&out),
        "Found 5 errors, 6 warnings, 5 infos in 12 replies from 1 input.\n"
    );
}

#[test]
fn concise_output_on_the_bundled_example() {
    let out = run(&["check", "--format", "concise", "examples/replies.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // Line 2 column 5 is where 我不能 starts, counted in characters.
    assert!(text.starts_with("examples/replies.txt:2:5: error KF001 "), "{text}");
    insta::assert_snapshot!("concise", text);
}

#[test]
fn json_output_is_an_array_of_findings() {
    let out = run(
        &["check", "--format", "json", "-"],
        Some("亲,这个我不能给你改价哦\n感谢您的肯定\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let findings = findings.as_array().expect("an array");
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let first = &findings[0];
    assert_eq!(first["path"], "<stdin>");
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 5);
    assert_eq!(first["rule"], "KF001");
    assert_eq!(first["name"], "negative-ability");
    assert_eq!(first["category"], "negative-ability");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["start"], 10);
    assert_eq!(first["end"], 19);
    assert_eq!(first["matched"], "我不能");
    assert!(first["fix"].is_null());
    let second = &findings[1];
    assert_eq!(second["rule"], "KF011");
    assert_eq!(second["matched"], "你");
    assert_eq!(second["fix"]["applicability"], "safe");
    assert_eq!(second["fix"]["edits"][0]["replacement"], "您");
    assert_eq!(second["fix"]["edits"][0]["start"], 22);
}

#[test]
fn json_output_with_no_findings_is_an_empty_array() {
    let out = run(&["check", "--format", "json"], Some("您好,很高兴为您服务哦\n"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "[]\n");
    assert_eq!(stderr(&out), "No findings in 1 reply from 1 input.\n");
}

#[test]
fn fail_on_sets_the_threshold() {
    // 但是 is a warning; 已发货 (no courteous word) only an info.
    let warning = "质量很好哦,但是要等三天\n";
    assert_eq!(
        run(&["check", "--fail-on", "error"], Some(warning)).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--fail-on", "warning"], Some(warning)).status.code(),
        Some(1)
    );
    let info = "已发货\n";
    assert_eq!(run(&["check"], Some(info)).status.code(), Some(0));
    assert_eq!(run(&["check", "--fail-on", "info"], Some(info)).status.code(), Some(1));
}

#[test]
fn traditional_replies_get_traditional_suggestions() {
    let out = run(&["check", "--format", "json"], Some("我們保證明天出貨喔\n"));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(findings[0]["matched"], "保證");
    assert_eq!(findings[0]["suggestions"][0], "儘量");
}

#[test]
fn missing_file_is_reported_and_the_rest_checked() {
    let out = run(
        &["check", "--format", "concise", "tests/cli/nope.txt", "-"],
        Some("嗯\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("<stdin>:1:1: warning KF009 "));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: tests/cli/nope.txt: No such file or directory"),
        "{err}"
    );
    assert!(err.ends_with("; 1 input could not be read.\n"), "{err}");
}

#[test]
fn invalid_utf8_names_file_byte_and_line() {
    let out = run(&["check", "tests/cli/invalid-utf8.txt", "tests/cli/bom-crlf.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    // UTF-8 with two bad bytes: read as UTF-8, and the first bad byte named.
    assert!(
        err.contains("error: tests/cli/invalid-utf8.txt: not valid UTF-8 at byte 36\n"),
        "{err}"
    );
    // The other file is still checked: its BOM is dropped and CRLF line 3 is reply 3.
    let text = stdout(&out);
    assert!(text.contains("[tests/cli/bom-crlf.txt:1:1]"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["check", "--format", "xml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid value 'xml'"));
}
