//! `kefu-lint eval`: precision and recall of the rules on a labelled set.
//!
//! The set is JSON Lines, one reply per line:
//! `{"id": 1, "script": "hans", "text": "…", "expect": [{"family": "but", "text": "但是"}]}`
//! (`script` is `hans` or `hant`; optional `noise` and `quoted` flags mark
//! replies written to test folding and quotation handling). Only warning and
//! error findings count. A finding matches an expectation of the same family
//! whose text it overlaps; the n-th expectation with a given text is the n-th
//! occurrence of that text in the reply.
//!
//! Instead of `"text"`, a case may point into a corpus that must not be
//! copied into the set: `"from": "<path>:<line>"`, the path relative to the
//! set file's directory and the line counted from 1; the reply is that line
//! without its line ending. An optional `"origin"` string is a label for
//! readers (where the corpus comes from). A case has exactly one of `text`
//! and `from`. A reference that cannot be read (file missing, line past the
//! end, not UTF-8) is an error naming the set's line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use kefu_lint::{Finding, Linter, Severity};

use crate::render::visible::visible;
use crate::render::window::{Window, shorten};
use reference::References;
use serde::Deserialize;

mod reference;

/// One line of a labelled set, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    id: u64,
    script: String,
    #[serde(default)]
    text: Option<String>,
    /// `<path>:<line>` of a corpus line, instead of `text`.
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    #[allow(dead_code)] // a label for readers of the set
    origin: Option<String>,
    expect: Vec<Expected>,
    #[serde(default)]
    #[allow(dead_code)] // a label for readers of the set
    noise: bool,
    #[serde(default)]
    #[allow(dead_code)] // a label for readers of the set
    quoted: bool,
}

/// One labelled reply, its text read.
#[derive(Debug)]
pub struct Case {
    id: u64,
    script: String,
    text: String,
    expect: Vec<Expected>,
}

/// A finding the reply must produce.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    family: String,
    text: String,
}

/// True positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// A miss or a false alarm, for the listing.
struct Error {
    id: u64,
    script: String,
    family: String,
    matched: String,
    reply: String,
}

/// The scores of one run.
#[derive(Default)]
pub struct Report {
    overall: Counts,
    by_script: BTreeMap<String, Counts>,
    by_family: BTreeMap<String, Counts>,
    misses: Vec<Error>,
    false_alarms: Vec<Error>,
}

/// What one case looks like, for messages about a file that holds none.
const A_CASE: &str = r#"{"id": 1, "script": "hans", "text": "…", "expect": [{"family": "but", "text": "但是"}]}"#;

/// Parses a labelled set and reads the corpus lines its cases point to,
/// relative to `dir` (the set file's directory).
///
/// # Errors
/// A set with no case, a line that is not a case (not a JSON object, or
/// one without the fields of a case), or whose `from` cannot be read; the
/// message names the set's line and says what a case looks like.
pub fn parse(text: &str, dir: &Path) -> Result<Vec<Case>, String> {
    // A byte order mark (Notepad writes one) is no part of the first case.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cases = Vec::new();
    let mut references = References::default();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = i + 1;
        let written: Written = serde_json::from_str(line).map_err(|e| match one_document(text) {
            Some(lines) => format!(
                "not JSON Lines: the file is one JSON document over {lines} lines (pretty-printed; a chat log is checked with `kefu-lint check`); eval reads a labelled set, JSON Lines, one whole case per line, such as {A_CASE}"
            ),
            None if e.is_eof() => format!(
                "line {at}: the case does not end on its line; eval reads JSON Lines, one whole case per line, such as {A_CASE}"
            ),
            None => not_a_case(at, line, &e),
        })?;
        if written.script != "hans" && written.script != "hant" {
            return Err(format!("line {at}: script must be \"hans\" or \"hant\""));
        }
        if written.expect.iter().any(|e| e.text.is_empty()) {
            return Err(format!(
                "line {at}: an expected text is empty; it names the words the finding must cover"
            ));
        }
        let text = match (written.text, written.from) {
            (Some(text), None) => text,
            (None, Some(from)) => {
                references.push(at, cases.len(), from)?;
                String::new()
            }
            _ => return Err(format!("line {at}: a case has exactly one of \"text\" and \"from\"")),
        };
        cases.push(Case {
            id: written.id,
            script: written.script,
            text,
            expect: written.expect,
        });
    }
    if cases.is_empty() {
        return Err(format!(
            "no cases: the file is empty; eval reads JSON Lines, one labelled reply per line, such as {A_CASE}"
        ));
    }
    for (case, text) in references.resolve(dir)? {
        cases[case].text = text;
    }
    Ok(cases)
}

