//! What the README says quotation marks excuse, run: each example of the
//! paragraph is checked end to end and gives what the paragraph says.

#![allow(clippy::unwrap_used)]

mod support;

use support::{ROOT, run, stdout};

/// The README's paragraph on quotation marks.
fn paragraph() -> String {
    let readme = std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap();
    let start = readme.find("Quotation marks (“…”").expect("the paragraph on quotes");
    let end = start + readme[start..].find("not a quote.").expect("its end");
    readme[start..end].replace('\n', "")
}

/// The concise findings of checking `reply` alone: `(rule)` ids.
fn rules_of(reply: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["check", "--no-config", "--format", "concise"],
        Some(&format!("{reply}\n")),
    );
    stdout(&out)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2).map(str::to_owned))
        .collect()
}

#[test]
fn short_scare_quotes_excuse_nothing_as_the_readme_says() {
    let said = paragraph();
    for (reply, rule) in [
        (r#"您好,"你"的订单"#, "KF011"),
        ("您好,“你”的订单", "KF011"),
        (r#"我们"绝对"是正品"#, "KF008"),
        (r#""亲,不讲价的哦","#, "KF005"),
    ] {
        assert!(said.contains(reply), "the README gives {reply}: {said}");
        assert!(
            rules_of(reply).contains(&rule.to_owned()),
            "{reply} gets {rule}: {:?}",
            rules_of(reply)
        );
    }
}

#[test]
fn attributed_or_long_quotations_excuse_as_the_readme_says() {
    let said = paragraph();
    for (reply, excused) in [
        ("您好,“这个我不知道”是谁说的呢", "KF002"),
        ("您说的“你”是指谁呢", "KF011"),
        ("页面写着「不讲价」", "KF005"),
        ("“爱买不买”这句话", "KF003"),
    ] {
        assert!(said.contains(reply), "the README gives {reply}: {said}");
        // Unquoted, the words are flagged; quoted as the README writes them, not.
        let bare: String = reply.chars().filter(|c| !"“”「」".contains(*c)).collect();
        assert!(rules_of(&bare).contains(&excused.to_owned()), "{bare} gets {excused}");
        let found = rules_of(reply);
        assert!(!found.contains(&excused.to_owned()), "{reply}: {found:?}");
    }
}
