//! The accuracy targets, for warning and error findings, in Simplified and in
//! Traditional separately: precision >= 0.97 and recall >= 0.95 on the
//! evaluation and blind sets; recall >= 0.92 on the independent set of real
//! replies (`tests/eval/real.jsonl`, labelled from the guidelines alone), and
//! floors on the held-out and third sets. `kefu-lint eval` prints the full report.

mod support;

use std::path::Path;

use support::{ROOT, stderr, stdout};

fn eval(args: &[&str]) -> (Option<i32>, String, String) {
    let out = support::command(Path::new(ROOT), &["eval"])
        .args(args)
        .output()
        .expect("kefu-lint runs");
    (out.status.code(), stdout(&out), stderr(&out))
}

#[test]
fn evaluation_set_meets_the_targets() {
    let (code, report, errors) = eval(&[
        "tests/eval/replies.jsonl",
        "--min-precision",
        "0.97",
        "--min-recall",
        "0.95",
    ]);
    assert_eq!(code, Some(0), "{errors}\n{report}");
    for script in ["script hans", "script hant"] {
        assert!(
            report.lines().any(|l| l.starts_with(script)),
            "no {script} row:\n{report}"
        );
    }
}

/// Asserts that the labelled set `path` reaches `precision` and `recall`
/// in each script.
fn holds(path: &str, precision: &str, recall: &str) {
    let (code, report, errors) = eval(&[path, "--min-precision", precision, "--min-recall", recall]);
    assert_eq!(code, Some(0), "{errors}\n{report}");
}

