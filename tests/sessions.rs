//! `kefu-lint check --sessions`: chat logs checked as conversations, in
//! every input format, with the findings of `examples/chat-sessions.jsonl`
//! written down by hand from the session rules' definitions
//! (`rules/session.toml`).

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use serde_json::Value;
use support::{ROOT, assert_has, check, stderr, stdout, xml_escape};

/// A directory holding `examples/chat-sessions.jsonl` as `log.jsonl` and a
/// `kefu-lint.toml` of `config`.
fn example_with_config(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(ROOT).join("examples/chat-sessions.jsonl"),
        dir.path().join("log.jsonl"),
    )
    .unwrap();
    std::fs::write(dir.path().join("kefu-lint.toml"), config).unwrap();
    dir
}

/// The findings of a `--format json` run.
fn findings(out: &std::process::Output) -> Vec<Value> {
    serde_json::from_str(&stdout(out)).expect("a JSON array")
}

/// `(line, rule)` of the session rules' findings.
fn session_findings(found: &[Value]) -> BTreeSet<(u64, String)> {
    found
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("KS")))
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap().to_owned()))
        .collect()
}

fn finding<'a>(found: &'a [Value], line: u64, rule: &str) -> &'a Value {
    found
        .iter()
        .find(|f| f["line"] == line && f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} on line {line}"))
}

#[test]
fn the_example_log_has_the_findings_its_sessions_call_for() {
    let out = check(
        Path::new(ROOT),
        &["--sessions", "--format", "json", "examples/chat-sessions.jsonl"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = findings(&out);
    // Session 001 (lines 1-6) is served as the guidelines ask: nothing.
    // 002 (7-11, times): first answer after 45 s without a greeting (8);
    // a detailed question answered 150 s later by 可以 (10); thanks with
    // no farewell (11). 003 (12-18, Traditional): three customer messages
    // unanswered for 140 s (16), the answer 140 s late (17), the last
    // message unanswered (18). 004 (19-22, Traditional) is clean. 005
    // (23-25, no times): 嗯 as first turn and as answer to a detailed
    // complaint (24), the customer left unanswered (25).
    let expected: BTreeSet<(u64, String)> = [
        (8, "KS001"),
        (8, "KS003"),
        (10, "KS002"),
        (10, "KS007"),
        (11, "KS005"),
        (16, "KS006"),
        (17, "KS002"),
        (18, "KS004"),
        (24, "KS003"),
        (24, "KS007"),
        (25, "KS004"),
    ]
    .into_iter()
    .map(|(line, rule)| (line, rule.to_owned()))
    .collect();
    assert_eq!(session_findings(&found), expected);
    let first = finding(&found, 8, "KS001");
    assert_has(first["message"].as_str().unwrap(), "等了45秒才得到回复,超过了10秒");
    assert_has(first["message"].as_str().unwrap(), "(会话 S20260302-002,客服 阿强)");
    assert_eq!(first["context"]["session"], "S20260302-002");
    assert_eq!(first["context"]["agent"], "阿强");
    assert_eq!(first["matched"], "今天发");
    let ignored = finding(&found, 16, "KS006");
    assert_has(ignored["message"].as_str().unwrap(), "顧客連續發了3條消息,140秒");
    // A customer's message is tied to the agent of its session.
    assert_eq!(ignored["context"]["agent"], "小美");
    assert_eq!(ignored["context"]["role"], "customer");
    // The reply rules still run on every agent message.
    assert_eq!(finding(&found, 24, "KF009")["category"], "cold-reply");
    assert!(
        found.iter().all(|f| f["line"] != 2 && f["line"] != 20),
        "greetings are clean"
    );
}

#[test]
fn statistics_count_by_agent_and_by_session() {
    let dir = Path::new(ROOT);
    let args = [
        "--sessions",
        "--statistics",
        "--format",
        "json",
        "examples/chat-sessions.jsonl",
    ];
    let by_agent: Value =
        serde_json::from_str(&stdout(&check(dir, &[&args[..], &["--by", "agent"]].concat()))).unwrap();
    let agents = by_agent["agents"].as_array().unwrap();
    let count = |name: &str| {
        agents
            .iter()
            .find(|a| a["agent"] == name)
            .map(|a| a["count"].as_u64().unwrap())
    };
    // 阿强: lines 8 (3), 10 (3), 11, 24 (4), 25; 小美: 16, 17, 18.
    assert_eq!(count("阿强"), Some(12));
    assert_eq!(count("小美"), Some(3));
    let by_session: Value =
        serde_json::from_str(&stdout(&check(dir, &[&args[..], &["--by", "session"]].concat()))).unwrap();
    let sessions = by_session["sessions"].as_array().unwrap();
    assert_eq!(sessions[0]["session"], "S20260302-002");
    assert_eq!(sessions[0]["count"], 7);
    assert!(sessions.iter().all(|s| s["session"] != "S20260302-001"));
    let table = stdout(&check(
        dir,
        &[
            "--sessions",
            "--statistics",
            "--by",
            "agent",
            "examples/chat-sessions.jsonl",
        ],
    ));
    assert_has(&table, "     12      1        5      6  阿强");
}

/// One short session in every format, its fields renamed and its times
/// written without an offset.
#[test]
fn every_format_reads_renamed_fields_and_local_times() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        ["会话", "角色", "时间", "内容", "客服"],
        ["c1", "买家", "2026-03-02 10:00:00", "在吗", ""],
        [
            "c1",
            "客服",
            "2026-03-02 10:00:40",
            "您好,我是客服小美,很高兴为您服务",
            "小美",
        ],
    ];
    let quoted = |r: &[&str; 5]| r.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(",");
    let csv: String = rows.iter().map(|r| quoted(r) + "\n").collect();
    let tsv: String = rows.iter().map(|r| r.join("\t") + "\n").collect();
    let object =
        |r: &[&str; 5]| serde_json::json!({"会话": r[0], "角色": r[1], "时间": r[2], "内容": r[3], "客服": r[4]});
    let json = serde_json::to_string(&rows[1..].iter().map(object).collect::<Vec<_>>()).unwrap();
    let jsonl: String = rows[1..].iter().map(|r| object(r).to_string() + "\n").collect();
    let sheet: String = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let cells: String = row
                .iter()
                .zip('A'..)
                .map(|(v, col)| {
                    format!(
                        r#"<c r="{col}{}" t="inlineStr"><is><t>{}</t></is></c>"#,
                        i + 1,
                        xml_escape(v)
                    )
                })
                .collect();
            format!(r#"<row r="{}">{cells}</row>"#, i + 1)
        })
        .collect();
    std::fs::write(dir.path().join("log.csv"), csv).unwrap();
    std::fs::write(dir.path().join("log.tsv"), tsv).unwrap();
    std::fs::write(dir.path().join("log.json"), json).unwrap();
    std::fs::write(dir.path().join("log.jsonl"), jsonl).unwrap();
    std::fs::write(dir.path().join("log.xlsx"), support::xlsx("Sheet1", &sheet, None)).unwrap();
    let fields = [
        "--session-field",
        "会话",
        "--role-field",
        "角色",
        "--time-field",
        "时间",
        "--field",
        "内容",
        "--agent-field",
        "客服",
        "--timezone",
        "Asia/Shanghai",
    ];
    for (file, line) in [
        ("log.csv", 3),
        ("log.tsv", 3),
        ("log.json", 1),
        ("log.jsonl", 2),
        ("log.xlsx", 3),
    ] {
        let out = check(
            dir.path(),
            &[&["--sessions", "--format", "json"][..], &fields, &[file]].concat(),
        );
        assert_eq!(
            stderr(&out),
            "Found 0 errors, 1 warning, 0 infos in 1 reply from 1 input.\n",
            "{file}"
        );
        let found = findings(&out);
        assert_eq!(
            session_findings(&found),
            BTreeSet::from([(line, "KS001".to_owned())]),
            "{file}"
        );
        let first = finding(&found, line, "KS001");
        assert_has(first["message"].as_str().unwrap(), "等了40秒");
        assert_eq!(first["context"]["agent"], "小美", "{file}");
    }
}

#[test]
fn a_bad_time_is_an_error_for_its_line_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let log = concat!(
        r#"{"session": "a", "role": "customer", "time": 1772416800, "content": "在吗"}"#,
        "\n",
        r#"{"session": "a", "role": "agent", "time": "昨天", "content": "您好,我是客服小美"}"#,
        "\n",
        r#"{"session": "a", "role": "customer", "time": 1772416900, "content": "这件有M码吗"}"#,
        "\n",
        r#"{"session": "a", "role": "agent", "time": 1772417000000, "content": "有的亲"}"#,
        "\n",
    );
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "error: log.jsonl:2: time: \"昨天\" is not a time");
    assert_has(&stderr(&out), "1 row could not be read");
    // Line 2 is kept without a time: the first answer, untimed; line 4's
    // answers line 3's question 100 s on (milliseconds read as such).
    let found = findings(&out);
    assert_eq!(session_findings(&found), BTreeSet::from([(4, "KS002".to_owned())]));
    assert_has(finding(&found, 4, "KS002")["message"].as_str().unwrap(), "等了100秒");
}

#[test]
fn a_session_that_comes_back_is_a_data_problem_naming_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let log = concat!(
        r#"{"session": "a", "role": "customer", "content": "在吗"}"#,
        "\n",
        r#"{"session": "b", "role": "customer", "content": "在吗"}"#,
        "\n",
        r#"{"session": "b", "role": "agent", "content": "您好,我是客服小美"}"#,
        "\n",
        r#"{"session": "a", "role": "agent", "content": "您好,我是客服阿强"}"#,
        "\n",
    );
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "log.jsonl:4: session \"a\" began at line 1 and comes back here after other sessions",
    );
    // Not merged: the first piece of a ends unanswered.
    assert_eq!(
        session_findings(&findings(&out)),
        BTreeSet::from([(1, "KS004".to_owned())])
    );
}

