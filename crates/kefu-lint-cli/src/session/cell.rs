//! One message of a chat log as the session check reads it: its fields
//! (session, role, time, text, agent) found by name in a JSON object, a
//! table row or a sheet row (a name given, else the usual names of
//! `names.toml`), and what each must be.

use std::borrow::Cow;
use std::sync::LazyLock;

use jiff::tz::TimeZone;
use kefu_lint::session::Speaker;
use serde_json::value::RawValue;

use crate::read::message::{Members, kind, lookup, string};
use crate::read::names::{NAMES, norm};
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
    /// A JSON value as a field's value.
    pub fn of_raw(raw: &RawValue) -> Cell {
        match raw.get().as_bytes().first() {
            // A string literal of valid JSON fails to read only for an unpaired surrogate escape.
            Some(b'"') => string(raw).map_or(
                Cell::Other("a string with an unpaired surrogate escape such as \\ud800 (half of a UTF-16 pair: it writes no character)"),
                Cell::Text,
            ),
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
/// `--role-field`, `--time-field`, `--field`, `--agent-field`). A name that
/// is its field's default (the first of its list in `names.toml`) stands
/// for the whole list: the usual names of that field are looked for.
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

/// One of a message's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The session id.
    Session,
    /// Who sent it.
    Role,
    /// When.
    Time,
    /// The text.
    Text,
    /// The agent's name.
    Agent,
}

impl Field {
    /// Every field, in the order they are read.
    pub const ALL: [Field; 5] = [Field::Session, Field::Role, Field::Time, Field::Text, Field::Agent];

    /// The option that names it.
    fn option(self) -> &'static str {
        match self {
            Field::Session => "--session-field",
            Field::Role => "--role-field",
            Field::Time => "--time-field",
            Field::Text => "--field",
            Field::Agent => "--agent-field",
        }
    }

    /// What it holds, for errors.
    fn what(self) -> &'static str {
        match self {
            Field::Session => "session id",
            Field::Role => "role",
            Field::Time => "time",
            Field::Text => "message text",
            Field::Agent => "agent's name",
        }
    }

    /// The usual names of the field, most likely first (the first is the
    /// default); `table`: a table's headers, where the plain check's
    /// sender headers stand for its role fields (which name people too)
    /// and its reply headers join the text fields.
    fn usual(self, table: bool) -> &'static [&'static str] {
        static USUAL: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
            let n = &*NAMES;
            let mut all = Vec::new();
            for field in Field::ALL {
                for table in [false, true] {
                    let lists: [&'static [String]; 2] = match field {
                        Field::Session => [&n.session_fields, &[]],
                        Field::Role if table => [&n.role_fields[..1], &n.role_headers],
                        Field::Role => [&n.role_fields, &[]],
                        Field::Time => [&n.time_fields, &[]],
                        Field::Text if table => [&n.text_fields, &n.reply_headers],
                        Field::Text => [&n.text_fields, &[]],
                        Field::Agent => [&n.agent_fields, &[]],
                    };
                    let mut names: Vec<&'static str> = Vec::new();
                    for name in lists.into_iter().flatten() {
                        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                            names.push(name);
                        }
                    }
                    all.push(names);
                }
            }
            all
        });
        let at = Field::ALL.iter().position(|f| *f == self).unwrap_or(0) * 2 + usize::from(table);
        &USUAL[at]
    }
}

impl Fields {
    /// The name given for `field` (or its default).
    pub fn given(&self, field: Field) -> &str {
        match field {
            Field::Session => &self.session,
            Field::Role => &self.role,
            Field::Time => &self.time,
            Field::Text => &self.text,
            Field::Agent => &self.agent,
        }
    }

