//! End-to-end: text copied from PDFs and old fonts (Kangxi radicals, CJK
//! compatibility and enclosed ideographs) and words disguised with
//! invisible characters or symbols between their letters are flagged like
//! the plain words, with spans covering the characters as written; replies
//! that are fine stay fine under the same noise.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{ROOT, stdout};

/// The findings of `check --format json` on `replies` (one a line), by line.
fn findings_by_line(replies: &[String]) -> Vec<Vec<Value>> {
    let input: String = replies.iter().map(|r| format!("{r}\n")).collect();
    let out = support::run(
        Path::new(ROOT),
        &["check", "--no-config", "--format", "json", "-"],
        Some(&input),
    );
    let all: Value = serde_json::from_str(&stdout(&out)).expect("a JSON array");
    let mut by_line = vec![Vec::new(); replies.len()];
    for finding in all.as_array().expect("an array") {
        let line = finding["line"].as_u64().expect("a line number") as usize;
        by_line[line - 1].push(finding.clone());
    }
    by_line
}

/// Asserts that each reply has a finding of `rule` whose matched text is
/// the given one and whose byte span holds exactly that text.
fn assert_flagged(cases: &[(String, &str, String)]) {
    let replies: Vec<String> = cases.iter().map(|(reply, _, _)| reply.clone()).collect();
    let found = findings_by_line(&replies);
    let mut failures = Vec::new();
    for ((reply, rule, matched), findings) in cases.iter().zip(&found) {
        let hit = findings.iter().find(|f| f["rule"] == *rule && f["matched"] == *matched);
        let span_holds = hit.is_some_and(|f| {
            let (start, end) = (f["start"].as_u64(), f["end"].as_u64());
            start.zip(end).and_then(|(s, e)| reply.get(s as usize..e as usize)) == Some(matched.as_str())
        });
        if !span_holds {
            failures.push(format!("{reply:?}: expected {rule} on {matched:?}, got {findings:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn case(reply: &str, rule: &'static str, matched: &str) -> (String, &'static str, String) {
    (reply.to_owned(), rule, matched.to_owned())
}

#[test]
fn kangxi_radicals_and_compatibility_ideographs_read_as_the_ideograph() {
    assert_flagged(&[
        // The example: U+2F8F KANGXI RADICAL WALK for 行.
        case("亲,不\u{2F8F}哦。", "KF004", "不\u{2F8F}"),
        // Kangxi radicals ⾃ ⼰ (自己) and ⼈ (人) inside forbidden phrases.
        case("详情页都写了,你\u{2F83}\u{2F30}看吧", "KF003", "你\u{2F83}\u{2F30}看吧"),
        case("这个你去问别\u{2F08}", "KF003", "你去问别\u{2F08}"),
        // A Kangxi radical of a Traditional character: ⾒ (見) → 见.
        case("本店不接受\u{2F92}面交易", "KF006", "不接受\u{2F92}面交易"),
        // CJK compatibility ideograph U+F967 for 不, U+F9BA for 了.
        case("这个我真的\u{F967}知道", "KF002", "\u{F967}知道"),
        case("我帮不\u{F9BA}您", "KF001", "我帮不\u{F9BA}"),
        // The supplement (four bytes in UTF-8 for a three-byte ideograph): U+2F804 for 你.
        case("详情页都写了,\u{2F804}自己看吧", "KF003", "\u{2F804}自己看吧"),
        // Squared and circled ideographs NFKC maps to one ideograph: 🈶 有, ㊒ 有.
        case("\u{1F236}病吧", "KF013", "\u{1F236}病吧"),
        case("你\u{3292}毛病吧", "KF013", "\u{3292}毛病吧"),
    ]);
}

#[test]
fn the_folded_reply_gets_the_same_findings_as_the_plain_one() {
    let pairs = [
        ("亲,不\u{2F8F}哦。", "亲,不行哦。"),
        ("亲,我们保\u{a0}证明天到货", "亲,我们保 证明天到货"),
        ("这个我真的\u{F967}知道", "这个我真的不知道"),
    ];
    let replies: Vec<String> = pairs.iter().flat_map(|(a, b)| [a.to_string(), b.to_string()]).collect();
    let found = findings_by_line(&replies);
    for (pair, findings) in pairs.iter().zip(found.chunks(2)) {
        let rules = |f: &[Value]| f.iter().map(|f| f["rule"].to_string()).collect::<Vec<_>>();
        assert!(!findings[1].is_empty(), "{pair:?}");
        assert_eq!(rules(&findings[0]), rules(&findings[1]), "{pair:?}");
    }
}

/// Invisible characters, fillers and symbols that the noise table defines,
/// each with a name for the failure message.
const NOISE: &[&str] = &[
    "\u{a0}",             // no-break space
    "\u{202f}",           // narrow no-break space
    "\u{2007}",           // figure space
    "\u{205f}",           // medium mathematical space
    "\u{200a}",           // hair space
    "\u{180e}",           // Mongolian vowel separator (a format character)
    "\u{2060}",           // word joiner
    "\u{fe0f}",           // variation selector-16
    "\u{e0100}",          // variation selector-17 (supplement)
    "\u{e0041}\u{e007f}", // tag letter A, cancel tag
    "\u{3164}",           // Hangul filler
    "\u{ffa0}",           // half-width Hangul filler
    "\u{115f}",           // Hangul choseong filler
    "\u{2800}",           // braille pattern blank
    "\u{301}",            // combining acute accent
    "\u{20dd}",           // combining enclosing circle
    "™",
    "→",
    "🫨",
    "👍\u{1f3fb}",
    "＊",
    "＃",
];

#[test]
fn noise_inside_a_word_is_read_through() {
    let mut cases = Vec::new();
    for noise in NOISE {
        let protect = format!("保{noise}证");
        cases.push(case(&format!("亲,我们{protect}明天到货"), "KF008", &protect));
        let dont_know = format!("不{noise}知{noise}道");
        cases.push(case(&format!("这个我真的{dont_know}"), "KF002", &dont_know));
    }
    assert_flagged(&cases);
}

#[test]
fn fine_replies_stay_fine_under_noise() {
    let fine = [
        "店铺保{n}证金已缴纳",
        "感谢您的肯{n}定",
        "不知{n}道您对哪款比较感兴趣呢?",
        "您好,由于快递不受我们控制,我们无法保{n}证具体到货时间,希望您能理解。",
    ];
    let replies: Vec<String> = NOISE
        .iter()
        .flat_map(|noise| fine.iter().map(move |f| f.replace("{n}", noise)))
        .collect();
    let found = findings_by_line(&replies);
    for (reply, findings) in replies.iter().zip(found) {
        let serious: Vec<_> = findings.iter().filter(|f| f["severity"] != "info").collect();
        assert!(serious.is_empty(), "{reply:?}: {serious:?}");
    }
}

#[test]
fn sentence_punctuation_is_not_noise() {
    // A tilde ends the clause, as `,` does: 不行 stands alone. The half-width
    // full stop between two Han characters is noise, as the evaluation set
    // labels it (肯.定).
    assert_flagged(&[
        case("不行～我们有别的款", "KF004", "不行"),
        case("不行~我们有别的款", "KF004", "不行"),
        case("不行,我们有别的款", "KF004", "不行"),
        case("肯.定没问题的", "KF008", "肯.定"),
    ]);
    // Neither brackets nor a decimal point join anything into a finding.
    // (<姓名> would be an unfilled placeholder: a name in brackets is not.)
    let found = findings_by_line(&["您好<王>先生".to_owned(), "3.5元".to_owned()]);
    assert!(found.iter().flatten().all(|f| f["severity"] == "info"), "{found:?}");
}

#[test]
fn styled_latin_letters_spell_the_same_latin_word() {
    assert_flagged(&[
        // Mathematical bold (U+1D42D …) and circled (U+24E3 …) letters: NFKC spells them tmd.
        case(
            "你就是个\u{1D42D}\u{1D426}\u{1D41D}",
            "KF013",
            "\u{1D42D}\u{1D426}\u{1D41D}",
        ),
        case("你就是个\u{24E3}\u{24DC}\u{24D3}", "KF013", "\u{24E3}\u{24DC}\u{24D3}"),
        case("订单号是\u{1D417}\u{1D417}", "KF017", "\u{1D417}\u{1D417}"),
    ]);
    let clean = findings_by_line(&["型号\u{1D412}\u{1D401}200有货哦".to_owned()]);
    assert!(clean[0].iter().all(|f| f["rule"] != "KF013"), "{clean:?}");
}

#[test]
fn invisible_characters_inside_a_latin_word_are_read_through() {
    assert_flagged(&[
        // Zero-width space, word joiner, soft hyphen, a tag character.
        case("亲,t\u{200B}m\u{200B}d又来退货", "KF013", "t\u{200B}m\u{200B}d"),
        case("你就是个S\u{2060}B", "KF013", "S\u{2060}B"),
        case("n\u{AD}m\u{AD}s\u{AD}l", "KF013", "n\u{AD}m\u{AD}s\u{AD}l"),
        case("真是s\u{E0020}b", "KF013", "s\u{E0020}b"),
        // A combining long stroke (U+0336) striking the letters through; a variation selector.
        case("你就是个S\u{336}B\u{336}", "KF013", "S\u{336}B"),
        case("亲,T\u{FE0F}M\u{FE0F}D", "KF013", "T\u{FE0F}M\u{FE0F}D"),
    ]);
    // Visible separators keep Latin words apart, and an invisible character
    // does not join a pattern to the product code or word around it.
    let clean = findings_by_line(&[
        "尺码有 S B 两种".to_owned(),
        "型号S\u{200B}B200有货哦".to_owned(),
        "US\u{200B}B接口".to_owned(),
    ]);
    for findings in &clean {
        assert!(findings.iter().all(|f| f["rule"] != "KF013"), "{clean:?}");
    }
}
