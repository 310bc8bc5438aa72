//! `kefu-lint check --sessions`: chat logs checked as conversations, in
//! every input format, with the findings of `examples/chat-sessions.jsonl`
//! written down by hand from the session rules' definitions
//! (`rules/session.toml`).

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::{ROOT, assert_has, check, stderr, stdout, xml_escape};

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
    // Line 2 is not a message: the first answer is line 4's, 200 s on (milliseconds read as such).
    let found = findings(&out);
    assert_has(finding(&found, 4, "KS001")["message"].as_str().unwrap(), "等了200秒");
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
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(ROOT).join("examples/chat-sessions.jsonl"),
        dir.path().join("log.jsonl"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("kefu-lint.toml"),
        "[session]\nfirst-response-seconds = 60\nreply-seconds = 145\n",
    )
    .unwrap();
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

/// A row of shared-string cells `(reference, string index)` of an `.xlsx` sheet.
fn xlsx_row(n: u32, cells: &[(&str, usize)]) -> String {
    let cells: String = cells
        .iter()
        .map(|(at, i)| format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>"))
        .collect();
    format!("<row r=\"{n}\">{cells}</row>")
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
    let header = xlsx_row(1, &[("A1", 0), ("B1", 1), ("C1", 2), ("D1", 3)]);
    let messages = format!(
        "{}{}",
        xlsx_row(2, &[("A2", 4), ("B2", 5), ("C2", 7), ("D2", 9)]),
        xlsx_row(3, &[("A3", 4), ("B3", 6), ("C3", 8), ("D3", 10)])
    );
    let dir = tempfile::tempdir().unwrap();
    let books = [
        // A cell at XFD1048576 once made the session reader allocate a 17-billion-cell rectangle.
        (
            "far.xlsx",
            format!("{header}{messages}{}", xlsx_row(1_048_576, &[("XFD1048576", 9)])),
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
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(ROOT).join("examples/chat-sessions.jsonl"),
        dir.path().join("log.jsonl"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("kefu-lint.toml"),
        "[session]\nignore = [\"KS003\"]\nreply-seconds = 100\n",
    )
    .unwrap();
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
