//! Runs every session rule's own example conversations: each `bad` one must
//! be flagged by the rule at the message it names, each `ok` one must not be
//! flagged by it at all.

use kefu_lint::Script;
use kefu_lint::session::{Conversation, SessionChecker, SessionFinding};

fn findings(checker: &SessionChecker, conversation: &Conversation) -> Vec<SessionFinding> {
    let messages = conversation.messages().expect("the pack validates its turns");
    checker.check_in(&messages, &conversation.activity().expect("the same turns"))
}

#[test]
fn every_session_rule_has_examples_in_both_scripts() {
    for rule in SessionChecker::builtin().rules() {
        for (kind, examples) in [("bad", &rule.examples.bad), ("ok", &rule.examples.ok)] {
            let traditional = examples
                .iter()
                .filter(|c| Script::of_all(c.turns.iter().map(String::as_str)) == Some(Script::Traditional))
                .count();
            assert!(traditional > 0, "{} has no Traditional `{kind}` conversation", rule.id);
            assert!(
                traditional < examples.len(),
                "{} has no Simplified `{kind}` conversation",
                rule.id
            );
        }
    }
}

#[test]
fn session_rule_examples_hold() {
    let checker = SessionChecker::builtin();
    let mut failures = Vec::new();
    for rule in checker.rules() {
        for bad in &rule.examples.bad {
            let found = findings(&checker, bad);
            let ours: Vec<_> = found
                .iter()
                .filter(|f| f.finding.rule == rule.id)
                .map(|f| f.message)
                .collect();
            if ours != [bad.at.expect("bad examples name their message")] {
                failures.push(format!(
                    "{} {}: flagged {ours:?}, expected [{:?}]: {:?}",
                    rule.id, rule.name, bad.at, bad.turns
                ));
            }
        }
        for ok in &rule.examples.ok {
            if findings(&checker, ok).iter().any(|f| f.finding.rule == rule.id) {
                failures.push(format!("{} {}: wrongly flagged: {:?}", rule.id, rule.name, ok.turns));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "session rule examples failed:\n{}",
        failures.join("\n")
    );
}

/// A finding about a Traditional conversation speaks Traditional, with the
/// wait and the threshold filled in.
#[test]
fn messages_follow_the_script_and_fill_in_the_figures() {
    let checker = SessionChecker::builtin();
    let slow = checker.rules().iter().find(|r| &*r.name == "slow-reply").expect("rule");
    let traditional = &slow.examples.bad[1];
    let found = findings(&checker, traditional);
    let finding = found.iter().find(|f| f.finding.rule == slow.id).expect("flagged");
    assert_eq!(finding.finding.script, Script::Traditional);
    assert_eq!(finding.wait_ms, Some(85_000));
    assert!(
        finding.finding.message.starts_with("顧客等了85秒才得到回覆,超過了60秒"),
        "{}",
        finding.finding.message
    );
    let messages = traditional.messages().expect("turns");
    assert_eq!(finding.finding.matched, messages[finding.message].text);
}
