//! Quotations that excuse the words inside them: words the agent repeats
//! from someone else inside a longer reply (您说的“不知道”是指哪个呢), or a
//! title (《退换货须知》), are not the agent's own.
//!
//! Four things look like quotations and are not:
//!
//! - A reply that is wholly quoted (`"亲,不讲价的哦,爱买不买",` copied from a
//!   JSON array or a CSV cell) repeats nobody: its quotations excuse
//!   nothing. "Wholly" means that outside its quotations the reply has fewer
//!   than [`MIN_OWN_HAN`] Han characters of its own, whatever punctuation,
//!   white space, digits or Latin letters surround them.
//! - A straight-quoted field that opens the reply (after white space or `[`)
//!   and is followed by a `,` `;` or tab is the first field of a record
//!   copied whole (`"亲,不讲价的哦",2024-05-01,张三`), not a quotation: it
//!   excuses nothing, whatever follows. Prose quoting that way opens with
//!   `“` or is followed by words, not a separator.
//! - A quotation mark right after a digit is an inch or foot mark
//!   (`24"` `27”` `5'11"` `15″`): it neither opens nor closes a quotation.
//! - A short quotation (at most [`SCARE_MAX_CHARS`] characters) that nobody
//!   is said to have said is the agent's own word in scare quotes
//!   (我们"绝对"是正品, 这个价格我“不能”改): it excuses nothing. It is a
//!   repetition when a word of saying or showing stands just before it
//!   (您说的“不知道”, 页面写着「不退换」, Cantonese 你话「唔得」) or a word
//!   pointing at the words just after it, past a comma (“爱买不买”这句话,
//!   “不行”是指…), or naming a product line after it (「白癡公主」聯名款).
//!   Titles (《…》) always excuse.
//!
//! All offsets are bytes of the folded text.

use std::ops::Range;

/// Longest quotation recognised, in bytes of folded text; an opening mark
/// with no closing one within this many bytes quotes nothing.
const MAX_QUOTE: usize = 90;

/// Fewest Han characters outside the quotations for a reply to be longer
/// than what it quotes (您说 + “不知道”).
const MIN_OWN_HAN: usize = 2;

/// Longest quotation, in characters, that must be attributed to excuse.
const SCARE_MAX_CHARS: usize = 4;

/// Words of saying or showing that, just before a short quotation (within
/// [`SAID_WINDOW`] characters), make it a repetition (folded forms).
const SAID_BEFORE: [&str; 19] = [
    "说", "讲", "问", "话", "提到", "提的", "写", "叫", "称", "谓", "显示", "标", "注明", "看到", "听到", "回复",
    "留言", "评价", "反馈",
];

/// How far before a short quotation a word of saying may stand, in characters.
const SAID_WINDOW: usize = 6;

/// Words just after a short quotation that point at it as words, or as the
/// name of a product line (「白癡公主」聯名款, “TMD”系列).
const SAID_AFTER: [&str; 12] = [
    "这句",
    "那句",
    "这个词",
    "这几个字",
    "这两个字",
    "是指",
    "的意思",
    "一词",
    "二字",
    "联名",
    "系列",
    "品牌",
];

/// Opening marks and the mark that closes each.
const PAIRS: [(char, char); 6] = [
    ('“', '”'),
    ('"', '"'),
    ('「', '」'),
    ('『', '』'),
    ('‘', '’'),
    ('《', '》'),
];

/// Marks that, right after a digit, measure inches or feet instead of quoting.
const MEASURES: [char; 5] = ['"', '“', '”', '‘', '’'];

/// Appends to `spans` the inside of each quotation and title in `text`
/// (sorted, not overlapping): nothing when the reply is wholly quoted, and
/// not a record's leading field.
pub(crate) fn quoted_spans(text: &str, spans: &mut Vec<Range<usize>>) {
    let first = spans.len();
    let mut rest = 0;
    while let Some((inner, close)) = next_opening(text, rest) {
        match closing(text, inner, close) {
            Some(end) => {
                if close == '》' || attributed(text, &(inner..end)) {
                    spans.push(inner..end);
                }
                rest = end + close.len_utf8();
            }
            None => rest = inner,
        }
    }
    if own_han(text, &spans[first..]) < MIN_OWN_HAN {
        spans.truncate(first);
    } else if spans.get(first).is_some_and(|span| leading_field(text, span)) {
        spans.remove(first);
    }
}

