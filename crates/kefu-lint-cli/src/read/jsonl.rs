//! JSON Lines chat logs: one message per line; only agent turns are checked.

use serde_json::Value;

use super::{Document, Options, Problem, Record};

/// Roles checked when `--agent-role` is not given.
pub const AGENT_ROLES: &[&str] = &["assistant", "agent", "客服", "staff", "seller", "service"];

/// Reads messages; lines that are not JSON objects or lack the text are
/// problems. `text` starts at line `first_line` of the input.
pub fn read(text: &str, first_line: usize, opts: &Options, doc: &mut Document) -> Result<(), String> {
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let line_start = start;
        start += line.len() + 1;
        let body = line.strip_suffix('\r').unwrap_or(line);
        if body.trim().is_empty() {
            continue;
        }
        let problem = |message: String| Problem {
            line: first_line + i,
            message,
        };
        let value: Value = match serde_json::from_str(body) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                doc.problems.push(problem("not a JSON object".into()));
                continue;
            }
            Err(e) => {
                doc.problems.push(problem(format!("invalid JSON: {e}")));
                continue;
            }
        };
        if let Some(role) = lookup(&value, &opts.role_field) {
            let role = role.as_str().unwrap_or_default();
            let agent = if opts.agent_roles.is_empty() {
                AGENT_ROLES.iter().any(|r| r.eq_ignore_ascii_case(role))
            } else {
                opts.agent_roles.iter().any(|r| r.eq_ignore_ascii_case(role))
            };
            if !agent {
                continue;
            }
        }
        let fields: Vec<&str> = opts.field.as_deref().map_or(vec!["content", "text"], |f| vec![f]);
        let Some(reply) = fields.iter().find_map(|f| lookup(&value, f)) else {
            doc.problems.push(problem(format!("no field {}", fields.join(" or "))));
            continue;
        };
        let Some(reply) = reply.as_str() else {
            doc.problems.push(problem("the message text is not a string".into()));
            continue;
        };
        if reply.trim().is_empty() {
            continue;
        }
        // The literal is the field's own only if no other key or value reads the same.
        let span = (strings_equal(&value, reply) == 1)
            .then(|| string_span(body, reply))
            .flatten();
        let column_offset = span.as_ref().map_or(0, |r| body[..r.start].chars().count() + 1);
        doc.records.push(Record {
            line: first_line + i,
            text: reply.to_owned(),
            column_offset,
            raw: span.map(|r| line_start + r.start..line_start + r.end),
            ..Record::default()
        });
    }
    Ok(())
}

/// The value at a dotted path (`message.content`).
fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// How many keys and string values of `value` equal `text`.
fn strings_equal(value: &Value, text: &str) -> usize {
    match value {
        Value::String(s) => usize::from(s == text),
        Value::Array(items) => items.iter().map(|v| strings_equal(v, text)).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| usize::from(k == text) + strings_equal(v, text))
            .sum(),
        _ => 0,
    }
}

/// Where `text`, written as a JSON string the canonical way, stands in
/// `line`, if it stands there exactly once.
fn string_span(line: &str, text: &str) -> Option<std::ops::Range<usize>> {
    let literal = serde_json::to_string(text).ok()?;
    let mut found = line.match_indices(&literal);
    let (at, _) = found.next()?;
    found.next().is_none().then(|| at..at + literal.len())
}
