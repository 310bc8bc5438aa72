//! Recall on the ways real agents phrase forbidden things (issue 12): the
//! paraphrases, Hong Kong Cantonese, Taiwanese particles and internet slang
//! are flagged in the right family, through the binary, and the context
//! cases (negated blame, asking for time, someone else not knowing) stay
//! clean of warnings and errors.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::{ROOT, stdout};

/// The warning and error findings of each line of `replies`, as
/// `(category, matched)`, by line number (from 1).
fn findings(replies: &[&str]) -> BTreeMap<u64, Vec<(String, String)>> {
    let input = replies.join("\n") + "\n";
    let out = support::run(
        Path::new(ROOT),
        &["check", "--format", "json", "--fail-on", "error", "-"],
        Some(&input),
    );
    assert_ne!(out.status.code(), Some(2), "{}", support::stderr(&out));
    let all: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let mut by_line: BTreeMap<u64, Vec<(String, String)>> = BTreeMap::new();
    for f in all.as_array().expect("an array") {
        if f["severity"] == "info" {
            continue;
        }
        let line = f["line"].as_u64().expect("a line number");
        let pair = (
            f["category"].as_str().unwrap_or_default().to_owned(),
            f["matched"].as_str().unwrap_or_default().to_owned(),
        );
        by_line.entry(line).or_default().push(pair);
    }
    by_line
}

