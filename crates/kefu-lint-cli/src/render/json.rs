//! The JSON shape of a finding, shared by `json`, `jsonl` and the baseline.

use kefu_lint::Severity;
use serde::Serialize;

use super::Located;

/// The JSON shape of a finding.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    line: usize,
    column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    column_name: Option<&'a str>,
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
    replacement: &'a str,
}

impl<'a> From<&'a Located<'a>> for JsonFinding<'a> {
    fn from(at: &'a Located<'a>) -> Self {
        let f = at.finding;
        JsonFinding {
            path: at.path,
            sheet: at.record.sheet.as_deref(),
            line: at.start.line,
            column: at.start.column,
            column_name: at.record.column.as_deref(),
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
                edits: fix
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start: e.range.start,
                        end: e.range.end,
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
            context: at
                .record
                .context
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect(),
            fingerprint: format!("{:016x}", at.fingerprint),
        }
    }
}