/// The cases of a labelled set under `tests/eval/`, as JSON.
fn cases(name: &str) -> Vec<serde_json::Value> {
    let path = Path::new(ROOT).join("tests/eval").join(name);
    let text = std::fs::read_to_string(&path).expect("labelled set");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// The share of `cases` for which `pred` holds.
fn share(cases: &[serde_json::Value], pred: impl Fn(&serde_json::Value) -> bool) -> f64 {
    cases.iter().filter(|c| pred(c)).count() as f64 / cases.len() as f64
}

#[test]
fn evaluation_set_is_large_and_varied_enough() {
    let cases = cases("replies.jsonl");
    assert!(cases.len() >= 400, "{} replies", cases.len());
    assert!(share(&cases, |c| c["script"] == "hant") >= 0.25);
    assert!(share(&cases, |c| c["expect"].as_array().is_some_and(Vec::is_empty)) >= 0.40);
}

#[test]
fn independent_set_is_real_large_and_varied_enough() {
    let cases = cases("real.jsonl");
    assert!(cases.len() >= 400, "{} replies", cases.len());
    // Most replies are real agent turns, referenced in the corpus, not copied.
    assert!(share(&cases, |c| c.get("from").is_some()) >= 0.6);
    assert!(share(&cases, |c| c["script"] == "hant") >= 0.2);
    assert!(share(&cases, |c| c["expect"].as_array().is_some_and(Vec::is_empty)) >= 0.40);
}

/// The held-out set (`tests/eval/held-out.jsonl`, a second labeller, corpus
/// lines the first set does not use) measured generalisation once, before
/// any rule was changed for it, and is below the targets: these floors keep
/// it from falling further; the figures are in docs/accuracy.md.
#[test]
fn held_out_set_keeps_its_floors() {
    holds("tests/eval/held-out.jsonl", "0.93", "0.88");
}

/// The third set (`tests/eval/third.jsonl`, a third labeller, corpus lines
/// neither other set uses) measured the rules once before they were changed
/// for its misses; its floors keep it from falling back.
#[test]
fn third_set_keeps_its_floors() {
    holds("tests/eval/third.jsonl", "0.94", "0.88");
}

/// The fourth set (`tests/eval/fourth.jsonl`, a fourth labeller, corpus lines
/// no other set uses) measured the rules once, P 0.949 / R 0.792, before they
/// were changed for its misses; its floors keep it from falling back.
#[test]
fn fourth_set_keeps_its_floors() {
    holds("tests/eval/fourth.jsonl", "0.95", "0.89");
}

/// The fifth set (`tests/eval/fifth.jsonl`, a fifth labeller, corpus lines
/// no other set uses) measured the rules once, Simplified P 0.959 / R 0.860
/// and Traditional P 0.985 / R 0.870, before they were changed for its
/// misses; its floors keep it from falling back. Precision 0.94: this
/// labeller files “not our business” (跟我们没关系) as blame, where six later
/// labellers and the rules read a brush-off.
#[test]
fn fifth_set_keeps_its_floors() {
    holds("tests/eval/fifth.jsonl", "0.94", "0.91");
}

/// The sixth set (`tests/eval/sixth.jsonl`, a sixth labeller, corpus lines
/// no other set uses) measured the rules once, Simplified P 0.955 / R 0.834
/// and Traditional P 0.903 / R 0.918, before they were changed for its
/// misses; its floors keep it from falling back. Its Traditional precision
/// is low where this labeller reads an apology as softening 無法 / 沒辦法,
/// which the first and fifth labellers do not (docs/accuracy.md), and the
/// seventh labels the same policy sentence (很遺憾我們將無法再接受任何更改) as
/// the fifth does.
#[test]
fn sixth_set_keeps_its_floors() {
    holds("tests/eval/sixth.jsonl", "0.89", "0.91");
}

/// The seventh set (`tests/eval/seventh.jsonl`, a seventh labeller asked to
/// phrase its offending replies in words other than its brief's examples)
/// measured the rules once, Simplified P 0.950 / R 0.589 and Traditional
/// P 0.944 / R 0.554, before they were changed for its misses; its floors
/// keep it from falling back.
#[test]
fn seventh_set_keeps_its_floors() {
    holds("tests/eval/seventh.jsonl", "0.95", "0.84");
}

/// The eighth set (`tests/eval/eighth.jsonl`, briefed like the seventh)
/// measured the rules once after the seventh set's round, Simplified
/// P 0.939 / R 0.597 and Traditional P 0.940 / R 0.681, before they were
/// changed for its misses; its floors keep it from falling back.
#[test]
fn eighth_set_keeps_its_floors() {
    holds("tests/eval/eighth.jsonl", "0.94", "0.73");
}

/// The ninth set (`tests/eval/ninth.jsonl`, briefed like the eighth with
/// its written replies spread wider) measured the rules once after the
/// eighth set's round, Simplified P 0.925 / R 0.677 and Traditional
/// P 0.980 / R 0.575, before they were changed for its misses; its floors
/// keep it from falling back.
#[test]
fn ninth_set_keeps_its_floors() {
    holds("tests/eval/ninth.jsonl", "0.94", "0.64");
}

/// The tenth set (`tests/eval/tenth.jsonl`, a stricter labeller: an
/// impersonal 无法修改 is negative ability to it, sending the customer to
/// the merchant a brush-off) measured the rules once, Simplified P 0.887 /
/// R 0.430 and Traditional P 0.902 / R 0.568, before they were changed for
/// its misses; its floors keep it from falling back.
#[test]
fn tenth_set_keeps_its_floors() {
    holds("tests/eval/tenth.jsonl", "0.90", "0.50");
}

/// The eleventh set (`tests/eval/eleventh.jsonl`, strict like the tenth on
/// impersonal policies, and counting a clause-opening 可是 as 但是)
/// measured the rules once, Simplified P 0.942 / R 0.476 and Traditional
/// P 0.933 / R 0.722, before they were changed for its misses; its floors
/// keep it from falling back.
#[test]
fn eleventh_set_keeps_its_floors() {
    holds("tests/eval/eleventh.jsonl", "0.94", "0.60");
}

/// The twelfth set (`tests/eval/twelfth.jsonl`, a labeller who leaves 你
/// in colloquial Cantonese alone and counts a promising 一定) measured the
/// rules once, Simplified P 0.975 / R 0.538 and Traditional P 0.596 /
/// R 0.602, before they were changed for its misses; its floors keep it
/// from falling back (Traditional precision is low by its reading of 你).
#[test]
fn twelfth_set_keeps_its_floors() {
    holds("tests/eval/twelfth.jsonl", "0.62", "0.60");
}

/// The thirteenth set (`tests/eval/thirteenth.jsonl`, a labeller who
/// also leaves 你 in colloquial Cantonese alone and counts a promising 一定)
/// measured the rules once, Simplified P 0.908 / R 0.580 and Traditional
/// P 0.560 / R 0.659, before anything was changed for its misses; its floors
/// keep it from falling back.
#[test]
fn thirteenth_set_keeps_its_floors() {
    holds("tests/eval/thirteenth.jsonl", "0.55", "0.57");
}

/// Precision 0.93, not 0.95: the labellers disagree on a bare 好的 and on a
/// 不行 / 不可以 opening a reply with a reason or an alternative after it
/// (不可以的 仅支持快递寄过来); the first labeller (this set) reads both as
/// courteous enough, the later ones as cold or blunt, and the rules follow
/// them (docs/accuracy.md).
#[test]
fn independent_set_meets_its_targets() {
    holds("tests/eval/real.jsonl", "0.93", "0.92");
}

#[test]
fn eval_fails_below_the_targets() {
    // No rule set reaches precision 1.01: the command must report and exit 1.
    let (code, _, errors) = eval(&["tests/eval/replies.jsonl", "--min-precision", "1.01"]);
    assert_eq!(code, Some(1));
    assert!(errors.starts_with("below target"), "{errors}");
}

#[test]
fn eval_reports_a_broken_set() {
    let (code, _, errors) = eval(&["tests/cli/invalid-utf8.txt"]);
    assert_eq!(code, Some(2));
    assert!(errors.starts_with("error: tests/cli/invalid-utf8.txt: "), "{errors}");
}

#[test]
fn blind_set_meets_the_targets() {
    let (code, report, errors) = eval(&["tests/eval/blind.jsonl"]);
    assert_eq!(code, Some(0), "{errors}\n{report}");
}

#[test]
fn a_long_reply_with_many_errors_is_listed_in_bounded_lines() {
    // One reply of 4,000 你 with no expectation (4,000 false alarms) and
    // 4,000 expected 但是 that are found: the listing shows a window of the
    // reply per error, not the whole reply 4,000 times.
    let dir = tempfile::tempdir().unwrap();
    let reply = "你好但是".repeat(4_000);
    let expect: Vec<String> = (0..4_000)
        .map(|_| r#"{"family": "but", "text": "但是"}"#.to_owned())
        .collect();
    let case = format!(
        r#"{{"id": 1, "script": "hans", "text": "{reply}", "expect": [{}]}}"#,
        expect.join(", ")
    );
    std::fs::write(dir.path().join("set.jsonl"), case + "\n").unwrap();
    let out = support::command(dir.path(), &["eval", "set.jsonl"]).output().unwrap();
    let report = stdout(&out);
    assert!(report.contains("False alarms (4000):"), "{report:.2000}");
    assert!(report.contains("Misses (0):"), "{report:.2000}");
    let longest = report.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 200, "a listing line of {longest} characters");
    assert!(report.len() < 4_000 * 300, "{} bytes", report.len());
}

/// Writes `files` (relative path, bytes) under a new temporary directory.
fn temp_tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directory created");
        std::fs::write(path, bytes).expect("file written");
    }
    dir
}

