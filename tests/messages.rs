//! Messages a shop user understands (issue 13): severity words, messages in
//! the reply's script, guidelines cited by title, the long-reply finding's
//! length and limit, configuration errors without internal names and with
//! the nearest valid name, where a finding is within its reply, and the
//! hint before reading a terminal.

mod support;

use std::fs;
use std::path::Path;
use std::process::Output;

use kefu_lint::Script;
use serde_json::Value;
use support::{ROOT, run, stderr, stdout};

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

fn json(out: &Output) -> Vec<Value> {
    serde_json::from_str::<Value>(&stdout(out))
        .expect("JSON output")
        .as_array()
        .expect("an array")
        .clone()
}

fn text<'v>(finding: &'v Value, key: &str) -> &'v str {
    let value = finding[key].as_str();
    assert!(value.is_some(), "{key} in {finding}");
    value.unwrap_or_default()
}

/// The characters of `text` that only Simplified text uses.
fn simplified_only(text: &str) -> String {
    text.chars()
        .filter(|c| Script::of(&c.to_string()) == Some(Script::Simplified))
        .collect()
}

#[test]
fn human_output_names_each_severity_in_words() {
    let out = run(
        Path::new(ROOT),
        &["check", "-"],
        Some("您好,这个我不能改哦\n你好\n您好,我们发货了\n"),
    );
    let shown = stdout(&out);
    for header in ["error[KF001]: negative-ability", "warning[KF011]: ni-instead-of-nin"] {
        assert!(shown.contains(header), "{header} in {shown}");
    }
    let out = run(
        Path::new(ROOT),
        &["check", "--fail-on", "info", "-"],
        Some("不讲价。\n"),
    );
    assert!(stdout(&out).contains("info[KF020]: no-courtesy"), "{}", stdout(&out));
}