    /// The names looked for as `field`, most likely first: the name given,
    /// or the usual names when it is the default. `table`: in a header.
    pub fn names(&self, field: Field, table: bool) -> Cow<'_, [&str]> {
        let given = self.given(field);
        let usual = field.usual(table);
        if usual.first().is_some_and(|d| d.eq_ignore_ascii_case(given)) {
            Cow::Borrowed(usual)
        } else {
            Cow::Owned(vec![given])
        }
    }

    /// "no session id in session, session_id, …": `field` was not found.
    fn missing(&self, field: Field, table: bool) -> String {
        let names = self.names(field, table);
        if names.len() == 1 {
            return format!("no {} in {}", field.what(), names[0]);
        }
        format!(
            "no {} in any of {} ({} names the field)",
            field.what(),
            names.join(", "),
            field.option()
        )
    }

    /// The first of `names(field)` that the object `members` has: the
    /// name given as a dotted path, a usual name as a key (exactly, else
    /// ASCII case-blind); with its name and raw value.
    pub fn in_json<'a>(&self, members: &Members<'a>, field: Field) -> Option<(String, &'a RawValue)> {
        let names = self.names(field, false);
        if let [given] = &*names {
            return lookup(members, given).map(|raw| ((*given).to_owned(), raw));
        }
        names.iter().find_map(|name| {
            members
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(key, raw)| (key.to_owned(), raw))
        })
    }

    /// The columns of a table whose header row is `header`: for each of
    /// [`Field::ALL`], the index of the first header cell (compared
    /// folded and lower-cased) that is one of its names.
    ///
    /// # Errors
    /// No column for the session id, the role or the text: which names
    /// were looked for, and the header.
    pub fn columns(&self, header: &[String]) -> Result<Columns, String> {
        let cells: Vec<String> = header.iter().map(|h| norm(h)).collect();
        let mut at = [None; 5];
        for (slot, field) in at.iter_mut().zip(Field::ALL) {
            *slot = self
                .names(field, true)
                .iter()
                .find_map(|name| cells.iter().position(|c| *c == norm(name)));
            if slot.is_none() && matches!(field, Field::Session | Field::Role | Field::Text) {
                return Err(format!(
                    "no column for the {}: looked for {} ({} names it); the header is {}",
                    field.what(),
                    self.names(field, true).join(", "),
                    field.option(),
                    header.join(", ")
                ));
            }
        }
        let date = NAMES
            .date_fields
            .iter()
            .find_map(|name| cells.iter().position(|c| *c == norm(name)));
        Ok(Columns {
            at,
            date,
            names: header.to_vec(),
        })
    }
}

/// Where a table's fields are, from its header ([`Fields::columns`]).
#[derive(Clone, Debug)]
pub struct Columns {
    at: [Option<usize>; 5],
    /// The column of the messages' date, for a time column holding only a
    /// time of day (`names.toml`'s `date_fields`).
    date: Option<usize>,
    names: Vec<String>,
}

impl Columns {
    /// The index of `field`'s column.
    pub fn of(&self, field: Field) -> Option<usize> {
        self.at[Field::ALL.iter().position(|f| *f == field).unwrap_or(0)]
    }

    /// The header row's cells.
    pub fn header(&self) -> &[String] {
        &self.names
    }

    /// The header of `field`'s column.
    pub fn name(&self, field: Field) -> Option<&str> {
        self.of(field).and_then(|i| self.names.get(i)).map(String::as_str)
    }

    /// The index and header of the date column, if the header has one.
    pub fn date(&self) -> Option<(usize, &str)> {
        self.date.map(|i| (i, self.names[i].as_str()))
    }
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
    /// Milliseconds since the epoch.
    pub time_ms: Option<i64>,
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

/// A message read, and what was wrong with fields it could do without (a
/// bad time, an agent's name that is no name): each a problem for its
/// record, the message kept without that field.
pub type Read = (Parsed, Vec<String>);

/// Where a message is read, for what its fields mean.
#[derive(Clone, Copy, Debug, Default)]
pub struct Within<'b> {
    /// A table's or sheet's row (for the names said in errors).
    pub table: bool,
    /// The buyer a JSON export names beside its messages (千牛's
    /// `"buyer"`, see `names.toml`'s `buyer_fields`), when `--agent-role`
    /// is not given: a sender that is this buyer is the customer, and any
    /// other sender of neither side (the shop's main account, an agent's
    /// bare name) an agent, as a plain check reads such an export.
    pub buyer: Option<&'b str>,
}