#[test]
fn out_of_order_times_are_sorted_within_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let log = concat!(
        r#"{"session": "a", "role": "agent", "time": "2026-03-02T10:00:30+08:00", "content": "您好,我是客服小美"}"#,
        "\n",
        r#"{"session": "a", "role": "customer", "time": "2026-03-02T10:00:00+08:00", "content": "在吗"}"#,
        "\n",
    );
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let found = findings(&check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]));
    assert_eq!(session_findings(&found), BTreeSet::from([(1, "KS001".to_owned())]));
}

#[test]
fn the_configuration_changes_the_thresholds() {
    let dir = example_with_config("[session]\nfirst-response-seconds = 60\nreply-seconds = 145\n");
    let out = support::run(
        dir.path(),
        &["check", "--sessions", "--format", "json", "log.jsonl"],
        None,
    );
    let rules: BTreeSet<(u64, String)> = session_findings(&findings(&out));
    assert!(
        !rules.contains(&(8, "KS001".to_owned())),
        "45 s is within 60: {rules:?}"
    );
    assert!(
        rules.contains(&(10, "KS002".to_owned())),
        "150 s is over 145: {rules:?}"
    );
    assert!(
        !rules.contains(&(17, "KS002".to_owned())),
        "140 s is within 145: {rules:?}"
    );
    std::fs::write(
        dir.path().join("kefu-lint.toml"),
        "[session]\nignore = [\"no-greeting\", \"KS005\"]\n",
    )
    .unwrap();
    let out = support::run(
        dir.path(),
        &["check", "--sessions", "--format", "json", "log.jsonl"],
        None,
    );
    let rules: BTreeSet<String> = session_findings(&findings(&out))
        .into_iter()
        .map(|(_, rule)| rule)
        .collect();
    assert_eq!(
        rules,
        BTreeSet::from(["KS001", "KS002", "KS004", "KS006", "KS007"].map(String::from))
    );
    std::fs::write(dir.path().join("kefu-lint.toml"), "[session]\nreply-second = 145\n").unwrap();
    let out = support::run(dir.path(), &["check", "--sessions", "log.jsonl"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "reply-second");
    // A value out of bounds is pointed at where its key is written.
    for (config, at) in [
        ("[session]\nreply-seconds = 30\nignored-run = 1\n", "kefu-lint.toml:3:1"),
        ("[session]\nignore = [\"KS099\"]\n[severity]\n", "kefu-lint.toml:2:1"),
        (
            "fail-on = \"error\"\nsession = { closing-messages = 0 }\n",
            "kefu-lint.toml:2:13",
        ),
    ] {
        std::fs::write(dir.path().join("kefu-lint.toml"), config).unwrap();
        let out = support::run(dir.path(), &["check", "--sessions", "log.jsonl"], None);
        assert_eq!(out.status.code(), Some(2));
        assert_has(&stderr(&out), at);
    }
}

/// The rules of a `--format json` run, with the severity each was given.
fn rules_and_severities(out: &std::process::Output) -> BTreeSet<(String, String)> {
    findings(out)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn select_ignore_and_severity_name_session_rules_as_they_name_reply_rules() {
    let log = "examples/chat-sessions.jsonl";
    let json = |extra: &[&str]| {
        let mut args = vec!["--sessions", "--format", "json", log];
        args.extend_from_slice(extra);
        rules_and_severities(&check(Path::new(ROOT), &args))
    };
    let pairs = |list: &[(&str, &str)]| -> BTreeSet<(String, String)> {
        list.iter().map(|(r, s)| ((*r).to_owned(), (*s).to_owned())).collect()
    };
    // By id, and by category (response-time is KS001 and KS002).
    assert_eq!(json(&["--select", "KS004"]), pairs(&[("KS004", "error")]));
    assert_eq!(
        json(&["--select", "response-time"]),
        pairs(&[("KS001", "warning"), ("KS002", "warning")])
    );
    assert_eq!(
        json(&["--select", "slow-reply,KF009", "--severity", "slow-reply=error"]),
        pairs(&[("KS002", "error"), ("KF009", "warning")])
    );
    let without = json(&["--ignore", "KS003,no-farewell,KF020"]);
    assert!(
        without
            .iter()
            .all(|(r, _)| !["KS003", "KS005", "KF020"].contains(&r.as_str())),
        "{without:?}"
    );
    assert!(without.iter().any(|(r, _)| r == "KS004"), "{without:?}");
    // The configuration file names them too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(ROOT).join(log), dir.path().join("log.jsonl")).unwrap();
    std::fs::write(
        dir.path().join("kefu-lint.toml"),
        "select = [\"unanswered\"]\n[severity]\nKS006 = \"error\"\n",
    )
    .unwrap();
    let out = support::run(
        dir.path(),
        &["check", "--sessions", "--format", "json", "log.jsonl"],
        None,
    );
    assert_eq!(
        rules_and_severities(&out),
        pairs(&[("KS004", "error"), ("KS006", "error")])
    );
    // A misspelt session rule gets the nearest name.
    let out = check(Path::new(ROOT), &["--sessions", "--select", "slow-replyy", log]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "did you mean \"slow-reply\"?");
}

#[test]
fn selecting_only_session_rules_without_sessions_is_refused() {
    let out = check(Path::new(ROOT), &["--select", "KS001", "examples/replies.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "the rules selected are all session rules");
    assert_has(&stderr(&out), "add --sessions");
}

#[test]
fn rules_and_explain_list_and_explain_session_rules() {
    let out = support::run(Path::new(ROOT), &["rules"], None);
    let listing = stdout(&out);
    for id in ["KS001", "KS004", "KS007"] {
        let line = listing
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} listed:\n{listing}"));
        assert!(line.trim_end().ends_with("sessions"), "{line}");
    }
    let out = support::run(Path::new(ROOT), &["explain", "slow-reply"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_has(&text, "KS002 slow-reply (response-time, warning");
    // The threshold filled in, the wait not known.
    assert_has(&text, "顾客等了N秒才得到回复,超过了60秒");
    assert_has(&text, "reply-seconds = 60");
    assert_has(&text, "与客户交谈尽量在1分钟内回复");
    assert_has(&text, "agent@200: 有的亲,黑色M码有现货  (flags message 4)");
    let out = support::run(Path::new(ROOT), &["explain", "ks004", "--script", "hant"], None);
    assert_has(&stdout(&out), "會話以顧客的提問結束");
}

#[test]
fn a_hostile_workbook_log_is_an_error_for_it_alone_and_never_aborts() {
    let strings = [
        "session",
        "role",
        "time",
        "content",
        "s1",
        "customer",
        "agent",
        "2026-03-02 10:00:00",
        "2026-03-02 10:00:40",
        "在吗?",
        "您好,我是客服8号,很高兴为您服务",
    ];
    let header = support::xlsx_row(1, &[("A1", 0), ("B1", 1), ("C1", 2), ("D1", 3)]);
    let messages = format!(
        "{}{}",
        support::xlsx_row(2, &[("A2", 4), ("B2", 5), ("C2", 7), ("D2", 9)]),
        support::xlsx_row(3, &[("A3", 4), ("B3", 6), ("C3", 8), ("D3", 10)])
    );
    let dir = tempfile::tempdir().unwrap();
    let books = [
        // A cell at XFD1048576 once made the session reader allocate a 17-billion-cell rectangle.
        (
            "far.xlsx",
            format!(
                "{header}{messages}{}",
                support::xlsx_row(1_048_576, &[("XFD1048576", 9)])
            ),
        ),
        // 2 MB of sheet from a small zip, over a 1 MiB limit.
        ("bomb.xlsx", format!("{header}{messages}{}", " ".repeat(2 << 20))),
    ];
    for (name, rows) in &books {
        std::fs::write(dir.path().join(name), support::xlsx("S1", rows, Some((&strings, "11")))).unwrap();
    }
    std::fs::copy(
        Path::new(ROOT).join("examples/chat-sessions.jsonl"),
        dir.path().join("log.jsonl"),
    )
    .unwrap();
    let out = support::run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--sessions",
            "--format",
            "concise",
            "--max-workbook-mb",
            "1",
            "far.xlsx",
            "bomb.xlsx",
            "log.jsonl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_has(
        &err,
        "bomb.xlsx: workbook over the limits (its parts inflate to more than 1 MiB",
    );
    // The far workbook's messages are read (the slow first answer found), and so is the next log.
    let found = stdout(&out);
    assert_has(&found, "far.xlsx[S1]:3:");
    assert_has(&found, "KS001");
    assert_has(&found, "log.jsonl:25:");
}

#[test]
fn every_output_format_points_at_the_message() {
    let dir = Path::new(ROOT);
    let log = "examples/chat-sessions.jsonl";
    let concise = stdout(&check(dir, &["--sessions", "--format", "concise", log]));
    assert_has(
        &concise,
        "examples/chat-sessions.jsonl:8:129: warning KS001 (reply col 1) 顾客的第一条消息等了45秒",
    );
    let github = stdout(&check(dir, &["--sessions", "--format", "github", log]));
    assert_has(&github, "file=examples/chat-sessions.jsonl,line=8,");
    assert_has(&github, "KS001");
    let sarif: Value = serde_json::from_str(&stdout(&check(dir, &["--sessions", "--format", "sarif", log]))).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "KS006" && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 16)
    );
    let jsonl = stdout(&check(dir, &["--sessions", "--format", "jsonl", log]));
    assert_eq!(jsonl.lines().filter(|l| l.contains("\"rule\":\"KS")).count(), 11);
    let human = stdout(&check(dir, &["--sessions", log]));
    assert_has(&human, "customer-left-unanswered");
}

/// A CSV export of Chinese Windows (GB18030) is decoded as a plain check decodes it.
#[test]
fn a_gb18030_table_is_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = "session,role,time,content\n\
                g1,买家,1772416800,在吗\n\
                g1,客服,1772416830,\"您好,我是客服小美,很高兴为您服务\"\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    std::fs::write(dir.path().join("log.csv"), &bytes).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.csv"]);
    assert_has(&stderr(&out), "read as GB18030");
    let found = findings(&out);
    assert_eq!(session_findings(&found), BTreeSet::from([(3, "KS001".to_owned())]));
    assert_eq!(
        finding(&found, 3, "KS001")["matched"],
        "您好,我是客服小美,很高兴为您服务"
    );
}