/// Whether `quoted` is a field in straight quotes that opens `text` (after
/// white space or `[`) and is followed by a `,` `;` or tab.
fn leading_field(text: &str, quoted: &Range<usize>) -> bool {
    let Some(before) = quoted.start.checked_sub(1).and_then(|open| text.get(..open)) else {
        return false;
    };
    let after = text.get(quoted.end..).unwrap_or_default();
    text[before.len()..].starts_with('"')
        && before
            .trim_start_matches(|c: char| c.is_whitespace() || c == '[')
            .is_empty()
        && after
            .strip_prefix('"')
            .is_some_and(|rest| rest.trim_start_matches(' ').starts_with([',', ';', '\t']))
}

/// Whether the quotation `quoted` (its inside) repeats someone: it is long,
/// or a word of saying stands just before it, or a word pointing at it just
/// after it.
fn attributed(text: &str, quoted: &Range<usize>) -> bool {
    if text[quoted.clone()].chars().count() > SCARE_MAX_CHARS {
        return true;
    }
    let open = text[..quoted.start].chars().next_back().map_or(0, char::len_utf8);
    let before_start = text[..quoted.start - open]
        .char_indices()
        .rev()
        .nth(SAID_WINDOW - 1)
        .map_or(0, |(i, _)| i);
    let before = &text[before_start..quoted.start - open];
    let close = text[quoted.end..].chars().next().map_or(0, char::len_utf8);
    let after = text[quoted.end + close..].trim_start_matches(|c: char| c.is_whitespace() || ",，、".contains(c));
    SAID_BEFORE.iter().any(|w| before.contains(w)) || SAID_AFTER.iter().any(|w| after.starts_with(w))
}

/// Where the quotation opened by the first opening mark at or after `from`
/// that is not a measure begins (just after the mark), and the mark that
/// closes it.
fn next_opening(text: &str, from: usize) -> Option<(usize, char)> {
    let mut after_digit = text[..from].chars().next_back().is_some_and(|c| c.is_ascii_digit());
    for (i, c) in text[from..].char_indices() {
        if !(after_digit && MEASURES.contains(&c))
            && let Some(&(_, close)) = PAIRS.iter().find(|(open, _)| *open == c)
        {
            return Some((from + i + c.len_utf8(), close));
        }
        after_digit = c.is_ascii_digit();
    }
    None
}

/// Where the quotation opened just before `inner` ends: the first `close`
/// mark within [`MAX_QUOTE`] bytes that is not a measure.
fn closing(text: &str, inner: usize, close: char) -> Option<usize> {
    let mut after_digit = false;
    for (i, c) in text[inner..].char_indices() {
        if i > MAX_QUOTE {
            return None;
        }
        if c == close && !(after_digit && MEASURES.contains(&c)) {
            return Some(inner + i);
        }
        after_digit = c.is_ascii_digit();
    }
    None
}

