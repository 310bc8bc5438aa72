//! The JSON shape of a finding, shared by `json`, `jsonl` and the baseline.
//!
//! What a finding carries of its row is bounded, so that output grows with
//! the input, not with the row's size times its findings: `context` holds
//! at most [`CONTEXT_COLUMNS`] of the row's other columns, and each header
//! and value of it, like `column_name`, at most [`CONTEXT_CHARS`]
//! characters (cut with `…`).

use std::borrow::Cow;

use kefu_lint::{Edit, Severity};
use serde::Serialize;

use super::Located;
use super::window::cut;

/// At most this many of the row's other columns go into a finding's
/// `context` (the first ones, in the row's order).
pub const CONTEXT_COLUMNS: usize = 8;
/// At most this many characters of a context header or value, or of the
/// reply column's header (`column_name`); a longer one is cut and ends in `…`.
pub const CONTEXT_CHARS: usize = 200;

/// The JSON shape of a finding.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    line: usize,
    column: usize,
    reply_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    column_name: Option<Cow<'a, str>>,
    rule: &'a str,
    name: &'a str,
    category: &'a str,
    severity: Severity,
    message: &'a str,
    start: usize,
    end: usize,
    matched: &'a str,
    suggestions: &'a [String],
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    context: serde_json::Map<String, serde_json::Value>,
    fingerprint: String,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    replacement: Cow<'a, str>,
}

/// `edits` (in order, not overlapping) with each run of edits that follow
/// on one another joined into one: a fix of a run of 40,000 characters,
/// made character by character, is one edit.
fn joined(edits: &[Edit]) -> Vec<JsonEdit<'_>> {
    let mut out: Vec<JsonEdit<'_>> = Vec::new();
    for e in edits {
        match out.last_mut() {
            Some(last) if last.end == e.range.start => {
                last.end = e.range.end;
                last.replacement.to_mut().push_str(&e.replacement);
            }
            _ => out.push(JsonEdit {
                start: e.range.start,
                end: e.range.end,
                replacement: Cow::Borrowed(&e.replacement),
            }),
        }
    }
    out
}

impl<'a> From<&'a Located<'a>> for JsonFinding<'a> {
    fn from(at: &'a Located<'a>) -> Self {
        let f = at.finding;
        JsonFinding {
            path: at.path,
            sheet: at.record.sheet.as_deref(),
            line: at.start.line,
            column: at.start.column,
            reply_column: at.start.reply_column,
            column_name: at.record.column.as_deref().map(|c| cut(c, CONTEXT_CHARS)),
            rule: &f.rule,
            name: &f.name,
            category: &f.category,
            severity: f.severity,
            message: &f.message,
            start: f.span.start,
            end: f.span.end,
            matched: &f.matched,
            suggestions: &f.suggestions,
            fix: f.fix.as_ref().map(|fix| JsonFix {
                applicability: fix.applicability.as_str(),
                edits: joined(&fix.edits),
            }),
            context: at
                .record
                .context
                .iter()
                .take(CONTEXT_COLUMNS)
                .map(|(k, v)| {
                    (
                        cut(k, CONTEXT_CHARS).into_owned(),
                        cut(v, CONTEXT_CHARS).into_owned().into(),
                    )
                })
                .collect(),
            fingerprint: format!("{:016x}", at.fingerprint),
        }
    }
}
