//! Findings as the native API answers them: the core's [`Finding`] with
//! every offset in bytes, code points and UTF-16 code units.

use std::ops::Range;
use std::sync::Arc;

use kefu_lint::{Applicability, Finding, Rule, Severity};
use serde::Serialize;

use kefu_lint::offsets::Cursor;

/// A span of the text as sent: `start`/`end` in bytes of UTF-8,
/// `char_start`/`char_end` in code points (Python's `text[a:b]`),
/// `utf16_start`/`utf16_end` in UTF-16 code units (JavaScript's `slice`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// First code point.
    pub char_start: usize,
    /// One past the last code point.
    pub char_end: usize,
    /// First UTF-16 code unit.
    pub utf16_start: usize,
    /// One past the last UTF-16 code unit.
    pub utf16_end: usize,
}

impl Span {
    /// The span of the bytes `range`, read with `cursor`.
    pub fn of(cursor: &mut Cursor<'_>, range: &Range<usize>) -> Span {
        let start = cursor.at(range.start);
        let end = cursor.at(range.end);
        Span {
            start: start.byte,
            end: end.byte,
            char_start: start.char,
            char_end: end.char,
            utf16_start: start.utf16,
            utf16_end: end.utf16,
        }
    }
}

/// One edit of a fix: replace the span with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditJson {
    /// Where.
    #[serde(flatten)]
    pub span: Span,
    /// What to put there.
    pub replacement: String,
}

/// A finding's fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FixJson {
    /// `safe`, `unsafe` or `display-only`.
    pub applicability: Applicability,
    /// Non-overlapping edits, in order.
    pub edits: Vec<EditJson>,
}

/// One finding of the native API. The rule's texts are shared with the
/// linter (an answer allocates no copy of them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingJson {
    /// Rule id, such as `KF001`.
    pub rule: Arc<str>,
    /// Rule name, such as `negative-ability`.
    pub name: Arc<str>,
    /// Rule category.
    pub category: Arc<str>,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// What is wrong, in the reply's script.
    pub message: Arc<str>,
    /// The text at the span.
    pub matched: String,
    /// Courteous rewrites, in the reply's script.
    pub suggestions: Arc<[String]>,
    /// `hans` or `hant`: the script of the message, suggestions and fix.
    pub script: &'static str,
    /// Where.
    #[serde(flatten)]
    pub span: Span,
    /// The automatic rewrite, if the rule has one.
    pub fix: Option<FixJson>,
}

/// The first findings of `found`, in order, that an answer lists within
/// `left`, what is left of the request's `--max-findings`: each counts once
/// per edit of its fix (at least once), so that one finding with an edit
/// per repeated character cannot grow an answer past the limit. The list
/// stops at the first finding that does not fit, so an answer never shows
/// a later, lesser finding in place of an earlier one. `left` loses what
/// they count, and is 0 once one did not fit.
pub fn shown<'a>(found: impl IntoIterator<Item = &'a Finding>, left: &mut usize) -> Vec<&'a Finding> {
    let mut shown = Vec::new();
    for finding in found {
        let cost = finding.fix.as_ref().map_or(1, |fix| fix.edits.len().max(1));
        if cost > *left {
            *left = 0;
            break;
        }
        *left -= cost;
        shown.push(finding);
    }
    shown
}

/// The findings of `text` (in order of their spans) in the native API's form.
pub fn to_json<'a>(text: &str, findings: impl IntoIterator<Item = &'a Finding>) -> Vec<FindingJson> {
    let mut cursor = Cursor::new(text);
    findings
        .into_iter()
        .map(|f| FindingJson {
            rule: f.rule.clone(),
            name: f.name.clone(),
            category: f.category.clone(),
            severity: f.severity,
            message: f.message.clone(),
            matched: f.matched.clone(),
            suggestions: f.suggestions.clone(),
            script: f.script.as_str(),
            span: Span::of(&mut cursor, &f.span),
            fix: f.fix.as_ref().map(|fix| FixJson {
                applicability: fix.applicability,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| EditJson {
                        span: Span::of(&mut cursor, &e.range),
                        replacement: e.replacement.clone(),
                    })
                    .collect(),
            }),
        })
        .collect()
}

/// How many findings of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
}

impl Counts {
    /// The counts of findings of these severities.
    pub fn of(severities: impl IntoIterator<Item = Severity>) -> Counts {
        let mut counts = Counts::default();
        for severity in severities {
            counts.add(severity, 1);
        }
        counts
    }

    /// Adds `n` findings of `severity`.
    fn add(&mut self, severity: Severity, n: usize) {
        match severity {
            Severity::Error => self.error += n,
            Severity::Warning => self.warning += n,
            Severity::Info => self.info += n,
        }
    }

    /// The sum of these and `other`.
    pub fn plus(mut self, other: Counts) -> Counts {
        self.add(Severity::Error, other.error);
        self.add(Severity::Warning, other.warning);
        self.add(Severity::Info, other.info);
        self
    }

    /// Whether any finding is at least `level`.
    pub fn reach(self, level: Severity) -> bool {
        [
            (Severity::Error, self.error),
            (Severity::Warning, self.warning),
            (Severity::Info, self.info),
        ]
        .iter()
        .any(|&(severity, n)| severity >= level && n > 0)
    }
}

/// A rule as `GET /v1/rules` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleJson {
    /// Stable id, such as `KF001`.
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// Family of forbidden language.
    pub category: String,
    /// `error`, `warning` or `info` (as the configuration sets it).
    pub severity: Severity,
    /// One-line English summary.
    pub summary: String,
    /// What is wrong, in Chinese (Simplified).
    pub message: String,
    /// Courteous rewrites (Simplified).
    pub suggestions: Vec<String>,
    /// The applicability of its automatic rewrite, if it has one.
    pub fix: Option<Applicability>,
    /// `draft`, `library`: the modes it applies in.
    pub modes: Vec<kefu_lint::Mode>,
    /// The guideline it comes from.
    pub source: String,
}

impl From<&Rule> for RuleJson {
    fn from(rule: &Rule) -> RuleJson {
        RuleJson {
            id: rule.id.to_string(),
            name: rule.name.to_string(),
            category: rule.category.to_string(),
            severity: rule.severity,
            summary: rule.summary.clone(),
            message: rule.message.to_string(),
            suggestions: rule.suggestions.to_vec(),
            fix: rule.fix.as_ref().map(|f| f.applicability),
            modes: rule.modes.clone(),
            source: rule.source.cited().to_owned(),
        }
    }
}