#[test]
fn a_case_may_point_into_a_corpus() {
    // The corpus lines: a byte order mark, a CRLF ending, a last line without one.
    let corpus = "\u{feff}亲,这个我不能给您改价哦\r\n您好,很高兴为您服务\n但是要等三天哦\n我们保证明天到货";
    let set = concat!(
        r#"{"id": 1, "script": "hans", "from": "../corpus/shop.txt:1", "origin": "a test shop", "expect": [{"family": "negative-ability", "text": "我不能"}]}"#,
        "\n",
        r#"{"id": 2, "script": "hans", "from": "../corpus/shop.txt:2", "expect": []}"#,
        "\n",
        r#"{"id": 3, "script": "hans", "from": "../corpus/shop.txt:4", "expect": [{"family": "over-promise", "text": "保证"}]}"#,
        "\n",
        r#"{"id": 4, "script": "hans", "from": "../corpus/shop.txt:1", "expect": [{"family": "negative-ability", "text": "我不能"}]}"#,
        "\n",
        r#"{"id": 5, "script": "hant", "text": "這個我不知道", "expect": [{"family": "dont-know", "text": "不知道"}]}"#,
        "\n",
        r#"{"id": 6, "script": "hans", "from": "../corpus/shop.txt:3", "expect": []}"#,
        "\n",
    );
    let dir = temp_tree(&[
        ("corpus/shop.txt", corpus.as_bytes()),
        ("sets/set.jsonl", set.as_bytes()),
    ]);
    let out = support::command(dir.path(), &["eval", "sets/set.jsonl", "--min-precision", "0"])
        .output()
        .unwrap();
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}\n{report}", stderr(&out));
    let overall = report.lines().find(|l| l.starts_with("overall")).expect("overall row");
    let counts: Vec<&str> = overall.split_whitespace().skip(1).take(3).collect();
    // Four hits; line 3's 但是 is the one false alarm; nothing missed.
    assert_eq!(counts, ["4", "1", "0"], "{report}");
    assert!(report.contains("#6 [hans] KF007 but \"但是\""), "{report}");
}

