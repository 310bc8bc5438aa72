//! How plausible a decoded text is as Chinese: what tells GB18030 from Big5
//! (and either from UTF-8) when a file is too short for chardetng, and what
//! shows that a `--encoding` given by the user reads a file as nonsense.

/// Occurrences in real replies ([`kefu_lint::frequency`]) from which a
/// Han character weighs 1 in [`chinese_share`]; a rarer one weighs from ½
/// up with the logarithm of its count (谢, 675 times, weighs 1; 谅, 101
/// times, 0.88: Big5 謝謝 read as GB18030 is 谅谅), one the table lacks 0.
/// At 1,000, 稍 (511 times) weighed 0.95, and Big5 稍等 with a stray byte
/// was no longer told as Big5; at 200, 谅谅 read as likely as 謝謝.
const FREQUENT: u32 = 400;

/// A CJK unified ideograph (basic block, extension A or compatibility).
pub(crate) fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// CJK or full-width punctuation (`，。！？、` …), not the full-width
/// letters and digits (`Ｖ`, `１`: what Big5 bytes read as UTF-8's, or
/// GBK's as Big5, often are).
fn is_cjk_punctuation(c: char) -> bool {
    matches!(u32::from(c), 0x3000..=0x303F | 0xFF00..=0xFFEF) && !c.is_alphanumeric()
}

/// How much (0 to 1) of `text` outside ASCII is common Chinese: the mean
/// over those characters of their weight, 1 for CJK punctuation, ½ to 1
/// for a Han character whose Simplified form occurs in real replies (by
/// how often, up to [`FREQUENT`] times; Traditional ones count through
/// their Simplified form), 0 for any other.
/// 0 for a text with no character outside ASCII. Mojibake (GBK read as
/// Big5: 哦 → 韃, 谢谢 → 郅郅; Big5 read as GBK: 謝謝 → 谅谅) is made of
/// rare characters, or of rarer ones.
pub fn chinese_share(text: &str) -> f64 {
    let (mut sum, mut all) = (0.0, 0_u32);
    for c in text.chars().filter(|c| !c.is_ascii() && !c.is_whitespace()) {
        all += 1;
        sum += if is_cjk_punctuation(c) {
            1.0
        } else {
            match kefu_lint::frequency::count(kefu_lint::fold::fold_char(c)) {
                n if n > 0 && is_han(c) => 0.5 + 0.5 * f64::from(n.min(FREQUENT)).ln() / f64::from(FREQUENT).ln(),
                _ => 0.0,
            }
        };
    }
    if all == 0 { 0.0 } else { sum / f64::from(all) }
}

/// Whether a character outside ASCII is one a reply in Chinese or a
/// Latin-script language is made of: Han characters, CJK and general
/// punctuation, full-width forms, Latin letters with accents, symbols and
/// emoji. Hangul, private-use, unassigned and other scripts' characters
/// are what a wrong encoding reads.
fn fits(c: char) -> bool {
    is_han(c)
        || is_cjk_punctuation(c)
        || matches!(u32::from(c), 0x00A0..=0x024F | 0x2000..=0x2BFF | 0x1F000..=0x1FAFF | 0x20000..=0x3134F)
}

/// The share (0 to 1) of the characters of `text` outside ASCII that
/// [`fits`] holds for; 1 for a text with no character outside ASCII.
pub fn fitting_share(text: &str) -> f64 {
    let (mut fit, mut all) = (0_u32, 0_u32);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        all += 1;
        fit += u32::from(fits(c));
    }
    if all == 0 { 1.0 } else { f64::from(fit) / f64::from(all) }
}

/// The first `few` characters of `text` that do not [`fits`], as code
/// points (`U+C0A4`), for a message: never the characters themselves,
/// which may be anything.
pub fn misfits(text: &str, few: usize) -> Vec<String> {
    text.chars()
        .filter(|&c| !c.is_ascii() && !fits(c))
        .take(few)
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_score_above_their_mojibake() {
        for (right, wrong) in [("哦", "韃"), ("谢谢", "郅郅"), ("謝謝", "谅谅"), ("嗯，好的", "霽，")] {
            assert!(chinese_share(right) > chinese_share(wrong), "{right} / {wrong}");
        }
        assert_eq!(chinese_share("ok"), 0.0);
    }

    #[test]
    fn hangul_and_private_use_do_not_fit() {
        assert_eq!(fitting_share("您好, café 😊"), 1.0);
        assert!(fitting_share("삤햲\u{E000}好") < 0.5);
        assert_eq!(misfits("好삤\u{E000}", 5), ["U+C0A4", "U+E000"]);
    }
}
