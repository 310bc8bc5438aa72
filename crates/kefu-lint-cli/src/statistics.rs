//! `--statistics`: how many findings each rule has, most first (then by
//! rule id), as a table (`--format human` or `concise`) or as one JSON
//! object (`--format json`):
//!
//! ```json
//! {
//!   "rules": [{"id": "KF011", "name": "ni-instead-of-nin", "severity": "warning", "count": 3}],
//!   "totals": {"findings": 3, "error": 0, "warning": 3, "info": 0, "replies": 12, "inputs": 2,
//!              "unreadable_inputs": 1, "unreadable_rows": 0, "unreadable_sheets": 0,
//!              "skipped_inputs": 0, "unchecked_inputs": 0}
//! }
//! ```
//!
//! `inputs` counts every input named or found, read or not; of them,
//! `unreadable_inputs` could not be read and `skipped_inputs` were skipped
//! (binary, under `--binary skip`); `unreadable_rows` are rows or messages
//! of inputs otherwise read, `unreadable_sheets` workbook sheets left
//! unread or read only in part; `unchecked_inputs` were read but none of
//! their messages is an agent's, so nothing in them was checked (exit 2).
//! With `--by agent` or `--by session`, the findings are counted per agent
//! or per session instead (the `agent` or `session` field of the message,
//! the column of that name in a table; `(none)` without one), most first:
//! a table `count  error  warning  info  name`, or
//! `{"agents": [{"agent": "小美", "count": 4, "error": 1, "warning": 2, "info": 1}], "totals": {…}}`
//! (`"sessions"` and `"session"` for `--by session`).
//!
//! `severity` is the one the rule ran with (after the configuration and
//! `--severity`); a rule with no finding is not listed; findings covered by
//! a `--baseline` are not counted.

use std::collections::HashMap;
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
    /// Workbook sheets left unread or read only in part (no reply column,
    /// damaged), of workbooks otherwise read.
    pub unreadable_sheets: usize,
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

/// What `--statistics` counts findings by (`--by`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Per rule.
    #[default]
    Rule,
    /// Per agent: the `agent` field of a chat log's message (a table's `agent` column).
    Agent,
    /// Per session: the `session` field of a chat log's message (a table's `session` column).
    Session,
}

impl By {
    /// The context key findings are grouped by; `None` for rules.
    pub fn key(self) -> Option<&'static str> {
        match self {
            By::Rule => None,
            By::Agent => Some("agent"),
            By::Session => Some("session"),
        }
    }
}

/// What a group is called when its findings have no value for the key.
pub const NO_GROUP: &str = "(none)";

/// Findings per group (agent or session), per severity: `[info, warning, error]`.
pub type Groups = HashMap<String, [usize; 3]>;

/// The groups, most findings first, then by name.
fn sorted_groups(groups: &Groups) -> Vec<(&String, usize, &[usize; 3])> {
    let mut rows: Vec<_> = groups
        .iter()
        .map(|(name, n)| (name, n.iter().sum::<usize>(), n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    rows
}

/// Writes the table of groups: a line per group, `count  error  warning  info  name`.
///
/// # Errors
/// Writing to `out` failed.
pub fn group_table(groups: &Groups, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:>7}  {:>5}  {:>7}  {:>5}  name",
        "count", "error", "warning", "info"
    )?;
    for (name, count, [info, warning, error]) in sorted_groups(groups) {
        let name = crate::render::visible::visible(name);
        writeln!(out, "{count:>7}  {error:>5}  {warning:>7}  {info:>5}  {name}")?;
    }
    Ok(())
}

/// Writes the JSON object of groups by `key` (see the module's documentation) and a line end.
///
/// # Errors
/// Writing to `out` failed.
pub fn group_json(key: &str, groups: &Groups, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<serde_json::Value> = sorted_groups(groups)
        .into_iter()
        .map(|(name, count, [info, warning, error])| {
            serde_json::json!({ key: name, "count": count, "error": error, "warning": warning, "info": info })
        })
        .collect();
    let object = serde_json::json!({ format!("{key}s"): rows, "totals": totals });
    serde_json::to_writer_pretty(&mut *out, &object)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_most_first_with_their_severities() {
        let groups: Groups = [
            ("小美".to_owned(), [1, 2, 0]),
            ("阿强".to_owned(), [0, 0, 1]),
            ("(none)".to_owned(), [0, 1, 0]),
        ]
        .into_iter()
        .collect();
        let mut out = Vec::new();
        group_table(&groups, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "      3      0        2      1  小美");
        assert!(lines[2].ends_with("(none)") && lines[3].ends_with("阿强"), "{text}");
    }
}