/// The number of lines of `text` when it is one JSON document written over
/// several lines (as a pretty-printed `.json` file is), else `None`.
fn one_document(text: &str) -> Option<usize> {
    let lines = text.trim().lines().count();
    (lines > 1 && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()).then_some(lines)
}

/// Why line `at` of a set, `line`, is not a case (`error` being serde_json's
/// word on it), in plain words.
fn not_a_case(at: usize, line: &str, error: &serde_json::Error) -> String {
    let shown =
        |what: &str| format!("line {at}: {what}; eval reads JSON Lines, one labelled reply per line, such as {A_CASE}");
    match line.trim_start().chars().next() {
        Some('[') => shown("a JSON array, not a case"),
        Some('{') => {
            // serde_json counts lines within the one line it was given: name the column only.
            format!(
                "line {at}, column {}: not a labelled case: {}; a case looks like {A_CASE}",
                error.column(),
                without_position(error)
            )
        }
        _ => shown("not a JSON object"),
    }
}

/// Checks every case and scores the findings.
pub fn score(linter: &Linter, cases: &[Case]) -> Result<Report, String> {
    let mut families: Vec<&str> = linter
        .rules()
        .iter()
        .filter(|r| r.severity >= Severity::Warning)
        .map(|r| &*r.category)
        .collect();
    families.sort_unstable();
    families.dedup();
    if let Some((case, expected)) = cases
        .iter()
        .flat_map(|c| c.expect.iter().map(move |e| (c, e)))
        .find(|(_, e)| families.binary_search(&e.family.as_str()).is_err())
    {
        return Err(format!(
            "case {}: no rule has the family {:?}; the families are: {}",
            case.id,
            expected.family,
            families.join(", ")
        ));
    }
    let mut report = Report::default();
    for case in cases {
        let findings: Vec<Finding> = linter
            .check(&case.text)
            .into_iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        let mut used = vec![false; findings.len()];
        // Findings are in order of start; none is longer than this.
        let longest = findings.iter().map(|f| f.span.len()).max().unwrap_or(0);
        // Where the next occurrence of each expected text is looked for.
        let mut next: BTreeMap<&str, usize> = BTreeMap::new();
        for expected in &case.expect {
            let from = next.entry(&expected.text).or_default();
            let span = next_occurrence(&case.text, &expected.text, *from).ok_or_else(|| match *from {
                0 => format!("case {}: expected text {:?} is not in the reply", case.id, expected.text),
                _ => format!(
                    "case {}: expected text {:?} is listed more times than the reply holds it (each listing is one occurrence)",
                    case.id, expected.text
                ),
            })?;
            *from = span.end;
            // Only findings starting within `longest` bytes before the span can overlap it.
            let first = findings.partition_point(|f| f.span.start + longest < span.start);
            let last = findings.partition_point(|f| f.span.start < span.end);
            let hit = (first..last)
                .find(|&i| !used[i] && *findings[i].category == expected.family && overlaps(&findings[i].span, &span));
            let counts = report.by_family.entry(expected.family.clone()).or_default();
            match hit {
                Some(i) => {
                    used[i] = true;
                    counts.tp += 1;
                    report.overall.tp += 1;
                    report.by_script.entry(case.script.clone()).or_default().tp += 1;
                }
                None => {
                    counts.fn_ += 1;
                    report.overall.fn_ += 1;
                    report.by_script.entry(case.script.clone()).or_default().fn_ += 1;
                    report.misses.push(error(case, &expected.family, span));
                }
            }
        }
        for (f, _) in findings.iter().zip(&used).filter(|(_, used)| !**used) {
            report.by_family.entry(f.category.to_string()).or_default().fp += 1;
            report.overall.fp += 1;
            report.by_script.entry(case.script.clone()).or_default().fp += 1;
            report
                .false_alarms
                .push(error(case, &format!("{} {}", f.rule, f.category), f.span.clone()));
        }
    }
    Ok(report)
}

/// A miss or false alarm at `span` of `case`'s reply, which the listing
/// shows in a window around the span (so the listing grows with the number
/// of errors, not with it times the reply's length).
fn error(case: &Case, family: &str, span: Range<usize>) -> Error {
    Error {
        id: case.id,
        script: case.script.clone(),
        family: family.to_owned(),
        matched: visible(&shorten(&case.text[span.clone()])).into_owned(),
        reply: Window::new(&case.text, span).text,
    }
}

