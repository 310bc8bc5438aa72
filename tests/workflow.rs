//! End-to-end tests of the CI workflow: input formats and encodings, output
//! formats, configuration, baselines, fixes and the rule catalogue.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use support::{ROOT, run as run_in, stderr, stdout};

fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args, None)
}

fn json(out: &Output) -> Vec<Value> {
    serde_json::from_str::<Value>(&stdout(out))
        .expect("JSON output")
        .as_array()
        .expect("array")
        .clone()
}

/// `(line, column, rule)` of each finding.
fn positions(findings: &[Value]) -> Vec<(u64, u64, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

fn example(name: &str) -> PathBuf {
    Path::new(ROOT).join("examples").join(name)
}

#[test]
fn csv_rows_keep_their_columns_and_positions() {
    let out = run(&["check", "--no-config", "--format", "json", "examples/quick-replies.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings = json(&out);
    let bargain = findings.iter().find(|f| f["rule"] == "KF005").expect("不讲价 flagged");
    assert_eq!(bargain["line"], 3);
    assert_eq!(bargain["column"], 8, "column counts from the start of the line");
    assert_eq!(bargain["column_name"], "短语内容");
    assert_eq!(bargain["context"]["分组"], "议价");
    assert_eq!(bargain["context"]["快捷编码"], "yj1");
    // The header and the clean rows produce nothing.
    assert!(
        findings
            .iter()
            .all(|f| f["line"] != 1 && f["line"] != 2 && f["line"] != 4)
    );
}

#[test]
fn tsv_and_chosen_columns() {
    let dir = temp();
    fs::write(dir.path().join("a.tsv"), "编号\t话术\n1\t你好\n2\t您好哦\n").unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--no-config", "--format", "concise", "a.tsv"],
        None,
    );
    assert!(
        stdout(&out).starts_with("a.tsv:2:3: warning KF011 "),
        "{}",
        stdout(&out)
    );
    fs::write(dir.path().join("b.csv"), "id,备注,text2\n1,你好哦,嗯\n").unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "concise",
            "--column",
            "text2",
            "b.csv",
        ],
        None,
    );
    assert!(
        stdout(&out).starts_with("b.csv:2:7: warning KF009 "),
        "{}",
        stdout(&out)
    );
    // A header that contains a reply name is chosen, and the note says so.
    let out = run_in(dir.path(), &["check", "--no-config", "b.csv"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("b.csv: replies read from column 3 (\"text2\")"),
        "{}",
        stderr(&out)
    );
    fs::write(dir.path().join("c.csv"), "id,备注\n1,你好哦\n").unwrap();
    let out = run_in(dir.path(), &["check", "--no-config", "c.csv"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("c.csv: no reply column in the header"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn jsonl_checks_only_agent_turns() {
    let out = run(&["check", "--no-config", "--format", "json", "examples/chat-log.jsonl"]);
    let lines: Vec<u64> = json(&out).iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert!(
        lines.contains(&2) && lines.contains(&4) && lines.contains(&7),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| [1, 3, 5].contains(l)),
        "customer turns were checked: {lines:?}"
    );
    let out = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--agent-role",
        "user",
        "examples/chat-log.jsonl",
    ]);
    let lines: Vec<u64> = json(&out).iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert!(
        lines.iter().all(|l| [1, 3, 5].contains(l)) && lines.contains(&5),
        "{lines:?}"
    );
    let dir = temp();
    fs::write(
        dir.path().join("c.jsonl"),
        "{\"msg\":{\"who\":\"agent\",\"body\":\"你好\"}}\nnot json\n",
    )
    .unwrap();
    let args = [
        "check",
        "--no-config",
        "--format",
        "concise",
        "--field",
        "msg.body",
        "--role-field",
        "msg.who",
        "c.jsonl",
    ];
    let out = run_in(dir.path(), &args, None);
    assert!(stdout(&out).starts_with("c.jsonl:1:"), "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(2), "a malformed line is an input error");
    assert!(
        stderr(&out).contains("error: c.jsonl:2: invalid JSON"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn workbooks_report_sheet_row_and_column() {
    let out = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "examples/quick-replies.xlsx",
    ]);
    let findings = json(&out);
    let cannot = findings.iter().find(|f| f["rule"] == "KF001").expect("我不能 flagged");
    assert_eq!(
        (
            cannot["sheet"].as_str(),
            cannot["line"].as_u64(),
            cannot["column_name"].as_str()
        ),
        (Some("售后"), Some(2), Some("短语"))
    );
    let out = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--sheet",
        "售前",
        "examples/quick-replies.xlsx",
    ]);
    assert!(json(&out).iter().all(|f| f["sheet"] == "售前"));
    let out = run(&["check", "--no-config", "--sheet", "nope", "examples/quick-replies.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no sheet \"nope\""), "{}", stderr(&out));
}

#[test]
fn encodings_are_detected_and_said() {
    let utf8 = run(&["check", "--no-config", "--format", "json", "examples/quick-replies.csv"]);
    let gb = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "examples/quick-replies-gb18030.csv",
    ]);
    assert_eq!(positions(&json(&utf8)), positions(&json(&gb)));
    assert!(stderr(&gb).contains("read as GB18030"), "{}", stderr(&gb));
    let forced = run(&[
        "check",
        "--no-config",
        "--encoding",
        "gbk",
        "examples/quick-replies-gb18030.csv",
    ]);
    assert!(!stderr(&forced).contains("note:"), "{}", stderr(&forced));

    let dir = temp();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("短语\r\n你好\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(dir.path().join("u16.csv"), utf16).unwrap();
    fs::write(dir.path().join("bad.txt"), b"ok\n\xE4\xBD\xA0\xFF\n").unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--no-config", "--format", "concise", "bad.txt", "u16.csv"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("u16.csv:2:1: warning KF011"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("error: bad.txt: not valid UTF-8 at byte 6"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("1 input could not be read"), "{}", stderr(&out));
}

#[test]
fn directories_honour_gitignore_and_globs() {
    let dir = temp();
    let d = dir.path();
    fs::create_dir_all(d.join("sub")).unwrap();
    fs::create_dir_all(d.join("ignored")).unwrap();
    fs::write(d.join(".gitignore"), "ignored/\n").unwrap();
    fs::write(d.join("a.csv"), "短语\n你好\n").unwrap();
    fs::write(d.join("sub/b.txt"), "嗯\n").unwrap();
    fs::write(d.join("ignored/c.txt"), "嗯\n").unwrap();
    fs::write(d.join("notes.md"), "嗯\n").unwrap();
    let out = run_in(d, &["check", "--no-config", "--format", "concise", "."], None);
    let text = stdout(&out);
    assert!(text.contains("a.csv:2:1") && text.contains("b.txt:1:1"), "{text}");
    assert!(!text.contains("c.txt") && !text.contains("notes.md"), "{text}");
    let out = run_in(
        d,
        &["check", "--no-config", "--format", "concise", "--glob", "*.csv", "."],
        None,
    );
    assert!(
        stdout(&out).contains("a.csv") && !stdout(&out).contains("b.txt"),
        "{}",
        stdout(&out)
    );
    fs::create_dir_all(d.join("empty")).unwrap();
    let out = run_in(d, &["check", "--no-config", "empty"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("empty: no files to check in this directory"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sarif_is_a_valid_code_scanning_log() {
    let out = run(&[
        "check",
        "--no-config",
        "--format",
        "sarif",
        "examples/quick-replies.csv",
    ]);
    let log: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "kefu-lint");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7, "{results:#?}");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(rules[index]["help"]["text"].as_str().unwrap().contains("依据"));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 2);
        assert!(region["endColumn"].as_u64() > region["startColumn"].as_u64());
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "examples/quick-replies.csv"
        );
        assert_eq!(result["partialFingerprints"]["kefuLint/v1"].as_str().unwrap().len(), 16);
    }
}

