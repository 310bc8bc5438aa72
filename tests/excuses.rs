//! End-to-end: what may excuse a word and what may not. A quotation excuses
//! the words inside it only when the agent repeats someone inside a longer
//! reply; a Latin pattern (tmd, sb, 100%) is flagged only as a Latin word of
//! its own, never inside a link, an e-mail address or a product code.

mod support;

use std::path::Path;

use support::{ROOT, stdout};

/// The `(line, rule name, matched text)` of every finding in `replies`, one
/// reply a line, checked through standard input.
fn findings(replies: &[&str]) -> Vec<(u64, String, String)> {
    let input = replies.join("\n") + "\n";
    let out = support::run(Path::new(ROOT), &["check", "--format", "json", "-"], Some(&input));
    let found: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON findings");
    found
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().expect("line"),
                f["name"].as_str().expect("name").to_owned(),
                f["matched"].as_str().expect("matched").to_owned(),
            )
        })
        .collect()
}

/// Whether `found` has a finding of rule `name` on `line` matching `matched`.
fn has(found: &[(u64, String, String)], line: u64, name: &str, matched: &str) -> bool {
    found.iter().any(|(l, n, m)| *l == line && n == name && m == matched)
}

#[test]
fn a_wholly_quoted_reply_is_checked() {
    let replies = [
        "\"亲,不讲价的哦,爱买不买\",",
        "  “亲,这个我也不知道”。",
        "\"不讲价的哦\", \"爱买不买\";",
        "亲,\"爱买不买\"",
        "「唔知呀,我不能改價」",
        "\"亲,不讲价的哦,爱买不买\",2024-05-01,张三",
    ];
    let found = findings(&replies);
    assert!(has(&found, 1, "no-bargaining", "不讲价"), "{found:?}");
    assert!(has(&found, 1, "brush-off", "爱买不买"), "{found:?}");
    assert!(has(&found, 2, "dont-know", "不知道"), "{found:?}");
    assert!(has(&found, 3, "brush-off", "爱买不买"), "{found:?}");
    assert!(has(&found, 4, "brush-off", "爱买不买"), "{found:?}");
    assert!(has(&found, 5, "negative-ability", "我不能"), "{found:?}");
    assert!(has(&found, 6, "brush-off", "爱买不买"), "{found:?}");
}

#[test]
fn a_quotation_inside_a_longer_reply_still_excuses() {
    let replies = [
        "您说的“不知道”是指哪一步呢?",
        "亲,您说的\"爱买不买\"不是我们客服说的哦,我们马上核实",
        "\"爱买不买\"这句话是您在哪里看到的呢?",
    ];
    let found = findings(&replies);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn an_inch_mark_neither_opens_nor_closes_a_quotation() {
    let replies = [
        "亲,24\"、27\"、32\"都有货,但是我不能给您改价",
        "12\"和15\"的都有货,但是我不能给您改价",
        "亲,5'11\"的身高穿L码,但是我不能给您改价",
        "亲,24”和27”都有货,但是我不能给您改价",
        "这款有15″的,但是我不能给您改价",
        "亲,24\"的有货,但是我不能给您改价,27\"的没有了",
        "亲,12”的有货,但是我不能给您改价,15“的也有",
    ];
    let found = findings(&replies);
    for line in 1..=7 {
        assert!(has(&found, line, "but", "但是"), "line {line}: {found:?}");
        assert!(
            has(&found, line, "negative-ability", "我不能"),
            "line {line}: {found:?}"
        );
    }
}

#[test]
fn a_quotation_that_never_closes_excuses_nothing() {
    let found = findings(&["亲,\"这个我不能给您改价哦", "亲,24\"的有货,\"但是我不能给您改价"]);
    assert!(has(&found, 1, "negative-ability", "我不能"), "{found:?}");
    assert!(has(&found, 2, "negative-ability", "我不能"), "{found:?}");
}

#[test]
fn placeholders_are_flagged_inside_quotations() {
    let found = findings(&["快递选的是“XX快递”,明天发出哦", "\"亲,您的订单{订单号}已发货\","]);
    assert!(has(&found, 1, "placeholder", "XX"), "{found:?}");
    assert!(has(&found, 2, "placeholder", "{订单号}"), "{found:?}");
}

#[test]
fn latin_patterns_are_flagged_as_whole_latin_words() {
    let replies = ["你就是个SB", "TMD", "tmd快点", "你个傻bi", "ＴＭＤ,快点付款"];
    let found = findings(&replies);
    for (line, matched) in [(1, "SB"), (2, "TMD"), (3, "tmd"), (4, "傻bi"), (5, "ＴＭＤ")] {
        assert!(has(&found, line, "insult", matched), "line {line}: {found:?}");
    }
}

#[test]
fn latin_look_alikes_in_links_addresses_and_codes_are_clean() {
    let replies = [
        "这是商品链接 https://m.tb.cn/h.gTMDaQ1 麻烦您点开看看哦",
        "亲,型号SB200和SB-300都有货哦",
        "您的订单ABCSBX已经发货了哦",
        "官网是www.tmd.com,您可以看看哦",
        "麻烦您把照片发到xx@qq.com哦",
        "活动详情请点 https://m.tb.cn/a?rate=100%25 查看哦",
        "您预留的手机号138XXXX5678已经登记好了哦",
        "亲,链接https://m.tb.cn/cnm/1您点开看看哦",
    ];
    let found = findings(&replies);
    assert!(found.is_empty(), "{found:?}");
}
