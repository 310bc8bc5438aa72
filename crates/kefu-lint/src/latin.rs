//! Latin words inside Chinese replies. A pattern written in Latin letters or
//! digits (`tmd`, `sb`, `100%`) is a word of its own, not a piece of a
//! longer one: Chinese has no word boundaries, but Latin script does.
//!
//! - A literal pattern whose first (last) character is an ASCII letter or
//!   digit matches only where the character before (after) it is not one
//!   (nor `_`, which joins names such as `cnm_shop`):
//!   `tmd快点` and `你就是个SB` are flagged, `型号SB200` and `订单ABCSBX` are
//!   not.
//! - No hit whose first or last character is an ASCII letter or digit — a
//!   literal's or a regex's — counts inside a link (`https://m.tb.cn/h.gTMDaQ1`,
//!   `www.tmd.com`, found by the `linkify` crate), an e-mail address
//!   (`xx@qq.com`) or a product code (`SB-200`, `138XXXX5678`: a run of ASCII
//!   letters, digits, `-` and `_` with both a letter and a digit).
//!
//! All offsets are bytes of the folded text.

use std::ops::Range;

use linkify::{LinkFinder, LinkKind};

use crate::matcher::Hit;

/// Keeps the literal `hits` whose Latin ends are not continued by another
/// ASCII letter or digit in `text`.
pub(crate) fn keep_whole_words(text: &str, hits: &mut Vec<Hit>) {
    hits.retain(|h| whole_word(text.as_bytes(), &h.span));
}

/// Drops the `hits` with a Latin end that lie inside, or across, a longer
/// link, e-mail address or product code of `text` (a hit that is the whole
/// code, such as the name 3M, stands). Links and codes are looked for only when
/// such a hit exists: one pass over `text`.
pub(crate) fn drop_inside_links(text: &str, hits: &mut Vec<Hit>) {
    let bytes = text.as_bytes();
    if !hits.iter().any(|h| latin_end(bytes, &h.span)) {
        return;
    }
    let spans = links_and_codes(text);
    hits.retain(|h| !latin_end(bytes, &h.span) || !inside_a_longer(&spans, &h.span));
}

/// Whether `b` is an ASCII letter or digit.
fn is_latin(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether `span` begins or ends with an ASCII letter or digit.
fn latin_end(bytes: &[u8], span: &Range<usize>) -> bool {
    let first = bytes.get(span.start).copied();
    let last = span.end.checked_sub(1).and_then(|i| bytes.get(i)).copied();
    first.is_some_and(is_latin) || last.is_some_and(is_latin)
}

/// Whether neither Latin end of `span` is continued by a letter or digit.
/// (An ASCII byte in UTF-8 is always a whole character.)
fn whole_word(bytes: &[u8], span: &Range<usize>) -> bool {
    let at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).copied();
    // `_` joins Latin words too: an account name such as `cnm_shop` is one word.
    let continues = |b: u8| is_latin(b) || b == b'_';
    let joined = |inner: Option<u8>, outer: Option<u8>| inner.is_some_and(is_latin) && outer.is_some_and(continues);
    !joined(at(Some(span.start)), at(span.start.checked_sub(1)))
        && !joined(at(span.end.checked_sub(1)), at(Some(span.end)))
}

/// The links, e-mail addresses and product codes of `text`, sorted and
/// merged where they overlap.
fn links_and_codes(text: &str) -> Vec<Range<usize>> {
    let mut finder = LinkFinder::new();
    finder
        .kinds(&[LinkKind::Url, LinkKind::Email])
        .url_must_have_scheme(false)
        .url_can_be_iri(false);
    let mut spans: Vec<Range<usize>> = finder.links(text).map(|l| l.start()..l.end()).collect();
    spans.extend(codes(text.as_bytes()));
    spans.sort_unstable_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// Runs of ASCII letters, digits, `-` and `_` with both a letter and a digit.
fn codes(bytes: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let in_code = |b: &u8| is_latin(*b) || matches!(b, b'-' | b'_');
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at + bytes[at..].iter().position(in_code)?;
            let len = bytes[start..]
                .iter()
                .position(|b| !in_code(b))
                .unwrap_or(bytes.len() - start);
            at = start + len;
            let run = &bytes[start..at];
            if run.iter().any(u8::is_ascii_alphabetic) && run.iter().any(u8::is_ascii_digit) {
                return Some(start..at);
            }
        }
        None
    })
}

