//! `kefu-lint report`: the HTML page written from chat logs, checked in
//! headless Chromium by `tests/playground/report.test.cjs` (see
//! `browser_support`), and from the outside without a browser. What the
//! page must show is worked out here from the log itself (sessions,
//! messages, agent messages) and from `check --sessions --format json`,
//! whose findings on the example log `tests/sessions.rs` checks by hand.
//! Screenshots go to `target/tmp/report/`.

#![allow(clippy::unwrap_used, clippy::panic)]

mod browser_support;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use support::{ROOT, assert_has, check, run, stderr, stdout};

/// What the page must say about `log`: its totals, counted from the log,
/// and its findings per rule, from `check --sessions`.
fn expected(log: &Path) -> Value {
    let text = std::fs::read_to_string(log).unwrap();
    let records: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    // A record whose time is words is a data problem, and a message without a time.
    let messages = records.iter();
    let sessions: BTreeSet<&str> = messages.clone().map(|r| r["session"].as_str().unwrap()).collect();
    let replies = messages.clone().filter(|r| r["role"] == "agent").count();
    let out = check(
        Path::new(ROOT),
        &["--sessions", "--format", "json", log.to_str().unwrap()],
    );
    let found: Vec<Value> = serde_json::from_str(&stdout(&out)).expect("a JSON array");
    let mut by_rule: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_severity: BTreeMap<String, u64> = BTreeMap::new();
    for f in &found {
        *by_rule.entry(f["rule"].as_str().unwrap().to_owned()).or_default() += 1;
        *by_severity
            .entry(f["severity"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    json!({
        "totals": {
            "sessions": sessions.len(),
            "messages": messages.count(),
            "replies": replies,
            "errors": by_severity.get("error").copied().unwrap_or(0),
            "warnings": by_severity.get("warning").copied().unwrap_or(0),
            "infos": by_severity.get("info").copied().unwrap_or(0),
        },
        "byRule": by_rule,
    })
}

/// A log of `sessions` sessions, each a question and an answer `n * 7 % 90`
/// seconds later, and one record with a time that is none. The worst
/// answers (an error each) hold markup; others a hidden character.
fn big_log(sessions: usize) -> String {
    let mut log = String::new();
    for n in 0..sessions {
        let answer = match n % 5 {
            0 => "<script>window.__pwned=1</script>你自己看吧",
            1 => "</summary></details><img src=x onerror=\"window.__pwned=2\">你自己看吧",
            2 => "亲,\u{202e}保证正品\u{202c}哦",
            _ => "您好,我是客服8号,很高兴为您服务,这款有货的哦",
        };
        let (asked, answered) = (1_700_000_000 + n * 600, 1_700_000_000 + n * 600 + n * 7 % 90);
        writeln!(
            log,
            "{}\n{}",
            json!({"session": format!("s{n:05}"), "role": "customer", "time": asked, "content": "在吗?这款有货吗"}),
            json!({"session": format!("s{n:05}"), "role": "agent", "time": answered, "content": answer, "agent": format!("客服{}", n % 3)})
        )
        .unwrap();
    }
    log.push_str(r#"{"session": "bad", "role": "customer", "time": "昨天下午", "content": "在吗"}"#);
    log.push('\n');
    log
}

#[test]
fn the_report_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let example_log = Path::new(ROOT).join("examples/chat-sessions.jsonl");
    let example = dir.path().join("example.html");
    let out = run(
        Path::new(ROOT),
        &[
            "report",
            "--no-config",
            "examples/chat-sessions.jsonl",
            "-o",
            example.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let big_path = dir.path().join("big.jsonl");
    std::fs::write(&big_path, big_log(250)).unwrap();
    let big = dir.path().join("big.html");
    let out = run(
        dir.path(),
        &["report", "--no-config", "big.jsonl", "-o", "big.html", "--worst", "40"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "a bad record is an error: {}", stderr(&out));
    assert_has(&stderr(&out), "big.jsonl:501: ");
    let expect = json!({ "example": expected(&example_log), "big": expected(&big_path) });
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report");
    let expect = expect.to_string();
    let out = browser_support::run_script(
        "report.test.cjs",
        &artifacts,
        &[
            ("KEFU_LINT_REPORT_EXAMPLE", example.as_os_str()),
            ("KEFU_LINT_REPORT_BIG", big.as_os_str()),
            ("KEFU_LINT_EXPECT", OsStr::new(&expect)),
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the browser tests failed:\n{said}");
    assert!(said.contains("all 5 passed"), "every case ran:\n{said}");
    assert!(artifacts.join("report.png").is_file(), "the screenshot is saved");
}

#[test]
fn the_report_is_one_page_that_loads_nothing_and_escapes_the_log() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.jsonl"), big_log(12)).unwrap();
    let out = run(
        dir.path(),
        &["report", "--no-config", "log.jsonl", "-o", "qa.html"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("qa.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..100]);
    assert_has(&page, "default-src 'none'");
    for load in ["src=\"http", "href=\"http", "url(", "@import", "<link", "<img"] {
        assert!(!page.contains(load), "the page loads nothing: found {load:?}");
    }
    // The log's markup is text; exactly the page's own one script runs.
    assert_eq!(page.matches("<script>").count(), 1);
    assert_has(&page, "&lt;script&gt;window.__pwned=1&lt;/script&gt;");
    // A right-to-left override is shown, not obeyed.
    assert!(!page.contains('\u{202e}'), "hidden characters are made visible");
    // The 12 sessions and the one of the record whose time is words.
    assert_has(&page, r#"data-total="sessions">13<"#);
}

#[test]
fn a_report_never_overwrites_its_input_and_a_failed_write_keeps_the_old_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.jsonl"), big_log(3)).unwrap();
    let out = run(
        dir.path(),
        &["report", "--no-config", "log.jsonl", "-o", "log.jsonl"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "is the input");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("log.jsonl")).unwrap(),
        big_log(3)
    );
    // A directory cannot be replaced by the page: said, and left as it was.
    std::fs::create_dir(dir.path().join("qa.html")).unwrap();
    let out = run(
        dir.path(),
        &["report", "--no-config", "log.jsonl", "-o", "qa.html"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "writing the report qa.html");
    assert!(dir.path().join("qa.html").is_dir());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
}

#[test]
fn session_options_without_sessions_are_refused_by_check_and_taken_by_report() {
    let out = check(Path::new(ROOT), &["--time-field", "ts", "examples/chat-sessions.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "--time-field reads chat logs as conversations: add --sessions",
    );
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::read_to_string(Path::new(ROOT).join("examples/chat-sessions.jsonl"))
        .unwrap()
        .replace("\"time\":", "\"ts\":");
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = run(
        dir.path(),
        &[
            "report",
            "--no-config",
            "--time-field",
            "ts",
            "log.jsonl",
            "-o",
            "qa.html",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("qa.html")).unwrap();
    // The example's first responses: four timed, one slow (KS001 in tests/sessions.rs).
    assert_has(&page, r#"data-total="4" data-over="1""#);
}