#[test]
fn select_wins_over_the_sessions_ignore_and_explain_shows_the_configured_settings() {
    let dir = example_with_config("[session]\nignore = [\"KS003\"]\nreply-seconds = 100\n");
    let json = |args: &[&str]| {
        let mut all = vec!["check", "--sessions", "--format", "json", "log.jsonl"];
        all.extend_from_slice(args);
        rules_and_severities(&support::run(dir.path(), &all, None))
    };
    assert!(
        json(&[]).iter().all(|(r, _)| r != "KS003"),
        "[session] ignore turns it off"
    );
    assert_eq!(
        json(&["--select", "KS003"]),
        BTreeSet::from([("KS003".to_owned(), "info".to_owned())]),
        "--select runs exactly what it names"
    );
    let out = support::run(dir.path(), &["explain", "KS002"], None);
    assert_has(&stdout(&out), "reply-seconds = 100");
    assert_has(&stdout(&out), "超过了100秒");
}

#[test]
fn invisible_characters_in_ids_are_escaped_in_terminal_output() {
    let dir = tempfile::tempdir().unwrap();
    let log = "{\"session\": \"a\u{200b}b\", \"role\": \"customer\", \"content\": \"在吗?\"}\n";
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "concise", "log.jsonl"]);
    let said = stdout(&out);
    assert_has(&said, "(会话 a\\u{200b}b)");
    assert!(!said.contains('\u{200b}'), "{said}");
}

/// `(line, rule)` of every finding.
fn all_findings(found: &[Value]) -> BTreeSet<(u64, String)> {
    found
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap().to_owned()))
        .collect()
}

/// `(line, rule)` pairs written by hand.
fn pairs(list: &[(u64, &str)]) -> BTreeSet<(u64, String)> {
    list.iter().map(|&(line, rule)| (line, rule.to_owned())).collect()
}

/// A log of two sessions with times, whose agent messages are on lines
/// 3 (a brush-off, 5 s after the question) and 5 (a refusal) of a table
/// with a header: the lines a CSV's findings must name.
const TWO_ANSWERS: [&str; 5] = [
    "session,role,time,content,agent",
    "c1,customer,2026-03-02 10:00:00,在吗,",
    "c1,agent,2026-03-02 10:00:05,你自己看吧,小美",
    "c2,customer,2026-03-02 10:01:00,能退吗,",
    "c2,agent,2026-03-02 10:01:05,我不能,小美",
];

/// The findings of [`TWO_ANSWERS`], by hand: the brush-off (KF003) with
/// 你 (KF011), no greeting (KS003) on line 3; 我不能 (KF001) with no
/// courtesy (KF020) and no greeting on line 5.
fn two_answers_findings() -> BTreeSet<(u64, String)> {
    pairs(&[
        (3, "KF003"),
        (3, "KF011"),
        (3, "KS003"),
        (5, "KF001"),
        (5, "KF020"),
        (5, "KS003"),
    ])
}

#[test]
fn crlf_tables_name_the_same_lines_as_lf_ones() {
    let dir = tempfile::tempdir().unwrap();
    for (file, end) in [
        ("crlf.csv", "\r\n"),
        ("lf.csv", "\n"),
        ("cr.csv", "\r"),
        ("crlf.tsv", "\r\n"),
    ] {
        let sep = if file.ends_with(".tsv") { "\t" } else { "," };
        let text: String = TWO_ANSWERS.iter().map(|l| l.replace(',', sep) + end).collect();
        std::fs::write(dir.path().join(file), text).unwrap();
        let out = check(dir.path(), &["--sessions", "--format", "json", file]);
        assert_eq!(
            all_findings(&findings(&out)),
            two_answers_findings(),
            "{file}: {}",
            stderr(&out)
        );
    }
    // A row split by an unquoted comma in its text is a problem, not misread.
    std::fs::write(
        dir.path().join("ragged.csv"),
        "session,role,content\r\nr,customer,在吗\r\nr,agent,您好,你自己看吧\r\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "ragged.csv"]);
    assert_has(&stderr(&out), "ragged.csv:3: row has 4 fields, the header 3");
    // The lost row was the answer: the question is not said to be left unanswered.
    assert_eq!(all_findings(&findings(&out)), pairs(&[]));
    // A quoted field spanning lines moves the later rows down, CRLF or not.
    let text = "session,role,content\r\nq,customer,\"在吗\r\n在吗\"\r\nq,agent,我不能\r\n";
    std::fs::write(dir.path().join("quoted.csv"), text).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "quoted.csv"]);
    assert_eq!(
        all_findings(&findings(&out)),
        pairs(&[(4, "KF001"), (4, "KF020"), (4, "KS003")])
    );
}

#[test]
fn usual_and_chinese_field_names_are_found_without_options() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "会话ID,角色,发送时间,内容,接待客服\n\
               c1,买家,2026-03-02 10:00:00,在吗,\n\
               c1,客服,2026-03-02 10:00:40,您好,我是客服小美,很高兴为您服务,小美\n";
    // The text holds commas: quoted.
    let csv = csv.replace(
        "您好,我是客服小美,很高兴为您服务",
        "\"您好,我是客服小美,很高兴为您服务\"",
    );
    std::fs::write(dir.path().join("cn.csv"), csv).unwrap();
    let jsonl = concat!(
        r#"{"sessionId": "c1", "角色": "买家", "timestamp": 1772416800, "内容": "在吗"}"#,
        "\n",
        r#"{"sessionId": "c1", "角色": "客服", "timestamp": 1772416840, "内容": "您好,我是客服小美,很高兴为您服务", "客服昵称": "小美"}"#,
        "\n",
    );
    std::fs::write(dir.path().join("cn.jsonl"), jsonl).unwrap();
    for (file, line) in [("cn.csv", 3), ("cn.jsonl", 2)] {
        let out = check(dir.path(), &["--sessions", "--format", "json", file]);
        assert_eq!(out.status.code(), Some(1), "{file}: {}", stderr(&out));
        let found = findings(&out);
        assert_eq!(session_findings(&found), pairs(&[(line, "KS001")]), "{file}");
        let first = finding(&found, line, "KS001");
        assert_has(first["message"].as_str().unwrap(), "等了40秒");
        assert_eq!(first["context"]["agent"], "小美", "{file}");
        assert_eq!(first["context"]["session"], "c1", "{file}");
    }
    // A field not found: the error says which names were looked for.
    std::fs::write(dir.path().join("odd.csv"), "编号,角色,内容\n1,买家,在吗\n").unwrap();
    let out = check(dir.path(), &["--sessions", "odd.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "no column for the session id: looked for session, session_id, sessionid, conversation_id",
    );
    assert_has(&stderr(&out), "会话id, 会话编号, 会话,");
    assert_has(
        &stderr(&out),
        "(--session-field names it); the header is 编号, 角色, 内容",
    );
    std::fs::write(
        dir.path().join("odd.jsonl"),
        "{\"会话\": \"a\", \"who\": \"买家\", \"内容\": \"在吗\"}\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--sessions", "odd.jsonl"]);
    assert_has(
        &stderr(&out),
        "odd.jsonl:1: no role in any of role, fromType, senderType, sender_type",
    );
    assert_has(&stderr(&out), "(--role-field names the field)");
    // A name given is the only one looked for.
    let out = check(dir.path(), &["--sessions", "--session-field", "sid", "cn.jsonl"]);
    assert_has(&stderr(&out), "cn.jsonl:1: no session id in sid");
}