/// Each reply is flagged in `family`, on a match that contains `within`.
fn assert_flagged(cases: &[(&str, &str, &str)]) {
    let replies: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let found = findings(&replies);
    let mut missed = Vec::new();
    for (i, (reply, family, within)) in cases.iter().enumerate() {
        let hit = found
            .get(&(i as u64 + 1))
            .is_some_and(|fs| fs.iter().any(|(c, m)| c == family && m.contains(within)));
        if !hit {
            missed.push(format!(
                "{reply}: expected {family} on {within}, got {:?}",
                found.get(&(i as u64 + 1))
            ));
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn paraphrases_seen_on_real_text_are_flagged() {
    assert_flagged(&[
        ("亲,这款我们这边不能改价哦", "negative-ability", "不能"),
        ("我们这边没办法帮您修改地址呢", "negative-ability", "没办法"),
        ("我不会给您改地址的", "negative-ability", "不会"),
        ("咱們這邊確實沒法給您退了", "negative-ability", "沒法"),
        ("这个我不太了解", "dont-know", "不太了解"),
        ("不是很清楚", "dont-know", "不是很清楚"),
        ("具體時間我們也不大清楚", "dont-know", "不大清楚"),
        ("订单号发我", "command", "发我"),
        ("别催了,催也没用", "command", "别催"),
        ("别啰嗦,直接拍就行", "command", "别啰嗦"),
        ("本店谢绝议价", "blunt-refusal", "谢绝议价"),
        ("你怎么这么不讲理", "blame-customer", "不讲理"),
        ("你们自己不会看说明书吗", "blame-customer", "自己不会看"),
        ("这不是我的问题", "blame-customer", "不是我的问题"),
    ]);
}

#[test]
fn hong_kong_cantonese_forms_are_flagged() {
    assert_flagged(&[
        ("呢個我唔知喎", "dont-know", "唔知"),
        ("唔得,呢個價錢已經好平", "blunt-refusal", "唔得"),
        ("唔得喎", "blunt-refusal", "唔得"),
        ("冇貨喇", "blunt-refusal", "冇貨"),
        ("我哋唔可以幫你改地址", "negative-ability", "唔可以"),
        ("呢個我哋做唔到", "negative-ability", "做唔到"),
        ("說明書有寫,你自己睇啦", "brush-off", "自己睇啦"),
        ("本店唔講價㗎", "blunt-refusal", "唔講價"),
        ("呢件衫好靚,但係要等三日", "but", "但係"),
        ("係你自己嘅問題", "blame-customer", "係你自己嘅問題"),
        ("唔啱就搵第二間啦", "brush-off", "搵第二間"),
        ("快啲確認收貨啦", "command", "快啲"),
    ]);
}

#[test]
fn taiwanese_particles_count_like_mandarin_ones() {
    assert_flagged(&[
        ("不行唷。", "blunt-refusal", "不行"),
        ("不行囉", "blunt-refusal", "不行"),
        ("沒有耶", "blunt-refusal", "沒有"),
        ("沒有嘍~", "blunt-refusal", "沒有"),
        ("不可以喲", "blunt-refusal", "不可以"),
        ("不行捏", "blunt-refusal", "不行"),
        ("母湯喔", "blunt-refusal", "母湯"),
    ]);
    // A particle is a courteous touch: a reply ending in one is not cold.
    let out = support::run(
        Path::new(ROOT),
        &["check", "--format", "concise", "-"],
        Some("已經出貨囉\n明天到唷\n"),
    );
    assert!(!stdout(&out).contains("KF020"), "{}", stdout(&out));
}

#[test]
fn internet_slang_is_flagged() {
    assert_flagged(&[
        ("这个不造呢亲", "dont-know", "不造"),
        ("木有", "blunt-refusal", "木有"),
        ("这边木办法给您改价哦", "negative-ability", "木办法"),
        ("你是sb吗", "insult", "sb"),
        ("特么的烦死了", "insult", "特么"),
        ("你肿么这么啰嗦", "blame-customer", "啰嗦"),
        ("表催啦", "command", "表催"),
        ("gwps", "brush-off", "gwps"),
    ]);
}

#[test]
fn context_cases_stay_clean() {
    let clean = [
        "亲,这不是您的问题,是我们发错货了,非常抱歉",
        "亲,给我一分钟,我马上帮您查一下物流",
        "給我幾分鐘,馬上幫您查好",
        "很多人不知道,这款其实可以直接机洗哦",
        "大家都不知道这个小技巧呢",
        "顾客不知道怎么退款的话,可以找我哦",
        "唔知您想要邊隻顏色呢?",
        "这个小妹没办法给您保证呢,一般三天左右到哦",
        "这款是USB充电的哦",
        "不造成任何影响,您放心",
        "別家的價格我們不太清楚呢,我們這款是活動價",
        "您稍等,我看清楚再说哦",
        "新款到了,趕快來看看吧~",
        "如果取消不了,我帮您拦截快递哦",
        "亲,但系统显示已经签收了,我帮您联系快递核实哦",
    ];
    let found = findings(&clean);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn negative_ability_without_i_is_flagged() {
    assert_flagged(&[
        ("这单不能修改的", "negative-ability", "不能修改"),
        ("亲那个不可以再取消的哦", "negative-ability", "不可以"),
        ("我们这边是拦截不了的", "negative-ability", "拦截不了"),
        ("小妹这里补发不了呢", "negative-ability", "补发不了"),
        ("下雨天真的送不了了", "negative-ability", "送不了"),
        ("這個價錢我們實在給不了", "negative-ability", "給不了"),
        ("我這邊無法幫您查詢喔", "negative-ability", "無法"),
        ("妹子就是不给您升级的", "negative-ability", "不给您升级"),
        ("没办法呢亲", "negative-ability", "没办法"),
        ("沒辦法,只能重新下單了", "negative-ability", "沒辦法"),
        ("木有办法哦", "negative-ability", "木有办法"),
        ("呢單取消唔到㗎", "negative-ability", "取消唔到"),
        ("呢條問題我哋答唔到", "negative-ability", "答唔到"),
        ("这个问题我们回答不了", "negative-ability", "回答不了"),
        ("這單寄不了囉", "negative-ability", "寄不了"),
    ]);
}

#[test]
fn not_sure_is_dont_know() {
    assert_flagged(&[
        ("发货时间不确定的呢", "dont-know", "不确定"),
        ("到貨日期我們暫時無法確定喔", "dont-know", "無法確定"),
        ("这个现在还不能肯定哦", "dont-know", "不能肯定"),
        ("具体几点没法给您确认呢", "dont-know", "确认"),
        ("幾時到我哋唔確定喎", "dont-know", "唔確定"),
    ]);
}

#[test]
fn sending_the_customer_to_do_it_is_a_brush_off() {
    assert_flagged(&[
        ("您自行查询物流吧", "brush-off", "自行查询"),
        ("这个需要您自己查看的呢", "brush-off", "自己查看"),
        ("你自己去問客服啦", "brush-off", "自己去"),
        ("你自己搵速遞公司問吓啦", "brush-off", "自己搵"),
        ("你們自己同物流商量啦", "brush-off", "自己同物流商量"),
        ("自己看商品详情", "brush-off", "自己看"),
        ("你過幾日再問啦", "brush-off", "再問"),
        ("物流又不是我们开的", "brush-off", "不是我们开的"),
        ("這個要您自己去問郵局喔", "brush-off", "自己去問"),
        ("你聽日先再問過啦", "brush-off", "再問過"),
    ]);
}

#[test]
fn bare_refusals_after_a_subject_or_in_quotes_are_flagged() {
    assert_flagged(&[
        ("这样不可以的哈", "blunt-refusal", "不可以"),
        ("您好,那我們也不行的唷", "blunt-refusal", "不行"),
        ("那就不包邮了哦亲", "blunt-refusal", "不包邮"),
        ("「唔可以,冇得改。」", "blunt-refusal", "唔可以"),
        ("这边不\u{2F8F}的哦", "blunt-refusal", "不\u{2F8F}"),
        ("本店商品概不退换", "blunt-refusal", "概不退换"),
        ("呢對鞋唔換得", "blunt-refusal", "唔換得"),
        ("缺货,不卖", "blunt-refusal", "不卖"),
    ]);
}

#[test]
fn a_refusal_after_a_typed_space_that_ends_a_question_or_a_particle_is_its_own_sentence() {
    assert_flagged(&[
        ("您看可以吗 不可以", "blunt-refusal", "不可以"),
        ("稍等 这个不可以哦亲", "blunt-refusal", "不可以"),
        ("我问一下哈 问过了 不行的", "blunt-refusal", "不行"),
        ("您看可以吗\u{3000}这边不支持的呢", "blunt-refusal", "不支持"),
        ("好的 不行", "blunt-refusal", "不行"),
    ]);
    // After a condition, a typed space opens nothing.
    let found = findings(&[
        "亲 如您尝试后不行 那就是不可以的呢",
        "您看可以吗 不行的话我帮您换",
        "好的,不行的话我帮您换",
    ]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn refusal_look_alikes_stay_clean() {
    let clean = [
        "如果不确定尺码,可以告诉我身高体重哦",
        "您不确定的话,可以先收藏哦",
        "我们无法保证具体到货时间,请您谅解",
        "这个小妹无法为您保证呢,一般两天到哦",
        "您可以自己查看物流进度哦",
        "我自己查一下哈,您稍等",
        "快递到驿站了,您自己去取一下吧",
        "您自己看中的就下单吧",
        "偏远地区不包邮哦,运费十元",
        "不好意思,定制款一律不退不换哦",
        "這款不能機洗的喔,建議手洗",
        "如果取消不了的话,我帮您拦截哦",
        "不知道就问我哦,随时在的",
        "这个是没有的,您放心",
        "退款需要您自己在订单页申请哦,步骤我发给您",
    ];
    let found = findings(&clean);
    assert!(found.is_empty(), "{found:#?}");
}
