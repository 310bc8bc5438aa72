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
use std::process::Output;

use serde_json::{Value, json};
use support::{ROOT, assert_has, check, run, stderr, stdout};

/// `kefu-lint report --no-config ARGS` in `dir`.
fn report(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["report", "--no-config"];
    all.extend_from_slice(args);
    run(dir, &all, None)
}

/// The report (`qa.html`) of `log` written to a new directory as `log.jsonl`, which must exit with `status`: the
/// directory and the page.
fn report_of(log: &str, status: i32) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = report(dir.path(), &["log.jsonl", "-o", "qa.html"]);
    assert_eq!(out.status.code(), Some(status), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("qa.html")).unwrap();
    (dir, page)
}

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
    let out = report(dir.path(), &["big.jsonl", "-o", "big.html", "--worst", "40"]);
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
    assert!(said.contains("all 6 passed"), "every case ran:\n{said}");
    assert!(artifacts.join("report.png").is_file(), "the screenshot is saved");
}

#[test]
fn the_report_is_one_page_that_loads_nothing_and_escapes_the_log() {
    let (_dir, page) = report_of(&big_log(12), 2);
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
fn rules_are_labelled_with_their_chinese_titles() {
    let log = "{\"session\": \"a\", \"role\": \"customer\", \"content\": \"这个尺码怎么选\"}\n{\"session\": \"a\", \"role\": \"agent\", \"content\": \"你自己看吧\"}\n";
    let (_dir, page) = report_of(log, 0);
    // In the chart and in the drill-down, by the title in the rule's pack.
    assert!(page.matches("KF003 打发顾客").count() >= 2, "{page}");
    assert_has(&page, "KS003 没有欢迎语");
    support::assert_lacks(&page, "KF003 brush-off");
}

#[test]
fn a_report_never_overwrites_its_input_and_a_failed_write_keeps_the_old_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.jsonl"), big_log(3)).unwrap();
    let out = report(dir.path(), &["log.jsonl", "-o", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "is the input");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("log.jsonl")).unwrap(),
        big_log(3)
    );
    // A directory cannot be replaced by the page: said before reading, and left as it was.
    std::fs::create_dir(dir.path().join("qa.html")).unwrap();
    let out = report(dir.path(), &["log.jsonl", "-o", "qa.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "-o qa.html: is a directory");
    assert!(dir.path().join("qa.html").is_dir());
    // A place where no file can be made (/proc): the write fails, said, and nothing is left.
    let out = report(dir.path(), &["log.jsonl", "-o", "/proc/kefu-lint-qa.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "writing the report /proc/kefu-lint-qa.html");
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
    let out = report(dir.path(), &["--time-field", "ts", "log.jsonl", "-o", "qa.html"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("qa.html")).unwrap();
    // The example's first responses: four timed, one slow (KS001 in tests/sessions.rs).
    assert_has(&page, r#"data-total="4" data-over="1""#);
}

/// The agent table's rows: agent name, then the figures of each column.
fn agent_rows(page: &str) -> BTreeMap<String, Vec<u64>> {
    let table = &page[page.find("<tbody>").unwrap()..page.find("</tbody>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row
                .split("<td")
                .skip(1)
                .map(|cell| &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()])
                .collect();
            (
                cells[0].to_owned(),
                cells[1..].iter().map(|c| c.parse().unwrap()).collect(),
            )
        })
        .collect()
}

#[test]
fn a_session_handed_to_another_agent_counts_for_each_as_check_counts_it() {
    let log = [
        r#"{"session": "t1", "role": "customer", "time": 1772416800, "content": "在吗"}"#,
        r#"{"session": "t1", "role": "agent", "time": 1772416805, "content": "您好,我是客服甲,很高兴为您服务", "agent": "甲"}"#,
        r#"{"session": "t1", "role": "customer", "time": 1772416810, "content": "这件外套可以改价吗?我想便宜一点"}"#,
        r#"{"session": "t1", "role": "agent", "time": 1772416900, "content": "我不能给你改价", "agent": "乙"}"#,
        r#"{"session": "t1", "role": "customer", "time": 1772416910, "content": "那什么时候发货?"}"#,
        r#"{"session": "t1", "role": "agent", "time": 1772416920, "content": "你自己看吧", "agent": "乙"}"#,
    ]
    .join("\n");
    let (dir, page) = report_of(&log, 0);
    let rows = agent_rows(&page);
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--sessions",
            "--statistics",
            "--by",
            "agent",
            "--format",
            "json",
            "log.jsonl",
        ],
        None,
    );
    let counted: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let agents = counted["agents"].as_array().unwrap();
    // check lists the agents with findings: 乙 wrote both flawed replies.
    assert_eq!(agents.len(), 1, "{counted}");
    assert_eq!(rows["甲"][2..5], [0, 0, 0], "甲's greeting is clean");
    for agent in agents {
        let name = agent["agent"].as_str().unwrap();
        let row = &rows[name];
        // Columns: sessions, replies, errors, warnings, infos, timed, slow.
        let [error, warning, info] = ["error", "warning", "info"].map(|k| agent[k].as_u64().unwrap());
        assert_eq!(row[2..5], [error, warning, info], "{name}: {row:?} against {agent}");
        assert_eq!(row[0], 1, "{name} worked in the one session");
    }
    // Replies and answers timed go to the agent who wrote them: 甲 one (5 s), 乙 two (90 s and 10 s).
    assert_eq!((rows["甲"][1], rows["甲"][5], rows["甲"][6]), (1, 1, 0));
    assert_eq!((rows["乙"][1], rows["乙"][5], rows["乙"][6]), (2, 2, 1));
}

#[test]
fn a_drill_down_shows_messages_in_the_order_the_rules_judged_and_says_so() {
    let log = [
        r#"{"session": "o1", "role": "agent", "time": 1772416830, "content": "你自己看吧", "agent": "甲"}"#,
        r#"{"session": "o1", "role": "customer", "time": 1772416800, "content": "这个怎么退货?"}"#,
    ]
    .join("\n");
    let (_dir, page) = report_of(&log, 0);
    let (customer, agent) = (page.find("这个怎么退货").unwrap(), page.find("自己看吧").unwrap());
    assert!(
        customer < agent,
        "the question (line 2) is shown before its answer (line 1)"
    );
    assert_has(&page, "in time order; the log has these messages in another order");
    assert_has(&page, "30 秒后回复");
}

#[test]
fn a_run_that_reads_no_session_leaves_the_old_page_and_bad_places_are_refused_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.jsonl"), big_log(3)).unwrap();
    std::fs::write(dir.path().join("qa.html"), "yesterday's page").unwrap();
    // A typo in the log's name: nothing read, nothing replaced.
    let out = report(dir.path(), &["lgo.jsonl", "-o", "qa.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "lgo.jsonl: No such file or directory");
    assert_has(
        &stderr(&out),
        "no session was read from the inputs: the report qa.html is not written",
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("qa.html")).unwrap(),
        "yesterday's page"
    );
    for (place, why) in [
        ("-", "the report is a file, not standard output"),
        ("gone/", "is a directory"),
        ("gone/qa.html", "no such directory"),
        ("/dev/null", "is not a regular file"),
    ] {
        let out = report(dir.path(), &["log.jsonl", "-o", place]);
        assert_eq!(out.status.code(), Some(2), "{place}");
        assert_has(&stderr(&out), &format!("-o {place}: {why}"));
        assert!(!dir.path().join("gone").exists() && !dir.path().join("-").exists());
    }
}

#[test]
fn a_log_named_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.jsonl"), big_log(3)).unwrap();
    let out = report(dir.path(), &["log.jsonl", "./log.jsonl", "-o", "qa.html"]);
    assert_has(
        &stderr(&out),
        "note: ./log.jsonl names the same file as log.jsonl: read once",
    );
    let page = std::fs::read_to_string(dir.path().join("qa.html")).unwrap();
    // Three sessions and the one whose record has a time that is words.
    assert_has(&page, r#"data-total="sessions">4<"#);
}

#[test]
fn a_huge_session_id_is_cut_where_it_is_shown() {
    let id = "会".repeat(5000);
    let log = format!(
        "{}\n{}\n",
        json!({"session": id, "role": "customer", "time": 1772416800, "content": "在吗"}),
        json!({"session": id, "role": "agent", "time": 1772416830, "content": "嗯", "agent": "甲"})
    );
    let (dir, page) = report_of(&log, 0);
    assert!(page.len() < 60_000, "{} bytes for one session", page.len());
    assert_has(&page, &format!("{}…", "会".repeat(48)));
    let out = check(dir.path(), &["--sessions", "--format", "concise", "log.jsonl"]);
    let said = stdout(&out);
    assert_has(&said, &format!("(会话 {}…,客服 甲)", "会".repeat(48)));
    assert!(said.len() < 5_000, "{said}");
}

#[test]
fn a_very_long_session_shows_its_findings_and_a_bounded_part_of_the_rest() {
    let mut log = String::new();
    for n in 0..2000 {
        let (role, text) = if n % 2 == 0 {
            ("customer", "在吗")
        } else {
            ("agent", "亲,您好,在的哦")
        };
        let text = if n == 1999 { "你自己看吧" } else { text };
        let time = 1_772_416_800 + n;
        log.push_str(
            &json!({"session": "long", "role": role, "time": time, "content": text, "agent": "甲"}).to_string(),
        );
        log.push('\n');
    }
    let (_dir, page) = report_of(&log, 0);
    let shown = page.matches("<li class=\"customer\"").count() + page.matches("<li class=\"agent\"").count();
    assert_eq!(shown, 300, "at most 300 messages of one session");
    assert_has(&page, "1700 more messages without findings not shown");
    assert_has(&page, "自己看吧</mark>");
    assert!(page.len() < 400_000, "{} bytes", page.len());
}

#[test]
fn a_log_ordered_by_time_says_so_on_the_page() {
    let mut log = String::new();
    for (n, role) in ["customer", "agent", "customer", "agent"].into_iter().enumerate() {
        for id in ["a", "b", "c", "d"] {
            let text = if role == "agent" {
                "您好,我是客服小美,很高兴为您服务"
            } else {
                "在吗?"
            };
            let time = 1_772_416_800 + n * 10;
            log.push_str(&json!({"session": id, "role": role, "time": time, "content": text}).to_string());
            log.push('\n');
        }
    }
    let (_dir, page) = report_of(&log, 2);
    assert_has(&page, "the log seems ordered by time, not by session");
}