/// An `.xlsx` of one sheet holding `rows` as inline strings (the first the header).
fn workbook_of(rows: &[[&str; 5]]) -> Vec<u8> {
    let sheet: String = rows
        .iter()
        .zip(1..)
        .map(|(row, r)| {
            let cells: String = row
                .iter()
                .zip('A'..)
                .filter(|(v, _)| !v.is_empty())
                .map(|(v, col)| format!(r#"<c r="{col}{r}" t="inlineStr"><is><t>{}</t></is></c>"#, xml_escape(v)))
                .collect();
            format!(r#"<row r="{r}">{cells}</row>"#)
        })
        .collect();
    support::xlsx("Sheet1", &sheet, None)
}

#[test]
fn a_bad_time_keeps_its_message_so_an_answered_customer_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        ["会话ID", "角色", "时间", "内容", "客服"],
        ["b", "customer", "2026-03-02 10:00:00", "这个怎么退货?", ""],
        [
            "b",
            "agent",
            "2026-03-02 25:00:00",
            "您好,我是客服小美,你自己看吧",
            "小美",
        ],
    ];
    let jsonl: String = rows[1..]
        .iter()
        .map(|r| {
            serde_json::json!({"session": r[0], "role": r[1], "time": r[2], "content": r[3], "agent": r[4]}).to_string()
                + "\n"
        })
        .collect();
    let csv: String = rows
        .iter()
        .map(|r| r.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(",") + "\n")
        .collect();
    std::fs::write(dir.path().join("log.jsonl"), jsonl).unwrap();
    std::fs::write(dir.path().join("log.csv"), csv).unwrap();
    std::fs::write(dir.path().join("log.xlsx"), workbook_of(&rows)).unwrap();
    for (file, at, line) in [
        ("log.jsonl", "log.jsonl:2", 2),
        ("log.csv", "log.csv:3", 3),
        ("log.xlsx", "log.xlsx[Sheet1]:3", 3),
    ] {
        let out = check(dir.path(), &["--sessions", "--format", "json", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = stderr(&out);
        assert_has(&err, ": \"2026-03-02 25:00:00\" is not a time");
        assert_has(&err, &format!("{at}: "));
        assert_has(&err, "the message is checked without a time");
        // Answered (no KS004), its text checked (the brush-off), no time to judge.
        let found = findings(&out);
        assert_eq!(
            all_findings(&found),
            pairs(&[(line, "KF003"), (line, "KF011")]),
            "{file}"
        );
        assert_eq!(finding(&found, line, "KF003")["context"]["agent"], "小美", "{file}");
    }
}

#[test]
fn times_as_exports_write_them_are_read_and_placeholders_are_not() {
    let dir = tempfile::tempdir().unwrap();
    // Each session: a question, and the answer 40 s later written another way.
    let sessions = [
        ("slash", "2026/3/2 10:00:00", "2026/3/2 10:00:40"),
        ("unpadded", "2026-3-2 9:05:00", "2026-3-2 9:05:40"),
        ("offset", "2026-03-02 10:00:00 +0800", "2026-03-02 10:00:40+08:00"),
        ("fraction", "2026-03-02 10:00:00.250", "2026-03-02 10:00:40.250"),
        ("mixed", "2026-03-02T02:00:00Z", "2026-03-02 10:00:40 +08:00"),
    ];
    let mut log = String::new();
    for (id, asked, answered) in sessions {
        log += &format!(
            "{{\"session\": \"{id}\", \"role\": \"customer\", \"time\": \"{asked}\", \"content\": \"在吗\"}}\n"
        );
        log += &format!(
            "{{\"session\": \"{id}\", \"role\": \"agent\", \"time\": \"{answered}\", \"content\": \"您好,我是客服小美,很高兴为您服务\"}}\n"
        );
    }
    // An epoch 0 (an export's placeholder) on a question: not 56 years of waiting.
    log += r#"{"session": "zero", "role": "customer", "time": 0, "content": "在吗"}"#;
    log += "\n";
    log += r#"{"session": "zero", "role": "agent", "time": 1772416805, "content": "您好,我是客服小美,很高兴为您服务"}"#;
    log += "\n";
    // Garbage stays refused.
    log += r#"{"session": "bad", "role": "customer", "time": "2026-13-45 10:00:00", "content": "在吗"}"#;
    log += "\n";
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(
        dir.path(),
        &["--sessions", "--format", "json", "--timezone", "+08:00", "log.jsonl"],
    );
    let err = stderr(&out);
    assert_has(&err, "log.jsonl:11: time: \"0\" is before 2000-01-01");
    assert_has(&err, "log.jsonl:13: time: \"2026-13-45 10:00:00\" is not a time");
    support::assert_lacks(&err, "log.jsonl:2:");
    let found = findings(&out);
    // KS001 (40 s) on every answer of the first five sessions; none on the placeholder's.
    assert_eq!(
        session_findings(&found),
        pairs(&[
            (2, "KS001"),
            (4, "KS001"),
            (6, "KS001"),
            (8, "KS001"),
            (10, "KS001"),
            (13, "KS004")
        ])
    );
    for line in [2, 4, 6, 8, 10] {
        assert_has(finding(&found, line, "KS001")["message"].as_str().unwrap(), "等了40秒");
    }
}

#[test]
fn a_negative_utc_offset_is_a_time_zone_not_an_option() {
    let dir = tempfile::tempdir().unwrap();
    // 15:00:00Z, then 10:00:05 at UTC-5: an answer after 5 s, not 5 hours.
    let log = "{\"session\": \"s\", \"role\": \"customer\", \"time\": \"2026-03-02T15:00:00Z\", \"content\": \"在吗\"}\n\
               {\"session\": \"s\", \"role\": \"agent\", \"time\": \"2026-03-02 10:00:05\", \"content\": \"您好,我是客服小美,很高兴为您服务\"}\n";
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    for zone in [["--timezone", "-05:00"], ["--timezone", "-5"]] {
        let out = check(
            dir.path(),
            &[&["--sessions", "--format", "json"], &zone[..], &["log.jsonl"]].concat(),
        );
        assert_eq!(out.status.code(), Some(0), "{zone:?}: {}", stderr(&out));
        assert!(findings(&out).is_empty(), "{zone:?}");
    }
}

#[test]
fn a_line_over_the_limit_is_a_problem_and_the_sessions_after_it_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    for (file, long) in [
        ("wide.jsonl", "长".repeat(3_000_000)),
        ("ascii.jsonl", "a".repeat(1_100_000)),
    ] {
        let mut log = String::new();
        log += "{\"session\": \"s0\", \"role\": \"customer\", \"content\": \"在吗\"}\n";
        log += "{\"session\": \"s0\", \"role\": \"agent\", \"content\": \"您好,我是客服小美,很高兴为您服务\"}\n";
        log += &format!("{{\"session\": \"s0\", \"role\": \"agent\", \"content\": \"{long}\"}}\n");
        for i in 1..=5 {
            log += &format!("{{\"session\": \"s{i}\", \"role\": \"customer\", \"content\": \"在吗\"}}\n");
            log += &format!("{{\"session\": \"s{i}\", \"role\": \"agent\", \"content\": \"我不能\"}}\n");
        }
        std::fs::write(dir.path().join(file), log).unwrap();
        let out = check(dir.path(), &["--sessions", "--format", "json", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert_has(
            &stderr(&out),
            &format!("error: {file}:3: the line is longer than 1 MiB: it is not read"),
        );
        // The five sessions after it: 我不能 on lines 5, 7, 9, 11, 13.
        let refusals: BTreeSet<u64> = findings(&out)
            .iter()
            .filter(|f| f["rule"] == "KF001")
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        assert_eq!(refusals, BTreeSet::from([5, 7, 9, 11, 13]), "{file}");
    }
}

#[test]
fn a_csv_log_split_by_tabs_or_semicolons_is_read_as_a_plain_check_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let tabbed: String = TWO_ANSWERS.iter().map(|l| l.replace(',', "\t") + "\r\n").collect();
    // Excel's "Unicode Text": UTF-16LE with a byte-order mark, tabs.
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(tabbed.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("unicode-text.csv"), utf16).unwrap();
    std::fs::write(dir.path().join("tabs.csv"), &tabbed).unwrap();
    let semicolons: String = TWO_ANSWERS.iter().map(|l| l.replace(',', ";") + "\n").collect();
    std::fs::write(dir.path().join("semicolons.csv"), semicolons).unwrap();
    for (file, note) in [
        ("unicode-text.csv", "fields are split by tabs"),
        ("tabs.csv", "fields are split by tabs"),
        ("semicolons.csv", "fields are split by semicolons"),
    ] {
        let out = check(dir.path(), &["--sessions", "--format", "json", file]);
        assert_has(&stderr(&out), note);
        assert_eq!(
            all_findings(&findings(&out)),
            two_answers_findings(),
            "{file}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn split_sessions_are_named_once_each() {
    let dir = tempfile::tempdir().unwrap();
    // Three conversations written in time order, each message by turns.
    let mut log = String::new();
    for turn in 0..4 {
        for id in ["a", "b", "c"] {
            let (role, text) = if turn % 2 == 0 {
                ("customer", "在吗")
            } else {
                ("agent", "您好,我是客服小美,很高兴为您服务")
            };
            log += &format!("{{\"session\": \"{id}\", \"role\": \"{role}\", \"content\": \"{text}\"}}\n");
        }
    }
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    let err = stderr(&out);
    assert_eq!(err.matches("comes back here after other sessions").count(), 3, "{err}");
    for (id, began, back) in [("a", 1, 4), ("b", 2, 5), ("c", 3, 6)] {
        assert_has(
            &err,
            &format!("log.jsonl:{back}: session \"{id}\" began at line {began} and comes back here"),
        );
    }
    // One note for the whole log, saying how to sort it.
    assert_eq!(
        err.matches("the log seems ordered by time, not by session").count(),
        1,
        "{err}"
    );
    // The fragments that come back (lines 4 to 12) are not judged as conversations.
    let found = session_findings(&findings(&out));
    assert!(found.iter().all(|(line, _)| *line <= 3), "{found:?}");
}

#[test]
fn standard_input_and_unknown_extensions_are_sniffed_and_a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = concat!(
        r#"{"session": "s", "role": "customer", "content": "在吗"}"#,
        "\n",
        r#"{"session": "s", "role": "agent", "content": "我不能"}"#,
        "\n",
    );
    let json = format!("[{}]", jsonl.trim_end().replace('\n', ","));
    let csv: String = TWO_ANSWERS.iter().map(|l| l.to_string() + "\n").collect();
    let expected_jsonl = pairs(&[(2, "KF001"), (2, "KF020"), (2, "KS003")]);
    for (input, expected) in [
        (jsonl.to_owned(), expected_jsonl.clone()),
        (
            format!("\n  {jsonl}"),
            pairs(&[(3, "KF001"), (3, "KF020"), (3, "KS003")]),
        ),
        (json.clone(), pairs(&[(1, "KF001"), (1, "KF020"), (1, "KS003")])),
        (csv.clone(), two_answers_findings()),
    ] {
        for args in [
            &["check", "--no-config", "--sessions", "--format", "json"][..],
            &["check", "--no-config", "--sessions", "--format", "json", "-"][..],
        ] {
            let out = support::run(dir.path(), args, Some(&input));
            assert_eq!(all_findings(&findings(&out)), expected, "{input:.30}: {}", stderr(&out));
        }
    }
    // --input-format still decides.
    let out = support::run(
        dir.path(),
        &["check", "--no-config", "--sessions", "--input-format", "txt", "-"],
        Some(jsonl),
    );
    assert_has(&stderr(&out), "not plain text");
    // A file whose extension says nothing is sniffed too.
    std::fs::write(dir.path().join("export.dat"), jsonl).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "export.dat"]);
    assert_eq!(all_findings(&findings(&out)), expected_jsonl);
    // A file that is not there: the I/O error, not its format.
    let out = check(dir.path(), &["--sessions", "nonexist.jsonl.typo"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "nonexist.jsonl.typo: No such file or directory");
    support::assert_lacks(&stderr(&out), "not plain text");
}

#[test]
fn a_json_export_without_session_ids_is_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let doc = concat!(
        "{\"buyer\": \"tb1\", \"chats\": [\n",
        "  {\"role\": \"买家\", \"time\": \"2026-03-02 10:00:00\", \"text\": \"在吗\"},\n",
        "  {\"role\": \"客服\", \"time\": \"2026-03-02 10:00:40\", \"text\": \"您好,我是客服小美,很高兴为您服务\"},\n",
        "  {\"role\": \"买家\", \"time\": \"2026-03-02 10:01:00\", \"text\": \"能便宜吗\"}\n",
        "]}\n",
    );
    std::fs::write(dir.path().join("one-buyer.json"), doc).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "one-buyer.json"]);
    let err = stderr(&out);
    assert_eq!(
        err.matches("note:").count(),
        2,
        "the array found, and the one session: {err}"
    );
    assert_has(&err, "no message has a session field (session, session_id");
    assert_has(&err, "the whole document is read as one session, \"one-buyer.json\"");
    support::assert_lacks(&err, "error:");
    let found = findings(&out);
    // One conversation: answered after 40 s, then the last question left unanswered.
    assert_eq!(session_findings(&found), pairs(&[(3, "KS001"), (4, "KS004")]));
    assert_eq!(finding(&found, 3, "KS001")["context"]["session"], "one-buyer.json");
    // From standard input, the session is named after it.
    let out = support::run(
        dir.path(),
        &["check", "--no-config", "--sessions", "--format", "json", "-"],
        Some(doc),
    );
    assert_has(&stderr(&out), "the whole document is read as one session, \"<stdin>\"");
    assert_eq!(finding(&findings(&out), 3, "KS001")["context"]["session"], "<stdin>");
    // JSON Lines whose records lack it only in part: a problem for each.
    let jsonl = concat!(
        r#"{"session": "s", "role": "customer", "content": "在吗"}"#,
        "\n",
        r#"{"role": "agent", "content": "您好"}"#,
        "\n",
    );
    std::fs::write(dir.path().join("part.jsonl"), jsonl).unwrap();
    let out = check(dir.path(), &["--sessions", "part.jsonl"]);
    assert_has(&stderr(&out), "part.jsonl:2: no session id in any of session");
}