impl Reading<'_> {
    /// Reads one message whose fields `get` finds: each with the name it
    /// was found under.
    ///
    /// # Errors
    /// What is wrong with it, naming the field: no session id, no role or
    /// one of neither side, no text.
    pub fn message(&self, get: impl Fn(Field) -> Option<(String, Cell)>, within: Within<'_>) -> Result<Read, String> {
        let f = self.fields;
        let table = within.table;
        let buyer = within.buyer.filter(|_| self.agents.is_none());
        let word = |field: Field| -> Result<(String, String), String> {
            match get(field) {
                Some((name, Cell::Text(text))) if !text.trim().is_empty() => Ok((name, text)),
                Some((name, Cell::Number(number))) => Ok((name, number)),
                Some((name, Cell::Other(kind))) => Err(format!("{name} is {kind}, not a {}", field.what())),
                Some((name, _)) => Err(format!("no {} in {name}", field.what())),
                None => Err(f.missing(field, table)),
            }
        };
        let (_, session) = word(Field::Session)?;
        let (role_field, role) = word(Field::Role)?;
        let speaker = match (side(&role, true, self.agents), buyer) {
            (_, Some(buyer)) if role.trim() == buyer.trim() => Speaker::Customer,
            (Side::Agent, _) | (Side::Nick | Side::Unknown, Some(_)) => Speaker::Agent,
            (Side::Customer, _) => Speaker::Customer,
            (Side::Nick | Side::Unknown, None) => {
                return Err(format!(
                    "{role_field} {role:?} is neither an agent's nor a customer's; --agent-role {role:?} makes it an agent's"
                ));
            }
        };
        let mut kept = Vec::new();
        let time = match get(Field::Time) {
            None => None,
            Some((name, cell)) => super::time::parse(&cell, self.zone).unwrap_or_else(|e| {
                kept.push(format!("{name}: {e}; the message is checked without a time"));
                None
            }),
        };
        let text = match get(Field::Text) {
            Some((_, Cell::Text(text))) => text,
            Some((_, Cell::Null)) => String::new(),
            Some((_, Cell::Number(number))) => number,
            Some((name, Cell::Other(kind))) => return Err(format!("{name} is {kind}, not the message text")),
            None => return Err(f.missing(Field::Text, table)),
        };
        let agent = match get(Field::Agent) {
            // "小王 " and "小王" are one agent.
            Some((_, Cell::Text(name))) if !name.trim().is_empty() => Some(name.trim().to_owned()),
            Some((_, Cell::Number(number))) => Some(number),
            Some((name, Cell::Other(kind))) => {
                kept.push(format!(
                    "{name} is {kind}, not an agent's name; the message is checked without one"
                ));
                None
            }
            _ => None,
        };
        Ok((
            Parsed {
                session,
                role,
                speaker,
                time_ms: time,
                text,
                agent,
            },
            kept,
        ))
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

    fn read_kept(line: &str) -> Result<Read, String> {
        let fields = fields();
        let reading = Reading {
            fields: &fields,
            zone: &TimeZone::UTC,
            agents: None,
        };
        let members = Members::of(line).expect("object");
        let get = |field| {
            fields
                .in_json(&members, field)
                .map(|(name, raw)| (name, Cell::of_raw(raw)))
        };
        reading.message(get, Within::default())
    }

    fn read(line: &str) -> Result<Parsed, String> {
        read_kept(line).map(|(parsed, _)| parsed)
    }

    #[test]
    fn a_message_reads_every_field() {
        let parsed =
            read(r#"{"session": 7, "role": "客服", "time": 1718690585, "content": "您好", "agent": "小美"}"#).unwrap();
        assert_eq!(parsed.session, "7");
        assert_eq!(parsed.speaker, Speaker::Agent);
        assert_eq!(parsed.time_ms, Some(1_718_690_585_000));
        // An export naming its buyer: the buyer's nick is the customer, other senders agents.
        let fields = fields();
        let reading = Reading {
            fields: &fields,
            zone: &TimeZone::UTC,
            agents: None,
        };
        let within = Within {
            table: false,
            buyer: Some("tb884"),
        };
        for (sender, speaker) in [
            ("tb884", Speaker::Customer),
            ("示例旗舰店", Speaker::Agent),
            ("买家", Speaker::Customer),
        ] {
            let line = format!(r#"{{"session": "s", "sender": "{sender}", "content": "x"}}"#);
            let members = Members::of(&line).unwrap();
            let get = |field| {
                fields
                    .in_json(&members, field)
                    .map(|(name, raw)| (name, Cell::of_raw(raw)))
            };
            assert_eq!(reading.message(get, within).unwrap().0.speaker, speaker, "{sender}");
        }
        assert_eq!(parsed.agent.as_deref(), Some("小美"));
        let parsed = read(r#"{"session": "s", "role": "customer", "content": "在吗"}"#).unwrap();
        assert_eq!(
            (parsed.speaker, parsed.time_ms, parsed.agent),
            (Speaker::Customer, None, None)
        );
    }

    #[test]
    fn mistakes_name_the_field() {
        let cases = [
            (
                r#"{"role": "客服", "content": "x"}"#,
                "no session id in any of session, session_id, sessionid, conversation_id",
            ),
            (
                r#"{"session": "s", "role": "路人", "content": "x"}"#,
                "role \"路人\" is neither an agent's",
            ),
            (
                r#"{"session": "s", "role": "客服"}"#,
                "no message text in any of content, text, msg",
            ),
        ];
        for (line, expected) in cases {
            let err = read(line).unwrap_err();
            assert!(err.starts_with(expected), "{line}: {err}");
        }
    }

    #[test]
    fn a_bad_time_or_agent_is_a_problem_and_the_message_is_kept() {
        for (line, expected) in [
            (
                r#"{"session": "s", "role": "客服", "time": "明天", "content": "x"}"#,
                "time: \"明天\" is not a time",
            ),
            (
                r#"{"session": "s", "role": "客服", "time": [1], "content": "x"}"#,
                "time: is an array, not a time",
            ),
            (
                r#"{"session": "s", "role": "客服", "agent": ["x", {"y": 1}], "content": "x"}"#,
                "agent is an array, not an agent's name",
            ),
        ] {
            let (parsed, kept) = read_kept(line).unwrap();
            assert_eq!((parsed.text.as_str(), parsed.time_ms, parsed.agent), ("x", None, None));
            assert_eq!(kept.len(), 1, "{line}");
            assert!(kept[0].starts_with(expected), "{line}: {kept:?}");
        }
    }

    #[test]
    fn the_default_names_stand_for_the_usual_ones() {
        let parsed =
            read(r#"{"会话ID": "c1", "角色": "买家", "发送时间": 1772416800, "内容": "在吗", "客服昵称": "小美"}"#)
                .unwrap();
        assert_eq!(parsed.session, "c1");
        assert_eq!(parsed.speaker, Speaker::Customer);
        assert_eq!(parsed.time_ms, Some(1_772_416_800_000));
        assert_eq!(parsed.text, "在吗");
        assert_eq!(parsed.agent.as_deref(), Some("小美"));
        let parsed = read(r#"{"sessionId": "c2", "fromType": "waiter", "content": "您好"}"#).unwrap();
        assert_eq!((parsed.session.as_str(), parsed.speaker), ("c2", Speaker::Agent));
        // A name given is the only one looked for.
        let mut given = fields();
        given.session = "sid".into();
        assert_eq!(*given.names(Field::Session, false), ["sid"]);
        let columns = fields()
            .columns(&["会话编号".into(), "发送方".into(), "消息内容".into()])
            .unwrap();
        assert_eq!(
            Field::ALL.map(|f| columns.of(f)),
            [Some(0), Some(1), None, Some(2), None]
        );
        let err = fields().columns(&["会话".into(), "说明".into()]).unwrap_err();
        assert!(
            err.starts_with("no column for the role: looked for role, 发送方, 发送者"),
            "{err}"
        );
        assert!(err.ends_with("the header is 会话, 说明"), "{err}");
    }
}