/// A Traditional shop's file: every finding's message, suggestions and fix
/// are Traditional, those of the replies that read the same in both
/// scripts (嗯, 不知道, 你好) included.
#[test]
fn an_all_traditional_file_gets_traditional_messages_for_every_finding() {
    let dir = temp();
    let file = dir.path().join("tw.txt");
    fs::write(
        &file,
        "這個我真的不知道\n嗯\n不知道\n你好\n我們保證三天內到貨\n你的訂單已經發貨了,但是要等三天\n不行\n",
    )
    .expect("written");
    let out = run(
        dir.path(),
        &["check", "--format", "json", "--fail-on", "error", "tw.txt"],
        None,
    );
    let findings = json(&out);
    let lines: Vec<u64> = findings.iter().map(|f| f["line"].as_u64().unwrap_or(0)).collect();
    for line in 1..=7 {
        assert!(lines.contains(&line), "line {line} has a finding: {lines:?}");
    }
    for f in &findings {
        let mut texts = vec![text(f, "message").to_owned()];
        texts.extend(f["suggestions"].as_array().expect("list").iter().map(|s| s.to_string()));
        if let Some(edits) = f["fix"]["edits"].as_array() {
            texts.extend(edits.iter().map(|e| e["replacement"].to_string()));
        }
        for t in &texts {
            assert_eq!(simplified_only(t), "", "{t} (line {})", f["line"]);
        }
        assert_eq!(Script::of(text(f, "message")), Some(Script::Traditional), "{f}");
    }
    // Fixed in Traditional too.
    let out = run(dir.path(), &["check", "--fix", "--unsafe-fixes", "tw.txt"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let fixed = fs::read_to_string(&file).expect("read");
    assert!(
        fixed.contains("\n好的沒問題\n") && fixed.contains("您的訂單已經發貨了,不過要等三天"),
        "{fixed}"
    );
    // The same neutral replies alone are answered in Simplified …
    let out = run(dir.path(), &["check", "--format", "json", "-"], Some("嗯\n不知道\n"));
    for f in json(&out) {
        assert_eq!(Script::of(text(&f, "message")), Some(Script::Simplified), "{f}");
    }
}

#[test]
fn the_configuration_and_script_option_choose_the_script_of_neutral_replies() {
    let dir = temp();
    fs::write(dir.path().join("kefu-lint.toml"), "script = \"hant\"\n").expect("written");
    let messages = |args: &[&str]| -> Vec<String> {
        let out = run(dir.path(), args, Some("嗯\n不知道\n"));
        json(&out).iter().map(|f| text(f, "message").to_owned()).collect()
    };
    let configured = messages(&["check", "--format", "json", "-"]);
    assert!(!configured.is_empty());
    for m in &configured {
        assert_eq!(Script::of(m), Some(Script::Traditional), "{m}");
    }
    for m in messages(&["check", "--format", "json", "--script", "hans", "-"]) {
        assert_eq!(Script::of(&m), Some(Script::Simplified), "{m}");
    }
    // A reply in one script is answered in it whatever the configuration says.
    let out = run(
        dir.path(),
        &["check", "--format", "json", "-"],
        Some("这个我真的不知道\n"),
    );
    for f in json(&out) {
        assert_eq!(Script::of(text(&f, "message")), Some(Script::Simplified), "{f}");
    }
    // explain follows the configuration and --script.
    let explained = stdout(&run(dir.path(), &["explain", "KF002"], None));
    assert!(explained.contains("不要用“不知道/不清楚”回答顧客"), "{explained}");
    let explained = stdout(&run(dir.path(), &["explain", "KF002", "--script", "hans"], None));
    assert!(explained.contains("不要用“不知道/不清楚”回答顾客"), "{explained}");
    // So does the Markdown catalogue; the plain list shows the configuration's
    // severities, so a broken configuration is an error for both.
    let catalogue = stdout(&run(dir.path(), &["rules", "--markdown"], None));
    assert!(catalogue.contains("不要用“不知道/不清楚”回答顧客"), "{catalogue}");
    fs::write(dir.path().join("kefu-lint.toml"), "script = 1\n").expect("written");
    assert_eq!(run(dir.path(), &["rules"], None).status.code(), Some(2));
    assert_eq!(run(dir.path(), &["rules", "--markdown"], None).status.code(), Some(2));
}

#[test]
fn guidelines_are_cited_by_title_with_the_passage() {
    let root = Path::new(ROOT);
    let explained = stdout(&run(root, &["explain", "KF008"], None));
    assert!(
        explained.contains("依据 网店售中客服培训讲义(售中客服的概念、职责、服务规范与沟通技巧):\n  在与顾客交流中,不要用“肯定、保证、绝对”等字样"),
        "{explained}"
    );
    let sarif = stdout(&run(root, &["check", "--format", "sarif", "-"], Some("您好哦\n")));
    let docs = fs::read_to_string(root.join("docs/rules.md")).expect("docs/rules.md");
    for shown in [&explained, &sarif, &docs] {
        assert!(!shown.contains(".txt"), "a seed file name in {shown}");
    }
    assert!(sarif.contains("依据: 《电子商务基础(第二版)》第六章 电子商务客户服务(课件) — "));
    assert!(docs.contains("Source: 《淘寶客服的基本禮儀》(學習啦) — “明智的賣家"));
}

#[test]
fn a_long_reply_says_its_length_and_the_limit_and_spans_what_is_past_it() {
    let body: String = "您好请稍等我们马上为您查询订单哦".chars().cycle().take(200).collect();
    let reply = format!("   {body}   ");
    let out = run(
        Path::new(ROOT),
        &["check", "--format", "json", "-"],
        Some(&format!("{reply}\n")),
    );
    let findings = json(&out);
    let long = findings.iter().find(|f| f["rule"] == "KF018").expect("KF018");
    assert!(
        text(long, "message").starts_with("这条回复有200个字,超过了150个字"),
        "{long}"
    );
    // Leading and trailing spaces do not count: the span is the last 50 characters.
    assert_eq!(long["column"], 4 + 150);
    assert_eq!(text(long, "matched"), body.chars().skip(150).collect::<String>());
    // 150 characters between spaces are not too long; 151 are.
    let exact: String = body.chars().take(150).collect();
    let out = run(
        Path::new(ROOT),
        &["check", "--format", "json", "-"],
        Some(&format!("  {exact}      \n")),
    );
    assert!(json(&out).iter().all(|f| f["rule"] != "KF018"));
    let over = format!("{exact}{}", " ".repeat(40));
    let out = run(
        Path::new(ROOT),
        &["check", "--format", "json", "-"],
        Some(&format!("{over}x\n")),
    );
    let long = json(&out).into_iter().find(|f| f["rule"] == "KF018").expect("KF018");
    assert!(text(&long, "message").starts_with("这条回复有191个字"), "{long}");
    assert_eq!(text(&long, "matched"), format!("{}x", " ".repeat(40)));
}

#[test]
fn a_configuration_named_with_control_characters_cannot_forge_a_line() {
    let dir = temp();
    let d = dir.path();
    let forged = "k\nerror: forged\u{1b}[2J.toml";
    fs::write(d.join(forged), "select = [\"nope\"]\n").expect("written");
    fs::write(d.join("r.txt"), "你好\n").expect("written");
    let out = run(d, &["check", "--config", forged, "r.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("k\\u{a}error: forged\\u{1b}[2J.toml"), "{err}");
    assert!(
        !err.lines().any(|l| l.starts_with("error: forged")) && !err.contains('\u{1b}'),
        "{err:?}"
    );
}

#[test]
fn configuration_errors_name_no_internal_code_and_suggest_the_nearest_name() {
    let dir = temp();
    let d = dir.path();
    fs::write(d.join("r.txt"), "您好哦\n").expect("written");
    let cases = [
        (
            "selct = [\"KF001\"]\n",
            "unknown field `selct`",
            "did you mean `select`?",
        ),
        (
            "[severity]\nbut = \"warn\"\n",
            "unknown variant `warn`",
            "did you mean `warning`?",
        ),
        ("script = \"hnat\"\n", "unknown variant `hnat`", "did you mean `hant`?"),
        (
            "ignore = [\"negative-abilty\"]\n",
            "unknown rule, name or category \"negative-abilty\"",
            "did you mean \"negative-ability\"?",
        ),
        ("ignore = [\"kf0001\"]\n", "\"kf0001\"", "did you mean \"KF001\"?"),
    ];
    for (config, message, hint) in cases {
        fs::write(d.join("k.toml"), config).expect("written");
        let out = run(d, &["check", "--config", "k.toml", "r.txt"], None);
        assert_eq!(out.status.code(), Some(2), "{config}");
        // miette wraps a long message at 100 columns.
        let err = stderr(&out).replace("\n  │ ", " ");
        assert!(err.contains(message) && err.contains(hint), "{config}: {err}");
        assert!(!err.contains("kefu_lint"), "{config}: {err}");
    }
    // Nor does an error in an extra rule pack.
    fs::write(
        d.join("shop.toml"),
        "[pack]\nname = \"shop\"\ndescription = \"x\"\n[[rule]]\nid = \"S001\"\nname = \"rival\"\ncategory = \"shop\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = \"m\"\nregex = [\"(oops\"]\nsource = { seed = \"shop\", passage = \"p\" }\n",
    )
    .expect("written");
    let out = run(
        d,
        &["check", "--no-config", "--extend-pack", "shop.toml", "r.txt"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("rule S001: invalid regex") && !stderr(&out).contains("kefu_lint"),
        "{}",
        stderr(&out)
    );
    let out = run(d, &["explain", "KF0008"], None);
    assert!(stderr(&out).contains("did you mean KF008?"), "{}", stderr(&out));
}

/// JSON Lines, CSV: the file's column and the column within the reply, each
/// named as what it is.
#[test]
fn findings_give_the_column_of_the_file_and_of_the_reply() {
    let root = Path::new(ROOT);
    let out = run(root, &["check", "--format", "json", "examples/chat-log.jsonl"], None);
    let at: Vec<(u64, u64, u64)> = json(&out)
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["reply_column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(at.contains(&(4, 62, 11)) && at.contains(&(7, 56, 12)), "{at:?}");
    let concise = stdout(&run(
        root,
        &["check", "--format", "concise", "examples/chat-log.jsonl"],
        None,
    ));
    assert!(
        concise.contains("examples/chat-log.jsonl:4:62: warning KF008 (reply col 11) "),
        "{concise}"
    );
    let human = stdout(&run(root, &["check", "examples/chat-log.jsonl"], None));
    assert!(human.contains("warning[KF008]: over-promise (reply col 11)"), "{human}");
    // A quoted CSV field over two lines: the reply column counts the whole reply.
    let dir = temp();
    fs::write(dir.path().join("q.csv"), "分组,回复\n售后,\"亲,您好\n你的订单\"\n").expect("written");
    let out = run(dir.path(), &["check", "--format", "json", "q.csv"], None);
    let f = json(&out).into_iter().find(|f| f["rule"] == "KF011").expect("KF011");
    assert_eq!(
        (&f["line"], &f["column"], &f["reply_column"]),
        (&3.into(), &1.into(), &6.into())
    );
    // Plain text: the reply is the line, and concise output says nothing more.
    let concise = stdout(&run(root, &["check", "--format", "concise", "-"], Some("你好\n")));
    assert!(concise.starts_with("<stdin>:1:1: warning KF011 称呼"), "{concise}");
}

/// On a terminal, `check` with no path says it reads standard input. The
/// terminal is a pseudo-terminal made by util-linux `script`, which passes
/// on what is typed: a reply, then Ctrl-D.
#[cfg(target_os = "linux")]
#[test]
fn a_terminal_is_told_that_standard_input_is_read() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = temp();
    let command = format!("'{}' check", env!("CARGO_BIN_EXE_kefu-lint"));
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs (it makes the pseudo-terminal)");
    // The keyboard stays open until kefu-lint has ended (Ctrl-D ends its
    // input): `script` stops copying output once its own input closes.
    let mut keyboard = child.stdin.take().expect("a pipe to the terminal");
    keyboard.write_all("您好哦\n\u{4}".as_bytes()).expect("typed");
    let out = child.wait_with_output().expect("finishes");
    drop(keyboard);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("note: reading replies from standard input, one per line; end with Ctrl-D"),
        "{shown}"
    );
    assert!(shown.contains("No findings in 1 reply from 1 input."), "{shown}");
}

/// The hint is given only when standard input is a terminal (the decision
/// is tested in the binary's unit tests); a pipe gets none.
#[test]
fn no_stdin_hint_for_a_pipe() {
    let out = run(Path::new(ROOT), &["check"], Some("您好哦\n"));
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("standard input"), "{}", stderr(&out));
}
