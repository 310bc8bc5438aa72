//! Trigger literals of a regular expression: a set of strings at least one
//! of which occurs in every match. Putting them in the literal automaton
//! means a rule's regex runs only on the few replies that could match it.
//! Of the sets a regex offers, the one whose literals are estimated rarest
//! in real replies is chosen (see [`crate::frequency::share`]).

use regex_syntax::hir::{Class, Hir, HirKind};

/// Largest class expanded into single-character triggers.
const MAX_CLASS: usize = 16;

/// Largest set made by joining the literals of adjacent parts of a regex
/// (`是(?:您|你)没` gives 是您没 and 是你没, rarer than 没 alone). Larger
/// sets are rarer triggers but grow the literal automaton every start
/// builds. With the rarest set chosen (2026-11-30, `callgrind`, built-in
/// rules): 64 took 64.3 M instructions to start and 778.5 M to check a
/// 3 MB slice of the corpus; 32 took 57.6 M and 778.7 M; 16 took 51.7 M
/// but 793.3 M, with 5 % more first-level cache misses.
const MAX_JOINED: usize = 32;

/// Trigger literals of `pattern`, or `None` if it has none (it then runs on
/// every reply).
pub fn literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let set = needs(&hir)?.set;
    if set.is_empty() || set.iter().any(String::is_empty) {
        return None;
    }
    // A literal holding another one adds nothing (把图给我 holds 图给我).
    let minimal = set
        .iter()
        .filter(|s| !set.iter().any(|t| t.len() < s.len() && s.contains(t.as_str())))
        .cloned()
        .collect();
    Some(minimal)
}

/// Strings one of which occurs in every match of a regex part; `exact` when
/// every match of the part is one of them (so adjacent exact parts can be
/// joined). An exact set may hold the empty string (an optional part).
struct Literals {
    set: Vec<String>,
    exact: bool,
}

impl Literals {
    fn exact(set: Vec<String>) -> Self {
        Literals { set, exact: true }
    }

    /// Usable as triggers on its own: no empty string.
    fn usable(&self) -> bool {
        self.set.iter().all(|s| !s.is_empty())
    }

    /// The estimated share of positions at which one of the literals
    /// starts: the lower, the fewer replies run the regex.
    fn frequency(&self) -> f64 {
        self.set.iter().map(|s| crate::frequency::share(s)).sum()
    }

    /// Every string of `self` followed by every string of `next`.
    fn join(&self, next: &Literals) -> Literals {
        let mut set: Vec<String> = self
            .set
            .iter()
            .flat_map(|a| next.set.iter().map(move |b| format!("{a}{b}")))
            .collect();
        set.sort_unstable();
        set.dedup();
        Literals::exact(set)
    }
}

fn needs(hir: &Hir) -> Option<Literals> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(Literals::exact(vec![String::from_utf8_lossy(&lit.0).into_owned()])),
        HirKind::Class(Class::Unicode(class)) => {
            // Counted before anything is made: a negated class has thousands of ranges.
            let size = class.iter().try_fold(0, |n, r| {
                let n = n + (u32::from(r.end()) - u32::from(r.start()) + 1) as usize;
                (n <= MAX_CLASS).then_some(n)
            })?;
            let chars = class
                .iter()
                .flat_map(|r| u32::from(r.start())..=u32::from(r.end()))
                .filter_map(char::from_u32)
                .map(String::from)
                .collect::<Vec<_>>();
            (size > 0).then(|| Literals::exact(chars))
        }
        HirKind::Class(Class::Bytes(_)) | HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Repetition(rep)
            if rep.min > 1 && matches!(rep.sub.kind(), HirKind::Literal(_) | HirKind::Class(_)) =>
        {
            // Each match of the sub-expression is one of its literals, so two
            // in a row are: every pair is a trigger (when there are few).
            let once = needs(&rep.sub)?;
            let pairs = once.join(&once);
            Some(Literals {
                set: if pairs.set.len() <= MAX_CLASS {
                    pairs.set
                } else {
                    once.set
                },
                exact: false,
            })
        }
        // An optional exact part (码?, (?:把)?) is one of its literals or nothing.
        HirKind::Repetition(rep) if rep.min == 0 && rep.max == Some(1) => {
            let once = needs(&rep.sub).filter(|l| l.exact && l.set.len() < MAX_JOINED)?;
            let mut set = once.set;
            set.push(String::new());
            Some(Literals::exact(set))
        }
        HirKind::Repetition(rep) if rep.min > 0 => needs(&rep.sub).map(|l| Literals {
            exact: l.exact && rep.min == 1 && rep.max == Some(1),
            set: l.set,
        }),
        HirKind::Repetition(_) => None,
        HirKind::Capture(cap) => needs(&cap.sub),
        HirKind::Concat(parts) => concat(parts),
        HirKind::Alternation(alts) => {
            let mut set = Vec::new();
            let mut exact = true;
            for alt in alts {
                let l = needs(alt)?;
                exact &= l.exact;
                set.extend(l.set);
            }
            Some(Literals { set, exact })
        }
    }
}

/// The best trigger set of a concatenation: the best part, or the best run
/// of adjacent exact parts joined (while the joined set stays small).
fn concat(parts: &[Hir]) -> Option<Literals> {
    let mut candidates: Vec<Literals> = Vec::new();
    let mut run: Option<Literals> = None;
    // Whether one run joins every part: then the whole concatenation is exact.
    let mut whole = true;
    for part in parts {
        let l = match needs(part) {
            Some(l) if l.exact => l,
            other => {
                whole = false;
                candidates.extend(run.take());
                candidates.extend(other);
                continue;
            }
        };
        run = Some(match run.take() {
            Some(r) if r.set.len() * l.set.len() <= MAX_JOINED => r.join(&l),
            Some(r) => {
                whole = false;
                candidates.push(r);
                Literals::exact(l.set.clone())
            }
            None => Literals::exact(l.set.clone()),
        });
        candidates.push(l);
    }
    if whole {
        return run;
    }
    candidates.extend(run);
    let best = candidates
        .into_iter()
        .filter(Literals::usable)
        .min_by(|a, b| a.frequency().total_cmp(&b.frequency()))?;
    Some(Literals {
        exact: false,
        set: best.set,
    })
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
            Some(vec!["你自己".into(), "您自己".into()])
        );
        // Adjacent parts are joined into rarer literals, optional parts included.
        assert_eq!(
            literals(r"(是(?:您|你)没(?:填|写)[^,]{0,4})"),
            Some(vec![
                "是你没写".into(),
                "是你没填".into(),
                "是您没写".into(),
                "是您没填".into()
            ])
        );
        assert_eq!(
            literals(r"(?:^|,)(?:把)?(?:订单号码?|图)(给我)(?:[^们]|$)"),
            Some(vec!["图给我".into(), "订单号码给我".into(), "订单号给我".into()])
        );
        // Too many to join: the best part alone.
        assert_eq!(literals(r"[a-p][a-p][a-p][a-z]好"), Some(vec!["好".into()]));
        // Of two sets, the rarer in real replies: the words, not the 亲 before them.
        assert_eq!(
            literals(r"^亲[,，\s]*(没有|木有|冇)"),
            Some(vec!["没有".into(), "木有".into(), "冇".into()])
        );
        assert!(matches!(
            literals(r"\$?\{\{?[^{}\n]{0,30}\}\}?").as_deref(),
            Some([b]) if b == "{" || b == "}"
        ));
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
