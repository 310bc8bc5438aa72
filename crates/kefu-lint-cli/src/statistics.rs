//! `--statistics`: how many findings each rule has, most first (then by
//! rule id), as a table (`--format human` or `concise`) or as one JSON
//! object (`--format json`):
//!
//! ```json
//! {
//!   "rules": [{"id": "KF011", "name": "ni-instead-of-nin", "severity": "warning", "count": 3}],
//!   "totals": {"findings": 3, "error": 0, "warning": 3, "info": 0, "replies": 12, "inputs": 2,
//!              "unreadable_inputs": 1, "unreadable_rows": 0, "skipped_inputs": 0,
//!              "unchecked_inputs": 0}
//! }
//! ```
//!
//! `inputs` counts every input named or found, read or not; of them,
//! `unreadable_inputs` could not be read and `skipped_inputs` were skipped
//! (binary, under `--binary skip`); `unreadable_rows` are rows or messages
//! of inputs otherwise read; `unchecked_inputs` were read but none of
//! their messages is an agent's, so nothing in them was checked (exit 2).
//! `severity` is the one the rule ran with (after the configuration and
//! `--severity`); a rule with no finding is not listed; findings covered by
//! a `--baseline` are not counted.

use std::io::{self, Write};
use std::sync::Arc;

use kefu_lint::Severity;
use serde::Serialize;

/// A rule's id, name and severity.
pub type RuleKey = (Arc<str>, Arc<str>, Severity);

/// What the totals count.
#[derive(Debug, Serialize)]
pub struct Totals {
    /// Findings of every rule.
    pub findings: usize,
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity info.
    pub info: usize,
    /// Replies checked.
    pub replies: usize,
    /// Inputs named or found (read or not).
    pub inputs: usize,
    /// Inputs that could not be read.
    pub unreadable_inputs: usize,
    /// Rows (or messages) that could not be read, of inputs otherwise read.
    pub unreadable_rows: usize,
    /// Inputs skipped (binary, under `--binary skip`).
    pub skipped_inputs: usize,
    /// Inputs read whose senders include no agent: nothing in them checked.
    pub unchecked_inputs: usize,
}

#[derive(Serialize)]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    severity: Severity,
    count: usize,
}

#[derive(Serialize)]
struct Statistics<'a> {
    rules: Vec<Rule<'a>>,
    totals: &'a Totals,
}

/// The rules of `by_rule` with their counts, most first, then by id.
fn sorted(by_rule: &[(RuleKey, usize)]) -> Vec<&(RuleKey, usize)> {
    let mut rows: Vec<_> = by_rule.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// Writes the table: a line per rule, `count  id  severity  name`.
///
/// # Errors
/// Writing to `out` failed.
pub fn table(by_rule: &[(RuleKey, usize)], out: &mut dyn Write) -> io::Result<()> {
    for ((id, name, severity), n) in sorted(by_rule) {
        writeln!(out, "{n:>7}  {id}  {severity:<7}  {name}")?;
    }
    Ok(())
}

/// Writes the JSON object (see the module's documentation) and a line end.
///
/// # Errors
/// Writing to `out` failed.
pub fn json(by_rule: &[(RuleKey, usize)], totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
    let rules = sorted(by_rule)
        .into_iter()
        .map(|((id, name, severity), count)| Rule {
            id,
            name,
            severity: *severity,
            count: *count,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &Statistics { rules, totals })?;
    writeln!(out)
}
