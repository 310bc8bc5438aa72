//! End to end: a shop's own rule pack (issue 13) — a fix that adds a line
//! break, written into each format as it can hold one, and the errors of a
//! pack written wrong.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::fs;
use std::path::Path;

use support::{assert_has, check_concise as check, stderr, stdout};

/// A pack whose fix of 不讲价 adds a line break (and a `;`, `,` and `"`).
const SPLITTING_PACK: &str = r#"[pack]
name = "shop"
description = "A fix over two lines"

[[rule]]
id = "X001"
name = "no-bargain-fix"
category = "custom"
severity = "warning"
summary = "不讲价 sounds cold"
message = "别说不讲价"
patterns = ["不讲价"]
fix = { applicability = "safe", replacement = "对不起;我们\"不议价\",谢谢\n亲" }
source = { seed = "s", passage = "p", title = "t" }

[rule.examples]
bad = ["不讲价"]
ok = ["您好"]
"#;

/// `check --fix --extend-pack pack.toml FILE` in `dir`.
fn fix(dir: &Path, file: &str) -> std::process::Output {
    check(dir, &["--extend-pack", "pack.toml", "--select", "X001", "--fix", file])
}

#[test]
fn a_fix_with_a_line_break_is_refused_in_text_and_quoted_or_escaped_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("pack.toml"), SPLITTING_PACK).unwrap();

    // One reply per line: the fix would make two replies of one.
    fs::write(d.join("d.txt"), "不讲价\n下一行\n").unwrap();
    let out = fix(d, "d.txt");
    assert_eq!(fs::read_to_string(d.join("d.txt")).unwrap(), "不讲价\n下一行\n");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(
        &stderr(&out),
        "d.txt: line 1: a fix adds a line break, which would split the reply in two in a file of one reply per line",
    );
    assert_has(&stdout(&out), "d.txt:1:1: warning X001");

    // A table quotes the field; JSON Lines and JSON escape the line break.
    for (file, before, after) in [
        (
            "a.csv",
            "分组,快捷短语\n售前,不讲价\n",
            "分组,快捷短语\n售前,\"对不起;我们\"\"不议价\"\",谢谢\n亲\"\n",
        ),
        (
            "e.tsv",
            "分组\t快捷短语\n售前\t不讲价\n",
            "分组\t快捷短语\n售前\t\"对不起;我们\"\"不议价\"\",谢谢\n亲\"\n",
        ),
        (
            "c.jsonl",
            "{\"role\":\"assistant\",\"text\":\"不讲价\"}\n",
            "{\"role\":\"assistant\",\"text\":\"对不起;我们\\\"不议价\\\",谢谢\\n亲\"}\n",
        ),
        (
            "c.json",
            "[{\"role\":\"assistant\",\"text\":\"不讲价\"}]",
            "[{\"role\":\"assistant\",\"text\":\"对不起;我们\\\"不议价\\\",谢谢\\n亲\"}]",
        ),
    ] {
        fs::write(d.join(file), before).unwrap();
        let out = fix(d, file);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        assert_eq!(fs::read_to_string(d.join(file)).unwrap(), after, "{file}");
        // What was written reads back as one reply, with nothing left to fix.
        let again = check(d, &["--extend-pack", "pack.toml", file]);
        assert_eq!(again.status.code(), Some(0), "{file}: {}", stderr(&again));
        assert_has(&stderr(&again), "in 1 reply");
    }
}

#[test]
fn a_pack_written_wrong_is_told_what_each_key_must_be_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), "你好\n").unwrap();
    let rule = "[[rule]]\nid = \"X1\"\nname = \"a\"\n";
    for (pack, said) in [
        (
            format!("pack = \"shop\"\n{rule}"),
            "invalid type: string \"shop\", expected a table [pack] with the keys name and",
        ),
        (
            format!("[pack]\nname = \"shop\"\ndescription = \"d\"\n{rule}"),
            "[[rule]] 1 lacks category, severity, summary, message, source",
        ),
        ("[pack]\nname = \"shop\"\n".to_owned(), "[pack] lacks description"),
    ] {
        fs::write(d.join("p.toml"), &pack).unwrap();
        let out = check(d, &["--extend-pack", "p.toml", "a.txt"]);
        assert_eq!(out.status.code(), Some(2), "{pack}");
        let err = stderr(&out);
        assert_has(&err, said);
        assert!(!err.contains("PackMeta") && !err.contains("RuleSpec"), "{err}");
    }
    // The example pack the README shows loads and flags its rule.
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop-pack.toml");
    fs::write(d.join("r.txt"), "您好,我是客服8号\n您好,我是客服小美\n").unwrap();
    let out = check(
        d,
        &["--extend-pack", example.to_str().unwrap(), "--select", "shop", "r.txt"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&stdout(&out), "r.txt:1:6: warning SHOP001");
    assert!(!stdout(&out).contains("r.txt:2:"), "{}", stdout(&out));
}