/// The first occurrence of `needle` in `haystack` at or after byte `from`
/// (the n-th expectation of a text is the n-th occurrence, not overlapping).
fn next_occurrence(haystack: &str, needle: &str, from: usize) -> Option<Range<usize>> {
    let at = from + haystack.get(from..)?.find(needle)?;
    Some(at..at + needle.len())
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

impl Report {
    /// Scripts whose precision or recall is below the targets, with their figures.
    pub fn below(&self, min_precision: f64, min_recall: f64) -> Vec<String> {
        self.by_script
            .iter()
            .filter(|(_, c)| c.precision() < min_precision || c.recall() < min_recall)
            .map(|(s, c)| format!("{s}: precision {:.3}, recall {:.3}", c.precision(), c.recall()))
            .collect()
    }

    /// The tables and the listing of every miss and false alarm.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let row = |out: &mut String, label: &str, c: Counts| {
            let _ = writeln!(
                out,
                "{label:<24} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>7.3}",
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        let _ = writeln!(
            out,
            "{:<24} {:>5} {:>5} {:>5} {:>9} {:>7} {:>7}",
            "", "TP", "FP", "FN", "precision", "recall", "F1"
        );
        row(&mut out, "overall", self.overall);
        for (script, c) in &self.by_script {
            row(&mut out, &format!("script {script}"), *c);
        }
        for (family, c) in &self.by_family {
            row(&mut out, family, *c);
        }
        for (title, list) in [("Misses", &self.misses), ("False alarms", &self.false_alarms)] {
            let _ = writeln!(out, "\n{title} ({}):", list.len());
            for e in list {
                let _ = writeln!(
                    out,
                    "  #{} [{}] {} \"{}\" in \"{}\"",
                    e.id, e.script, e.family, e.matched, e.reply
                );
            }
        }
        out
    }
}

/// A JSON error's message without serde_json's own "at line L column C".
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hits_misses_and_false_alarms() {
        let set = concat!(
            r#"{"id": 1, "script": "hans", "text": "我们保证明天到货哦", "expect": [{"family": "over-promise", "text": "保证"}]}"#,
            "\n",
            r#"{"id": 2, "script": "hant", "text": "您好,請稍等喔", "expect": [{"family": "but", "text": "稍等"}]}"#,
            "\n",
            r#"{"id": 3, "script": "hans", "text": "但是要等三天哦", "expect": []}"#,
        );
        let cases = parse(set, Path::new(".")).expect("valid set");
        let report = score(&Linter::builtin(), &cases).expect("scored");
        assert_eq!(report.overall, Counts { tp: 1, fp: 1, fn_: 1 });
        assert_eq!(report.by_script["hans"], Counts { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(report.by_script["hant"], Counts { tp: 0, fp: 0, fn_: 1 });
        assert_eq!(report.misses[0].id, 2);
        assert_eq!(report.false_alarms[0].matched, "但是");
        assert_eq!(report.below(0.97, 0.95).len(), 2);
    }

    #[test]
    fn rejects_bad_sets() {
        let error = parse("{\"id\": 1}", Path::new(".")).unwrap_err();
        assert!(error.starts_with("line 1, column "), "{error}");
        assert!(error.contains("missing field `script`"), "{error}");
        for (set, start) in [
            ("", "no cases: the file is empty; "),
            ("\n \n", "no cases: the file is empty; "),
            ("id,text\n1,你好\n", "line 1: not a JSON object; "),
            ("\n[{\"id\": 1}]", "line 2: a JSON array, not a case; "),
        ] {
            let error = parse(set, Path::new(".")).unwrap_err();
            assert!(error.starts_with(start), "{set:?}: {error}");
            assert!(error.contains("eval reads JSON Lines"), "{error}");
        }
        assert!(!error.contains(" at line "), "one line number only: {error}");
        let cases = parse(
            r#"{"id": 7, "script": "hans", "text": "好的", "expect": [{"family": "but", "text": "但是"}]}"#,
            Path::new("."),
        )
        .expect("valid JSON");
        let err = score(&Linter::builtin(), &cases)
            .err()
            .expect("missing text is an error");
        assert_eq!(err, "case 7: expected text \"但是\" is not in the reply");
    }
}
