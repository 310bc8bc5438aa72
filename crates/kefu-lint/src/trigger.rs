//! Trigger literals of a regular expression: a set of strings at least one
//! of which occurs in every match. Putting them in the literal automaton
//! means a rule's regex runs only on the few replies that could match it.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Largest class expanded into single-character triggers.
const MAX_CLASS: usize = 16;

/// Trigger literals of `pattern`, or `None` if it has none (it then runs on
/// every reply).
pub fn literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    needs(&hir).filter(|set| !set.is_empty() && set.iter().all(|s| !s.is_empty()))
}

fn needs(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(vec![String::from_utf8_lossy(&lit.0).into_owned()]),
        HirKind::Class(Class::Unicode(class)) => {
            let chars: Vec<String> = class
                .iter()
                .flat_map(|r| (u32::from(r.start())..=u32::from(r.end())).take(MAX_CLASS + 1))
                .filter_map(char::from_u32)
                .map(String::from)
                .collect();
            (chars.len() <= MAX_CLASS).then_some(chars)
        }
        HirKind::Class(Class::Bytes(_)) | HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Repetition(rep)
            if rep.min > 1 && matches!(rep.sub.kind(), HirKind::Literal(_) | HirKind::Class(_)) =>
        {
            // Each match of the sub-expression is one of its literals, so two
            // in a row are: every pair is a trigger (when there are few).
            let once = needs(&rep.sub)?;
            let pairs: Vec<String> = once
                .iter()
                .flat_map(|a| once.iter().map(move |b| format!("{a}{b}")))
                .collect();
            Some(if pairs.len() <= MAX_CLASS { pairs } else { once })
        }
        HirKind::Repetition(rep) if rep.min > 0 => needs(&rep.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(cap) => needs(&cap.sub),
        HirKind::Concat(parts) => parts.iter().filter_map(needs).max_by_key(|set| {
            // Prefer the longest shortest literal, then the fewest alternatives.
            (
                set.iter().map(|s| s.chars().count()).min().unwrap_or(0),
                std::cmp::Reverse(set.len()),
            )
        }),
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            for alt in alts {
                all.extend(needs(alt)?);
            }
            Some(all)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_trigger_literals() {
        assert_eq!(
            literals(r"(?:^|[\s,])(喂+|哎)(?:[\s,]|$)"),
            Some(vec!["喂".into(), "哎".into()])
        );
        assert_eq!(
            literals(r"(?:您|你)自己[^,]{0,6}?(?:错|不当)"),
            Some(vec!["自己".into()])
        );
        assert_eq!(literals(r"\$?\{\{?[^{}\n]{0,30}\}\}?"), Some(vec!["}".into()]));
        assert_eq!(
            literals(r"[!?]{3,}"),
            Some(vec!["!!".into(), "!?".into(), "?!".into(), "??".into()])
        );
        assert_eq!(literals(r"(?:^|[^a-z])(x{2,})"), Some(vec!["xx".into()]));
        assert_eq!(literals(r"[a-z]{2,}"), None);
        assert_eq!(literals(r"喂+"), Some(vec!["喂".into()]));
        assert_eq!(literals(r"^[^{}\n]*\}"), Some(vec!["}".into()]));
        assert_eq!(literals(r"^.*$"), None);
        assert_eq!(literals(r"[^a-z]+"), None);
    }
}
