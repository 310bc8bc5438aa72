//! End to end: the files people really have (issue 13) — Big5 and UTF-16
//! without a byte-order mark, JSON chat exports, who the agent is, and reply
//! columns found by name, by containment or by number.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::fs;

use support::{assert_has, assert_lacks, check_concise as check, stderr, stdout};

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
    // A pointer without its leading / is a usage error, once, before any input is read.
    let out = check(d, &["--json-pointer", "new", "two.json", "top.json", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_has(
        &err,
        "invalid value 'new' for '--json-pointer <POINTER>': a JSON Pointer starts with /",
    );
    assert_eq!(err.matches("JSON Pointer starts").count(), 1, "{err}");
    assert_lacks(&err, "two.json");
    assert_lacks(&err, "missing.json");
    assert!(stdout(&out).is_empty());
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
        "note: log.jsonl: messages without a role field (looked for role, fromType, senderType, sender_type, user_type, role_type, 角色, 身份, 发送方, sender, from, speaker",
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
    // A pattern that matches no sender: nothing was checked, an error naming the field and the senders seen.
    let out = check(d, &["--agent-role", "客服*", "log.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: log.jsonl: no agent message in this input, so nothing in it was checked: who sent each message is read from \"sender\", which holds \"tb123\", \"示例旗舰店:小美\", \"示例旗舰店:阿强\", \"bot\" and no value matches --agent-role; --agent-role names",
    );
    assert_has(&stderr(&out), "1 input had no agent message.");
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
    let written = fs::read_to_string(d.join("fixed.csv")).unwrap();
    assert_has(&written, "workbook,sheet,row,column,original,fixed");
    // Only the reply a fix changed is listed (不讲价 has no safe fix).
    assert_has(&written, ",你好,您好");
    assert_lacks(&written, "不讲价");
    let out = check(d, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_lacks(&stderr(&out), "no reply column");
    // Its one reply, the fixed 您好, is read and clean.
    assert_has(&stderr(&out), "in 3 replies from 2 inputs");
    assert_lacks(&stdout(&out), "fixed.csv:");
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

/// `<sheetData>` rows from A1 down, each cell an inline string (columns A to Z).
fn sheet_rows(rows: &[&[&str]]) -> String {
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let r = i + 1;
        out.push_str(&format!(r#"<row r="{r}">"#));
        for (j, text) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            let col = char::from(b'A' + u8::try_from(j).unwrap());
            out.push_str(&format!(
                r#"<c r="{col}{r}" t="inlineStr"><is><t>{}</t></is></c>"#,
                support::xml_escape(text)
            ));
        }
        out.push_str("</row>");
    }
    out
}

/// Exports that begin with a byte-order mark, joined with `cat`, have one
/// at the start of a line inside: it is passed over there as at the start
/// of the file, the record is read, and a fix keeps it.
#[test]
fn a_byte_order_mark_opening_a_json_line_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let record =
        |role: &str, text: &str| format!("\u{FEFF}{{\"session\":\"a\",\"role\":\"{role}\",\"content\":\"{text}\"}}\n");
    let log = record("customer", "在吗?") + &record("agent", "你的订单已发货");
    fs::write(d.join("joined.jsonl"), &log).unwrap();
    for args in [&["joined.jsonl"][..], &["--sessions", "joined.jsonl"]] {
        let out = check(d, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_has(&stdout(&out), "joined.jsonl:2:43: warning KF011");
        assert_lacks(&stderr(&out), "invalid JSON");
    }
    check(d, &["--fix", "joined.jsonl"]);
    assert_eq!(
        fs::read_to_string(d.join("joined.jsonl")).unwrap(),
        log.replace("你的", "您的")
    );
}

/// Sheets are found by name: a workbook with two sheets of one name (which
/// Excel never writes) is refused, naming them, instead of the first being
/// checked twice and the second never.
#[test]
fn two_sheets_of_one_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (first, second) = (
        sheet_rows(&[&["回复"], &["你自己看吧"]]),
        sheet_rows(&[&["回复"], &["我不能"]]),
    );
    fs::write(
        d.join("twice.xlsx"),
        support::xlsx_sheets(&[("售前", &first), ("售前", &second)]),
    )
    .unwrap();
    for args in [&["twice.xlsx"][..], &["--sessions", "twice.xlsx"]] {
        let out = check(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_has(&stderr(&out), "twice.xlsx: sheets 1 and 2 are both named \"售前\"");
    }
}

/// A sheet with no reply column and no sentences (a summary beside the
/// month's log) is passed over with a note, and the other sheets are
/// checked; a sheet of sentences under an unknown header is an error of its
/// own, and the other sheets are still checked; when no sheet has one, the
/// workbook is an error that says why of a sheet of sentences and names
/// every other sheet; `--sheet` naming such a sheet is an error too.
#[test]
fn a_sheet_without_a_reply_column_is_passed_over_when_another_has_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (log, summary) = (
        sheet_rows(&[&["角色", "内容"], &["客服", "你自己看吧"]]),
        sheet_rows(&[&["总计", "5"]]),
    );
    fs::write(
        d.join("book.xlsx"),
        support::xlsx_sheets(&[("3月", &log), ("汇总", &summary)]),
    )
    .unwrap();
    fs::write(d.join("summary.xlsx"), support::xlsx_sheets(&[("汇总", &summary)])).unwrap();
    let out = check(d, &["book.xlsx"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "book.xlsx[3月]:2:1: error KF003");
    assert_has(
        &stderr(&out),
        "note: book.xlsx: sheet \"汇总\" is not checked: no reply column in the header [\"总计\", \"5\"]",
    );
    for args in [&["summary.xlsx"][..], &["--sheet", "汇总", "book.xlsx"]] {
        let out = check(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_has(&stderr(&out), "sheet \"汇总\": no reply column in the header");
    }
    // Sentences under a header kefu-lint does not know are replies it must not pass over.
    let unknown = sheet_rows(&[&["编号", "快捷语"], &["1", "你自己看吧,我们不管的哦"]]);
    fs::write(
        d.join("unknown.xlsx"),
        support::xlsx_sheets(&[("3月", &log), ("售前", &unknown)]),
    )
    .unwrap();
    let out = check(d, &["unknown.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: unknown.xlsx[售前]:1: the sheet is not checked: no reply column in the header [\"编号\", \"快捷语\"]",
    );
    assert_has(&stdout(&out), "unknown.xlsx[3月]:2:1: error KF003");
    assert_has(&stderr(&out), "; 1 sheet could not be read.");
    let out = support::check(d, &["--statistics", "--format", "json", "unknown.xlsx"]);
    let totals: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON statistics");
    assert_eq!(totals["totals"]["unreadable_sheets"], 1, "{totals}");
    assert_eq!(totals["totals"]["unreadable_rows"], 0, "{totals}");
    fs::write(
        d.join("none.xlsx"),
        support::xlsx_sheets(&[("汇总", &summary), ("售前", &unknown), ("售后", &unknown)]),
    )
    .unwrap();
    let out = check(d, &["none.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: none.xlsx: no sheet has a reply column (2 other sheets without one: \"汇总\", \"售后\"); sheet \"售前\": no reply column in the header [\"编号\", \"快捷语\"]",
    );
}

/// A sheet the workbook reader cannot read to its end (a NUL character
/// reference in its XML) is an error of that sheet at the row in or after
/// which reading stopped (the last row begun, which the damage may have
/// cut short); that row, the rows before it and the other sheets are still
/// checked, in a
/// plain check and under `--sessions`; only a workbook with nothing else
/// readable is an error of its own.
#[test]
fn a_damaged_sheet_does_not_stop_the_other_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let damage = r#"<row r="4"><c r="A4" t="inlineStr"><is><t>&#0;</t></is></c></row>"#;
    let good = sheet_rows(&[&["角色", "内容"], &["客服", "你自己看吧"]]);
    let damaged = sheet_rows(&[&["角色", "内容"], &["客服", "我不能改价"], &["客服", "你好亲"]]) + damage;
    fs::write(
        d.join("book.xlsx"),
        support::xlsx_sheets(&[("好", &good), ("坏", &damaged), ("也好", &good)]),
    )
    .unwrap();
    let out = check(d, &["book.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "error: book.xlsx[坏]:3: reading the sheet stopped in or after this row (",
    );
    assert!(
        !stderr(&out).contains("[坏]: column"),
        "the rows before the damage are read: {}",
        stderr(&out)
    );
    assert_has(&stderr(&out), "1 sheet could not be read.");
    for place in [
        "book.xlsx[好]:2:1: error KF003",
        "book.xlsx[坏]:2:1: error KF001",
        "book.xlsx[坏]:3:1: warning KF011",
        "book.xlsx[也好]:2:1: error KF003",
    ] {
        assert_has(&stdout(&out), place);
    }
    let log = sheet_rows(&[
        &["session", "role", "content"],
        &["s1", "customer", "在吗"],
        &["s1", "agent", "你自己看吧"],
    ]);
    fs::write(
        d.join("log.xlsx"),
        support::xlsx_sheets(&[("坏", &format!("<row r=\"1\"></row>{damage}")), ("日志", &log)]),
    )
    .unwrap();
    let out = check(d, &["--sessions", "log.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "error: log.xlsx[坏]:1: reading the sheet stopped in or after this row (",
    );
    assert_has(&stdout(&out), "log.xlsx[日志]:3:1: error KF003");
    fs::write(d.join("only.xlsx"), support::xlsx_sheets(&[("坏", damage)])).unwrap();
    for args in [&["only.xlsx"][..], &["--sessions", "only.xlsx"]] {
        let out = check(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_has(&stderr(&out), "error: only.xlsx: sheet \"坏\": ");
    }
}

/// `--column N` counts from 1, and says so for 0; past the last column it
/// says how many there are.
#[test]
fn a_column_number_out_of_range_says_how_columns_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("t.csv"), "编号,回复\n1,你好\n").unwrap();
    for (n, said) in [
        ("0", "--column 0: columns are numbered from 1"),
        ("3", "--column 3: the table has 2 columns"),
    ] {
        let out = check(d, &["--column", n, "t.csv"]);
        assert_eq!(out.status.code(), Some(2));
        assert_has(&stderr(&out), &format!("error: t.csv: {said}"));
    }
}

#[test]
fn json_fixes_keep_every_escape_they_do_not_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let string = r#""亲 你\u7684\u8ba2\u5355 \ud83d\ude00 你好""#;
    let fixed = r#""亲 您\u7684\u8ba2\u5355 \ud83d\ude00 您好""#;
    // Escapes of all kinds between two fixes; a .jsonl line too.
    let string2 = r#""你\/\u00e9\u0041\t好你""#;
    let fixed2 = r#""您\/\u00e9\u0041\t好您""#;
    let json = format!("[{{\"role\":\"客服\",\"text\":{string}}}]\n");
    let jsonl = format!("{{\"role\":\"客服\",\"content\":{string}}}\n{{\"role\":\"客服\",\"content\":{string2}}}\n");
    fs::write(d.join("a.json"), &json).unwrap();
    fs::write(d.join("b.jsonl"), &jsonl).unwrap();
    let out = check(d, &["--diff", "a.json", "b.jsonl"]);
    let diff = stdout(&out);
    assert_has(&diff, &format!("+[{{\"role\":\"客服\",\"text\":{fixed}}}]"));
    assert_has(&diff, &format!("+{{\"role\":\"客服\",\"content\":{fixed}}}"));
    assert_has(&diff, &format!("+{{\"role\":\"客服\",\"content\":{fixed2}}}"));
    let out = check(d, &["--fix", "a.json", "b.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(d.join("a.json")).unwrap(),
        json.replace(string, fixed)
    );
    assert_eq!(
        fs::read_to_string(d.join("b.jsonl")).unwrap(),
        jsonl.replace(string, fixed).replace(string2, fixed2)
    );
}

#[test]
fn json_fixes_never_write_raw_controls_or_bidi_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Escaped controls, separators and a right-to-left override between two fixes stay escaped.
    let json = "[{\"role\":\"assistant\",\"text\":\"你\\u2028\\u0007\\u202e好你\"}]\n";
    fs::write(d.join("e8.json"), json).unwrap();
    let out = check(d, &["--fix", "e8.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = fs::read_to_string(d.join("e8.json")).unwrap();
    assert_eq!(written, json.replace("你", "您"));
    assert!(!written.contains(['\u{2028}', '\u{7}', '\u{202E}']));
    // In .jsonl too, with the controls escaped otherwise (\n, \u001b).
    let line = "{\"role\":\"assistant\",\"content\":\"你\\n\\u001b[31m\\u2029你\"}\n";
    fs::write(d.join("e9.jsonl"), line).unwrap();
    check(d, &["--fix", "e9.jsonl"]);
    assert_eq!(
        fs::read_to_string(d.join("e9.jsonl")).unwrap(),
        line.replace("你", "您")
    );
}

#[test]
fn the_columns_of_a_long_one_line_json_export_are_right_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 2,000 messages on one line, 1,000 distinct buyers (how fast this grows
    // is tests/scaling.rs's concern).
    let mut json = String::from("[");
    for i in 0..1_000 {
        json.push_str(&format!(
            r#"{{"sender":"tb{i}","text":"在吗"}},{{"sender":"店:小美","text":"亲,您好"}},"#
        ));
    }
    json.push_str(r#"{"sender":"店:小美","text":"你好"}]"#);
    // 1-based: the column of 你, the reply's first character.
    let column = json.chars().count() - "你好\"}]".chars().count() + 1;
    fs::write(d.join("big.json"), &json).unwrap();
    let out = check(d, &["big.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), &format!("big.json:1:{column}: warning KF011"));
    assert_has(&stderr(&out), "in 1001 replies from 1 input.");
}

#[test]
fn buyer_nicks_with_a_colon_are_not_sub_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = [
        r#"{"sender":"小明:)","text":"你们肯定有优惠吧"}"#,
        r#"{"sender":"示例店:小美","text":"亲,您好"}"#,
        r#"{"sender":"http://x","text":"你们保证正品吗"}"#,
        r#"{"sender":"12:30","text":"你们肯定有货吧"}"#,
        r#"{"sender":"小红:D","text":"你们绝对包邮吗"}"#,
        r#"{"sender":"mailto:ab","text":"肯定吗"}"#,
        r#"{"sender":"xx旗舰店：售后01","text":"你自己看吧"}"#,
    ];
    fs::write(d.join("colon.jsonl"), lines.join("\n")).unwrap();
    let out = check(d, &["colon.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = stdout(&out);
    // Only the sub-account 售后01's line is checked; the buyers' 肯定/保证/绝对 are not.
    assert_lacks(&found, "KF008");
    assert_has(&found, "colon.jsonl:7:");
    assert_has(
        &stderr(&out),
        "senders written 店铺名:客服名 (\"示例店:小美\", \"xx旗舰店：售后01\") are read as the shop's agents",
    );
    assert_has(
        &stderr(&out),
        "other senders (\"小明:)\", \"http://x\", \"12:30\", \"小红:D\", \"mailto:ab\") are read as buyers",
    );
}

#[test]
fn unknown_senders_of_a_long_log_are_decided_the_same_in_every_piece() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 1.3 MB: buyers only for the first pieces, the sub-account at the end.
    let mut log = String::new();
    for i in 0..14_000 {
        log.push_str(&format!(
            "{{\"sender\":\"tb{}\",\"text\":\"这件能便宜点吗？亲，你们这个什么时候发货呀，你们肯定有货吧\"}}\n",
            i % 50
        ));
    }
    log.push_str("{\"sender\":\"示例店:小美\",\"text\":\"你自己看吧\"}\n");
    assert!(log.len() > 1 << 20);
    fs::write(d.join("piece.jsonl"), &log).unwrap();
    let out = check(d, &["piece.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_lacks(&err, "error:");
    assert_eq!(err.matches("are read as buyers and not checked").count(), 1, "{err}");
    assert_has(&stdout(&out), "piece.jsonl:14001:");
    assert_lacks(&stdout(&out), "KF008");
    // A role word of neither side is an error on every line, in every piece.
    let mut log = String::new();
    for _ in 0..7_000 {
        log.push_str(
            "{\"role\":\"user\",\"content\":\"这件能便宜点吗？亲，你们这个什么时候发货呀，你们肯定有货吧，好的呢\"}\n",
        );
        log.push_str("{\"role\":\"bot\",\"content\":\"亲，您好\"}\n");
    }
    assert!(log.len() > 1 << 20);
    fs::write(d.join("bot.jsonl"), &log).unwrap();
    let out = check(d, &["bot.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).matches("role \"bot\" is neither an agent's").count(),
        7_000
    );
}

#[test]
fn the_array_of_chat_messages_is_chosen_over_other_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("twoarr.json"),
        r#"{"goods":[{"title":"连衣裙","text":"你的最爱"}],"history":[{"sender":"店:小美","text":"不讲价,爱买不买"}]}"#,
    )
    .unwrap();
    let out = check(d, &["twoarr.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), "note: twoarr.json: messages read from /history");
    assert_has(&stdout(&out), "KF003");
    assert_lacks(&stdout(&out), "KF011");
    // Two that fit equally: the note names the one not read.
    fs::write(
        d.join("two.json"),
        r#"{"shop1":[{"role":"assistant","text":"你好"}],"shop2":[{"role":"assistant","text":"不知道"}]}"#,
    )
    .unwrap();
    let out = check(d, &["two.json"]);
    assert_has(
        &stderr(&out),
        "note: two.json: messages read from /shop1 (the array of messages found in it; /shop2 fit as well, not read; --json-pointer chooses)",
    );
    // Deeper, under the same name of messages: each is named too.
    fs::write(
        d.join("nested.json"),
        r#"{"x":{"chats":[{"role":"assistant","text":"您好"}]},"y":{"chats":[{"role":"assistant","text":"不知道"}]},"z":{"chats":[]}}"#,
    )
    .unwrap();
    let out = check(d, &["nested.json"]);
    assert_has(
        &stderr(&out),
        "note: nested.json: messages read from /x/chats (the array of messages found in it; /y/chats fit as well, not read; --json-pointer chooses)",
    );
    // Under any other name too: the better-named one is read, the other named.
    fs::write(
        d.join("named.json"),
        r#"{"chats":[{"role":"assistant","text":"您好"}],"b":[{"role":"assistant","text":"不知道"}]}"#,
    )
    .unwrap();
    let out = check(d, &["named.json"]);
    assert_has(
        &stderr(&out),
        "note: named.json: messages read from /chats (the array of messages found in it; /b fit as well, not read; --json-pointer chooses)",
    );
}

#[test]
fn null_texts_are_skipped_and_bad_texts_are_errors_for_their_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let json = r#"{"chats": [
  {"sender": "店:客服", "text": 12},
  {"sender": "店:客服", "text": null},
  {"sender": "店:客服", "image": "a.png"},
  {"sender": "店:客服", "text": ["x"]},
  {"sender": "店:客服", "text": {"x": 1}},
  {"sender": "店:客服", "text": "你自己看吧"}
]}"#;
    fs::write(d.join("types.json"), json).unwrap();
    let out = check(d, &["types.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_has(&err, "note: types.json: 2 messages whose text is null or missing");
    assert_has(&err, "error: types.json:2: the message text is a number, not a string");
    assert_has(&err, "error: types.json:5: the message text is an array, not a string");
    assert_has(&err, "error: types.json:6: the message text is an object, not a string");
    assert_has(&stdout(&out), "types.json:7:");
    // Empty: columns are 1-based.
    fs::write(d.join("empty.json"), "").unwrap();
    assert_has(
        &stderr(&check(d, &["empty.json"])),
        "error: empty.json: invalid JSON at line 1, column 1: EOF while parsing a value",
    );
}

#[test]
fn of_duplicate_keys_the_last_counts_in_json_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let message = r#"{"role":"客服","role":"user","text":"你自己看吧","text":"你好"}"#;
    fs::write(
        d.join("dup.json"),
        format!(r#"{{"chats":[{{"role":"客服","text":"不知道"}}],"chats":[{message}]}}"#),
    )
    .unwrap();
    fs::write(d.join("dup.jsonl"), format!("{message}\n")).unwrap();
    let out = check(d, &["dup.json", "dup.jsonl"]);
    // The last role (user) and the last array: nothing is the agent's, a chat the shop has not answered.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_lacks(&stdout(&out), "dup.json");
    assert_has(
        &stderr(&out),
        "note: dup.jsonl: no agent message: every sender (\"user\"",
    );
    let agent = r#"{"role":"user","role":"客服","text":"你好","text":"你自己看吧"}"#;
    fs::write(d.join("dup.json"), format!(r#"{{"chats":[],"chats":[{agent}]}}"#)).unwrap();
    fs::write(d.join("dup.jsonl"), format!("{agent}\n")).unwrap();
    let out = check(d, &["dup.json", "dup.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert_has(&stdout(&out), "dup.json:1:");
    assert_has(&stdout(&out), "dup.jsonl:1:");
    assert_has(&stdout(&out), "KF003");
}

#[test]
fn the_role_is_looked_for_beside_a_nested_text_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("nestf.json"),
        r#"[{"message":{"role":"assistant","content":"你自己看吧"}},{"message":{"role":"user","content":"你们肯定有优惠"}}]"#,
    )
    .unwrap();
    // Without --field, the error says where the text is.
    assert_has(
        &stderr(&check(d, &["nestf.json"])),
        "error: nestf.json:1: the message text is an object, not a string; --field message.content reads the text inside it",
    );
    let out = check(d, &["--field", "message.content", "nestf.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), "its field \"message.role\"");
    assert_has(&stdout(&out), "KF003");
    assert_lacks(&stdout(&out), "KF008");
    // Deeper, and a sender field of names.
    fs::write(
        d.join("deep.jsonl"),
        "{\"data\":{\"msg\":{\"sender\":\"tb1\",\"text\":\"你们肯定有优惠\"}}}\n{\"data\":{\"msg\":{\"sender\":\"店:小美\",\"text\":\"你自己看吧\"}}}\n",
    )
    .unwrap();
    let out = check(d, &["--field", "data.msg.text", "deep.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "deep.jsonl:2:");
    assert_lacks(&stdout(&out), "deep.jsonl:1:");
}

#[test]
fn a_title_row_above_the_header_is_not_a_reply() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("title.csv"),
        "千牛快捷短语导出,,\n分组,快捷编码,快捷短语\n售前,a,你自己看吧\n",
    )
    .unwrap();
    let out = check(d, &["title.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "note: title.csv: the header is line 2 (\"分组\", \"快捷编码\", \"快捷短语\"); the line above it is not a reply",
    );
    assert_has(&stdout(&out), "title.csv:3:6: error KF003");
    assert_lacks(&stdout(&out), "KF020");
    // Two rows above it (a title and an export date), in a workbook.
    let rows = sheet_rows(&[
        &["快捷短语导出"],
        &["导出时间", "2024-05-01"],
        &["分组", "快捷编码", "快捷短语"],
        &["售前", "a", "你自己看吧"],
    ]);
    fs::write(d.join("title.xlsx"), support::xlsx("短语", &rows, None)).unwrap();
    let out = check(d, &["title.xlsx"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "sheet \"短语\": the header is row 3 (\"分组\", \"快捷编码\", \"快捷短语\"); the 2 rows above it are not replies",
    );
    assert_has(&stdout(&out), "title.xlsx[短语]:4:1: warning KF011 (reply col 1)");
    assert_lacks(&stdout(&out), "KF020");
}

#[test]
fn taiwan_and_faq_reply_headers_are_found_and_rates_are_not_replies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, header) in [
        ("tw.csv", "分组,回覆"),
        ("faq.csv", "问题,回答"),
        ("faq2.csv", "買家問題,客服回答"),
    ] {
        fs::write(d.join(name), format!("{header}\n售前,這個我真的不知道\n")).unwrap();
        let out = check(d, &[name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert_has(&stdout(&out), &format!("{name}:2:"));
        assert_has(&stdout(&out), "KF002");
    }
    let rows = sheet_rows(&[&["回覆"], &["這個我真的不知道"]]);
    fs::write(d.join("tw.xlsx"), support::xlsx("Sheet1", &rows, None)).unwrap();
    let out = check(d, &["tw.xlsx"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_lacks(&stdout(&out), "tw.xlsx[Sheet1]:1:");
    assert_lacks(&stderr(&out), "is not a known header");
    // A rate, a count or a duration is not a reply column.
    for header in ["问题,回复率", "问题,回复数", "问题,回复时长", "问题,平均回覆時長"] {
        fs::write(d.join("rate.csv"), format!("{header}\n在吗,98%\n")).unwrap();
        let out = check(d, &["rate.csv"]);
        assert_eq!(out.status.code(), Some(2), "{header}");
        assert_has(&stderr(&out), "error: rate.csv: no reply column in the header");
    }
}

#[test]
fn utf16_without_bom_or_ascii_is_read_as_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "这个我真的不知道，你自己看吧，我们肯定有货";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    fs::write(d.join("le.txt"), le).unwrap();
    fs::write(d.join("be.txt"), be).unwrap();
    let out = check(d, &["le.txt", "be.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "note: le.txt: read as UTF-16LE (Unicode); the file has no byte-order mark and no ASCII",
    );
    assert_has(&stderr(&out), "note: be.txt: read as UTF-16BE (Unicode)");
    assert_has(&stdout(&out), "le.txt:1:6: error KF002");
    assert_has(&stdout(&out), "be.txt:1:6: error KF002");
    // Bytes nothing reads: the error names --encoding for UTF-16.
    fs::write(d.join("bad.txt"), b"\xff\xff\xff\xfe\x80").unwrap();
    assert_has(
        &stderr(&check(d, &["bad.txt"])),
        "not GB18030 or Big5 either (if it is UTF-16, --encoding utf-16le or utf-16be reads it)",
    );
}

#[test]
fn a_late_bad_byte_comes_after_the_same_encoding_note_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut gbk = encoding_rs::GBK.encode(&"你好,请稍等\n".repeat(8000)).0.into_owned();
    gbk.extend_from_slice(b"\xff\xff\n");
    fs::write(d.join("late.txt"), &gbk).unwrap();
    let note = "note: late.txt: read as GB18030 (Simplified Chinese); the file is not UTF-8";
    for mode in [None, Some("--diff"), Some("--fix")] {
        let args: Vec<&str> = mode.into_iter().chain(["late.txt"]).collect();
        let err = stderr(&check(d, &args));
        assert_has(&err, note);
        assert_has(&err, "error: late.txt: not valid GB18030 at byte");
        assert!(err.find(note) < err.find("error: late.txt"), "{mode:?}: {err}");
    }
    assert_eq!(fs::read(d.join("late.txt")).unwrap(), gbk);
}

#[test]
fn platform_role_shapes_are_read_and_a_log_with_no_agent_message_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 拼多多: the role inside an object.
    fs::write(
        d.join("pdd.json"),
        r#"{"result":{"messages":[{"sender":{"role":"user","uid":"1"},"content":"你们肯定有优惠吧"},{"sender":{"role":"mall_cs","uid":"2"},"content":"不讲价,爱买不买"}]}}"#,
    )
    .unwrap();
    // 京东: a name in `from`, the role word in `fromType`.
    fs::write(
        d.join("jd.json"),
        r#"{"msgList":[{"from":"jd_buyer123","fromType":"customer","content":"你们肯定有优惠吧"},{"from":"jd_waiter_01","fromType":"waiter","content":"不讲价,爱买不买"}]}"#,
    )
    .unwrap();
    // A msgType-like role_type, and the other agent words.
    let lines: Vec<String> = ["cs", "kefu", "customer_service", "商家客服", "官方客服"]
        .iter()
        .map(|r| format!(r#"{{"role_type":"{r}","msg":"不知道"}}"#))
        .chain([r#"{"role_type":"buyer","msg":"你们肯定有优惠吧"}"#.to_owned()])
        .collect();
    fs::write(d.join("types.jsonl"), lines.join("\n")).unwrap();
    let out = check(d, &["pdd.json", "jd.json", "types.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = stdout(&out);
    for input in ["pdd.json", "jd.json"] {
        assert_eq!(found.matches(&format!("{input}:1:")).count(), 3, "{found}");
        assert!(found.contains(&format!("{input}:1:")) && found.contains("KF003"));
    }
    assert_lacks(&found, "KF008");
    for line in 1..=5 {
        assert_has(&found, &format!("types.jsonl:{line}:"));
    }
    assert_lacks(&found, "types.jsonl:6:");
    let err = stderr(&out);
    assert_has(
        &err,
        "note: pdd.json: who sent each message is read from its field \"sender.role\"",
    );
    assert_has(
        &err,
        "note: jd.json: who sent each message is read from its field \"fromType\"",
    );
    // No message is an agent's: an error for the input naming the field and the values seen.
    let out = check(d, &["--agent-role", "nomatch*", "pdd.json", "jd.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert_has(
        &err,
        "error: pdd.json: no agent message in this input, so nothing in it was checked: who sent each message is read from \"sender.role\", which holds \"user\", \"mall_cs\" and no value matches --agent-role",
    );
    assert_has(&err, "error: jd.json: no agent message in this input");
    assert_has(
        &err,
        "--agent-role names the agents' values (globs such as '*:*'), --role-field the field",
    );
    assert_has(&err, "2 inputs had no agent message.");
    // The same with --fix and --diff, which check the same inputs.
    for mode in ["--fix", "--diff"] {
        let out = check(d, &[mode, "--agent-role", "nomatch*", "jd.json"]);
        assert_eq!(out.status.code(), Some(2), "{mode}: {}", stderr(&out));
        assert_eq!(
            stderr(&out)
                .matches("error: jd.json: no agent message in this input")
                .count(),
            1
        );
    }
    // Without --agent-role: a log of role words, none an agent's.
    fs::write(d.join("bots.jsonl"), "{\"role\":\"bot\",\"text\":\"你好\"}\n").unwrap();
    let out = check(d, &["bots.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "error: bots.jsonl: no agent message in this input, so nothing in it was checked: who sent each message is read from \"role\", which holds \"bot\" and no value is an agent's;",
    );
}

#[test]
fn an_agent_message_in_the_last_piece_of_a_long_log_is_enough() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Some 600 kB of the customer's messages (several pieces), then one agent message.
    let mut log = "{\"role\":\"user\",\"text\":\"你们有货吗\"}\n".repeat(15_000);
    log += "{\"role\":\"客服\",\"text\":\"不知道\"}\n";
    fs::write(d.join("long.jsonl"), &log).unwrap();
    for threads in ["1", "4"] {
        let out = check(d, &["--threads", threads, "long.jsonl"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_has(&stdout(&out), "long.jsonl:15001:");
        assert_lacks(&stderr(&out), "no agent message");
    }
    // The same log without it (a customer's alone) is said, once.
    let without = &log[..log.len() - "{\"role\":\"客服\",\"text\":\"不知道\"}\n".len()];
    fs::write(d.join("long.jsonl"), without).unwrap();
    let out = check(d, &["--threads", "4", "long.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out).matches("no agent message: every sender").count(), 1);
}

#[test]
fn file_columns_count_escapes_as_written_and_reply_columns_the_decoded_reply() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // `\u4e00` × 3, a pair for 😀 and `\n` before 你 (written plainly, then escaped):
    // 21 characters before the string, 18 + 12 + 2 = 32 of escapes, so 你 is
    // at file column 21 + 32 + 1 = 54 of the JSON Lines file, and reply column 6.
    let escaped = r#"\u4e00\u4e00\u4e00\ud83d\ude00\n"#;
    let message = format!(r#"{{"role":"客服","text":"{escaped}你好,\u4f60的"}}"#);
    fs::write(d.join("e.jsonl"), format!("{message}\n")).unwrap();
    fs::write(d.join("e.json"), format!("[\n  {message}\n]\n")).unwrap();
    let before = r#"{"role":"客服","text":""#.chars().count();
    let first = before + escaped.len() + 1;
    assert_eq!(first, 54);
    // The second 你, `\u4f60`, after `你好,` (3 characters): 6 characters of the file.
    let second = first + 3;
    for (input, line, indent) in [("e.jsonl", 1, 0), ("e.json", 2, 2)] {
        let (first, second) = (first + indent, second + indent);
        let args = [input];
        let out = check(d, &args);
        assert_has(
            &stdout(&out),
            &format!("{input}:{line}:{first}: warning KF011 (reply col 6)"),
        );
        assert_has(
            &stdout(&out),
            &format!("{input}:{line}:{second}: warning KF011 (reply col 9)"),
        );
        let out = support::run(d, &["check", "--no-config", "--format", "github", input], None);
        let github = stdout(&out);
        assert_has(&github, &format!("line={line},col={first},endColumn={},", first + 1));
        // The escape is 6 characters of the file: the annotation spans them.
        assert_has(&github, &format!("line={line},col={second},endColumn={},", second + 6));
        let out = support::run(d, &["check", "--no-config", "--format", "sarif", input], None);
        let sarif: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let regions: Vec<(u64, u64)> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ruleId"] == "KF011")
            .map(|r| {
                let region = &r["locations"][0]["physicalLocation"]["region"];
                (
                    region["startColumn"].as_u64().unwrap(),
                    region["endColumn"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            regions,
            [(first as u64, first as u64 + 1), (second as u64, second as u64 + 6)]
        );
        let out = support::run(d, &["check", "--no-config", "--format", "json", input], None);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let places: Vec<(u64, u64)> = json
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "KF011")
            .map(|f| (f["column"].as_u64().unwrap(), f["reply_column"].as_u64().unwrap()))
            .collect();
        assert_eq!(places, [(first as u64, 6), (second as u64, 9)]);
    }
}

#[test]
fn an_unpaired_surrogate_escape_is_an_error_for_its_message_and_fixes_stay_byte_exact() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "[\n  {\"role\": \"assistant\", \"text\": \"你\\ud800好\"},\n  {\"role\": \"assistant\", \"text\": \"\\ude00你的订单\\u4e00\"},\n  {\"role\": \"assistant\", \"text\": \"你的\\u8ba2单\"}\n]\n";
    fs::write(d.join("s.json"), text).unwrap();
    let out = check(d, &["s.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_has(
        &err,
        "error: s.json:2: the message text has an unpaired surrogate escape \\ud800 at line 2, column 35 (half of a UTF-16 pair: it writes no character), so the message is not checked",
    );
    // A low half first is unpaired too.
    assert_has(
        &err,
        "error: s.json:3: the message text has an unpaired surrogate escape \\ude00 at line 3, column 34",
    );
    assert_lacks(&err, "not a string");
    assert_has(&stdout(&out), "s.json:4:");
    // --fix fixes the readable message and leaves every other byte as it was.
    let out = support::run(d, &["check", "--no-config", "--fix", "s.json"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let fixed = fs::read_to_string(d.join("s.json")).unwrap();
    assert_eq!(fixed, text.replace("\"你的\\u8ba2单\"", "\"您的\\u8ba2单\""));
    // The same in JSON Lines.
    fs::write(d.join("s.jsonl"), "{\"role\":\"客服\",\"text\":\"\\udfff\"}\n").unwrap();
    let out = check(d, &["s.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: s.jsonl:1: the message text has an unpaired surrogate escape \\udfff at line 1, column 22",
    );
}

#[test]
fn chat_exports_as_tables_check_only_the_agents_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 京东: a 发送方 column of role words.
    fs::write(
        d.join("jd.csv"),
        "会话ID,顾客账号,发送方,消息内容\n1,jd_abc,顾客,你们肯定有优惠吧\n1,jd_abc,客服,\"不讲价,爱买不买\"\n",
    )
    .unwrap();
    // 抖店: the header holds 发送方 (消息发送方); a 用户昵称 column is not a sender column.
    fs::write(
        d.join("dd.csv"),
        "会话时间,用户昵称,消息发送方,消息内容\n10:00,抖音用户1,用户,你们保证正品吗\n10:01,抖音用户1,商家客服,这个我也不知道\n",
    )
    .unwrap();
    // A workbook with a 角色 column.
    let rows = sheet_rows(&[
        &["角色", "内容"],
        &["买家", "你们肯定有货吧"],
        &["官方客服", "你自己看吧"],
    ]);
    fs::write(d.join("chat.xlsx"), support::xlsx("聊天记录", &rows, None)).unwrap();
    let out = check(d, &["jd.csv", "dd.csv", "chat.xlsx"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = stdout(&out);
    assert_has(&found, "jd.csv:3:");
    assert_has(&found, "dd.csv:3:");
    assert_has(&found, "chat.xlsx[聊天记录]:3:");
    for customer in ["jd.csv:2:", "dd.csv:2:", "chat.xlsx[聊天记录]:2:"] {
        assert_lacks(&found, customer);
    }
    assert_lacks(&found, "KF008");
    let err = stderr(&out);
    assert_has(
        &err,
        "note: jd.csv: who sent each row is read from its column \"发送方\"; only the agents' rows are checked (--agent-role chooses)",
    );
    assert_has(
        &err,
        "note: dd.csv: who sent each row is read from its column \"消息发送方\"",
    );
    assert_has(
        &err,
        "note: chat.xlsx: sheet \"聊天记录\": who sent each row is read from its column \"角色\"",
    );
    assert_has(&err, "in 3 replies from 3 inputs.");
}

#[test]
fn table_senders_are_decided_as_chat_log_senders_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 拼多多: 发送人 holds the agent's name, of neither kind, and no sub-account: the shop's, checked.
    fs::write(
        d.join("pdd.csv"),
        "订单号,发送人,聊天内容\n123,买家,你们保证正品吗\n123,小王,你自己看吧\n",
    )
    .unwrap();
    let out = check(d, &["pdd.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "pdd.csv:3:");
    assert_lacks(&stdout(&out), "pdd.csv:2:");
    let err = stderr(&out);
    assert_has(
        &err,
        "note: pdd.csv: senders of neither side (\"小王\") are checked, as the shop's; --agent-role names the agents to check only theirs",
    );
    assert_lacks(&err, "no agent message");
    // A glob chooses, as in chat logs; so do sub-accounts, unasked.
    let out = check(d, &["--agent-role", "小*", "pdd.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "pdd.csv:3:");
    assert_lacks(&stdout(&out), "pdd.csv:2:");
    assert_lacks(&stderr(&out), "not used");
    fs::write(
        d.join("tb.csv"),
        "发送者,内容\ntb123,你们肯定有货吧\n示例旗舰店:小美,你自己看吧\n",
    )
    .unwrap();
    let out = check(d, &["tb.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "tb.csv:3:");
    assert_lacks(&stdout(&out), "tb.csv:2:");
    assert_has(
        &stderr(&out),
        "(\"示例旗舰店:小美\") are read as the shop's agents and checked",
    );
    // A column of role words holding neither side's: an error for its row.
    fs::write(d.join("roles.tsv"), "角色\t回复\n售前\t你好\n客服\t不知道\n").unwrap();
    let out = check(d, &["roles.tsv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(&stderr(&out), "error: roles.tsv:2: 角色 \"售前\" is neither an agent's");
    assert_has(&stdout(&out), "roles.tsv:3:");
    // --role-field names a column of any name; one that names none is an error listing the header.
    fs::write(d.join("own.csv"), "谁,回复\nbot,不知道\nu1,你们肯定有货吧\n").unwrap();
    let out = check(d, &["--role-field", "谁", "--agent-role", "bot", "own.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "own.csv:2:");
    assert_lacks(&stdout(&out), "own.csv:3:");
    let out = check(d, &["--role-field", "发送方", "own.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &stderr(&out),
        "error: own.csv: --role-field \"发送方\": no column of the header is named so (it has \"谁\", \"回复\")",
    );
    // A table without a sender column: every row is checked, and the unused options are said.
    fs::write(d.join("book.csv"), "分组,快捷短语\n售前,不知道\n").unwrap();
    let out = check(d, &["--agent-role", "客服", "book.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "book.csv:2:");
    assert_has(
        &stderr(&out),
        "note: book.csv: --role-field and --agent-role are not used: the table has no sender column (looked for 发送方, 发送者, 发送人, 发言人, 角色, 身份, 消息发送方, sender, role, speaker), so every row is checked",
    );
}

#[test]
fn a_tables_senders_of_neither_side_are_nicks_only_beside_sub_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let library = [
        &["分组", "快捷短语", "发送人"][..],
        &["售前", "您好亲", "全部客服"],
        &["售前", "不讲价", "小美"],
        &["售后", "你自己看吧", "小王"],
    ];
    // 千牛 saved as a table, the buyer's row first: its names are buyers' nicks.
    let qianniu = [
        &["发送者", "内容"][..],
        &["tb123", "你自己看吧"],
        &["示例旗舰店:小美", "不讲价"],
    ];
    let csv = |rows: &[&[&str]]| rows.iter().map(|r| r.join(",") + "\n").collect::<String>();
    fs::write(d.join("lib.csv"), csv(&library)).unwrap();
    fs::write(d.join("qn.csv"), csv(&qianniu)).unwrap();
    fs::write(d.join("lib.xlsx"), support::xlsx("短语", &sheet_rows(&library), None)).unwrap();
    fs::write(d.join("qn.xlsx"), support::xlsx("聊天", &sheet_rows(&qianniu), None)).unwrap();
    let note = "senders of neither side (\"小美\", \"小王\") are checked, as the shop's; --agent-role names the agents to check only theirs";
    for (lib, qn, at, qn_at) in [
        ("lib.csv", "qn.csv", "", ""),
        ("lib.xlsx", "qn.xlsx", "[短语]", "[聊天]"),
    ] {
        let out = check(d, &[lib]);
        assert_eq!(out.status.code(), Some(1), "{lib}: {}", stderr(&out));
        let (found, err) = (stdout(&out), stderr(&out));
        for row in [3, 4] {
            assert_has(&found, &format!("{lib}{at}:{row}:"));
        }
        assert_has(&err, note);
        assert_lacks(&err, "read as buyers");
        let out = check(d, &[qn]);
        assert_eq!(out.status.code(), Some(1), "{qn}: {}", stderr(&out));
        let (found, err) = (stdout(&out), stderr(&out));
        assert_has(&found, &format!("{qn}{qn_at}:3:"));
        assert_lacks(&found, &format!("{qn}{qn_at}:2:"));
        assert_has(&err, "other senders (\"tb123\") are read as buyers and not checked");
        assert_lacks(&err, "senders of neither side");
    }
    // --agent-role decides alone: 小美 only.
    let out = check(d, &["--agent-role", "小美", "lib.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "lib.csv:3:");
    assert_lacks(&stdout(&out), "lib.csv:4:");
    assert_lacks(&stderr(&out), "senders of neither side");
}

#[test]
fn a_csv_split_by_tabs_or_semicolons_is_read_by_its_header_and_fixed_in_its_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Excel's "Unicode Text": UTF-16LE with a byte-order mark, tabs, CRLF, named .csv.
    let unicode_text: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "分组\t快捷短语\r\n售前\t你自己看吧\r\n售后\t\"你好\t在吗\"\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    fs::write(d.join("unicode.csv"), &unicode_text).unwrap();
    // European Excel: semicolons; a header found by containment.
    fs::write(
        d.join("semi.csv"),
        "问题;客服回复内容\nq;你自己看吧\nq2;\"你好;在吗\"\n",
    )
    .unwrap();
    // Tabs in UTF-8, with a title line above the header.
    fs::write(d.join("tabs.csv"), "导出\n分组\t话术\t备注\n售前\t你自己看吧\t\n").unwrap();
    for (name, delimiter, reply_line) in [
        ("unicode.csv", "tabs (as Excel's \"Unicode Text\" export writes)", 2),
        (
            "semi.csv",
            "semicolons (as Excel writes CSV where the decimal mark is a comma)",
            2,
        ),
        ("tabs.csv", "tabs (as Excel's \"Unicode Text\" export writes)", 3),
    ] {
        let out = check(d, &[name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert_has(
            &stderr(&out),
            &format!("note: {name}: fields are split by {delimiter}, as its header line is"),
        );
        assert_has(&stdout(&out), &format!("{name}:{reply_line}:"));
        assert_has(&stdout(&out), "error KF003 (reply col 1)");
        assert_lacks(&stdout(&out), ":1:");
    }
    // A header no name list knows is found by --column NAME.
    fs::write(d.join("notes.csv"), "问题;备注\nq;你自己看吧\n").unwrap();
    let out = check(d, &["--column", "备注", "notes.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), "note: notes.csv: fields are split by semicolons");
    assert_has(&stdout(&out), "notes.csv:2:3: error KF003");
    // A comma-separated .csv says nothing of its delimiter; --input-format tsv forces tabs.
    fs::write(d.join("comma.csv"), "分组,快捷短语\n售前,你自己看吧\n").unwrap();
    assert_lacks(&stderr(&check(d, &["comma.csv"])), "split by");
    let out = check(d, &["--input-format", "tsv", "semi.csv"]);
    assert_lacks(&stderr(&out), "split by");
    assert_has(&stderr(&out), "问题;客服回复内容");

    // --fix keeps each file's delimiter and quoting.
    for name in ["unicode.csv", "semi.csv"] {
        let out = check(d, &["--fix", name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
    }
    let fixed: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "分组\t快捷短语\r\n售前\t您自己看吧\r\n售后\t\"您好\t在吗\"\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    assert_eq!(fs::read(d.join("unicode.csv")).unwrap(), fixed);
    assert_eq!(
        fs::read_to_string(d.join("semi.csv")).unwrap(),
        "问题;客服回复内容\nq;您自己看吧\nq2;\"您好;在吗\"\n"
    );
}

#[test]
fn a_data_line_split_by_tab_or_semicolon_does_not_beat_a_comma_header() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The tester's sn1.csv: a `;` inside a quoted reply.
    fs::write(d.join("sn1.csv"), "id,reply_text\n1,\"亲;内容已更新\"\n2,你自己看吧\n").unwrap();
    let out = check(d, &["sn1.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_lacks(&stderr(&out), "split by");
    assert_lacks(&stderr(&out), "error:");
    assert_has(&stdout(&out), "sn1.csv:3:3: error KF003");
    assert_has(&stderr(&out), "in 2 replies");
    // The tester's sn4.csv: a tab inside a quoted field, under a header of no reply.
    fs::write(d.join("sn4.csv"), "a,b,c\n1,2,\"备注\t内容\"\n").unwrap();
    let out = check(d, &["sn4.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_lacks(&stderr(&out), "split by");
    assert_has(&stderr(&out), "no reply column");
}

#[test]
fn a_long_tab_separated_csv_keeps_its_delimiter_in_every_piece() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut text = String::from("分组\t快捷短语\n");
    for _ in 0..40_000 {
        text.push_str("售前\t亲,在的\n");
    }
    text.push_str("售后\t你自己看吧\n");
    fs::write(d.join("long.csv"), &text).unwrap();
    let out = check(d, &["long.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "long.csv:40002:4: error KF003");
    assert_has(&stderr(&out), "in 40001 replies");
}

#[test]
fn a_row_with_more_fields_than_its_header_is_an_error_and_a_short_row_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // An unquoted comma inside a reply: half of it would go unchecked.
    fs::write(
        d.join("rag.csv"),
        "分组,快捷短语\n售前,不讲价,爱买不买\n售后,你自己看吧\n",
    )
    .unwrap();
    let out = check(d, &["rag.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "error: rag.csv:2: row has 3 fields, the header 2: an unquoted delimiter in a field? (quote the field)",
    );
    assert_has(&stdout(&out), "rag.csv:3:4: error KF003");
    assert_has(&stderr(&out), "1 row could not be read");
    // A chat export with a comma in the text column, and a row cut short, in TSV.
    fs::write(
        d.join("chat.csv"),
        "序号,发送方,聊天记录,时间\n1,客服,亲,在的,10:00\n2,客服,你自己看吧,10:01\n",
    )
    .unwrap();
    fs::write(
        d.join("short.tsv"),
        "分组\t快捷短语\t备注\n售前\t你好\n售后\t你自己看吧\tx\n",
    )
    .unwrap();
    let out = check(d, &["chat.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(&stderr(&out), "error: chat.csv:2: row has 5 fields, the header 4");
    assert_has(&stdout(&out), "chat.csv:3:");
    // A row cut short that still holds the reply column is read, not an error.
    let out = check(d, &["short.tsv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_lacks(&stderr(&out), "row has");
    assert_has(&stdout(&out), "short.tsv:2:4: warning KF011");
    assert_has(&stdout(&out), "short.tsv:3:4: error KF003");
    // The tester's short2.csv: the reply column first, the rest left out.
    fs::write(d.join("short2.csv"), "快捷短语,分组,备注\n你自己看吧\n").unwrap();
    let out = check(d, &["short2.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_lacks(&stderr(&out), "unquoted delimiter");
    assert_has(&stdout(&out), "short2.csv:2:1: error KF003");
    // A row that ends before the reply column says so.
    fs::write(d.join("cut.csv"), "分组,快捷短语\n售前\n售后,你自己看吧\n").unwrap();
    let out = check(d, &["cut.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "error: cut.csv:2: row has 1 field, no column \"快捷短语\" (the row ends before it)",
    );
    assert_lacks(&stderr(&out), "unquoted delimiter");
    assert_has(&stdout(&out), "cut.csv:3:4: error KF003");
    // Trailing empty fields, as Excel writes them, are read.
    fs::write(
        d.join("trailing.csv"),
        "分组,快捷短语\n售前,你自己看吧,,\n售后,亲 在的,\n",
    )
    .unwrap();
    let out = check(d, &["trailing.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_lacks(&stderr(&out), "row has");
    assert_has(&stdout(&out), "trailing.csv:2:4: error KF003");
}

/// `--format concise` output and exit code of checking `file` (holding
/// `content`) alone in a fresh directory.
fn check_one(file: &str, content: &[u8], args: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(file), content).unwrap();
    let mut all = args.to_vec();
    all.push(file);
    let out = check(dir.path(), &all);
    (out.status.code(), stdout(&out), stderr(&out))
}

#[test]
fn sender_values_are_told_by_kind_not_from_a_closed_list() {
    let agents = [
        "售前客服",
        "售后客服",
        "机器人客服",
        "客服人员",
        "全部客服",
        "在线客服01",
        "商家",
        "商家号",
        "卖家",
        "店小二",
        "官方",
        "官方旗舰店",
        "Customer Service",
        "customerService",
        "STAFF",
        "shop_agent",
        "seller-1",
        "Support Team",
        "waiter",
        "jd_waiter_01",
        "CS",
        "mall_cs",
        "会员客服",
        "user_support",
    ];
    let customers = [
        "买家",
        "买家用户",
        "顾客",
        "新顾客",
        "客户",
        "VIP客户",
        "用户",
        "抖音用户",
        "会员",
        "金卡会员",
        "buyer",
        "Customer",
        "USER",
        "end_user",
        "client",
        "Client-2",
        "member",
        "visitor",
        "Visitor 7",
        "web visitor",
    ];
    // In a chat log of role words: each agent's reply is checked, each customer's not.
    let mut log = String::new();
    for agent in agents {
        log += &format!("{{\"role\":{agent:?},\"content\":\"你自己看吧\"}}\n");
    }
    for customer in customers {
        log += &format!("{{\"role\":{customer:?},\"content\":\"你自己看吧\"}}\n");
    }
    let (code, found, err) = check_one("log.jsonl", log.as_bytes(), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert_lacks(&err, "is neither an agent's");
    for line in 1..=agents.len() {
        assert_has(&found, &format!("log.jsonl:{line}:"));
    }
    assert_eq!(found.matches("error KF003").count(), agents.len(), "{found}");
    for line in agents.len() + 1..=agents.len() + customers.len() {
        assert_lacks(&found, &format!("log.jsonl:{line}:"));
    }
    // The same in a table's sender column.
    let mut table = String::from("发送方,消息内容\n");
    for who in agents.iter().chain(&customers) {
        table += &format!("{who},你自己看吧\n");
    }
    let (code, found, err) = check_one("t.csv", table.as_bytes(), &[]);
    assert_eq!(code, Some(1), "{err}");
    for line in 2..=agents.len() + 1 {
        assert_has(&found, &format!("t.csv:{line}:"));
    }
    assert_lacks(&found, &format!("t.csv:{}:", agents.len() + 2));
    // Neither kind, in a field of role words: still an error for the message.
    let (code, _, err) = check_one("bot.jsonl", "{\"role\":\"bot\",\"content\":\"你\"}\n".as_bytes(), &[]);
    assert_eq!(code, Some(2));
    assert_has(&err, "error: bot.jsonl:1: role \"bot\" is neither an agent's");
}

#[test]
fn quick_reply_and_faq_tables_are_checked_whole_whatever_their_other_columns() {
    // Columns near a sender's header that are not one, or one whose values name no side.
    let tables = [
        (
            "send.csv",
            "分组,发送方式,快捷短语\n售前,自动,你自己看吧\n售后,手动,不讲价\n",
        ),
        (
            "auth.csv",
            "问题,答案,是否需要身份验证\n怎么退货,你自己看吧,否\n发货,不讲价,是\n",
        ),
        (
            "scope.csv",
            "分组,适用角色,快捷短语\n售前,客服,你自己看吧\n售后,全部,不讲价\n",
        ),
        (
            "count.csv",
            "分组,快捷短语,发送人数\n售前,你自己看吧,35\n售后,不讲价,2\n",
        ),
        (
            "kind.csv",
            "分组,客户身份,快捷短语\n售前,新客,你自己看吧\n售后,老客,不讲价\n",
        ),
        (
            "author.csv",
            "question,answer,author\n退货,你自己看吧,Lily\n价格,不讲价,Tom\n",
        ),
        (
            "from.csv",
            "question,answer,from\n退货,你自己看吧,官网FAQ\n价格,不讲价,客服\n",
        ),
        (
            "nick.csv",
            "分组,昵称,快捷短语\n售前,小美,你自己看吧\n售后,阿强,不讲价\n",
        ),
        (
            "staff.csv",
            "分组,话术内容,发送人员\n售前,你自己看吧,全部客服\n售后,不讲价,张三\n",
        ),
    ];
    for (name, text) in tables {
        let (code, found, err) = check_one(name, text.as_bytes(), &[]);
        assert_eq!(code, Some(1), "{name}: {err}");
        assert_has(&found, &format!("{name}:2:"));
        assert_has(&found, &format!("{name}:3:"));
        assert_lacks(&err, "no agent message");
        assert_lacks(&err, "who sent each row");
    }
    // A sender's header whose values are no side's (a count, names): said, and every row checked.
    let (code, found, err) = check_one("role.csv", "角色,快捷短语\n1,你自己看吧\n2,不讲价\n".as_bytes(), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert_has(&found, "role.csv:2:");
    assert_has(&found, "role.csv:3:");
    assert_has(
        &err,
        "note: role.csv: column \"角色\" is not read as the sender: none of its first values is an agent's or a customer's, so every row is checked",
    );
    // The same in a workbook.
    let rows = sheet_rows(&[&["分组", "话术内容", "发送人员"], &["售前", "你自己看吧", "全部客服"]]);
    let (code, found, err) = check_one("lib.xlsx", &support::xlsx("Sheet1", &rows, None), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert_has(&found, "lib.xlsx[Sheet1]:2:");
}

#[test]
fn a_chat_only_customers_wrote_is_a_note_and_unknown_senders_still_an_error() {
    let unanswered = "{\"role\":\"user\",\"content\":\"在吗\"}\n{\"role\":\"user\",\"content\":\"有货吗\"}\n";
    let (code, found, err) = check_one("u.jsonl", unanswered.as_bytes(), &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(found, "");
    assert_has(&err, "No findings in 0 replies from 1 input.");
    assert_has(
        &err,
        "note: u.jsonl: no agent message: every sender (\"user\", read from \"role\") is a customer's, a chat the shop has not answered",
    );
    assert_lacks(&err, "error");
    // In a table too, beside a checked input.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("b.csv"), "发送方,消息\n买家,你好\n顾客,在吗\n").unwrap();
    fs::write(d.join("r.txt"), "你自己看吧\n").unwrap();
    let out = check(d, &["b.csv", "r.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stderr(&out), "note: b.csv: no agent message: every sender");
    // Senders of no known kind, none an agent's: nothing was checked, an error.
    let nicks = "{\"sender\":\"tb1\",\"text\":\"你\"}\n{\"sender\":\"tb2\",\"text\":\"在吗\"}\n";
    let (code, _, err) = check_one("n.jsonl", nicks.as_bytes(), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_has(
        &err,
        "error: n.jsonl: no agent message in this input, so nothing in it was checked",
    );
    // A customer beside an unknown sender: not every sender is a customer's.
    let mixed = "{\"sender\":\"tb1\",\"text\":\"你\"}\n{\"sender\":\"买家\",\"text\":\"在吗\"}\n";
    let (code, _, err) = check_one("m.jsonl", mixed.as_bytes(), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_has(&err, "error: m.jsonl: no agent message in this input");
}

#[test]
fn sender_objects_are_read_by_the_name_inside_and_null_is_a_missing_sender() {
    let log = r#"[{"sender":{"nick":"tb123","uid":1},"content":"你们肯定有货吧"},
 {"sender":{"nick":"店:小美","uid":2},"content":"你自己看吧"}]"#;
    let (code, found, err) = check_one("s.json", log.as_bytes(), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert_has(&found, "s.json:2:");
    assert_lacks(&found, "s.json:1:");
    assert_has(
        &err,
        "note: s.json: who sent each message is read from its field \"sender.nick\"",
    );
    assert_has(&err, "other senders (\"tb123\") are read as buyers");
    assert_lacks(&err, "uid");
    // An object with no role or name inside: an error for its message, never its JSON as a role.
    let log = r#"[{"sender":{"x":1},"content":"你自己看吧"},{"sender":"客服","content":"您好"}]"#;
    let (code, _, err) = check_one("o.json", log.as_bytes(), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_has(
        &err,
        "error: o.json:1: sender holds an object of \"x\", with no role or name inside, so who sent the message is not known",
    );
    assert_lacks(&err, "{\\\"x\\\"");
    // A null sender is a missing one: checked, as an empty sender cell is.
    let log = r#"[{"speaker":"客服","text":"您好"},{"speaker":"顾客","text":"在吗"},{"speaker":null,"text":"不讲价"}]"#;
    let (code, found, err) = check_one("e.json", log.as_bytes(), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert_has(&found, "KF005");
    assert_has(
        &err,
        "note: e.json: 1 message whose sender is null checked, as a message without one is",
    );
    assert_lacks(&err, "\"null\"");
}

#[test]
fn a_workbooks_row_errors_and_no_agent_error_name_the_sheet() {
    let lib = sheet_rows(&[&["分组", "快捷短语"], &["售前", "不讲价"]]);
    let chat = sheet_rows(&[&["角色", "消息"], &["客服", "您好"], &["售前", "你好"]]);
    let bots = sheet_rows(&[&["角色", "消息"], &["bot", "你好"], &["买家", "在吗"]]);
    // One sheet per workbook: each names its sheet.
    let (code, _, err) = check_one("c.xlsx", &support::xlsx("聊天", &chat, None), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_has(&err, "error: c.xlsx[聊天]:3: 角色 \"售前\" is neither an agent's");
    let (code, _, err) = check_one("b.xlsx", &support::xlsx("机器人", &bots, None), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_has(&err, "error: b.xlsx[机器人]:2: 角色 \"bot\"");
    assert_has(
        &err,
        "error: b.xlsx[机器人]: no agent message in this sheet, so nothing in it was checked",
    );
    let (code, found, err) = check_one("l.xlsx", &support::xlsx("快捷短语", &lib, None), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert_has(&found, "l.xlsx[快捷短语]:2:");
}

#[test]
fn more_role_fields_and_shop_owner_words_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Role words under snake_case field names; the buyer's line is not checked.
    fs::write(
        d.join("rf.jsonl"),
        "{\"sender_type\":\"buyer\",\"content\":\"你们肯定有优惠吧\"}\n{\"user_type\":\"seller\",\"content\":\"不讲价,爱买不买\"}\n",
    )
    .unwrap();
    // 掌柜 (Taobao's shop owner), 店長 (Traditional) and 主账号 are the shop's
    // side; 系统消息 lines are not the shop's words, as `system` ones are not.
    fs::write(
        d.join("c6.csv"),
        "身份,内容\n买家,你肯定知道吧\n掌柜,你自己看吧\n店長,不知道\n主账号,爱买不买\n系统消息,你的订单已发货\n",
    )
    .unwrap();
    let out = check(d, &["rf.jsonl", "c6.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = stdout(&out);
    assert_has(&found, "rf.jsonl:2:");
    assert_lacks(&found, "rf.jsonl:1:");
    for line in ["c6.csv:3:", "c6.csv:4:", "c6.csv:5:"] {
        assert_has(&found, line);
    }
    assert_lacks(&found, "c6.csv:2:");
    assert_lacks(&found, "c6.csv:6:");
}

#[test]
fn a_qianniu_export_naming_its_buyer_checks_every_other_sender() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 千牛 writes one file per buyer: the shop's main account, an agent's bare
    // name and a sub-account all answer; only the named buyer is the customer.
    fs::write(
        d.join("q1.json"),
        r#"{"buyer":"tb8841723","chats":[
 {"sender":"tb8841723","text":"你们肯定有优惠吧"},
 {"sender":"示例旗舰店","text":"不讲价"},
 {"sender":"小美","text":"不知道"},
 {"sender":"示例旗舰店:小王","text":"你自己看吧"}
]}
"#,
    )
    .unwrap();
    let out = check(d, &["q1.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = stdout(&out);
    for line in ["q1.json:3:", "q1.json:4:", "q1.json:5:"] {
        assert_has(&found, line);
    }
    assert_lacks(&found, "q1.json:2:");
    let err = stderr(&out);
    assert_has(&err, "other senders (\"tb8841723\") are read as buyers and not checked");
    assert_has(
        &err,
        "senders of neither side (\"示例旗舰店\", \"小美\") are checked, as the shop's",
    );
    // --agent-role still decides alone.
    let out = check(d, &["--agent-role", "*:*", "q1.json"]);
    assert_has(&stdout(&out), "q1.json:5:");
    assert_lacks(&stdout(&out), "q1.json:3:");
}
