//! Runs every rule's own examples, over all built-in packs at once:
//! `bad` must be flagged by the rule, `ok` must not be, and each `fixed`
//! example must rewrite to the expected text.

mod stand_in;

use kefu_lint::{Applicability, Linter, Mode, Rule, Severity};

/// Calls `f` with every built-in rule and a linter of a mode it applies in,
/// given the examples' stand-in lists (see [`stand_in`]).
fn for_each_rule(mut f: impl FnMut(&Linter, &Rule)) {
    for linter in [Mode::Draft, Mode::Library].map(stand_in::examples_linter) {
        for rule in linter.rules() {
            f(&linter, rule);
        }
    }
}

#[test]
fn every_rule_has_examples() {
    let rules = kefu_lint::load_packs(kefu_lint::BUILTIN).expect("valid packs");
    for rule in &rules {
        assert!(!rule.examples.bad.is_empty(), "{} has no `bad` examples", rule.id);
        assert!(!rule.examples.ok.is_empty(), "{} has no `ok` examples", rule.id);
        assert_eq!(
            rule.patterns_from.is_some(),
            !rule.examples.stand_in.is_empty(),
            "{}: a `patterns-from` rule's examples need a stand-in list, and only such a rule's",
            rule.id
        );
        if rule.fix.is_some() {
            assert!(
                !rule.examples.fixed.is_empty(),
                "{} has a fix but no `fixed` examples",
                rule.id
            );
        }
    }
}

#[test]
fn rule_examples_hold() {
    let mut failures = Vec::new();
    for_each_rule(|linter, rule| {
        let flags = |text: &str| linter.check(text).iter().any(|f| f.rule == rule.id);
        for bad in &rule.examples.bad {
            if !flags(bad) {
                failures.push(format!("{} {}: not flagged: {bad}", rule.id, rule.name));
            }
        }
        for ok in &rule.examples.ok {
            if flags(ok) {
                failures.push(format!("{} {}: wrongly flagged: {ok}", rule.id, rule.name));
            }
        }
        for example in &rule.examples.fixed {
            let fixed = linter.fix(&example.from, Applicability::Unsafe).text;
            if fixed != example.to {
                failures.push(format!(
                    "{} {}: fixed {} into {fixed}, expected {}",
                    rule.id, rule.name, example.from, example.to
                ));
            }
        }
    });
    assert!(failures.is_empty(), "rule examples failed:\n{}", failures.join("\n"));
}

/// The acceptance replies of the core linter: each must be flagged in the
/// named family, or stay clean of warnings and errors (style hints allowed).
#[test]
fn acceptance_replies() {
    let linter = Linter::builtin();
    let flagged = [
        ("亲,这个我不能给您改价哦", "negative-ability"),
        ("这件衣服很显瘦,但是面料有点薄", "but"),
        ("我们保证明天一定到货", "over-promise"),
        ("這個我真的不知道", "dont-know"),
        ("详情页都写了,你自己看吧", "brush-off"),
        ("不讲价。", "blunt-refusal"),
        ("嗯", "cold-reply"),
        ("你的订单已经发货了", "address"),
        ("您好,我们是和XX快递合作的", "placeholder"),
    ];
    for (reply, family) in flagged {
        let findings = linter.check(reply);
        assert!(
            findings.iter().any(|f| &*f.category == family),
            "{reply}: expected {family}, got {findings:?}"
        );
    }
    let clean = [
        "您好,我是客服8号,很高兴为您服务,有什么我可以效劳的吗?",
        "店铺保证金已缴纳",
        "感谢您的肯定",
        "不知道您对哪款比较感兴趣呢?",
        "对不起,我们店商品不讲价,因为价格已经是活动最低价了",
        "您好,由于快递不受我们控制,我们无法保证具体到货时间,希望您能理解。",
    ];
    for reply in clean {
        let findings: Vec<_> = linter
            .check(reply)
            .into_iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        assert!(findings.is_empty(), "{reply}: expected clean, got {findings:?}");
    }
}

/// Rules are written once in Simplified; Traditional and full-width text match
/// them, and the span covers the characters as written.
#[test]
fn traditional_and_full_width_text_match_simplified_rules() {
    let linter = Linter::builtin();
    let cases = [
        ("我們保證明天到貨", "over-promise", "保證"),
        ("這款絕對是正品", "over-promise", "絕對"),
        ("本店不講價", "blunt-refusal", "不講價"),
        ("這不是我應該做的", "negative-ability", "這不是我應該做的"),
        ("您好,我們是和ＸＸ快遞合作的", "placeholder", "ＸＸ"),
        ("百分之百沒問題", "over-promise", "百分之百"),
    ];
    for (reply, family, matched) in cases {
        let findings = linter.check(reply);
        assert!(
            findings.iter().any(|f| &*f.category == family && f.matched == matched),
            "{reply}: expected {family} on {matched}, got {findings:?}"
        );
    }
}

