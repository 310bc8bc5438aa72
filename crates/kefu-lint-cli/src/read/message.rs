//! Chat messages (JSON objects) of JSON Lines and JSON chat logs: their
//! text, who sent them, and where the text lies in the file. Both formats
//! read a message here, so `--field`, `--role-field` and `--agent-role` mean
//! the same in each.
//!
//! Each value is found as the exact bytes the file holds ([`RawValue`]), so a
//! reply's place (for columns and fixes) is known however it is escaped.

use std::fmt;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::names::{NAMES, holds};
use super::{Document, Options, Problem, Record, RowError, lines};

/// The members of a JSON object in order, each value as its exact bytes in
/// the text it was read from.
pub struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Members(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

impl<'a> Members<'a> {
    /// The members of the object `raw` (the text of a JSON object).
    ///
    /// # Errors
    /// `raw` is not a JSON object.
    pub fn of(raw: &'a str) -> Result<Members<'a>, serde_json::Error> {
        serde_json::from_str(raw)
    }

    /// The value of `key` (of duplicate keys, the last, as `serde_json` reads it).
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// The value at the dotted `path` of object keys (`message.content`) in
/// the object `members`.
fn lookup<'a>(members: &Members<'a>, path: &str) -> Option<&'a RawValue> {
    let mut keys = path.split('.');
    let mut value = members.get(keys.next()?)?;
    for key in keys {
        value = Members::of(value.get()).ok()?.get(key)?;
    }
    Some(value)
}

/// The byte offset of `part` (a slice of `whole`) in `whole`.
pub fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let at = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (at + part.len() <= whole.len()).then_some(at)
}

/// A JSON value's text as a string, if it is a JSON string.
fn string(raw: &RawValue) -> Option<String> {
    serde_json::from_str(raw.get()).ok()
}

/// The characters of the JSON string literal `raw` (quotes included), each
/// with the text that writes it (`你`, `\\u4f60`, `\\n`); `None` if `raw` is
/// not a string literal.
fn written_chars(raw: &str) -> Option<Vec<(char, &str)>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Vec::with_capacity(inner.len());
    let mut at = 0;
    while let Some(c) = inner[at..].chars().next() {
        let len = match c {
            '\\' if inner[at..].starts_with("\\u") => {
                let unit = |from: usize| u32::from_str_radix(inner.get(from..from + 4)?, 16).ok();
                let high = unit(at + 2)?;
                if (0xD800..0xDC00).contains(&high) && inner[at + 6..].starts_with("\\u") {
                    12
                } else {
                    6
                }
            }
            '\\' => 2,
            c => c.len_utf8(),
        };
        let piece = inner.get(at..at + len)?;
        let decoded: String = serde_json::from_str(&format!("\"{piece}\"")).ok()?;
        let mut chars = decoded.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => out.push((c, piece)),
            _ => return None,
        }
        at += len;
    }
    Some(out)
}

/// The JSON string literal for `text` that replaces the literal `raw`: the
/// characters `text` keeps at its start and end are written as `raw` wrote
/// them (escapes included), the rest as `serde_json` writes a string.
pub fn rewrite_literal(raw: &str, text: &str) -> String {
    let canonical = || serde_json::Value::from(text).to_string();
    let Some(old) = written_chars(raw) else {
        return canonical();
    };
    let new: Vec<char> = text.chars().collect();
    let prefix = old.iter().zip(&new).take_while(|((a, _), b)| a == *b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|((a, _), b)| a == *b)
        .count();
    let middle: String = new[prefix..new.len() - suffix].iter().collect();
    let middle = serde_json::Value::from(middle).to_string();
    let kept = |pieces: &[(char, &str)]| pieces.iter().map(|(_, p)| *p).collect::<String>();
    format!(
        "\"{}{}{}\"",
        kept(&old[..prefix]),
        &middle[1..middle.len() - 1],
        kept(&old[old.len() - suffix..])
    )
}

/// `--agent-role`: the glob patterns of the roles whose messages are
/// checked (`'*:*'` selects every Taobao sub-account `店铺名:客服名`),
/// compared without regard to ASCII case.
#[derive(Clone, Debug)]
pub struct AgentRoles {
    set: GlobSet,
}