#[test]
fn an_agent_name_that_is_no_name_is_a_problem_and_its_message_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let log = concat!(
        r#"{"session": "s", "role": "customer", "content": "在吗"}"#,
        "\n",
        r#"{"session": "s", "role": "agent", "agent": ["x", {"y": 1}], "content": "我不能"}"#,
        "\n",
        r#"{"session": "s", "role": "agent", "agent": {"name": "小美"}, "content": "你自己看吧"}"#,
        "\n",
    );
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_has(
        &err,
        "log.jsonl:2: agent is an array, not an agent's name; the message is checked without one",
    );
    assert_has(&err, "log.jsonl:3: agent is an object, not an agent's name");
    let found = findings(&out);
    assert!(found.iter().all(|f| f["context"].get("agent").is_none()), "{found:?}");
    assert!(all_findings(&found).contains(&(2, "KF001".to_owned())));
    assert!(all_findings(&found).contains(&(3, "KF003".to_owned())));
}

#[test]
fn the_qianniu_export_is_one_conversation_of_its_buyer_with_dated_times() {
    // examples/qianniu-chat.json: one buyer (tb8841723) and the shop's
    // 示例旗舰店:小美, a date and a time of day per message. Its first
    // answer (line 14) comes 35 s after the question (10:00:05 → 10:00:40)
    // with no greeting.
    let out = check(
        Path::new(ROOT),
        &[
            "--sessions",
            "--format",
            "json",
            "--timezone",
            "+08:00",
            "examples/qianniu-chat.json",
        ],
    );
    let err = stderr(&out);
    support::assert_lacks(&err, "error:");
    assert_has(&err, "the whole document is read as one session, \"qianniu-chat.json\"");
    let found = findings(&out);
    assert_eq!(session_findings(&found), pairs(&[(14, "KS001"), (14, "KS003")]));
    assert_has(finding(&found, 14, "KS001")["message"].as_str().unwrap(), "等了35秒");
}

#[test]
fn waits_are_judged_to_the_millisecond_from_any_time_form() {
    let dir = tempfile::tempdir().unwrap();
    let log = [
        r#"{"session": "ms", "role": "customer", "time": 1772416800000, "content": "在吗"}"#,
        r#"{"session": "ms", "role": "agent", "time": 1772416810999, "content": "您好,我是客服小美,很高兴为您服务"}"#,
        r#"{"session": "iso", "role": "customer", "time": "2026-03-02T10:00:00.000Z", "content": "在吗"}"#,
        r#"{"session": "iso", "role": "agent", "time": "2026-03-02T10:00:10.900Z", "content": "您好,我是客服小美,很高兴为您服务"}"#,
        r#"{"session": "edge", "role": "customer", "time": "2026-03-02 10:00:00.500", "content": "在吗"}"#,
        r#"{"session": "edge", "role": "agent", "time": "2026-03-02 10:00:10.500", "content": "您好,我是客服小美,很高兴为您服务"}"#,
    ]
    .join("\n");
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(
        dir.path(),
        &["--sessions", "--format", "json", "--select", "KS001", "log.jsonl"],
    );
    let found = findings(&out);
    let said: Vec<(u64, &str)> = found
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        said.len(),
        2,
        "10.999 s and 10.9 s are over 10 s; exactly 10 s is not: {said:?}"
    );
    assert!(said[0].0 == 2 && said[0].1.contains("等了10.999秒"), "{said:?}");
    assert!(said[1].0 == 4 && said[1].1.contains("等了10.9秒"), "{said:?}");
}

#[test]
fn headers_written_with_spaces_or_hyphens_are_the_usual_names() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Session ID,Sender,Send-Time,Message,Agent Name\n\
               c1,customer,2026-03-02 10:00:00,在吗,\n\
               c1,agent,2026-03-02 10:00:30,我不能,甲\n";
    std::fs::write(dir.path().join("log.csv"), csv).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.csv"]);
    let found = findings(&out);
    assert_eq!(
        session_findings(&found),
        pairs(&[(3, "KS001"), (3, "KS003")]),
        "{}",
        stderr(&out)
    );
    assert_has(finding(&found, 3, "KS001")["message"].as_str().unwrap(), "客服 甲");
}

#[test]
fn a_session_that_lost_a_record_is_not_judged_on_how_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let log = [
        // The agent's answer has no text: a problem, and the question must not read as unanswered.
        r#"{"session": "x", "role": "customer", "time": 1772416800, "content": "这个怎么退货?"}"#,
        r#"{"session": "x", "role": "agent", "time": 1772416805}"#,
        r#"{"session": "y", "role": "customer", "time": 1772416900, "content": "在吗?"}"#,
    ]
    .join("\n");
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "log.jsonl:2: no message text");
    assert_eq!(
        session_findings(&findings(&out)),
        pairs(&[(3, "KS004")]),
        "only y is unanswered"
    );
}

#[test]
fn platform_messages_are_no_side_and_agent_names_are_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let log = [
        r#"{"session": "s", "role": "customer", "time": 1772416800, "content": "这件有货吗?"}"#,
        r#"{"session": "s", "role": "agent", "time": 1772416805, "content": "您好,我是客服小王,很高兴为您服务,有货的哦", "agent": "小王 "}"#,
        r#"{"session": "s", "role": "系统", "time": 1772416900, "content": "您对本次服务满意吗?请点击评价"}"#,
    ]
    .join("\n");
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    assert_eq!(
        session_findings(&findings(&out)),
        pairs(&[]),
        "a rating prompt is not a customer left unanswered"
    );
    let out = support::run(
        dir.path(),
        &["report", "--no-config", "log.jsonl", "-o", "qa.html"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("qa.html")).unwrap();
    assert_eq!(page.matches("<td>小王</td>").count(), 1, "one agent 小王");
    assert!(
        !page.contains("请点击评价"),
        "the platform's message is not part of the conversation"
    );
}

#[test]
fn a_quote_never_closed_is_an_error_of_its_line_and_the_rows_after_it_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "session,role,time,content,agent\n\
               c1,customer,2026-03-02 10:00:00,在吗,\n\
               c1,agent,2026-03-02 10:00:10,\"未闭合引号,小王\n\
               c2,customer,2026-03-02 10:05:00,你好,\n\
               c2,agent,2026-03-02 10:05:30,你自己看吧,小李\n";
    std::fs::write(dir.path().join("log.csv"), csv).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "log.csv:3: unterminated quoted field (its quote is not closed on its row; the lines after this one are read as rows)",
    );
    // c1 lost its answer: not judged on how it ends; c2, after it, is read.
    let found = findings(&out);
    assert_eq!(session_findings(&found), pairs(&[(5, "KS001"), (5, "KS003")]));
    assert_eq!(finding(&found, 5, "KF003")["context"]["session"], "c2");
    // A later quote does not close it: not a second broken row, nor a
    // message over several lines that closes its own quote.
    let csv = "session,role,time,content\n\
               a,customer,2026-03-02 10:00:00,在吗\n\
               a,agent,2026-03-02 10:00:05,\"您好我是客服8号\n\
               b,customer,2026-03-02 11:00:00,在吗\n\
               b,agent,2026-03-02 11:00:05,我不能给您改价\n\
               c,agent,2026-03-02 12:00:05,\"您好\n\
               d,customer,2026-03-02 13:00:00,在吗\n\
               d,agent,2026-03-02 13:00:04,\"第一行\n第二行,你自己看吧\"\n\
               d,agent,2026-03-02 13:00:09,我不能退\n";
    std::fs::write(dir.path().join("two.csv"), csv).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "two.csv"]);
    let err = stderr(&out);
    assert_has(&err, "two.csv:3: unterminated quoted field");
    assert_has(&err, "two.csv:6: unterminated quoted field");
    assert_has(&err, "2 rows could not be read as written");
    let found = findings(&out);
    assert_eq!(finding(&found, 5, "KF001")["context"]["session"], "b");
    assert_eq!(finding(&found, 10, "KF001")["context"]["session"], "d");
    // The message over two lines is one message, whose 你自己看吧 is found.
    assert_eq!(finding(&found, 9, "KF003")["context"]["session"], "d");
    // In a log longer than the pieces it is read in, a quote left open for
    // over a hundred lines is cut after its line as well: every later row counts.
    let mut big = String::from("session,role,time,content\n");
    for s in 0..9000 {
        let greeting = if s == 2 {
            "\"您好我是客服8号"
        } else {
            "您好我是客服8号"
        };
        big += &format!(
            "s{s},customer,2026-03-02 10:00:00,在吗\ns{s},agent,2026-03-02 10:00:05,{greeting}\ns{s},agent,2026-03-02 10:00:09,我不能给您改价\n"
        );
    }
    assert!(
        big.len() > 1_200_000,
        "longer than the longest line read: {}",
        big.len()
    );
    std::fs::write(dir.path().join("big.csv"), big).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "big.csv"]);
    assert_has(&stderr(&out), "big.csv:9: unterminated quoted field");
    assert_has(&stderr(&out), "1 row could not be read as written");
    let negative = findings(&out).iter().filter(|f| f["rule"] == "KF001").count();
    assert_eq!(
        negative, 9000,
        "every session's 我不能 is found, those after the quote too"
    );
    // In a short log too, a quote closed only after a hundred lines (by a
    // later row's closing quote) has swallowed them: each is read as a row.
    let mut short = String::from("session,role,content\nA,customer,\"在吗\n");
    for i in 1..=150 {
        let close = if i == 150 { "\"" } else { "" };
        short += &format!("A,agent,我不能改价{i}{close}\n");
    }
    short += "A,agent,你自己看吧\n";
    std::fs::write(dir.path().join("short.csv"), short).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "short.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(&stderr(&out), "short.csv:2: unterminated quoted field");
    let found = findings(&out);
    assert_eq!(found.iter().filter(|f| f["rule"] == "KF001").count(), 150);
    assert_eq!(finding(&found, 153, "KF003")["context"]["session"], "A");
}

