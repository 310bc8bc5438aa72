//! One message of a chat log as the session check reads it: its fields
//! (session, role, time, text, agent) found by name in a JSON object, a
//! table row or a sheet row, and what each must be.

use jiff::tz::TimeZone;
use kefu_lint::session::Speaker;
use serde_json::value::RawValue;

use crate::read::message::{Members, kind, lookup, string};
use crate::read::role::{AgentRoles, Side, side};

/// A field's value as a reader found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// A string (a table's cell).
    Text(String),
    /// A number, as written.
    Number(String),
    /// `null`, or an empty cell.
    Null,
    /// Something else: what it is (`an object`).
    Other(&'static str),
}

impl Cell {
    /// The value of the JSON member at dotted `path` of `members`, if there is one.
    pub fn of_json(members: &Members<'_>, path: &str) -> Option<Cell> {
        lookup(members, path).map(Cell::of_raw)
    }

    fn of_raw(raw: &RawValue) -> Cell {
        match raw.get().as_bytes().first() {
            Some(b'"') => string(raw).map_or(Cell::Other("a string"), Cell::Text),
            Some(b'n') => Cell::Null,
            Some(b'-' | b'0'..=b'9') => Cell::Number(raw.get().to_owned()),
            _ => Cell::Other(kind(raw)),
        }
    }

    /// A table's cell: empty is [`Cell::Null`].
    pub fn of_table(value: &str) -> Cell {
        if value.is_empty() {
            Cell::Null
        } else {
            Cell::Text(value.to_owned())
        }
    }
}

/// The field names of a chat log's messages (`--session-field`,
/// `--role-field`, `--time-field`, `--field`, `--agent-field`).
#[derive(Clone, Debug)]
pub struct Fields {
    /// The session id.
    pub session: String,
    /// Who sent it: a role word.
    pub role: String,
    /// When (optional in every message).
    pub time: String,
    /// The text.
    pub text: String,
    /// The agent's name (optional).
    pub agent: String,
}

/// What a message says, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The session id.
    pub session: String,
    /// The role as written.
    pub role: String,
    /// Whose it is.
    pub speaker: Speaker,
    /// Seconds since the epoch.
    pub time: Option<i64>,
    /// The text.
    pub text: String,
    /// The agent's name.
    pub agent: Option<String>,
}

/// How to read the fields of messages.
pub struct Reading<'a> {
    /// The field names.
    pub fields: &'a Fields,
    /// `--timezone` for times without an offset.
    pub zone: &'a TimeZone,
    /// `--agent-role`.
    pub agents: Option<&'a AgentRoles>,
}

impl Reading<'_> {
    /// Reads one message whose fields `get` finds by name.
    ///
    /// # Errors
    /// What is wrong with it, naming the field: no session id, no role or
    /// one of neither side, a bad time, no text.
    pub fn message(&self, get: impl Fn(&str) -> Option<Cell>) -> Result<Parsed, String> {
        let f = self.fields;
        let word = |name: &str, what: &str| -> Result<String, String> {
            match get(name) {
                Some(Cell::Text(text)) if !text.trim().is_empty() => Ok(text),
                Some(Cell::Number(number)) => Ok(number),
                Some(Cell::Other(kind)) => Err(format!("{name} is {kind}, not {what}")),
                _ => Err(format!("no {what} in {name}")),
            }
        };
        let session = word(&f.session, "session id")?;
        let role = word(&f.role, "role")?;
        let speaker = match side(&role, true, self.agents) {
            Side::Agent => Speaker::Agent,
            Side::Customer => Speaker::Customer,
            Side::Nick | Side::Unknown => {
                return Err(format!(
                    "{} {role:?} is neither an agent's nor a customer's; --agent-role {role:?} makes it an agent's",
                    f.role
                ));
            }
        };
        let time = match get(&f.time) {
            None => None,
            Some(cell) => super::time::parse(&cell, self.zone).map_err(|e| format!("{}: {e}", f.time))?,
        };
        let text = match get(&f.text) {
            Some(Cell::Text(text)) => text,
            Some(Cell::Null) => String::new(),
            Some(Cell::Number(number)) => number,
            Some(Cell::Other(kind)) => return Err(format!("{} is {kind}, not the message text", f.text)),
            None => return Err(format!("no field {} (the message text; --field names it)", f.text)),
        };
        let agent = match get(&f.agent) {
            Some(Cell::Text(name)) if !name.trim().is_empty() => Some(name),
            Some(Cell::Number(number)) => Some(number),
            _ => None,
        };
        Ok(Parsed {
            session,
            role,
            speaker,
            time,
            text,
            agent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields {
            session: "session".into(),
            role: "role".into(),
            time: "time".into(),
            text: "content".into(),
            agent: "agent".into(),
        }
    }

    fn read(line: &str) -> Result<Parsed, String> {
        let fields = fields();
        let reading = Reading {
            fields: &fields,
            zone: &TimeZone::UTC,
            agents: None,
        };
        let members = Members::of(line).expect("object");
        reading.message(|name| Cell::of_json(&members, name))
    }

    #[test]
    fn a_message_reads_every_field() {
        let parsed =
            read(r#"{"session": 7, "role": "客服", "time": 1718690585, "content": "您好", "agent": "小美"}"#).unwrap();
        assert_eq!(parsed.session, "7");
        assert_eq!(parsed.speaker, Speaker::Agent);
        assert_eq!(parsed.time, Some(1_718_690_585));
        assert_eq!(parsed.agent.as_deref(), Some("小美"));
        let parsed = read(r#"{"session": "s", "role": "customer", "content": "在吗"}"#).unwrap();
        assert_eq!(
            (parsed.speaker, parsed.time, parsed.agent),
            (Speaker::Customer, None, None)
        );
    }

    #[test]
    fn mistakes_name_the_field() {
        let cases = [
            (r#"{"role": "客服", "content": "x"}"#, "no session id in session"),
            (
                r#"{"session": "s", "role": "路人", "content": "x"}"#,
                "role \"路人\" is neither an agent's",
            ),
            (
                r#"{"session": "s", "role": "客服", "time": "明天", "content": "x"}"#,
                "time: \"明天\" is not a time",
            ),
            (
                r#"{"session": "s", "role": "客服", "time": [1], "content": "x"}"#,
                "time: is an array, not a time",
            ),
            (r#"{"session": "s", "role": "客服"}"#, "no field content"),
        ];
        for (line, expected) in cases {
            let err = read(line).unwrap_err();
            assert!(err.starts_with(expected), "{line}: {err}");
        }
    }
}