impl AgentRoles {
    /// The patterns, each a glob (`*` any characters, `?` one, `[…]` a class).
    ///
    /// # Errors
    /// A pattern that is not a glob, and why.
    pub fn new(patterns: &[String]) -> Result<AgentRoles, String> {
        let mut set = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = GlobBuilder::new(pattern)
                .case_insensitive(true)
                .literal_separator(false)
                .backslash_escape(true)
                .build()
                .map_err(|e| format!("--agent-role {pattern:?}: {}", e.kind()))?;
            set.add(glob);
        }
        let set = set.build().map_err(|e| format!("--agent-role: {e}"))?;
        Ok(AgentRoles { set })
    }

    /// Whether `role` matches a pattern, as written or with its full-width
    /// colons (`店铺名：客服名`) read as ASCII ones.
    fn matches(&self, role: &str) -> bool {
        self.set.is_match(role) || (role.contains('：') && self.set.is_match(role.replace('：', ":")))
    }
}

/// Whether `role` is written as a Taobao (千牛) sub-account, `店铺名:客服名`:
/// a shop's name and an agent's, either side of one colon (ASCII or full width).
fn sub_account(role: &str) -> bool {
    let mut parts = role.split([':', '：']);
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(shop), Some(agent), None) if !shop.trim().is_empty() && !agent.trim().is_empty()
    )
}

/// Who sent a message, as far as its role field tells.
enum Sender {
    /// No role field: checked (and said so).
    Unknown,
    /// A role value (a JSON string, or other JSON shown as written).
    Role(String),
}

/// One message read, before the log decides whose it is.
struct Message {
    /// The line the message starts on.
    line: usize,
    sender: Sender,
    /// The reply, or why it could not be read (`None`: empty).
    reply: Result<Option<Record>, RowError>,
}

/// Line and column of byte offsets of a text, counted on from the last
/// offset asked (ask in increasing order, or it counts from the start again).
pub struct Locator<'t> {
    text: &'t str,
    first_line: usize,
    at: usize,
    line: usize,
    line_start: usize,
}

impl<'t> Locator<'t> {
    /// Positions in `text`, whose first line is line `first_line` of the input.
    pub fn new(text: &'t str, first_line: usize) -> Locator<'t> {
        Locator {
            text,
            first_line,
            at: 0,
            line: first_line,
            line_start: 0,
        }
    }

    /// The 1-based line of byte `offset` (a character boundary), and the
    /// characters before it on that line.
    pub fn at(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.at {
            *self = Locator::new(self.text, self.first_line);
        }
        let between = self.text.get(self.at..offset).unwrap_or_default();
        if let Some(end) = lines::last_end(between, 0, true) {
            self.line += lines::count(between);
            self.line_start = self.at + end;
        }
        self.at = offset.max(self.at);
        let before = self.text.get(self.line_start..offset).unwrap_or_default();
        (self.line, before.chars().count())
    }
}

/// The messages of one chat log (or of a piece of one), read one by one
/// and then decided together: whose they are depends on the roles seen.
pub struct Log<'o> {
    opts: &'o Options,
    messages: Vec<Message>,
    /// Role fields used (when not given), and member names of messages without one.
    role_fields: Vec<String>,
    members_seen: Vec<String>,
}

/// Values shown in a note, at most.
const SHOWN: usize = 5;

/// `values` (distinct, at most [`SHOWN`]) quoted and joined.
fn listed<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    let more = seen.len() > SHOWN;
    let mut out: Vec<String> = seen.iter().take(SHOWN).map(|v| format!("{v:?}")).collect();
    if more {
        out.push("…".into());
    }
    out.join(", ")
}

