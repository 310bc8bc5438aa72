//! End to end: the files people really have (issue 13) — Big5 and UTF-16
//! without a byte-order mark, JSON chat exports, who the agent is, and reply
//! columns found by name, by containment or by number.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::fs;
use std::path::Path;
use std::process::Output;

use support::{stderr, stdout};

/// `kefu-lint check --no-config --format concise ARGS` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Output {
    let all: Vec<&str> = ["check", "--no-config", "--format", "concise"]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    support::run(dir, &all, None)
}

#[track_caller]
fn assert_has(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "no {needle:?} in:\n{haystack}");
}

#[track_caller]
fn assert_lacks(haystack: &str, needle: &str) {
    assert!(!haystack.contains(needle), "{needle:?} in:\n{haystack}");
}

const BIG5_NOTE: &str = "note: big5.txt: read as Big5 (Traditional Chinese); the file is not UTF-8, and Big5 fits it better than GB18030 — use --encoding to choose";

#[test]
fn big5_is_read_as_big5_with_the_same_plain_note_in_check_fix_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "這個我真的不知道\n我們保證三天內到貨\n你好,請稍等\n";
    let big5 = encoding_rs::BIG5.encode(text).0.into_owned();
    fs::write(d.join("big5.txt"), &big5).unwrap();

    let out = check(d, &["big5.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), BIG5_NOTE);
    assert_lacks(&stderr(&out), "byte 0");
    assert_has(&stdout(&out), "big5.txt:1:6: error KF002");
    assert_has(&stdout(&out), "big5.txt:2:3: warning KF008");

    let out = check(d, &["--diff", "big5.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), BIG5_NOTE);
    assert_has(&stdout(&out), "+您好,請稍等");

    let out = check(d, &["--fix", "big5.txt"]);
    assert_has(&stderr(&out), BIG5_NOTE);
    let fixed = "這個我真的不知道\n我們保證三天內到貨\n您好,請稍等\n";
    assert_eq!(
        fs::read(d.join("big5.txt")).unwrap(),
        encoding_rs::BIG5.encode(fixed).0.into_owned(),
        "written back in Big5, only the fixed character changed"
    );
}

#[test]
fn utf16_without_a_byte_order_mark_is_read_checked_and_fixed_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let utf16 = |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    fs::write(d.join("le.txt"), utf16("你好,但是不行\n")).unwrap();
    let note = "note: le.txt: read as UTF-16LE (Unicode); the file has no byte-order mark";
    let out = check(d, &["le.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), note);
    assert_has(&stdout(&out), "le.txt:1:4: warning KF007");
    let out = check(d, &["--fix", "le.txt"]);
    assert_has(&stderr(&out), note);
    assert_eq!(fs::read(d.join("le.txt")).unwrap(), utf16("您好,但是不行\n"));
}

/// A 千牛 export as public exporters write it: one pretty-printed file per
/// buyer, the agent a sub-account `店铺名:客服名`, the buyer a nick.
const QIANNIU: &str = r#"{
  "buyer": "tb123",
  "chats": [
    {
      "date": "2024-03-01",
      "time": "10:00:05",
      "sender": "tb123",
      "text": "能便宜点吗？你们肯定有优惠吧"
    },
    {
      "date": "2024-03-01",
      "time": "10:00:40",
      "sender": "示例旗舰店:小美",
      "text": "不讲价,爱买不买"
    },
    {
      "date": "2024-03-01",
      "time": "10:01:02",
      "sender": "示例旗舰店:小美",
      "text": "亲，\u4f60可以看看详情页\t哦"
    }
  ]
}
"#;

#[test]
fn a_json_chat_export_is_read_as_json_and_the_agents_reply_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("tb123.json"), QIANNIU).unwrap();
    let out = check(d, &["tb123.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let (found, err) = (stdout(&out), stderr(&out));
    // Line 14, column 16: where the reply's text starts in the file.
    assert_has(&found, "tb123.json:14:16: warning KF005");
    assert_has(&found, "tb123.json:14:20: error KF003");
    assert_has(&found, "tb123.json:20:18: warning KF011");
    // The buyer's 肯定 and 你 are not the agent's.
    assert_lacks(&found, "KF008");
    assert_lacks(&found, "tb123.json:9:");
    assert_has(&err, "note: tb123.json: messages read from /chats");
    assert_has(
        &err,
        "note: tb123.json: who sent each message is read from its field \"sender\"",
    );
    assert_has(
        &err,
        "senders written 店铺名:客服名 (\"示例旗舰店:小美\") are read as the shop's agents and checked",
    );
    assert_has(
        &err,
        "note: tb123.json: other senders (\"tb123\") are read as buyers and not checked; --agent-role \"tb123\" checks them",
    );
    assert_has(&err, "in 2 replies from 1 input.");
}

#[test]
fn a_json_fix_rewrites_only_the_fixed_characters_and_keeps_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("tb123.json"), QIANNIU).unwrap();
    let expected = QIANNIU.replace(r#""亲，\u4f60可以"#, r#""亲，您可以"#);
    assert_ne!(expected, QIANNIU);

    let out = check(d, &["--diff", "tb123.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), r#"+      "text": "亲，您可以看看详情页\t哦""#);
    assert_has(&stderr(&out), "note: tb123.json: messages read from /chats");
    assert_eq!(fs::read_to_string(d.join("tb123.json")).unwrap(), QIANNIU);

    let out = check(d, &["--fix", "tb123.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), "note: tb123.json: messages read from /chats");
    assert_has(&stderr(&out), "fixed 1 finding in 1 input");
    assert_eq!(fs::read_to_string(d.join("tb123.json")).unwrap(), expected);
}

#[test]
fn json_arrays_are_found_at_the_top_under_a_key_or_by_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("top.json"),
        r#"[{"role":"user","content":"你好"},{"role":"assistant","content":"你自己看吧"}]"#,
    )
    .unwrap();
    fs::write(
        d.join("nested.json"),
        "{\"meta\": {\"v\": 1},\n \"data\": {\"list\": [\n  {\"from\": \"buyer\", \"msg\": \"你好\"},\n  {\"from\": \"seller\", \"msg\": \"不知道\"}\n]}}\n",
    )
    .unwrap();
    fs::write(
        d.join("two.json"),
        r#"{"old":[{"role":"agent","content":"你好"}],"new":[{"role":"agent","content":"不知道"}]}"#,
    )
    .unwrap();
    let out = check(d, &["top.json", "nested.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "top.json:1:64: error KF003");
    assert_has(&stdout(&out), "nested.json:4:30: error KF002");
    assert_lacks(&stderr(&out), "note: top.json: messages read from");
    assert_has(&stderr(&out), "note: nested.json: messages read from /data/list");
    // The first array of objects, unless --json-pointer says which.
    let out = check(d, &["two.json"]);
    assert_has(&stdout(&out), "two.json:1:36: warning KF011");
    assert_lacks(&stdout(&out), "KF002");
    let out = check(d, &["--json-pointer", "/new", "two.json"]);
    assert_has(&stdout(&out), "KF002");
    assert_lacks(&stdout(&out), "KF011");
    assert_lacks(&stderr(&out), "messages read from");
    // A pointer to nothing, or to what is not an array, is an error naming it.
    let out = check(d, &["--json-pointer", "/nope", "two.json", "top.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "error: two.json: --json-pointer /nope: nothing at /nope");
    let out = check(d, &["--json-pointer", "/new/0", "two.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: two.json: /new/0 is an object, not an array of messages",
    );
}

#[test]
fn bad_json_is_an_error_naming_the_file_line_and_column_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("bad.json"), "{\"chats\": [\n  {\"text\": \"你好\" \"x\"}\n]}\n").unwrap();
    fs::write(d.join("none.json"), r#"{"buyer": "x", "tags": ["a"]}"#).unwrap();
    fs::write(d.join("mixed.json"), r#"[{"role":"agent","content":"你好"}, 3]"#).unwrap();
    fs::write(d.join("ok.txt"), "你自己看吧\n").unwrap();
    let out = check(d, &["bad.json", "none.json", "mixed.json", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_has(
        &err,
        "error: bad.json: invalid JSON at line 2, column 17: expected `,` or `}`",
    );
    assert_has(&err, "error: none.json: no array of messages in it");
    assert_has(&err, "error: mixed.json:1: a message is a number, not a JSON object");
    assert_has(&stdout(&out), "mixed.json:1:29: warning KF011");
    assert_has(&stdout(&out), "ok.txt:1:1: error KF003");
}

#[test]
fn a_json_document_larger_than_the_workbook_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let message = r#"{"role":"agent","content":"您好,很高兴为您服务"},"#;
    let big = format!(
        "[{}{{\"role\":\"agent\",\"content\":\"你好\"}}]",
        message.repeat(20_000)
    );
    assert!(big.len() > 1 << 20);
    fs::write(d.join("big.json"), &big).unwrap();
    fs::write(d.join("ok.txt"), "你自己看吧\n").unwrap();
    let out = check(d, &["--max-workbook-mb", "1", "big.json", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: big.json: larger than the limit of 1 MiB (--max-workbook-mb)",
    );
    assert_has(&stdout(&out), "ok.txt:1:1: error KF003");
    let out = check(d, &["--max-workbook-mb", "2", "big.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "warning KF011");
    assert_has(&stderr(&out), "in 20001 replies from 1 input.");
}

#[test]
fn role_fields_named_differently_are_found_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = [
        r#"{"发送者":"买家","内容":"你们肯定有货吧"}"#,
        r#"{"发送者":"客服","内容":"不知道"}"#,
    ];
    fs::write(d.join("zh.jsonl"), lines.join("\n")).unwrap();
    let out = check(d, &["zh.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "zh.jsonl:2:19: error KF002");
    assert_lacks(&stdout(&out), "zh.jsonl:1:");
    assert_has(
        &stderr(&out),
        "note: zh.jsonl: who sent each message is read from its field \"发送者\"",
    );
}

#[test]
fn messages_without_a_role_are_all_checked_and_the_note_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = [
        r#"{"time":"10:00","who":"tb1","text":"你们肯定有货吧"}"#,
        r#"{"time":"10:01","who":"店:小美","text":"有的哦"}"#,
    ];
    fs::write(d.join("log.jsonl"), lines.join("\n")).unwrap();
    let out = check(d, &["log.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The customer's line is checked: nothing tells it apart.
    assert_has(&stdout(&out), "log.jsonl:1:39: warning KF008");
    assert_has(
        &stderr(&out),
        "note: log.jsonl: messages without a role field (looked for role, sender, from, speaker",
    );
    assert_has(
        &stderr(&out),
        "they have \"time\", \"who\", \"text\") are all checked, a customer's too",
    );
    // Named, the field tells them apart.
    let out = check(d, &["--role-field", "who", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_has(&stderr(&out), "in 1 reply from 1 input.");
}

#[test]
fn agent_roles_are_globs_and_sub_accounts_are_told_from_buyers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = [
        r#"{"sender":"tb123","text":"你们肯定有货吧"}"#,
        r#"{"sender":"示例旗舰店:小美","text":"不讲价,爱买不买"}"#,
        r#"{"sender":"示例旗舰店:阿强","text":"你好"}"#,
        r#"{"sender":"bot","text":"不知道"}"#,
    ];
    fs::write(d.join("log.jsonl"), lines.join("\n")).unwrap();
    // By default: sub-accounts are agents, other unknown senders buyers.
    let out = check(d, &["log.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = stdout(&out);
    assert_has(&found, "log.jsonl:2:34: error KF003");
    assert_has(&found, "log.jsonl:3:30: warning KF011");
    assert_lacks(&found, "log.jsonl:1:");
    assert_lacks(&found, "log.jsonl:4:");
    assert_has(
        &stderr(&out),
        "(\"示例旗舰店:小美\", \"示例旗舰店:阿强\") are read as the shop's agents and checked",
    );
    assert_has(
        &stderr(&out),
        "other senders (\"tb123\", \"bot\") are read as buyers and not checked",
    );
    // Globs: every sub-account, and the bot.
    let out = check(d, &["--agent-role", "*:*", "--agent-role", "BOT", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "log.jsonl:4:");
    assert_has(&stdout(&out), "log.jsonl:3:");
    assert_lacks(&stdout(&out), "log.jsonl:1:");
    assert_lacks(&stderr(&out), "sub-accounts");
    // One agent by name.
    let out = check(d, &["--agent-role", "示例旗舰店:阿强", "log.jsonl"]);
    assert_has(&stdout(&out), "log.jsonl:3:");
    assert_lacks(&stdout(&out), "log.jsonl:2:");
    // A pattern that matches no sender: said, with the senders seen.
    let out = check(d, &["--agent-role", "客服*", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    assert_has(
        &stderr(&out),
        "note: log.jsonl: no sender matches --agent-role (seen: \"tb123\", \"示例旗舰店:小美\", \"示例旗舰店:阿强\", \"bot\")",
    );
    // A pattern that is not a glob is a usage error.
    let out = check(d, &["--agent-role", "[", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "error: --agent-role \"[\"");
}

#[test]
fn an_unknown_role_word_is_a_problem_and_an_unknown_sender_a_buyer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A role field holds role words: one of neither side is an error for its line.
    fs::write(
        d.join("roles.jsonl"),
        "{\"role\":\"tb123\",\"text\":\"你好\"}\n{\"role\":\"客服\",\"text\":\"不知道\"}\n",
    )
    .unwrap();
    let out = check(d, &["roles.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: roles.jsonl:1: role \"tb123\" is neither an agent's",
    );
    assert_has(&stdout(&out), "roles.jsonl:2:");
    // A sender field holds nicks: one of neither side is a buyer's, said once, with or without sub-accounts.
    fs::write(
        d.join("log.jsonl"),
        "{\"sender\":\"tb123\",\"text\":\"你好\"}\n{\"sender\":\"tb9\",\"text\":\"你好\"}\n{\"sender\":\"客服\",\"text\":\"不知道\"}\n",
    )
    .unwrap();
    let out = check(d, &["log.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "note: log.jsonl: other senders (\"tb123\", \"tb9\") are read as buyers and not checked",
    );
    assert_lacks(&stderr(&out), "error:");
    assert_lacks(&stdout(&out), "log.jsonl:1:");
    assert_has(&stdout(&out), "log.jsonl:3:");
}

#[test]
fn reply_columns_are_found_by_a_ranked_list_and_by_containment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, name) in [
        "话术内容",
        "客服回复",
        "回复话术",
        "答案",
        "answer",
        "快捷短语内容",
        "自动回复内容",
        "聊天记录",
        "fixed",
    ]
    .iter()
    .enumerate()
    {
        let file = format!("t{i}.csv");
        fs::write(d.join(&file), format!("编号,{name},回复时间\n1,你好,10:00\n")).unwrap();
        let out = check(d, &[&file]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert_has(&stdout(&out), &format!("{file}:2:3: warning KF011"));
        assert_lacks(&stderr(&out), "note:");
    }
    // By containment, said once.
    fs::write(d.join("c.csv"), "编号,标准回复(新版)\n1,你好\n2,你看吧\n").unwrap();
    let out = check(d, &["c.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "c.csv:3:3: warning KF011");
    let err = stderr(&out);
    assert_eq!(err.matches("note:").count(), 1, "{err}");
    assert_has(
        &err,
        "note: c.csv: replies read from column 2 (\"标准回复(新版)\"), whose header names a reply; --column chooses another",
    );
    // Headers about replies are not replies; nothing else fits: an error.
    fs::write(d.join("n.csv"), "回复时间,回复人\n10:00,小美\n").unwrap();
    let out = check(d, &["n.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "error: n.csv: no reply column in the header");
}

#[test]
fn a_first_row_that_is_not_a_known_header_is_never_checked_silently() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("plain.csv"), "你好\n爱买不买\n").unwrap();
    fs::write(d.join("two.csv"), "a,b\n1,你好\n").unwrap();
    fs::write(d.join("one.csv"), "客服回复\n你好\n").unwrap();
    // Headerless, said so: both rows are replies.
    let out = check(d, &["--column", "1", "--no-header", "plain.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "plain.csv:1:1: warning KF011");
    assert_has(&stdout(&out), "plain.csv:2:1: error KF003");
    assert_lacks(&stderr(&out), "note:");
    // Not said: the first row is read as a reply, and the note says so.
    let out = check(d, &["--column", "2", "two.csv"]);
    assert_has(
        &stderr(&out),
        "note: two.csv: the first row is read as a reply, as \"b\" is not a known header (--header skips it)",
    );
    assert_has(&stderr(&out), "in 2 replies from 1 input.");
    let out = check(d, &["--column", "2", "--header", "two.csv"]);
    assert_lacks(&stderr(&out), "note:");
    assert_has(&stderr(&out), "in 1 reply from 1 input.");
    assert_has(&stdout(&out), "two.csv:2:3: warning KF011");
    // A one-column table headed by a reply name: the header is not a reply.
    let out = check(d, &["one.csv"]);
    assert_has(&stderr(&out), "in 1 reply from 1 input.");
    assert_has(&stdout(&out), "one.csv:2:1: warning KF011");
    // Usage that cannot work is an error, not a guess.
    let out = check(d, &["--no-header", "two.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "with --no-header, give the reply column's number with --column N",
    );
    let out = check(d, &["--column", "b", "--no-header", "two.csv"]);
    assert_eq!(out.status.code(), Some(2));
    // On a text file, the table options are named as not used.
    fs::write(d.join("r.txt"), "您好\n").unwrap();
    let out = check(d, &["--no-header", "r.txt"]);
    assert_has(
        &stderr(&out),
        "note: --header and --no-header apply to tables and workbooks",
    );
}

#[test]
fn kefu_lint_reads_its_own_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let rows = support::inline_rows("短语", &["你好", "不讲价"]);
    fs::write(d.join("book.xlsx"), support::xlsx("售前", &rows, None)).unwrap();
    let out = check(d, &["--fix", "--output", "fixed.csv", "book.xlsx"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &fs::read_to_string(d.join("fixed.csv")).unwrap(),
        "workbook,sheet,row,column,original,fixed",
    );
    let out = check(d, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_lacks(&stderr(&out), "no reply column");
    // The fixed reply is clean; the one with no safe fix is still found.
    assert_has(&stdout(&out), "fixed.csv:3:");
    assert_has(&stdout(&out), "warning KF005");
    assert_lacks(&stdout(&out), "fixed.csv:2:");
}

#[test]
fn a_directory_walk_checks_json_only_when_a_glob_selects_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("exports")).unwrap();
    fs::write(d.join("exports/tb123.json"), QIANNIU).unwrap();
    fs::write(
        d.join("exports/package.json"),
        r#"{"name": "shop", "version": "1.0.0"}"#,
    )
    .unwrap();
    fs::write(d.join("exports/replies.txt"), "您好\n").unwrap();
    // A baseline or package.json in a repository is not a chat log.
    let out = check(d, &["exports"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "note: 2 .json files in the directories not checked: a walk checks .json chat logs only when --glob selects them",
    );
    let out = check(d, &["--glob", "tb*.json", "exports"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "tb123.json:14:20: error KF003");
    assert_has(&stderr(&out), "in 2 replies from 1 input.");
}

#[test]
fn a_full_width_colon_is_a_sub_account_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("log.jsonl"),
        "{\"sender\":\"tb9\",\"text\":\"你好\"}\n{\"sender\":\"示例旗舰店：阿珍\",\"text\":\"不知道\"}\n",
    )
    .unwrap();
    for args in [&["log.jsonl"][..], &["--agent-role", "*:*", "log.jsonl"]] {
        let out = check(d, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_has(&stdout(&out), "log.jsonl:2:");
        assert_lacks(&stdout(&out), "log.jsonl:1:");
    }
}