#[test]
fn bad_bytes_and_nul_bytes_are_problems_of_their_lines_and_the_log_is_read_on() {
    // One session's customer line holds bytes that are not UTF-8, its
    // answer a NUL byte; the sessions after them are checked all the same.
    let line = |session: u32, role: &str, text: &str| {
        format!("{{\"session\": \"s{session}\", \"role\": \"{role}\", \"content\": \"{text}\"}}\n").into_bytes()
    };
    let mut jsonl = Vec::new();
    jsonl.extend(line(0, "customer", "能便宜点吗"));
    let mut bad = line(0, "customer", "在吗XX");
    let at = bad.windows(2).position(|w| w == b"XX").unwrap();
    bad.splice(at..at + 2, [0xFF, 0xFE]);
    jsonl.extend(bad);
    let mut nul = line(0, "agent", "亲,不讲价的哦,爱买不买");
    let at = nul.windows(3).position(|w| w == "哦".as_bytes()).unwrap();
    nul.splice(at..at + 3, [0]);
    jsonl.extend(nul);
    for i in 1..=3 {
        jsonl.extend(line(i, "customer", "在吗"));
        jsonl.extend(line(i, "agent", "我不能"));
    }
    // The same as a table, in GB18030 with a byte that is not GB18030, and as a JSON document.
    let mut gbk = encoding_rs::GB18030
        .encode("session,role,content\ns0,customer,在吗\ns0,agent,你好爱买不买\n")
        .0
        .into_owned();
    // At the end of line 3, the answer.
    let at = gbk.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(2).unwrap().0;
    gbk.insert(at, 0xFF);
    for i in 1..=3 {
        gbk.extend(
            encoding_rs::GB18030
                .encode(&format!("s{i},customer,在吗\ns{i},agent,我不能\n"))
                .0
                .iter(),
        );
    }
    let mut doc = b"[\n".to_vec();
    doc.extend(line(0, "customer", "在吗").iter().filter(|&&b| b != b'\n'));
    doc.extend(b",\n{\"session\": \"s0\", \"role\": \"agent\", \"content\": \"\xFF\xE4\xBD\xA0\xE5\xA5\xBD\"}");
    for i in 1..=3 {
        doc.extend(format!(",\n{{\"session\": \"s{i}\", \"role\": \"customer\", \"content\": \"在吗\"}}").bytes());
        doc.extend(format!(",\n{{\"session\": \"s{i}\", \"role\": \"agent\", \"content\": \"我不能\"}}").bytes());
    }
    doc.extend(b"\n]\n");
    let dir = tempfile::tempdir().unwrap();
    for (file, bytes, problems, refusals) in [
        (
            "log.jsonl",
            &jsonl,
            &[
                (
                    2,
                    "bytes that are not valid UTF-8, read as U+FFFD; the rest of the line is read",
                ),
                (3, "a NUL byte, read as U+FFFD"),
            ][..],
            [5, 7, 9],
        ),
        (
            "log.csv",
            &gbk,
            &[(3, "bytes that are not valid GB18030, read as U+FFFD")][..],
            [5, 7, 9],
        ),
        (
            "log.json",
            &doc,
            &[(3, "bytes that are not valid UTF-8, read as U+FFFD")][..],
            [5, 7, 9],
        ),
    ] {
        std::fs::write(dir.path().join(file), bytes).unwrap();
        let out = check(dir.path(), &["--sessions", "--format", "json", file]);
        assert_eq!(out.status.code(), Some(2), "{file}: {}", stderr(&out));
        for (line, problem) in problems {
            assert_has(&stderr(&out), &format!("error: {file}:{line}: {problem}"));
        }
        let found = findings(&out);
        let lines = |rule: &str| -> BTreeSet<u64> {
            found
                .iter()
                .filter(|f| f["rule"] == rule)
                .map(|f| f["line"].as_u64().unwrap())
                .collect()
        };
        assert_eq!(lines("KF001"), BTreeSet::from(refusals), "{file}");
    }
    // The damaged answers are still checked: their brush-off is found
    // beside the NUL byte and beside the byte that is not GB18030.
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl", "log.csv"]);
    let found = findings(&out);
    assert!(
        found
            .iter()
            .any(|f| f["rule"] == "KF003" && f["path"] == "log.jsonl" && f["line"] == 3)
    );
    assert!(
        found
            .iter()
            .any(|f| f["rule"] == "KF003" && f["path"] == "log.csv" && f["line"] == 3)
    );
}

#[test]
fn a_session_going_back_in_time_is_noted_and_judged_by_its_times() {
    let dir = tempfile::tempdir().unwrap();
    // The answer's line comes first but its time is later: judged by time,
    // the customer waited 5 s for it (no KS001 at 10 s).
    let log = "{\"session\": \"a\", \"role\": \"agent\", \"time\": \"2026-03-02 10:00:05\", \"content\": \"您好,我是客服8号,很高兴为您服务,有什么可以帮您的呢😊\"}\n\
               {\"session\": \"a\", \"role\": \"customer\", \"time\": \"2026-03-02 10:00:00\", \"content\": \"在吗\"}\n";
    std::fs::write(dir.path().join("back.jsonl"), log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "back.jsonl"]);
    assert_has(
        &stderr(&out),
        "note: back.jsonl: 1 session has a message earlier than one above it (the first, \"a\", at line 2)",
    );
    let found = findings(&out);
    assert!(
        !found.iter().any(|f| f["rule"] == "KS004" || f["rule"] == "KS001"),
        "{found:?}"
    );
}

#[test]
fn damage_in_a_short_log_a_header_or_around_a_document_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // A one-message log of ASCII with one stray byte: read past, not refused.
    std::fs::write(
        dir.path().join("short.jsonl"),
        b"{\"session\": \"S\", \"role\": \"agent\", \"content\": \"ok\xffok\"}\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--sessions", "short.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: short.jsonl:1: bytes that are not valid UTF-8, read as U+FFFD",
    );
    assert_has(&stderr(&out), "in 1 reply from 1 input");
    // A NUL byte that costs a message its role: two problems, one row.
    std::fs::write(
        dir.path().join("role.jsonl"),
        b"{\"session\": \"a\", \"role\": \"customer\", \"content\": \"\xe5\x9c\xa8\xe5\x90\x97\"}\n{\"session\": \"a\", \"r\0le\": \"agent\", \"content\": \"ok\"}\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--sessions", "role.jsonl"]);
    assert_has(&stderr(&out), "error: role.jsonl:2: a NUL byte, read as U+FFFD");
    assert_has(&stderr(&out), "error: role.jsonl:2: no role in any of role");
    assert_has(&stderr(&out), "; 1 row could not be read as written.");
    // A header whose bad byte hides a column: the error names the damaged line.
    let mut header = b"\xff".to_vec();
    header.extend("会话ID,角色,内容\r\ns1,买家,在吗\r\ns1,客服,您好\r\n".as_bytes());
    std::fs::write(dir.path().join("header.csv"), header).unwrap();
    let out = check(dir.path(), &["--sessions", "header.csv"]);
    assert_has(
        &stderr(&out),
        "the header is \u{FFFD}会话ID, 角色, 内容 (line 1: bytes that are not valid UTF-8, read as U+FFFD",
    );
    // Stray bytes before `[` and after `]` are no part of the document: it is read.
    let mut doc = b"\xff".to_vec();
    doc.extend("[\n{\"session\": \"a\", \"role\": \"agent\", \"content\": \"我不能\"}\n]".as_bytes());
    doc.extend(b"\0\n");
    std::fs::write(dir.path().join("doc.json"), doc).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "doc.json"]);
    let err = stderr(&out);
    assert_has(
        &err,
        "error: doc.json:1: bytes that are not valid UTF-8, read as U+FFFD",
    );
    assert_has(&err, "error: doc.json:3: a NUL byte, read as U+FFFD");
    assert!(
        findings(&out).iter().any(|f| f["rule"] == "KF001" && f["line"] == 2),
        "{err}"
    );
    // On standard input, where the format is told from the bytes, a stray
    // byte before `[` or `{` does not make the log a table, and one around
    // a JSON Lines record costs it nothing but its line's error.
    let record = "{\"session\": \"a\", \"role\": \"agent\", \"content\": \"我不能\"}";
    for log in [
        [&b"\x80["[..], record.as_bytes(), b"]\n"].concat(),
        [&b"\x80\x81"[..], record.as_bytes(), b"\xff\n"].concat(),
    ] {
        let out = support::run_fed(
            dir.path(),
            &["check", "--no-config", "--sessions", "--format", "json", "-"],
            move |pipe| pipe.write_all(&log),
        );
        let err = stderr(&out);
        assert_has(&err, "error: <stdin>:1: bytes that are not valid UTF-8, read as U+FFFD");
        assert!(findings(&out).iter().any(|f| f["rule"] == "KF001"), "{err}");
        support::assert_lacks(&err, "no column");
        support::assert_lacks(&err, "invalid JSON");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// One broken quote in a chat log's table loses only its own row: every
    /// other row is read, a message over several lines whose quote closes
    /// stays one message, whatever the size, line ends and delimiter.
    #[test]
    fn a_broken_quote_loses_only_its_own_row(
        sessions in 2_usize..60,
        broken in 0_usize..60,
        multi in proptest::option::of((0_usize..60, 2_usize..8)),
        crlf in proptest::bool::ANY,
        tsv in proptest::bool::ANY,
    ) {
        let broken = broken % sessions;
        let multi = multi.map(|(at, lines)| (at % sessions, lines)).filter(|&(at, _)| at != broken);
        let (sep, end) = (if tsv { '\t' } else { ',' }, if crlf { "\r\n" } else { "\n" });
        let mut log = format!("session{sep}role{sep}time{sep}content{end}");
        for s in 0..sessions {
            log += &format!("s{s}{sep}customer{sep}2026-03-02 10:00:00{sep}在吗{end}");
            let text = match multi {
                _ if s == broken => "\"我不能给您改价".to_owned(),
                Some((at, lines)) if at == s => format!("\"{}我不能给您改价\"", format!("第一行{end}").repeat(lines)),
                _ => "我不能给您改价".to_owned(),
            };
            log += &format!("s{s}{sep}agent{sep}2026-03-02 10:00:05{sep}{text}{end}");
        }
        let dir = tempfile::tempdir().unwrap();
        let name = if tsv { "log.tsv" } else { "log.csv" };
        std::fs::write(dir.path().join(name), &log).unwrap();
        let out = check(dir.path(), &["--sessions", "--format", "json", name]);
        let err = stderr(&out);
        let negative = findings(&out).iter().filter(|f| f["rule"] == "KF001").count();
        proptest::prop_assert_eq!(negative, sessions - 1, "{}", err);
        proptest::prop_assert_eq!(err.matches("unterminated quoted field").count(), 1, "{}", err);
        proptest::prop_assert!(err.contains("1 row could not be read as written"), "{}", err);
    }
}

