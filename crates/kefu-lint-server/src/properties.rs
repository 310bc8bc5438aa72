//! Properties of the offset conversions for any text: every finding's
//! spans, in each unit, pick out what was matched, in both APIs, and for
//! any annotated document; nothing panics.

use std::sync::OnceLock;

use kefu_lint::{Linter, Script};
use proptest::prelude::*;

use crate::annotation::Document;
use crate::findings::to_json;
use crate::languagetool::{answer_of, match_spans};
use kefu_lint::offsets::utf16_len;

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(Linter::builtin)
}

/// Text from the rules' own examples, emoji, line breaks and any Unicode.
fn text() -> impl Strategy<Value = String> {
    let words: Vec<String> = linter()
        .rules()
        .iter()
        .flat_map(|r| r.examples.bad.iter().chain(&r.examples.ok).cloned())
        .collect();
    let piece = prop_oneof![
        3 => proptest::sample::select(words),
        1 => proptest::sample::select(vec!["😊", "👍🏻", "\n", "。", "!", "\u{200b}", "𠀀", "e\u{301}"]).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn utf16_slice(text: &str, start: usize, end: usize) -> Option<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(units.get(start..end)?).ok()
}

proptest! {
    #[test]
    fn native_spans_pick_out_the_match_in_every_unit(text in text()) {
        let findings = linter().check(&text);
        for (finding, json) in findings.iter().zip(to_json(&text, &findings)) {
            let span = json.span;
            prop_assert_eq!(text.get(span.start..span.end), Some(finding.matched.as_str()));
            let chars: String = text.chars().skip(span.char_start).take(span.char_end - span.char_start).collect();
            prop_assert_eq!(&chars, &finding.matched);
            prop_assert_eq!(utf16_slice(&text, span.utf16_start, span.utf16_end), Some(finding.matched.clone()));
            for edit in json.fix.iter().flat_map(|f| &f.edits) {
                let bytes = text.get(edit.span.start..edit.span.end).map(str::to_owned);
                prop_assert_eq!(utf16_slice(&text, edit.span.utf16_start, edit.span.utf16_end), bytes);
            }
        }
    }

    #[test]
    fn languagetool_offsets_pick_out_the_match(text in text(), traditional in any::<bool>()) {
        let script = traditional.then_some(Script::Traditional);
        let findings = linter().check_in(&text, || script);
        let document = Document::plain(text.clone());
        let answer = answer_of(linter(), &document, &findings.iter().collect::<Vec<_>>(), script);
        let spans = match_spans(&answer);
        prop_assert_eq!(spans.len(), findings.len());
        for (finding, (offset, length, context, context_offset)) in findings.iter().zip(spans) {
            prop_assert_eq!(utf16_slice(&text, offset, offset + length), Some(finding.matched.clone()));
            let shown: String = finding.matched.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
            prop_assert_eq!(utf16_slice(&context, context_offset, context_offset + length), Some(shown));
        }
    }

    #[test]
    fn annotated_offsets_stay_in_the_document(parts in proptest::collection::vec((text(), any::<bool>(), any::<bool>()), 0..6)) {
        let annotation: Vec<serde_json::Value> = parts
            .iter()
            .map(|(text, markup, interpret)| match (markup, interpret) {
                (false, _) => serde_json::json!({ "text": text }),
                (true, false) => serde_json::json!({ "markup": text }),
                (true, true) => serde_json::json!({ "markup": text, "interpretAs": "\n" }),
            })
            .collect();
        let data = serde_json::json!({ "annotation": annotation }).to_string();
        let document = Document::annotated(&data).expect("a valid annotation");
        let whole: usize = parts.iter().map(|(text, _, _)| utf16_len(text)).sum();
        let findings = linter().check(&document.text);
        let answer = answer_of(linter(), &document, &findings.iter().collect::<Vec<_>>(), None);
        for (offset, length, _, _) in match_spans(&answer) {
            prop_assert!(offset + length <= whole, "{} + {} > {}", offset, length, whole);
        }
    }
}