/// Han characters of `text` outside the `quoted` spans (sorted, not
/// overlapping), counted up to [`MIN_OWN_HAN`].
fn own_han(text: &str, quoted: &[Range<usize>]) -> usize {
    let gap_starts = [0].into_iter().chain(quoted.iter().map(|q| q.end));
    let gap_ends = quoted.iter().map(|q| q.start).chain([text.len()]);
    gap_starts
        .zip(gap_ends)
        .flat_map(|(start, end)| text[start..end].chars())
        .filter(|&c| crate::fold::is_han(c))
        .take(MIN_OWN_HAN)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        let mut spans = Vec::new();
        quoted_spans(text, &mut spans);
        spans.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn quotations_inside_a_longer_reply() {
        assert_eq!(
            quoted("您说的“不知道”是指\"哪个颜色的呢\"还是「那个大号的」"),
            ["不知道", "哪个颜色的呢", "那个大号的"]
        );
        assert_eq!(quoted("您说的“爱买不买”是指哪个呢"), ["爱买不买"]);
        assert!(quoted("他说“没关闭").is_empty());
    }

    #[test]
    fn a_short_quotation_nobody_said_is_a_scare_quote() {
        for text in [
            "亲,我们\"绝对\"是正品",
            "具体哪天到,这个“不清楚”哦亲",
            "亲,「保证」正品喔",
        ] {
            assert!(quoted(text).is_empty(), "{text}");
        }
        // Said, shown or pointed at: a repetition.
        assert_eq!(quoted("页面写着「不退换」是指定制款哦"), ["不退换"]);
        assert_eq!(quoted("您反馈的“爱买不买”那句话,我们已经上报了"), ["爱买不买"]);
        assert_eq!(quoted("你话「唔得」系边个讲㗎"), ["唔得"]);
        // A title always excuses.
        assert_eq!(quoted("请看《不退换》这本书哦"), ["不退换"]);
    }

    #[test]
    fn a_wholly_quoted_reply_quotes_nothing() {
        for text in [
            "\"亲,不讲价的哦,爱买不买\",",
            "  “不知道”。 ",
            "\"不讲价的哦\",\"爱买不买\";",
            "“不讲价的哦”和“爱买不买”",
            "亲,\"不讲价的哦,爱买不买\"",
            "12,\"不讲价的哦,爱买不买\",OK",
        ] {
            assert!(quoted(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_record_copied_whole_quotes_nothing_in_its_first_field() {
        assert_eq!(
            quoted("\"亲,不讲价的哦,爱买不买\",2024-05-01,张三,\"好的谢谢您\""),
            ["好的谢谢您"]
        );
        assert!(quoted(" [\"亲,不讲价的哦\" ;客服小美").is_empty());
        assert!(quoted("\"不讲价\"\t客服小美").is_empty());
        // Prose: opening with “, or followed by words.
        assert_eq!(quoted("“爱买不买”,这句话是您在哪里看到的呢"), ["爱买不买"]);
        assert_eq!(quoted("\"爱买不买\"这句话是您在哪里看到的呢"), ["爱买不买"]);
        assert_eq!(quoted("您说的\"不知道\",是指哪个呢"), ["不知道"]);
    }

    #[test]
    fn a_digit_before_a_mark_measures() {
        assert!(quoted("亲,24\"、27\"、32\"都有货,但是我不能给您改价").is_empty());
        assert!(quoted("12\"和15\"的都有,我不知道您要哪个").is_empty());
        assert!(quoted("身高5'11\"的话,但是我不能保证合身").is_empty());
        assert!(quoted("亲,24”和27”都有货,但是我不能改价").is_empty());
        // A measure inside a quotation neither opens nor closes it.
        assert_eq!(quoted("您说的\"24\"屏\"是指哪一款呢"), ["24\"屏"]);
    }

    #[test]
    fn own_han_counts_outside_the_quotations_only() {
        let own = |text: &str, inside: &str| {
            let at = text.find(inside).expect("quoted text");
            let quoted = at..at + inside.len();
            own_han(text, std::slice::from_ref(&quoted))
        };
        assert_eq!(own("您说“不”是指", "不"), 2);
        assert_eq!(own("“不知道”", "不知道"), 0);
        assert_eq!(own("亲“不知道”", "不知道"), 1);
    }

    proptest::proptest! {
        /// Quotations lie inside the text on character boundaries, in
        /// order, each just after an opening mark; a reply with any has
        /// words of its own outside them.
        #[test]
        fn quotations_are_well_formed(text in "[\"“”‘’「」《》1亲不知道好a ,]{0,40}") {
            let mut spans = Vec::new();
            quoted_spans(&text, &mut spans);
            let mut end = 0;
            for span in &spans {
                proptest::prop_assert!(end <= span.start && span.start <= span.end && span.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                let mark = text[..span.start].chars().next_back();
                proptest::prop_assert!(mark.is_some_and(|m| PAIRS.iter().any(|(open, _)| *open == m)));
                end = span.end;
            }
            proptest::prop_assert!(spans.is_empty() || own_han(&text, &spans) >= MIN_OWN_HAN);
        }
    }
}