/// A CSV log: session `waits` (lines 2-7), whose customer sends three
/// messages from 10:00:20 and gets an answer from 小美 at 10:02:30, and
/// session `busy` (lines 8-11), served by `busy_agent` from 10:00:55 to
/// 10:01:20; `busy` first in the file when `busy_first`.
fn waits_while(busy_agent: &str, busy_first: bool) -> String {
    let waits = [
        "waits,customer,2026-03-02 10:00:00,在吗,".to_owned(),
        "waits,agent,2026-03-02 10:00:05,\"您好,我是客服小美,很高兴为您服务\",小美".to_owned(),
        "waits,customer,2026-03-02 10:00:20,我想问下这件的尺码,".to_owned(),
        "waits,customer,2026-03-02 10:01:00,有人吗,".to_owned(),
        "waits,customer,2026-03-02 10:02:00,还在吗,".to_owned(),
        "waits,agent,2026-03-02 10:02:30,\"不好意思久等了,请问您身高体重多少呢\",小美".to_owned(),
    ];
    let busy = [
        "busy,customer,2026-03-02 10:00:50,这款有货吗,".to_owned(),
        format!("busy,agent,2026-03-02 10:00:55,\"您好,我是客服{busy_agent},有货的亲\",{busy_agent}"),
        "busy,customer,2026-03-02 10:01:10,好的谢谢,".to_owned(),
        format!("busy,agent,2026-03-02 10:01:20,\"不客气,欢迎下次光临\",{busy_agent}"),
    ];
    let (first, second) = if busy_first {
        (busy.to_vec(), waits.to_vec())
    } else {
        (waits.to_vec(), busy.to_vec())
    };
    let lines: Vec<String> = ["session,role,time,content,agent".to_owned()]
        .into_iter()
        .chain(first)
        .chain(second)
        .collect();
    lines.join("\n") + "\n"
}

/// 接一问二照顾三: a customer left waiting while the same agent answered
/// another customer is flagged, wherever that other session is in the log
/// and when the log comes on standard input; waiting for an agent who
/// wrote nowhere else is a slow reply only.
#[test]
fn a_customer_ignored_while_the_agent_answered_others_is_flagged_wherever_the_others_are() {
    let dir = tempfile::tempdir().unwrap();
    let ks006 = |out: &std::process::Output| -> Vec<(u64, String)> {
        findings(out)
            .iter()
            .filter(|f| f["rule"] == "KS006")
            .map(|f| (f["line"].as_u64().unwrap(), f["message"].as_str().unwrap().to_owned()))
            .collect()
    };
    for busy_first in [false, true] {
        std::fs::write(dir.path().join("log.csv"), waits_while("小美", busy_first)).unwrap();
        let out = check(dir.path(), &["--sessions", "--format", "json", "log.csv"]);
        // The third customer message, 还在吗, is on line 6 or (after busy's four) 10.
        let line = if busy_first { 10 } else { 6 };
        let found = ks006(&out);
        assert_eq!(found.len(), 1, "busy first: {busy_first}: {}", stderr(&out));
        assert_eq!(found[0].0, line);
        // From 10:00:20 to 10:02:30; 小美 wrote twice in `busy` meanwhile.
        assert!(
            found[0]
                .1
                .starts_with("顾客连续发了3条消息,130秒无人回复,其间客服在其他会话发了2条消息"),
            "{}",
            found[0].1
        );
    }
    let log = waits_while("小美", false);
    let piped = support::run(
        dir.path(),
        &["check", "--no-config", "--sessions", "--format", "json", "-"],
        Some(&log),
    );
    assert_eq!(ks006(&piped).len(), 1, "{}", stderr(&piped));
    // Another agent served `busy`: 小美 was away, not busy. The wait is a slow reply.
    std::fs::write(dir.path().join("log.csv"), waits_while("阿强", false)).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.csv"]);
    assert!(ks006(&out).is_empty());
    assert!(session_findings(&findings(&out)).contains(&(7, "KS002".to_owned())));
}

/// A log on standard input is kept in a temporary file while KS006 reads
/// it twice; a run killed meanwhile (SIGKILL: no clean-up runs) leaves no
/// copy of it behind.
#[test]
fn a_killed_run_leaves_no_copy_of_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut child = support::command(dir.path(), &["check", "--no-config", "--sessions", "-"])
        .env("TMPDIR", &tmp)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let line = "{\"session\": \"s\", \"role\": \"customer\", \"time\": 1772416800, \"content\": \"在吗\"}\n";
    for _ in 0..20_000 {
        pipe.write_all(line.as_bytes()).unwrap();
    }
    // Standard input stays open: the run is still keeping it.
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    drop(pipe);
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in TMPDIR: {left:?}");
}

/// Date cells are read in the workbook's own date system: Mac Excel's
/// 1904 system counts the same date 1,462 days lower, so a wait between a
/// date cell and a written time comes out the same in both.
#[test]
fn date_cells_are_read_in_the_workbooks_date_system() {
    let dir = tempfile::tempdir().unwrap();
    // 2026-03-02 10:00 is 46083.41666… in the 1900 system, 44621.41666… in the 1904 one.
    let rows = |serial: &str| {
        format!(
            concat!(
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>session</t></is></c><c r="B1" t="inlineStr"><is><t>role</t></is></c><c r="C1" t="inlineStr"><is><t>time</t></is></c><c r="D1" t="inlineStr"><is><t>content</t></is></c></row>"#,
                r#"<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2" t="inlineStr"><is><t>customer</t></is></c><c r="C2" t="inlineStr"><is><t>2026-03-02 09:59:00</t></is></c><c r="D2" t="inlineStr"><is><t>在吗</t></is></c></row>"#,
                r#"<row r="3"><c r="A3" t="inlineStr"><is><t>a</t></is></c><c r="B3" t="inlineStr"><is><t>agent</t></is></c><c r="C3" s="1"><v>{serial}</v></c><c r="D3" t="inlineStr"><is><t>您好,我是客服小美</t></is></c></row>"#,
            ),
            serial = serial
        )
    };
    for (name, serial, date1904) in [
        ("1900.xlsx", "46083.41666666667", false),
        ("1904.xlsx", "44621.41666666667", true),
    ] {
        std::fs::write(dir.path().join(name), support::xlsx_dated(&rows(serial), date1904)).unwrap();
        let out = check(
            dir.path(),
            &["--sessions", "--select", "KS001", "--format", "json", name],
        );
        let found = findings(&out);
        assert_has(&finding(&found, 3, "KS001")["message"].to_string(), "等了60秒");
    }
}

