//! Properties of checking and fixing that must hold for any text.

use kefu_lint::{Applicability, Linter, Rule};
use proptest::prelude::*;
use std::sync::OnceLock;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(Linter::builtin)
}

/// Text built from pieces of the rules' own vocabulary, noise and any Unicode,
/// so that findings, folding and fixes are exercised, not only clean text.
fn reply() -> impl Strategy<Value = String> {
    let words: Vec<String> = linter()
        .rules()
        .iter()
        .flat_map(|r: &Rule| r.examples.bad.iter().chain(&r.examples.ok).cloned())
        .collect();
    let piece = prop_oneof![
        3 => proptest::sample::select(words),
        1 => proptest::sample::select(vec![" ", "\u{3000}", "\u{200b}", "*", "😀", "，", "“", "”", "「", "」", "\u{202e}", "e\u{301}", "\r"])
            .prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn spans_are_on_char_boundaries_and_match(text in reply()) {
        for f in linter().check(&text) {
            prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            prop_assert_eq!(&text[f.span.clone()], f.matched.as_str());
        }
    }

    #[test]
    fn fixes_touch_only_their_edits_and_settle(text in reply()) {
        let fixed = linter().fix(&text, Applicability::Safe);
        // Safe fixes replace 你/妳 with 您 and nothing else.
        let unfixed: String = fixed.text.chars().filter(|&c| c != '您').collect();
        let original: String = text.chars().filter(|&c| c != '您' && c != '你' && c != '妳').collect();
        let kept: String = unfixed.chars().filter(|&c| c != '你' && c != '妳').collect();
        prop_assert_eq!(kept, original);
        let again = linter().fix(&fixed.text, Applicability::Safe);
        prop_assert_eq!(&again.text, &fixed.text);
        prop_assert!(linter().check(&fixed.text).iter().all(|f| f.fix.as_ref().is_none_or(|x| x.applicability != Applicability::Safe)));
    }

    #[test]
    fn traditional_text_gets_the_same_rules(text in proptest::sample::select(
        linter().rules().iter().flat_map(|r| r.examples.bad.clone()).collect::<Vec<_>>()
    )) {
        let rules = |t: &str| {
            let mut ids: Vec<String> = linter().check(t).iter().map(|f| f.rule.to_string()).collect();
            ids.sort();
            ids.dedup();
            ids
        };
        let traditional = kefu_lint::script::to_traditional(&text);
        prop_assert_eq!(rules(&text), rules(&traditional), "{} / {}", text, traditional);
    }
}

#[test]
fn a_one_megabyte_line_is_checked() {
    let line = "亲,您好,很高兴为您服务哦,但是".repeat(30_000);
    assert!(line.len() >= 1 << 20);
    let findings = linter().check(&line);
    assert!(findings.iter().any(|f| &*f.name == "but"));
}
