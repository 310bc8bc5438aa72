//! What can excuse a candidate match — an exception or allowed phrase around
//! it, a quotation around it, a softening phrase before it — asked in
//! logarithmic time, so that a reply with many matches and many excuses
//! costs O(n log n), not the product of the two.

use std::ops::Range;

use crate::matcher::Hit;

/// Spans grouped by rule and sorted by start, each with the largest end of
/// its group so far: a span of rule `r` contains `s` exactly when, among the
/// spans of `r` starting at or before `s`, the largest end reaches `s.end`.
#[derive(Default)]
pub(crate) struct Covers {
    /// `(rule, start, largest end of the rule's spans up to this one)`.
    spans: Vec<(usize, usize, usize)>,
}

impl Covers {
    /// Replaces the spans with `hits`.
    pub fn rebuild(&mut self, hits: &[Hit]) {
        self.spans.clear();
        self.spans
            .extend(hits.iter().map(|h| (h.rule, h.span.start, h.span.end)));
        self.spans.sort_unstable();
        let mut last: Option<(usize, usize)> = None;
        for (rule, _, end) in &mut self.spans {
            if let Some((r, reach)) = last
                && r == *rule
            {
                *end = (*end).max(reach);
            }
            last = Some((*rule, *end));
        }
    }

    /// Whether a span of `rule` contains `span`.
    pub fn contains(&self, rule: usize, span: &Range<usize>) -> bool {
        let after = self
            .spans
            .partition_point(|&(r, start, _)| (r, start) <= (rule, span.start));
        after
            .checked_sub(1)
            .is_some_and(|i| self.spans[i].0 == rule && self.spans[i].2 >= span.end)
    }
}

/// Whether one of `spans` (sorted, not overlapping) contains `span`.
pub(crate) fn inside_any(spans: &[Range<usize>], span: &Range<usize>) -> bool {
    let after = spans.partition_point(|q| q.start <= span.start);
    after.checked_sub(1).is_some_and(|i| spans[i].end >= span.end)
}

/// Softening phrases by rule, sorted by end, and where the clauses of the
/// text end.
#[derive(Default)]
pub(crate) struct Softeners {
    /// `(rule, end)` of each softening phrase.
    ends: Vec<(usize, usize)>,
    /// Byte offsets of the characters that end a clause.
    clause_ends: Vec<usize>,
}

impl Softeners {
    /// Replaces the phrases with `hits` in `text`; `ends_clause` says which
    /// characters end a clause.
    pub fn rebuild(&mut self, hits: &[Hit], text: &str, ends_clause: impl Fn(char) -> bool) {
        self.ends.clear();
        self.clause_ends.clear();
        if hits.is_empty() {
            return;
        }
        self.ends.extend(hits.iter().map(|h| (h.rule, h.span.end)));
        self.ends.sort_unstable();
        self.clause_ends
            .extend(text.char_indices().filter(|&(_, c)| ends_clause(c)).map(|(i, _)| i));
    }

    /// Whether a phrase of `rule` ends at or before `start`, and — unless
    /// `whole_reply` — in the same clause. The phrase ending last is the one
    /// to ask: the clause ends between any other and `start` include its own.
    pub fn soften(&self, rule: usize, start: usize, whole_reply: bool) -> bool {
        let after = self.ends.partition_point(|&e| e <= (rule, start));
        let Some(&(r, end)) = after.checked_sub(1).map(|i| &self.ends[i]) else {
            return false;
        };
        if r != rule {
            return false;
        }
        if whole_reply {
            return true;
        }
        let next = self.clause_ends.partition_point(|&at| at < end);
        self.clause_ends.get(next).is_none_or(|&at| at >= start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(rule: usize, span: Range<usize>) -> Hit {
        Hit { rule, span }
    }

    #[test]
    fn covers_answer_containment_per_rule() {
        let mut covers = Covers::default();
        covers.rebuild(&[hit(1, 0..10), hit(1, 2..4), hit(2, 5..6), hit(usize::MAX, 20..30)]);
        assert!(covers.contains(1, &(3..9)));
        assert!(covers.contains(1, &(0..10)));
        assert!(!covers.contains(1, &(3..11)));
        assert!(!covers.contains(2, &(3..4)));
        assert!(covers.contains(2, &(5..6)));
        assert!(covers.contains(usize::MAX, &(21..29)));
        assert!(!covers.contains(0, &(1..2)));
    }

    #[test]
    fn quotations_contain_by_binary_search() {
        let quotes = [0..3, 5..9, 12..20];
        assert!(inside_any(&quotes, &(6..9)));
        assert!(!inside_any(&quotes, &(8..10)));
        assert!(!inside_any(&quotes, &(3..4)));
        assert!(inside_any(&quotes, &(12..20)));
    }

    #[test]
    fn softeners_stand_before_in_the_same_clause() {
        let text = "ab,cd";
        let mut soft = Softeners::default();
        soft.rebuild(&[hit(0, 0..1)], text, |c| c == ',');
        assert!(soft.soften(0, 1, false));
        assert!(!soft.soften(0, 3, false));
        assert!(soft.soften(0, 3, true));
        assert!(!soft.soften(1, 3, true));
        assert!(!soft.soften(0, 0, true));
    }
}