impl<'o> Log<'o> {
    /// An empty log read with `opts`.
    pub fn new(opts: &'o Options) -> Log<'o> {
        Log {
            opts,
            messages: Vec::new(),
            role_fields: Vec::new(),
            members_seen: Vec::new(),
        }
    }

    /// Reads the message `object` (the text of a JSON value, a slice of
    /// `whole`, whose positions `at` gives); its reply's raw range is a
    /// range of `whole`.
    pub fn message(&mut self, whole: &str, object: &str, at: &mut Locator<'_>) {
        let start = offset_in(whole, object).unwrap_or(0);
        let (line, _) = at.at(start);
        let members = match Members::of(object) {
            Ok(members) => members,
            Err(e) => {
                // Told apart only when it fails, to parse a message once.
                let why = match serde_json::from_str::<&RawValue>(object) {
                    Ok(_) => RowError::NotAnObject { what: None },
                    Err(_) => RowError::Json(e.to_string()),
                };
                return self.unreadable(line, why);
            }
        };
        let sender = self.sender(&members);
        let fields: Vec<&str> = match &self.opts.field {
            Some(field) => vec![field.as_str()],
            None => NAMES.text_fields.iter().map(String::as_str).collect(),
        };
        let reply = match fields.iter().find_map(|f| lookup(&members, f)) {
            None => Err(RowError::NoText {
                fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            }),
            Some(raw) => match string(raw) {
                None => Err(RowError::TextNotString),
                Some(text) if text.trim().is_empty() => Ok(None),
                Some(text) => {
                    let literal = offset_in(whole, raw.get()).unwrap_or(start);
                    let (line, before) = at.at(literal);
                    Ok(Some(Record {
                        line,
                        text,
                        column_offset: before + 1,
                        raw: Some(literal..literal + raw.get().len()),
                        ..Record::default()
                    }))
                }
            },
        };
        self.messages.push(Message { line, sender, reply });
    }

    /// A message at `line` that could not be read, and why.
    pub fn unreadable(&mut self, line: usize, why: RowError) {
        self.messages.push(Message {
            line,
            sender: Sender::Unknown,
            reply: Err(why),
        });
    }

    /// Who sent the message `members`: `--role-field`, else the first role
    /// field of `names.toml` it has.
    fn sender(&mut self, members: &Members<'_>) -> Sender {
        let found = match &self.opts.role_field {
            Some(path) => lookup(members, path).map(|raw| (path.as_str(), raw)),
            None => NAMES
                .role_fields
                .iter()
                .find_map(|f| Some((f.as_str(), lookup(members, f)?))),
        };
        match found {
            Some((field, raw)) => {
                if self.opts.role_field.is_none() && !self.role_fields.iter().any(|f| f == field) {
                    self.role_fields.push(field.to_owned());
                }
                Sender::Role(string(raw).unwrap_or_else(|| raw.get().to_owned()))
            }
            None => {
                for (name, _) in members.iter() {
                    if !self.members_seen.iter().any(|m| m == name) && self.members_seen.len() <= SHOWN {
                        self.members_seen.push(name.to_owned());
                    }
                }
                Sender::Unknown
            }
        }
    }

    /// Decides whose each message is, and adds the agent's replies, the
    /// problems, and notes on how roles were told to `doc`.
    ///
    /// Without `--agent-role`, a role of `names.toml`'s agents is checked
    /// and a customer's is not; a role written `店铺名:客服名` is a shop's
    /// sub-account, checked; when the log has one, other unknown roles are
    /// its buyers' nicks, not checked; otherwise an unknown role is a
    /// problem for its line. A message without a role is checked.
    pub fn finish(self, doc: &mut Document) {
        let opts = self.opts;
        let roles = || {
            self.messages.iter().filter_map(|m| match &m.sender {
                Sender::Role(role) => Some(role.as_str()),
                Sender::Unknown => None,
            })
        };
        let known = |role: &str| holds(&NAMES.agent_roles, role) || holds(&NAMES.customer_roles, role);
        let shops = roles().any(|r| !known(r) && sub_account(r));
        let field_name = || match &opts.role_field {
            Some(field) => field.as_str(),
            None => self.role_fields.first().map_or("role", String::as_str),
        };
        let is_agent = |role: &str| -> Result<bool, RowError> {
            if let Some(agents) = &opts.agent_roles {
                return Ok(agents.matches(role));
            }
            if holds(&NAMES.agent_roles, role) {
                Ok(true)
            } else if holds(&NAMES.customer_roles, role) {
                Ok(false)
            } else if shops {
                Ok(sub_account(role))
            } else {
                Err(RowError::UnknownRole {
                    field: field_name().to_owned(),
                    role: role.to_owned(),
                })
            }
        };
        let mut unroled = false;
        let mut agents_seen = false;
        for message in &self.messages {
            let problem = |kind: RowError| Problem {
                line: message.line,
                kind,
            };
            let agent = match &message.sender {
                Sender::Unknown => {
                    unroled |= message.reply.is_ok();
                    true
                }
                Sender::Role(role) => match is_agent(role) {
                    Ok(agent) => agent,
                    Err(why) => {
                        doc.problems.push(problem(why));
                        continue;
                    }
                },
            };
            agents_seen |= agent && matches!(message.sender, Sender::Role(_));
            match (&message.reply, agent) {
                (_, false) => {}
                (Ok(Some(record)), true) => doc.records.push(record.clone()),
                (Ok(None), true) => {}
                (Err(why), true) => doc.problems.push(problem(why.clone())),
            }
        }
        if let Some(field) = self.role_fields.iter().find(|f| *f != "role") {
            doc.notes.push((
                "role-field".to_owned(),
                format!("who sent each message is read from its field {field:?}"),
            ));
        }
        if unroled {
            doc.notes.push((
                "no-role".to_owned(),
                format!(
                    "messages without a role field (looked for {}; they have {}) are all checked, a customer's too; --role-field names it",
                    opts.role_field.as_ref().map_or_else(|| NAMES.role_fields.join(", "), Clone::clone),
                    listed(self.members_seen.iter().map(String::as_str))
                ),
            ));
        }
        if shops && opts.agent_roles.is_none() {
            let buyers = listed(roles().filter(|r| !known(r) && !sub_account(r)));
            let buyers = if buyers.is_empty() {
                String::new()
            } else {
                format!(", other senders ({buyers}) as buyers, not checked")
            };
            doc.notes.push((
                "sub-accounts".to_owned(),
                format!(
                    "senders written 店铺名:客服名 ({}) are read as the shop's agents and checked{buyers}; --agent-role chooses",
                    listed(roles().filter(|r| !known(r) && sub_account(r))),
                ),
            ));
        }
        if opts.agent_roles.is_some() && !agents_seen && roles().next().is_some() {
            doc.notes.push((
                "no-agent".to_owned(),
                format!(
                    "no {} matches --agent-role (seen: {}): none of these messages is checked",
                    field_name(),
                    listed(roles())
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_as_written() {
        let text = r#"{"x":["你好"],"role":"agent","content":"a","content":"你\u597d","m":{"c":"b"}}"#;
        let members = Members::of(text).unwrap();
        let content = lookup(&members, "content").unwrap();
        assert_eq!(content.get(), r#""你\u597d""#);
        assert_eq!(string(content).as_deref(), Some("你好"));
        let at = offset_in(text, content.get()).unwrap();
        assert_eq!(&text[at..at + content.get().len()], r#""你\u597d""#);
        assert_eq!(lookup(&members, "m.c").map(RawValue::get), Some(r#""b""#));
        assert!(lookup(&members, "m.d").is_none());
        assert!(Members::of("[1]").is_err());
    }

    #[test]
    fn rewrites_only_the_changed_characters() {
        assert_eq!(
            rewrite_literal(r#""\u4f60\u7684\n单""#, "您的\n单"),
            r#""您\u7684\n单""#
        );
        assert_eq!(
            rewrite_literal(r#""a\ud83d\ude00你""#, "a\u{1F600}您\""),
            r#""a\ud83d\ude00您\"""#
        );
        assert_eq!(rewrite_literal(r#""你""#, "您"), r#""您""#);
        // Not a literal this reads: written anew.
        assert_eq!(rewrite_literal("x", "您"), r#""您""#);
        for (raw, text) in [(r#""\u4f60\t好""#, "您\t好!"), (r#""\\你\/""#, "\\您/")] {
            let written = rewrite_literal(raw, text);
            assert_eq!(serde_json::from_str::<String>(&written).unwrap(), text, "{raw}");
        }
    }

    #[test]
    fn tells_sub_accounts_and_globs() {
        assert!(sub_account("示例旗舰店:小美"));
        assert!(sub_account("示例旗舰店：小美"));
        assert!(!sub_account("tb123"));
        assert!(!sub_account("a:b:c"));
        assert!(!sub_account(":小美"));
        let roles = AgentRoles::new(&["*:*".into(), "Bot".into()]).unwrap();
        assert!(roles.matches("示例旗舰店:小美") && roles.matches("bot") && !roles.matches("tb123"));
        assert!(roles.matches("示例旗舰店：小美"));
        assert!(AgentRoles::new(&["[".into()]).is_err());
    }

    #[test]
    fn locates_offsets_on_lines() {
        let text = "a\n你好\r\n  x";
        let mut at = Locator::new(text, 3);
        assert_eq!(at.at(0), (3, 0));
        assert_eq!(at.at(5), (4, 1));
        assert_eq!(at.at(text.len() - 1), (5, 2));
        assert_eq!(at.at(2), (4, 0));
    }
}