/// Inserts `noise` between every two adjacent Han characters.
fn with_noise(text: &str, noise: &str) -> String {
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut out = String::new();
    let mut prev = None;
    for c in text.chars() {
        if prev.is_some_and(is_han) && is_han(c) {
            out.push_str(noise);
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// `text` with every character that has a compatibility form (a Kangxi
/// radical, a CJK compatibility ideograph, as text copied from a PDF may
/// have) written in that form.
fn with_compatibility_forms(text: &str) -> String {
    static FORMS: std::sync::OnceLock<std::collections::HashMap<char, char>> = std::sync::OnceLock::new();
    let forms = FORMS.get_or_init(|| {
        let blocks = [0x2F00..=0x2FD5, 0xF900..=0xFAFF, 0x2F800..=0x2FA1F];
        let mut forms = std::collections::HashMap::new();
        for form in blocks.into_iter().flatten().filter_map(char::from_u32) {
            let folded = kefu_lint::fold::fold_char(form);
            if folded != form {
                forms.entry(folded).or_insert(form);
            }
        }
        forms
    });
    text.chars().map(|c| forms.get(&c).copied().unwrap_or(c)).collect()
}

/// Every `bad` example is still flagged by its rule when noise is inserted
/// between its characters, when it is written in Traditional characters or
/// with compatibility forms of its characters,
/// and every `ok` example stays clean of that rule under the same noise.
#[test]
fn examples_hold_under_noise_and_in_traditional() {
    let mut failures = Vec::new();
    for_each_rule(|linter, rule| {
        let flags = |text: &str| linter.check(text).iter().any(|f| f.rule == rule.id);
        for bad in &rule.examples.bad {
            let noise = [
                " ",
                "\u{3000}",
                "\u{200b}",
                "*",
                "😀",
                "\u{a0}",
                "\u{202f}",
                "\u{3164}",
                "\u{fe0f}",
                "\u{e0041}",
                "\u{2800}",
                "™",
            ];
            let mut variants: Vec<String> = noise.iter().map(|n| with_noise(bad, n)).collect();
            variants.push(kefu_lint::script::to_traditional(bad));
            variants.push(with_compatibility_forms(bad));
            failures.extend(
                variants
                    .into_iter()
                    .filter(|v| !flags(v))
                    .map(|v| format!("{}: not flagged: {v:?}", rule.id)),
            );
        }
        for ok in &rule.examples.ok {
            for noise in ["\u{200b}", "\u{a0}", "\u{3164}"] {
                let noisy = with_noise(ok, noise);
                if flags(&noisy) {
                    failures.push(format!("{}: wrongly flagged: {noisy:?}", rule.id));
                }
            }
        }
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rules of issue 16 beside the older ones they overlap: a conclusion
/// about the customer takes the 肯定 inside it (no second, over-promise
/// finding), while the agent's promise about the goods stays over-promise
/// only; a refusal with no reason is hinted only where negative ability does
/// not already flag it, and a reason anywhere in the reply silences the hint.
#[test]
fn new_rules_beside_the_rules_they_overlap() {
    let linter = Linter::builtin();
    let names = |reply: &str| -> Vec<String> {
        let mut names: Vec<String> = linter.check(reply).iter().map(|f| f.name.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(names("您肯定是没看清楚尺码表哦"), ["jump-to-conclusions"]);
    assert_eq!(names("亲,肯定是正品的哦"), ["over-promise"]);
    assert_eq!(names("我们一定会按时发货的,您放心"), Vec::<String>::new());
    // Where negative ability flags the refusal, the hint gives way to it
    // (`yields-to`); with negative ability not running, the hint shows.
    assert_eq!(names("亲,我们这边无法修改地址哦"), ["negative-ability"]);
    let hint_only = Linter::builder().ignore(["negative-ability"]).build().expect("valid");
    let hinted = |reply: &str| {
        hint_only
            .check(reply)
            .iter()
            .any(|f| &*f.name == "refusal-without-reason")
    };
    assert!(hinted("亲,我们这边无法修改地址哦"));
    assert!(!hinted("亲,因为已经发货了,我们这边无法修改地址哦"), "a reason before");
    assert!(!hinted("亲,我们这边无法修改地址哦,订单已经出库了"), "a reason after");
    assert_eq!(
        names("天猫不能改价的哦"),
        ["refusal-without-reason"],
        "no other rule flags it"
    );
    // Seed 002's lines for fending off harassment and for escalating.
    assert_eq!(names("我不能閑聊"), ["no-courtesy"]);
    assert_eq!(names("我做不了主呢!我給您請示下吧"), Vec::<String>::new());
}