#[test]
fn github_annotations_and_jsonl() {
    let out = run(&[
        "check",
        "--no-config",
        "--format",
        "github",
        "examples/quick-replies.csv",
    ]);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with(
            "::warning file=examples/quick-replies.csv,line=3,col=8,endColumn=11,title=KF005 no-bargaining::直接说"
        )),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("::notice file=")), "{text}");
    let out = run(&[
        "check",
        "--no-config",
        "--format",
        "jsonl",
        "examples/quick-replies.csv",
    ]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one object per line"))
        .collect();
    assert_eq!(lines.len(), 7);
}

#[test]
fn statistics_count_per_rule() {
    let out = run(&["check", "--no-config", "--statistics", "examples/quick-replies.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .trim_start()
            .starts_with("2  KF017  error    placeholder"),
        "{text}"
    );
    assert!(text.contains("      1  KF005  warning  no-bargaining"), "{text}");
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = temp();
    let d = dir.path();
    fs::write(
        d.join("q.csv"),
        "分组,短语\n议价,不讲价。\n物流,你的订单已发货哦\n欢迎,您好哦\n",
    )
    .unwrap();
    let out = run_in(
        d,
        &["check", "--no-config", "--write-baseline", "base.json", "q.csv"],
        None,
    );
    assert!(
        stderr(&out).contains("Wrote 3 findings to the baseline base.json."),
        "{}",
        stderr(&out)
    );
    let clean = run_in(d, &["check", "--no-config", "--baseline", "base.json", "q.csv"], None);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    // Reorder the rows, edit a clean row, add a new problem.
    fs::write(
        d.join("q.csv"),
        "分组,短语\n欢迎,\"您好,欢迎光临哦\"\n物流,你的订单已发货哦\n新增,我们保证明天到哦\n议价,不讲价。\n",
    )
    .unwrap();
    let out = run_in(
        d,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--baseline",
            "base.json",
            "q.csv",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let findings = json(&out);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        (findings[0]["rule"].as_str(), findings[0]["line"].as_u64()),
        (Some("KF008"), Some(4))
    );
    assert!(
        stderr(&out).contains("3 findings in the baseline not shown"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fix_changes_only_the_fixed_bytes() {
    let dir = temp();
    let d = dir.path();
    let original = fs::read(example("quick-replies-gb18030.csv")).unwrap();
    fs::write(d.join("gb.csv"), &original).unwrap();
    let bom = fs::read(example("quick-replies.csv")).unwrap();
    fs::write(d.join("bom.csv"), &bom).unwrap();
    let untouched = "嗯嗯好的\r\n您好哦\r\n";
    fs::write(d.join("clean.txt"), untouched).unwrap();
    let before = fs::metadata(d.join("clean.txt")).unwrap().modified().unwrap();

    let out = run_in(
        d,
        &["check", "--no-config", "--fix", "gb.csv", "bom.csv", "clean.txt"],
        None,
    );
    assert!(
        stderr(&out).contains(" from 3 inputs; fixed 2 findings in 2 inputs"),
        "{}",
        stderr(&out)
    );
    // Exactly 你 → 您 changed, in each file's own encoding; BOM, CRLF and quoting kept.
    let replace = |bytes: &[u8], from: &[u8], to: &[u8]| {
        let at = bytes
            .windows(from.len())
            .position(|w| w == from)
            .expect("original text");
        [&bytes[..at], to, &bytes[at + from.len()..]].concat()
    };
    let gb_from = encoding_rs::GB18030.encode("\"你的订单").0.into_owned();
    let gb_to = encoding_rs::GB18030.encode("\"您的订单").0.into_owned();
    assert_eq!(
        fs::read(d.join("gb.csv")).unwrap(),
        replace(&original, &gb_from, &gb_to)
    );
    assert_eq!(
        fs::read(d.join("bom.csv")).unwrap(),
        replace(&bom, "\"你的订单".as_bytes(), "\"您的订单".as_bytes())
    );
    assert_eq!(fs::read_to_string(d.join("clean.txt")).unwrap(), untouched);
    assert_eq!(
        fs::metadata(d.join("clean.txt")).unwrap().modified().unwrap(),
        before,
        "nothing to fix: not rewritten"
    );

    // A second run finds nothing left to fix safely, and writes nothing.
    let again = run_in(
        d,
        &["check", "--no-config", "--format", "json", "--fix", "gb.csv", "bom.csv"],
        None,
    );
    assert!(!stderr(&again).contains("fixed"), "{}", stderr(&again));
    assert!(json(&again).iter().all(|f| f["fix"]["applicability"] != "safe"));
}

/// `text` in GB18030.
fn gb(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

#[test]
fn fix_keeps_bytes_that_do_not_survive_decoding_and_encoding() {
    // In GB18030 the byte 80 reads as € but € is written A2 E3, and A3 A0
    // reads as U+3000 but U+3000 is written A1 A1: writing the whole fixed
    // text anew would change them on lines nobody fixed.
    let dir = temp();
    let d = dir.path();
    let txt = [&gb("你的订单")[..], b"\x80\n\xA3\xA0", &gb("亲\n")].concat();
    let csv = [
        &gb("分组,短语\r\n售前")[..],
        b"\x80,\"",
        &gb("你好"),
        b"\xA3\xA0\"\r\n\xA3\xA0,\x80",
        &gb("您好亲\r\n"),
    ]
    .concat();
    // Two fixes in one reply: only the two fixed characters change; the 80
    // between them stays 80 (written anew, it would be A2 E3, which GBK
    // readers such as iconv's CP936 cannot read).
    let both = [&gb("你好\u{3000}")[..], b"\x80", &gb("你的订单"), b"\x80\xA3\xA0\n"].concat();
    fs::write(d.join("a.txt"), &txt).unwrap();
    fs::write(d.join("b.csv"), &csv).unwrap();
    fs::write(d.join("c.txt"), &both).unwrap();

    let out = run_in(d, &["check", "--no-config", "--fix", "a.txt", "b.csv", "c.txt"], None);
    assert!(
        stderr(&out).contains("fixed 4 findings in 3 inputs"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read(d.join("a.txt")).unwrap(),
        [&gb("您的订单")[..], b"\x80\n\xA3\xA0", &gb("亲\n")].concat()
    );
    assert_eq!(
        fs::read(d.join("b.csv")).unwrap(),
        [
            &gb("分组,短语\r\n售前")[..],
            b"\x80,\"",
            &gb("您好"),
            b"\xA3\xA0\"\r\n\xA3\xA0,\x80",
            &gb("您好亲\r\n"),
        ]
        .concat()
    );
    assert_eq!(
        fs::read(d.join("c.txt")).unwrap(),
        [&gb("您好\u{3000}")[..], b"\x80", &gb("您的订单"), b"\x80\xA3\xA0\n"].concat()
    );

    // UTF-16 with a byte-order mark: only the fixed character's two bytes change.
    let utf16 = |text: &str| -> Vec<u8> {
        let units = text.encode_utf16().flat_map(u16::to_le_bytes);
        [0xFF, 0xFE].into_iter().chain(units).collect()
    };
    fs::write(d.join("w.txt"), utf16("亲,在的\r\n你的订单已发货😊\r\n")).unwrap();
    let out = run_in(d, &["check", "--no-config", "--fix", "w.txt"], None);
    assert!(stderr(&out).contains("fixed 1 finding"), "{}", stderr(&out));
    assert_eq!(
        fs::read(d.join("w.txt")).unwrap(),
        utf16("亲,在的\r\n您的订单已发货😊\r\n")
    );
}

/// Runs `check --config k.toml MODE gb.txt u8.txt` in a directory where a
/// shop pack's fix writes U+E5E5, the one code point GB18030 has no bytes
/// for, and `gb.txt` (GB18030) and `u8.txt` (UTF-8) both need that fix.
/// Asserts that the run fails on `gb.txt`'s line 2, ending the message with
/// `outcome`. Returns the directory, the output and `gb.txt`'s bytes.
fn unencodable_fix(mode: &str, outcome: &str) -> (tempfile::TempDir, Output, Vec<u8>) {
    let dir = temp();
    let d = dir.path();
    fs::write(
        d.join("shop.toml"),
        concat!(
            "[pack]\nname = \"shop\"\ndescription = \"house words\"\n",
            "[[rule]]\nid = \"S001\"\nname = \"old-mark\"\ncategory = \"shop\"\n",
            "severity = \"warning\"\nsummary = \"s\"\nmessage = \"m\"\npatterns = [\"旧标\"]\n",
            "fix = { applicability = \"safe\", replacement = \"新标\\uE5E5\" }\n",
            "source = { seed = \"shop\", passage = \"p\" }\n",
        ),
    )
    .unwrap();
    fs::write(d.join("k.toml"), "extend-packs = [\"shop.toml\"]\n").unwrap();
    let gb_file = gb("您好哦\n亲,旧标已经下架了哦\n");
    fs::write(d.join("gb.txt"), &gb_file).unwrap();
    fs::write(d.join("u8.txt"), "亲,旧标已经下架了哦\n").unwrap();

    let out = run_in(d, &["check", "--config", "k.toml", mode, "gb.txt", "u8.txt"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let expected = format!(
        "error: gb.txt: line 2: the fixed reply cannot be written in GB18030: \
         it has no bytes for U+E5E5; {outcome}"
    );
    assert!(err.contains(&expected), "{err}");
    (dir, out, gb_file)
}

#[test]
fn a_fix_the_encoding_cannot_hold_leaves_the_file_alone() {
    // The fix must not turn into "&#58853;" or "?" in the GB18030 file.
    let (dir, out, gb_file) = unencodable_fix("--fix", "not written");
    let d = dir.path();
    let err = stderr(&out);
    assert!(err.contains("the fixes of 1 input could not be written"), "{err}");
    assert_eq!(fs::read(d.join("gb.txt")).unwrap(), gb_file, "left alone");
    assert_eq!(
        fs::read_to_string(d.join("u8.txt")).unwrap(),
        "亲,新标\u{E5E5}已经下架了哦\n",
        "UTF-8 holds it"
    );
}

#[test]
fn diff_warns_of_a_fix_the_encoding_cannot_hold() {
    let (dir, out, gb_file) = unencodable_fix("--diff", "--fix would not write this file");
    let d = dir.path();
    let err = stderr(&out);
    assert!(!err.contains("u8.txt"), "UTF-8 holds the fix: {err}");
    // Both diffs are shown; neither file is touched.
    let diff = stdout(&out);
    assert_eq!(diff.matches("+亲,新标\u{E5E5}已经下架了哦").count(), 2, "{diff}");
    assert_eq!(fs::read(d.join("gb.txt")).unwrap(), gb_file);
    assert_eq!(fs::read_to_string(d.join("u8.txt")).unwrap(), "亲,旧标已经下架了哦\n");
}

#[test]
fn diff_and_unsafe_fixes() {
    let dir = temp();
    let d = dir.path();
    let log = "{\"role\":\"assistant\",\"content\":\"你好,质量很好,但是要等三天\"}\n";
    fs::write(d.join("c.jsonl"), log).unwrap();
    let out = run_in(d, &["check", "--no-config", "--diff", "c.jsonl"], None);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(
        diff.contains("--- a/c.jsonl")
            && diff.contains("+{\"role\":\"assistant\",\"content\":\"您好,质量很好,但是要等三天\"}"),
        "{diff}"
    );
    assert_eq!(
        fs::read_to_string(d.join("c.jsonl")).unwrap(),
        log,
        "--diff writes nothing"
    );
    run_in(d, &["check", "--no-config", "--fix", "--unsafe-fixes", "c.jsonl"], None);
    assert_eq!(
        fs::read_to_string(d.join("c.jsonl")).unwrap(),
        "{\"role\":\"assistant\",\"content\":\"您好,质量很好,不过要等三天\"}\n"
    );
}

#[test]
fn workbooks_are_never_overwritten() {
    let dir = temp();
    let d = dir.path();
    let book = fs::read(example("quick-replies.xlsx")).unwrap();
    fs::write(d.join("q.xlsx"), &book).unwrap();
    let out = run_in(d, &["check", "--no-config", "--fix", "q.xlsx"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("workbooks are never overwritten; give --output"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        d,
        &["check", "--no-config", "--fix", "--output", "fixed.csv", "q.xlsx"],
        None,
    );
    assert_eq!(fs::read(d.join("q.xlsx")).unwrap(), book);
    let fixed = fs::read_to_string(d.join("fixed.csv")).unwrap();
    assert!(
        fixed.contains("售前,4,快捷短语,你的订单已经发货了哦,您的订单已经发货了哦"),
        "{fixed}\n{}",
        stderr(&out)
    );
}

#[test]
fn configuration_selects_rules_and_paths() {
    let dir = temp();
    let d = dir.path();
    fs::create_dir_all(d.join("templates")).unwrap();
    fs::write(
        d.join("templates/t.txt"),
        "亲,您的订单{订单号}已发货哦\n亲,您的订单{订单号已发货哦\n",
    )
    .unwrap();
    fs::write(d.join("r.txt"), "亲,我们保证正品哦\n亲,质量很好哦,但是要等三天\n嗯\n").unwrap();
    let config = "fail-on = \"error\"\nallow = [\"保证正品\"]\nignore = [\"cold-reply\"]\n[severity]\nbut = \"info\"\n[[per-path]]\npaths = [\"templates/**\"]\nmode = \"library\"\n";
    fs::write(d.join("kefu-lint.toml"), config).unwrap();
    let out = run_in(d, &["check", "--format", "concise", "r.txt", "templates/t.txt"], None);
    assert_eq!(
        stdout(&out),
        "r.txt:2:9: info KF007 “但是”会把前面对顾客说的话全部否定。换种说法,例如用“不过”,或调整句子结构。\nr.txt:3:1: info KF020 整条回复没有一个礼貌用语或语气词,读起来冰冷。加上“您、请、亲”或“哦、呢”等。\ntemplates/t.txt:2:7: error KF021 模板占位符格式不对(括号不成对或是空的),客服套用时会发出残缺的内容。请把占位符写完整,例如 {订单号}。\n"
    );
    assert_eq!(out.status.code(), Some(1), "fail-on = error and one error");
    let out = run_in(d, &["check", "--no-config", "--format", "concise", "r.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("KF008") && stdout(&out).contains("KF009"));
}

#[test]
fn configuration_errors_point_into_the_file() {
    let dir = temp();
    let d = dir.path();
    fs::write(d.join("r.txt"), "您好哦\n").unwrap();
    fs::write(d.join("shop.toml"), "[pack]\nname = \"shop\"\ndescription = \"x\"\n[[rule]]\nid = \"S001\"\nname = \"rival\"\ncategory = \"shop\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = \"m\"\nregex = [\"(oops\"]\nsource = { seed = \"shop\", passage = \"p\" }\n").unwrap();
    let cases = [
        ("colour = 1\n", "unknown field `colour`", "[k.toml:1:1]"),
        // A one-word setting of the wrong kind says which words fit.
        (
            "fail-on = 3\n",
            "invalid type: integer `3`, expected one of `error`, `warning`, `info`",
            "[k.toml:1:11]",
        ),
        (
            "mode = 1\n",
            "invalid type: integer `1`, expected one of `draft`, `library`",
            "[k.toml:1:8]",
        ),
        (
            "[severity]\nKF001 = true\n",
            "expected one of `info`, `warning`, `error`",
            "[k.toml:2:9]",
        ),
        (
            "script = \"zh\"\n",
            "unknown variant `zh`, expected `hans` or `hant`",
            "[k.toml:1:10]",
        ),
        (
            "allow = [\"保证正品\", \" \"]\n",
            "allow holds \" \", which allows nothing",
            "[k.toml:1:18]",
        ),
        (
            "ignore = [\"KF999\"]\n",
            "unknown rule, name or category \"KF999\"",
            "[k.toml:1:11]",
        ),
        (
            "extend-packs = [\"shop.toml\"]\n",
            "rule S001: invalid regex",
            "[shop.toml:11:10]",
        ),
    ];
    for (config, message, place) in cases {
        fs::write(d.join("k.toml"), config).unwrap();
        let out = run_in(d, &["check", "--config", "k.toml", "r.txt"], None);
        assert_eq!(out.status.code(), Some(2), "{config}");
        let err = stderr(&out);
        assert!(err.contains(message) && err.contains(place), "{config}: {err}");
    }
}

#[test]
fn init_writes_a_starter_config_once() {
    let dir = temp();
    let out = run_in(dir.path(), &["init"], None);
    assert_eq!(out.status.code(), Some(0));
    let written = fs::read_to_string(dir.path().join("kefu-lint.toml")).unwrap();
    assert!(written.contains("fail-on = \"warning\""));
    // The starter file is itself a valid configuration.
    fs::write(dir.path().join("r.txt"), "您好哦\n").unwrap();
    assert_eq!(run_in(dir.path(), &["check", "r.txt"], None).status.code(), Some(0));
    assert_eq!(run_in(dir.path(), &["init"], None).status.code(), Some(2));
}

#[test]
fn rule_catalogue() {
    let out = run(&["rules"]);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["KF011", "ni-instead-of-nin", "address", "warning", "safe", "all"]),
        "{text}"
    );
    let out = run(&["explain", "but"]);
    assert!(stdout(&out).starts_with("KF007 but (but, warning)"));
    assert!(stdout(&out).contains("这件衣服很显瘦,但是面料有点薄 → 这件衣服很显瘦,不过面料有点薄"));
    assert_eq!(run(&["explain", "KF999"]).status.code(), Some(2));
}

#[test]
fn rules_doc_is_up_to_date() {
    let generated = stdout(&run(&["rules", "--markdown"]));
    let committed = fs::read_to_string(Path::new(ROOT).join("docs/rules.md")).expect("docs/rules.md");
    assert!(
        generated == committed,
        "docs/rules.md is stale: run `cargo run -p kefu-lint-cli -- rules --markdown > docs/rules.md`"
    );
}