#[test]
fn a_reference_that_cannot_be_read_names_the_set_line() {
    let good = r#"{"id": 1, "script": "hans", "text": "好的", "expect": []}"#;
    let case = |from: &str| format!(r#"{{"id": 2, "script": "hans", "from": "{from}", "expect": []}}"#);
    let both = r#"{"id": 2, "script": "hans", "text": "好的", "from": "c.txt:1", "expect": []}"#;
    let neither = r#"{"id": 2, "script": "hans", "expect": []}"#;
    let cases = [
        (
            case("missing.txt:1"),
            "line 2: \"from\" \"missing.txt:1\": cannot read missing.txt: ",
        ),
        (
            case("c.txt:3"),
            "line 2: \"from\" \"c.txt:3\": line 3 is past the end of c.txt, which has 2 lines",
        ),
        (
            case("c.txt:2"),
            "line 2: \"from\" \"c.txt:2\": line 2 of c.txt is not valid UTF-8 at byte 3 of the line",
        ),
        (
            case("c.txt"),
            "line 2: \"from\" is \"c.txt\"; it must be \"<path>:<line>\"",
        ),
        (
            case("c.txt:0"),
            "line 2: \"from\" is \"c.txt:0\"; it must be \"<path>:<line>\"",
        ),
        (
            case("sub:1"),
            "line 2: \"from\" \"sub:1\": cannot read sub: a directory, not a regular file",
        ),
        (
            both.to_owned(),
            "line 2: a case has exactly one of \"text\" and \"from\"",
        ),
        (
            neither.to_owned(),
            "line 2: a case has exactly one of \"text\" and \"from\"",
        ),
        // A set may come from anyone, and eval prints what it misses: a
        // reference names a corpus file only, never a secret.
        (
            case("/proc/self/environ:1"),
            "line 2: \"from\" \"/proc/self/environ:1\": the path must be relative to the set's directory",
        ),
        (case("env.txt:1"), "line 2: \"from\" \"env.txt:1\": /proc/"),
        (case("key.json:1"), "line 2: \"from\" \"key.json:1\": "),
        (
            r#"{"id": 2, "script": "hans", "text": "好的", "expect": [{"family": "insult", "text": ""}]}"#.to_owned(),
            "line 2: an expected text is empty",
        ),
        (case("secret:1"), "line 2: \"from\" \"secret:1\": "),
    ];
    for (line, expected) in cases {
        let set = format!("{good}\n{line}\n");
        let dir = temp_tree(&[
            ("c.txt", b"ok\n\xe5\xa5\xbd\xff\n"),
            ("sub/x.txt", b""),
            ("secret", b"TOKEN=1\n"),
            ("key.json", b"{\"TOKEN\": 1}\n"),
            ("set.jsonl", set.as_bytes()),
        ]);
        std::os::unix::fs::symlink("/proc/self/environ", dir.path().join("env.txt")).unwrap();
        let out = support::command(dir.path(), &["eval", "set.jsonl"]).output().unwrap();
        let errors = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{line}: {errors}");
        assert!(
            errors.starts_with(&format!("error: set.jsonl: {expected}")),
            "{line}:\n{errors}"
        );
        assert!(!errors.contains("TOKEN") && !errors.contains("PATH="), "{errors}");
        if line.contains("env.txt") || line.contains("secret") || line.contains("key.json") {
            assert!(errors.contains("is not a corpus file"), "{errors}");
        }
    }
}

/// A set saved with a byte order mark (as Notepad saves it) reads as one
/// without; an expected text listed more times than the reply holds it says so.
#[test]
fn a_set_with_a_byte_order_mark_reads_and_a_text_listed_too_often_is_named() {
    let case = r#"{"id": 1, "script": "hans", "text": "我不能,我不能", "expect": [{"family": "negative-ability", "text": "我不能"}]}"#;
    let dir = temp_tree(&[("bom.jsonl", format!("\u{feff}{case}\r\n").as_bytes())]);
    let out = support::command(
        dir.path(),
        &["eval", "--min-precision", "0", "--min-recall", "0", "bom.jsonl"],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let thrice = case.replace(
        r#"[{"family": "negative-ability", "text": "我不能"}]"#,
        r#"[{"family": "negative-ability", "text": "我不能"}, {"family": "negative-ability", "text": "我不能"}, {"family": "negative-ability", "text": "我不能"}]"#,
    );
    let dir = temp_tree(&[("dup.jsonl", format!("{thrice}\n").as_bytes())]);
    let out = support::command(dir.path(), &["eval", "dup.jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("case 1: expected text \"我不能\" is listed more times than the reply holds it"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_family_is_an_error_naming_the_families() {
    let dir = temp_tree(&[(
        "set.jsonl",
        "{\"id\": 7, \"script\": \"hans\", \"text\": \"不知道\", \"expect\": [{\"family\": \"dontknow\", \"text\": \"不知道\"}]}\n"
            .as_bytes(),
    )]);
    let set = dir.path().join("set.jsonl");
    let (code, _, errors) = eval(&[set.to_str().expect("UTF-8 path")]);
    assert_eq!(code, Some(2), "{errors}");
    assert!(
        errors.contains("case 7: no rule has the family \"dontknow\""),
        "{errors}"
    );
    assert!(errors.contains("dont-know, insult"), "{errors}");
}
