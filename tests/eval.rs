//! The accuracy targets on the labelled evaluation set: precision >= 0.97 and
//! recall >= 0.95 for warning and error findings, in Simplified and in
//! Traditional separately. `kefu-lint eval` prints the full report.

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

#[test]
fn evaluation_set_is_large_and_varied_enough() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/eval/replies.jsonl"))
        .expect("evaluation set");
    let cases: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let share = |pred: &dyn Fn(&serde_json::Value) -> bool| {
        cases.iter().filter(|c| pred(c)).count() as f64 / cases.len() as f64
    };
    assert!(cases.len() >= 400, "{} replies", cases.len());
    assert!(share(&|c| c["script"] == "hant") >= 0.25);
    assert!(share(&|c| c["expect"].as_array().is_some_and(Vec::is_empty)) >= 0.40);
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
