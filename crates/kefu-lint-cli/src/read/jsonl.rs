//! JSON Lines chat logs: one message per line; only agent turns are checked.

use serde_json::Value;

use super::{Document, Options, Problem, Record};

/// Roles checked when `--agent-role` is not given.
pub const AGENT_ROLES: &[&str] = &["assistant", "agent", "客服", "staff", "seller", "service"];

/// Roles of the other side, never checked. A role in neither list is a
/// problem for its line: a log whose agent turns say `bot` must not pass a
/// CI gate with nothing checked.
pub const CUSTOMER_ROLES: &[&str] = &[
    "user", "customer", "buyer", "client", "human", "system", "顾客", "买家", "客户", "用户",
];

/// Reads messages; lines that are not JSON objects or lack the text are
/// problems. `text` starts at line `first_line` of the input.
pub fn read(text: &str, first_line: usize, opts: &Options, doc: &mut Document) -> Result<(), String> {
    for (i, range) in super::lines::lines(text).enumerate() {
        let line_start = range.start;
        let body = &text[range];
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
            // A role that is not a string (a number, null, a list) is shown as its JSON.
            let shown;
            let role = match role.as_str() {
                Some(role) => role,
                None => {
                    shown = role.to_string();
                    &shown
                }
            };
            let agent = if opts.agent_roles.is_empty() {
                AGENT_ROLES.iter().any(|r| r.eq_ignore_ascii_case(role))
            } else {
                opts.agent_roles.iter().any(|r| r.eq_ignore_ascii_case(role))
            };
            if !agent {
                // With --agent-role given, every other role is the customer's.
                let customer = CUSTOMER_ROLES.iter().any(|r| r.eq_ignore_ascii_case(role));
                if opts.agent_roles.is_empty() && !customer {
                    doc.problems.push(problem(format!(
                        "role {role:?} is neither an agent's ({}) nor a customer's; --agent-role {role:?} checks it",
                        AGENT_ROLES.join(", ")
                    )));
                }
                continue;
            }
        }
        let fields: Vec<&str> = opts.field.as_deref().map_or(vec!["content", "text"], |f| vec![f]);
        let Some((field, reply)) = fields.iter().find_map(|f| Some((*f, lookup(&value, f)?))) else {
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
        // The column of the reply's string however it is written (escapes
        // included); its characters are then counted decoded.
        let string = crate::json_span::string_at(body, field);
        let column_offset = string.map_or(0, |r| body[..r.start].chars().count() + 1);
        let raw = if opts.spans {
            verified_span(body, field, reply)
        } else {
            None
        };
        doc.records.push(Record {
            line: first_line + i,
            text: reply.to_owned(),
            column_offset,
            raw: raw.map(|r| line_start + r.start..line_start + r.end),
            ..Record::default()
        });
    }
    Ok(())
}

/// The value at a dotted path (`message.content`).
fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// The byte range of the JSON string that `field` holds in `line`, if it is
/// written the canonical way (`text` as `serde_json` writes it); `None` when
/// it is written with escapes. One pass over the line.
fn verified_span(line: &str, field: &str, text: &str) -> Option<std::ops::Range<usize>> {
    let literal = serde_json::to_string(text).ok()?;
    crate::json_span::string_at(line, field).filter(|range| line[range.clone()] == literal)
}