/// Whether a span of `spans` (sorted, not overlapping) overlaps `span` and reaches past it.
fn inside_a_longer(spans: &[Range<usize>], span: &Range<usize>) -> bool {
    let first = spans.partition_point(|s| s.end <= span.start);
    spans
        .iter()
        .skip(first)
        .take_while(|s| s.start < span.end)
        .any(|s| s.start < span.start || s.end > span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, word: &str) -> Hit {
        let at = text.find(word).expect("word in text");
        Hit {
            rule: 0,
            span: at..at + word.len(),
        }
    }

    fn whole(text: &str, word: &str) -> bool {
        let mut hits = vec![hit(text, word)];
        keep_whole_words(text, &mut hits);
        hits.len() == 1
    }

    fn outside_links(text: &str, word: &str) -> bool {
        let mut hits = vec![hit(text, word)];
        drop_inside_links(text, &mut hits);
        hits.len() == 1
    }

    #[test]
    fn latin_patterns_match_whole_latin_words() {
        assert!(whole("你就是个SB", "SB"));
        assert!(whole("TMD", "TMD"));
        assert!(whole("tmd快点", "tmd"));
        assert!(whole("保证100%正品", "100%"));
        assert!(whole("满100%,", "100%"));
        assert!(whole("傻b", "傻b"));
        assert!(!whole("型号SB200", "SB"));
        assert!(!whole("订单ABCSBX", "SB"));
        assert!(!whole("共1100%", "100%"));
        assert!(!whole("你个傻bi", "傻b"));
        // Han ends are not Latin: nothing is asked of their neighbours.
        assert!(whole("abc但是def", "但是"));
        assert!(!whole("微信号 cnm_shop 哦", "cnm"));
    }

    #[test]
    fn nothing_latin_counts_inside_links_addresses_or_codes() {
        assert!(!outside_links(
            "这是商品链接 https://m.tb.cn/h.gTMDaQ1 麻烦您点开看看哦",
            "TMD"
        ));
        assert!(!outside_links("链接https://m.tb.cn/tmd/1麻烦您", "tmd"));
        assert!(!outside_links("官网是www.tmd.com哦", "tmd"));
        assert!(!outside_links("官网是tmd.com哦", "tmd"));
        assert!(!outside_links("请发邮件到xx@qq.com哦", "xx"));
        assert!(!outside_links("型号SB-200", "SB"));
        assert!(!outside_links("手机号138XXXX5678已登记", "XXXX"));
        assert!(outside_links("TMD,快点", "TMD"));
        assert!(outside_links("你就是个SB.", "SB"));
        assert!(outside_links("你就是个SB!!!", "SB"));
        assert!(outside_links("保证100%正品", "100%"));
        assert!(outside_links("您的订单XX已发货,链接www.tb.cn", "XX"));
    }

    #[test]
    fn codes_have_letters_and_digits() {
        let found = |text: &str| codes(text.as_bytes()).map(|r| text[r].to_owned()).collect::<Vec<_>>();
        assert_eq!(found("型号SB-200,颜色XL,订单A1_B2 100%"), ["SB-200", "A1_B2"]);
        assert!(found("").is_empty());
        assert!(found("--__").is_empty());
    }

    #[test]
    fn a_link_or_code_reaching_past_a_hit_holds_it() {
        let spans = [2..5, 8..12];
        assert!(inside_a_longer(&spans, &(4..6)));
        assert!(inside_a_longer(&spans, &(0..3)));
        assert!(inside_a_longer(&spans, &(9..11)));
        assert!(!inside_a_longer(&spans, &(5..8)));
        assert!(!inside_a_longer(&spans, &(12..20)));
        assert!(!inside_a_longer(&[], &(0..1)));
        // A hit that is the whole code or link (a name such as 3M or JD.com) stands.
        assert!(!inside_a_longer(&spans, &(8..12)));
        assert!(!inside_a_longer(&spans, &(1..13)));
    }

    proptest::proptest! {
        /// A kept literal hit has no ASCII letter or digit beside a Latin
        /// end, and a hit dropped as inside a link or code had a Latin end;
        /// any text, any span on character boundaries, no panic.
        #[test]
        fn whole_words_and_links_agree_with_their_definitions(
            text in "[a-zA-Z0-9@.:/_%你 -]{0,30}",
            from in 0..31_usize,
            len in 1..6_usize,
        ) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let Some(&(start, _)) = chars.get(from) else { return Ok(()) };
            let end = chars.get(from + len).map_or(text.len(), |&(i, _)| i);
            let span = start..end;
            let mut hits = vec![Hit { rule: 0, span: span.clone() }];
            keep_whole_words(&text, &mut hits);
            let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            let word = |c: Option<char>| latin(c) || c == Some('_');
            let joined_before = latin(text[span.clone()].chars().next()) && word(text[..span.start].chars().next_back());
            let joined_after = latin(text[span.clone()].chars().next_back()) && word(text[span.end..].chars().next());
            proptest::prop_assert_eq!(hits.len() == 1, !joined_before && !joined_after);
            let mut hits = vec![Hit { rule: 0, span: span.clone() }];
            drop_inside_links(&text, &mut hits);
            proptest::prop_assert!(hits.len() == 1 || latin_end(text.as_bytes(), &span));
        }
    }
}