/// A time column holding only a time of day is read with the date column
/// beside it (日期 | 时间, as shop back ends export), in a table and in a
/// workbook whose date and time are date cells: a wait across midnight is
/// the two minutes it was. Without a date column, such a time is an error
/// that names the date fields.
#[test]
fn a_time_of_day_is_read_with_the_date_column_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("log.csv"),
        "会话,日期,时间,角色,内容\na,2026-03-02,下午11:59:00,客户,在吗\na,2026-03-03,00:01:00,客服,您好，我是客服小美\n",
    )
    .unwrap();
    // A row of cells in columns A, B, …: text ("t") or a date cell ("d", a serial).
    let row = |r: usize, cells: &[(&str, &str)]| {
        let cells: String = cells
            .iter()
            .zip('A'..)
            .map(|(&(kind, value), c)| match kind {
                "t" => format!(r#"<c r="{c}{r}" t="inlineStr"><is><t>{value}</t></is></c>"#),
                _ => format!(r#"<c r="{c}{r}" s="1"><v>{value}</v></c>"#),
            })
            .collect();
        format!(r#"<row r="{r}">{cells}</row>"#)
    };
    // 2026-03-02 is serial 46083; 23:59:00 is 0.999305…, 00:01:00 is 0.000694….
    let rows = [
        row(
            1,
            &[
                ("t", "会话"),
                ("t", "日期"),
                ("t", "时间"),
                ("t", "角色"),
                ("t", "内容"),
            ],
        ),
        row(
            2,
            &[
                ("t", "a"),
                ("d", "46083"),
                ("d", "0.99930555555555556"),
                ("t", "客户"),
                ("t", "在吗"),
            ],
        ),
        row(
            3,
            &[
                ("t", "a"),
                ("d", "46084"),
                ("d", "0.00069444444444444"),
                ("t", "客服"),
                ("t", "您好,我是客服小美"),
            ],
        ),
    ]
    .concat();
    std::fs::write(dir.path().join("log.xlsx"), support::xlsx_dated(&rows, false)).unwrap();
    for name in ["log.csv", "log.xlsx"] {
        let out = check(
            dir.path(),
            &["--sessions", "--select", "KS001", "--format", "json", name],
        );
        assert_has(
            &stderr(&out),
            "Found 0 errors, 1 warning, 0 infos in 1 reply from 1 input.",
        );
        let found = findings(&out);
        assert_has(&finding(&found, 3, "KS001")["message"].to_string(), "等了120秒");
    }
    std::fs::write(
        dir.path().join("undated.csv"),
        "会话,时间,角色,内容\na,23:59:00,客户,在吗\na,00:01:00,客服,您好\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--sessions", "undated.csv"]);
    assert_has(
        &stderr(&out),
        "undated.csv:2: 时间: \"23:59:00\" is not a time: ISO 8601",
    );
    assert_has(
        &stderr(&out),
        "; a time of day is read with the message's date field (date, 日期, 发送日期, 消息日期)",
    );
}

/// Standard input is kept for KS006's second reading only up to 256 MiB: an
/// endless stream (here /dev/zero) neither fills the disk nor hangs the run;
/// past the limit it is read once, as it comes, and said so.
#[test]
fn an_endless_standard_input_is_kept_only_up_to_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = support::command(dir.path(), &["check", "--no-config", "--sessions", "-"])
        .env("TMPDIR", &tmp)
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_has(
        &err,
        "standard input is longer than 256 MiB, more than is kept to read it twice",
    );
    assert_has(&err, "error: <stdin>: binary file (a NUL byte at byte 0)");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

/// Standard input that cannot be kept (no temporary directory) is an error
/// that says what to do instead; `--ignore KS006` reads it once.
#[test]
fn standard_input_that_cannot_be_kept_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let log = "{\"session\": \"a\", \"role\": \"agent\", \"content\": \"你自己看吧\"}\n";
    let run = |args: &[&str]| {
        let mut child = support::command(dir.path(), args)
            .env("TMPDIR", dir.path().join("missing"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(log.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["check", "--no-config", "--sessions", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "or --ignore KS006 to read it once as it comes");
    let out = run(&["check", "--no-config", "--sessions", "--ignore", "KS006", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert_has(&stdout(&out), "KF003");
}

/// A session holds at most 10,000 messages: a log whose session column
/// never changes is checked in parts, with memory bounded, every reply
/// checked, and the first cut named once.
#[test]
fn a_session_too_long_to_hold_is_checked_in_parts() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for i in 0..25_000 {
        let (role, text) = if i % 2 == 0 {
            ("customer", "在吗")
        } else {
            ("agent", "亲,您好,在的哦")
        };
        log.push_str(&format!(
            "{{\"session\": \"shop\", \"role\": \"{role}\", \"time\": {}, \"content\": \"{text}\"}}\n",
            1_772_416_800 + i
        ));
    }
    log.push_str("{\"session\": \"shop\", \"role\": \"agent\", \"time\": 1772441801, \"content\": \"你自己看吧\"}\n");
    std::fs::write(dir.path().join("log.jsonl"), &log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_has(
        &err,
        "log.jsonl:10001: session \"shop\" (from line 1) holds more than 10000 messages or 16 MiB of text",
    );
    assert_eq!(err.matches("holds more than").count(), 1, "{err}");
    // The reply in the last part is checked, and no part is judged to end
    // where it was cut (no farewell, an unanswered customer).
    let found = findings(&out);
    assert_eq!(finding(&found, 25_001, "KF003")["matched"], "你自己看吧");
    let ends: Vec<_> = found
        .iter()
        .filter(|f| f["rule"] == "KS004" || f["rule"] == "KS005")
        .map(|f| f["line"].clone())
        .collect();
    assert!(ends.iter().all(|line| *line == 25_001), "{ends:?}");
}

/// After a hand-over, a customer's messages count for the agent who took
/// over: KS006 counts that agent's messages elsewhere and names that agent.
#[test]
fn an_ignored_customer_is_the_fault_of_the_agent_who_took_over() {
    let dir = tempfile::tempdir().unwrap();
    let log = [
        r#"{"session": "a", "role": "customer", "time": 1772416800, "content": "在吗"}"#,
        r#"{"session": "a", "role": "agent", "time": 1772416805, "content": "您好,我是客服小美", "agent": "小美"}"#,
        r#"{"session": "a", "role": "customer", "time": 1772416820, "content": "这件有货吗"}"#,
        r#"{"session": "a", "role": "customer", "time": 1772416860, "content": "有人吗"}"#,
        r#"{"session": "a", "role": "customer", "time": 1772416900, "content": "还在吗"}"#,
        r#"{"session": "a", "role": "agent", "time": 1772416920, "content": "您好,我是客服阿强,有货的亲", "agent": "阿强"}"#,
        r#"{"session": "b", "role": "customer", "time": 1772416830, "content": "在吗"}"#,
        r#"{"session": "b", "role": "agent", "time": 1772416840, "content": "您好,我是客服阿强,有什么可以帮您", "agent": "阿强"}"#,
    ]
    .join("\n");
    std::fs::write(dir.path().join("log.jsonl"), &log).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    let found = findings(&out);
    let ignored = finding(&found, 5, "KS006");
    assert_eq!(ignored["context"]["agent"], "阿强");
    assert_has(ignored["message"].as_str().unwrap(), "其间客服在其他会话发了1条消息");
    assert_has(ignored["message"].as_str().unwrap(), "(会话 a,客服 阿强)");
    // When session a comes back after b, 阿强's message there may be the
    // answer to this very customer: a is not judged by KS006.
    let back = r#"{"session": "a", "role": "agent", "time": 1772416870, "content": "亲,在的", "agent": "阿强"}"#;
    std::fs::write(dir.path().join("log.jsonl"), format!("{log}\n{back}\n")).unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.jsonl"]);
    assert_has(&stderr(&out), "session \"a\" began at line 1 and comes back here");
    assert!(
        !session_findings(&findings(&out))
            .iter()
            .any(|(_, rule)| rule == "KS006")
    );
}

/// Every sheet of a workbook is a chat log of its own (monthly sheets of
/// one export): each is read, a session id in two sheets is two sessions,
/// and a sheet that is no chat log (a summary) is named in a note, never
/// passed over in silence; `--sheet` reads one sheet.
#[test]
fn every_sheet_of_a_workbook_is_read_as_a_log_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let row = |r: u32, cells: [&str; 3]| {
        let cells: String = cells
            .iter()
            .zip(["A", "B", "C"])
            .map(|(text, col)| format!(r#"<c r="{col}{r}" t="inlineStr"><is><t>{text}</t></is></c>"#))
            .collect();
        format!(r#"<row r="{r}">{cells}</row>"#)
    };
    let month = |reply: &str| {
        [
            row(1, ["session", "role", "content"]),
            row(2, ["s1", "customer", "在吗"]),
            row(3, ["s1", "agent", reply]),
        ]
        .concat()
    };
    let (january, february) = (month("您好,我是客服小美,很高兴为您服务"), month("你自己看吧"));
    // A title row above the header, as exports write one.
    let march = [
        row(1, ["京东咚咚聊天记录导出", "", ""]),
        row(2, ["session", "role", "content"]),
        row(3, ["s1", "customer", "在吗"]),
        row(4, ["s1", "agent", "不知道"]),
    ]
    .concat();
    let summary = [row(1, ["月份", "会话数", "备注"]), row(2, ["一月", "1", "好"])].concat();
    std::fs::write(
        dir.path().join("log.xlsx"),
        support::xlsx_sheets(&[
            ("一月", &january),
            ("汇总", &summary),
            ("二月", &february),
            ("三月", &march),
        ]),
    )
    .unwrap();
    let out = check(dir.path(), &["--sessions", "--format", "json", "log.xlsx"]);
    let found = findings(&out);
    assert!(
        found.iter().any(|f| f["rule"] == "KF003" && f["sheet"] == "二月"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f["rule"] == "KF002" && f["sheet"] == "三月" && f["line"] == 4),
        "{found:?}"
    );
    let err = stderr(&out);
    assert_has(&err, "sheet \"汇总\" is not read as a chat log: no column for the");
    support::assert_lacks(&err, "comes back");
    let out = check(
        dir.path(),
        &["--sessions", "--sheet", "一月", "--format", "json", "log.xlsx"],
    );
    assert!(findings(&out).iter().all(|f| f["rule"] != "KF003"));
    support::assert_lacks(&stderr(&out), "is not read");
}

/// A message text with an unpaired surrogate escape (`\ud800`, which
/// writes no character) is an error that says so, as a plain check says.
#[test]
fn an_unpaired_surrogate_escape_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("log.jsonl"),
        "{\"session\": \"a\", \"role\": \"agent\", \"content\": \"您好\\ud800\"}\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--sessions", "log.jsonl"]);
    assert_has(
        &stderr(&out),
        "log.jsonl:1: content is a string with an unpaired surrogate escape such as \\ud800 (half of a UTF-16 pair: it writes no character), not the message text",
    );
}

/// A finding in a table's reply is placed at its column in the file, as a
/// plain check places it (it was the column of the reply's own text), on
/// the line the text begins even when an earlier field runs over lines.
#[test]
fn a_table_finding_is_placed_where_the_plain_check_places_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("log.csv"),
        "会话,角色,备注,内容\ns1,客服,,你自己看吧\ns1,客服,\"两行\n备注\",但是没货了\n",
    )
    .unwrap();
    for args in [
        &["--format", "concise", "log.csv"][..],
        &["--sessions", "--format", "concise", "log.csv"],
    ] {
        let out = support::run(dir.path(), &[&["check", "--no-config"][..], args].concat(), None);
        let found = stdout(&out);
        assert_has(&found, "log.csv:2:8: error KF003");
        assert_has(&found, "log.csv:4:5: warning KF007");
    }
}
