//! Chat messages (JSON objects) of JSON Lines and JSON chat logs: their
//! text, who sent them, and where the text lies in the file. Both formats
//! read a message here, so `--field`, `--role-field` and `--agent-role` mean
//! the same in each.
//!
//! Each value is found as the exact bytes the file holds ([`RawValue`]), so a
//! reply's place (for columns and fixes) is known however it is escaped.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::literal::{self, Unread};
use super::names::NAMES;
use super::role::{Neither, SHOWN, Senders, Side, holds_role_words, listed};
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
                let mut entries: Vec<(String, &'de RawValue)> = Vec::with_capacity(map.size_hint().unwrap_or(8));
                let mut index = std::collections::HashMap::new();
                while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                    // A duplicate key keeps its first place and its last value, as serde_json reads it.
                    if entries.len() < SMALL {
                        if let Some(entry) = entries.iter_mut().find(|(k, _)| *k == key) {
                            entry.1 = value;
                            continue;
                        }
                    } else {
                        if index.is_empty() {
                            index.extend(entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)));
                        }
                        if let Some(&i) = index.get(&key) {
                            entries[i].1 = value;
                            continue;
                        }
                        index.insert(key.clone(), entries.len());
                    }
                    entries.push((key, value));
                }
                Ok(Members(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// Members an object has before duplicate keys are looked up by hashing.
const SMALL: usize = 16;

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
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The members, in order, each key once with its last value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// The value at the dotted `path` of object keys (`message.content`) in
/// the object `members`.
pub fn lookup<'a>(members: &Members<'a>, path: &str) -> Option<&'a RawValue> {
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

/// What a JSON value is, for messages: `a string`, `an object` ….
pub fn kind(value: &RawValue) -> &'static str {
    match value.get().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The first of `names.toml`'s text fields that the object `raw` holds as
/// a string, for a message whose text is nested (`{"message": {"content": …}}`).
fn text_inside(raw: &RawValue) -> Option<&'static str> {
    let members = Members::of(raw.get()).ok()?;
    NAMES
        .text_fields
        .iter()
        .find(|f| members.get(f).is_some_and(|v| v.get().starts_with('"')))
        .map(String::as_str)
}

/// A JSON value's text as a string, if it is a JSON string.
pub fn string(raw: &RawValue) -> Option<String> {
    serde_json::from_str(raw.get()).ok()
}

/// Who sent a message, as far as its role field tells.
enum Sender {
    /// No role field: checked (and said so).
    Unknown,
    /// A role field holding `null`: checked, as a message without one is.
    Null,
    /// A role field (named) holding an object without a role or a name
    /// inside (its members listed), or an array: a problem for its message.
    Shapeless(String, String),
    /// A role value (a JSON string, or other JSON shown as written), and
    /// the index of its field in [`Log`]'s `role_fields`.
    Role(String, usize),
}

/// One message read, before the log decides whose it is.
struct Message {
    /// The line the message starts on.
    line: usize,
    sender: Sender,
    reply: Reply,
}

/// What a message's text field holds.
enum Reply {
    /// A reply to check.
    Text(Record),
    /// Only white space.
    Empty,
    /// `null` (an image or a system message in many exports): skipped, counted in a note.
    Null,
    /// No text field: skipped like `null` when other messages of the log
    /// have one, else a problem (the field is named otherwise, `--field`).
    NoText,
    /// Why the message could not be read.
    Bad(RowError),
}

/// Line and column of byte offsets of a text, counted on from the last
/// offset asked (ask in increasing order, or it counts from the start again).
pub struct Locator<'t> {
    text: &'t str,
    first_line: usize,
    at: usize,
    line: usize,
    line_start: usize,
    /// Characters between `line_start` and `at`, so that a document on one
    /// line is counted once, not from its start for each message.
    column: usize,
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
            column: 0,
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
            self.column = 0;
        }
        let from = self.line_start.max(self.at);
        self.column += self.text.get(from..offset).unwrap_or_default().chars().count();
        self.at = offset.max(self.at);
        (self.line, self.column)
    }
}

/// The messages of one chat log (or of a piece of one), read one by one
/// and then decided together: whose they are depends on the roles seen.
pub struct Log<'o> {
    opts: &'o Options,
    messages: Vec<Message>,
    /// Role fields used (`sender.role` for an object in `sender`), and
    /// member names of messages without one.
    role_fields: Vec<String>,
    members_seen: Vec<String>,
    /// The role fields looked for without `--role-field`: beside a nested
    /// `--field` (`message.role` for `message.content`) first, then at the top.
    beside: Vec<String>,
    /// The buyer a `.json` export names beside its messages (千牛's
    /// `"buyer"`), if any (see [`Log::with_buyer`]).
    buyer: Option<String>,
}

/// The role fields of `names.toml` looked for beside the text field `field`
/// (`message.role`, `message.sender` … for `message.content`), then at the top.
fn role_fields_beside(field: Option<&str>) -> Vec<String> {
    let parent = field.and_then(|f| f.rsplit_once('.')).map(|(parent, _)| parent);
    parent
        .into_iter()
        .flat_map(|p| NAMES.role_fields.iter().map(move |f| format!("{p}.{f}")))
        .chain(NAMES.role_fields.iter().cloned())
        .collect()
}

impl<'o> Log<'o> {
    /// An empty log read with `opts`.
    pub fn new(opts: &'o Options) -> Log<'o> {
        Log {
            opts,
            messages: Vec::new(),
            role_fields: Vec::new(),
            members_seen: Vec::new(),
            beside: role_fields_beside(opts.field.as_deref()),
            buyer: None,
        }
    }

    /// The log of an export that names its buyer (千牛 writes one file per
    /// buyer, `{"buyer": "tb8841723", "chats": […]}`): without
    /// `--agent-role`, a sender that is this buyer is the customer, and any
    /// other sender of neither side (the shop's main account 示例旗舰店, an
    /// agent's bare name 小美, a bot) is the shop's, checked and noted.
    pub fn with_buyer(mut self, buyer: Option<String>) -> Log<'o> {
        self.buyer = buyer.filter(|_| self.opts.agent_roles.is_none());
        self
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
        let reply = match fields.iter().find_map(|f| Some((*f, lookup(&members, f)?))) {
            None => Reply::NoText,
            Some((_, raw)) if raw.get() == "null" => Reply::Null,
            Some((field, raw)) => {
                let literal = offset_in(whole, raw.get()).unwrap_or(start);
                match (string(raw), literal::escapes(raw.get())) {
                    (Some(text), _) if text.trim().is_empty() => Reply::Empty,
                    (Some(text), escapes) => {
                        let (line, before) = at.at(literal);
                        Reply::Text(Record {
                            line,
                            text,
                            column_offset: before + 1,
                            raw: Some(literal..literal + raw.get().len()),
                            escapes: escapes.unwrap_or_default(),
                            ..Record::default()
                        })
                    }
                    (None, Err(Unread::Unpaired(offset))) => {
                        let (line, before) = at.at(literal + offset);
                        Reply::Bad(RowError::UnpairedSurrogate {
                            escape: raw.get().get(offset..offset + 6).unwrap_or_default().to_owned(),
                            line,
                            column: before + 1,
                        })
                    }
                    (None, _) => Reply::Bad(RowError::TextNotString {
                        what: kind(raw),
                        inside: text_inside(raw).map(|inner| format!("{field}.{inner}")),
                    }),
                }
            }
        };
        self.messages.push(Message { line, sender, reply });
    }

    /// A message at `line` that could not be read, and why.
    pub fn unreadable(&mut self, line: usize, why: RowError) {
        self.messages.push(Message {
            line,
            sender: Sender::Unknown,
            reply: Reply::Bad(why),
        });
    }

    /// Who sent the message `members`: `--role-field`, else the first role
    /// field of `names.toml` it has. A field whose value is an object
    /// (`"sender": {"role": "mall_cs", "uid": 7}`) is read by the role-word
    /// field inside it (`sender.role`).
    fn sender(&mut self, members: &Members<'_>) -> Sender {
        let found = match &self.opts.role_field {
            Some(path) => lookup(members, path).map(|raw| (path.clone(), raw)),
            None => self.beside.iter().find_map(|f| Some((f.clone(), lookup(members, f)?))),
        };
        let Some((mut field, mut raw)) = found else {
            for (name, _) in members.iter() {
                if !self.members_seen.iter().any(|m| m == name) && self.members_seen.len() <= SHOWN {
                    self.members_seen.push(name.to_owned());
                }
            }
            return Sender::Unknown;
        };
        if raw.get().starts_with('{') {
            let inner = Members::of(raw.get()).ok();
            let found = inner.as_ref().and_then(|inner| {
                NAMES
                    .role_fields
                    .iter()
                    .filter(|f| holds_role_words(f))
                    .chain(&NAMES.sender_name_fields)
                    .find_map(|f| Some((f, inner.get(f)?)))
            });
            match found {
                Some((key, value)) => {
                    field = format!("{field}.{key}");
                    raw = value;
                }
                None => {
                    let keys = inner.map_or_else(String::new, |inner| listed(inner.iter().map(|(k, _)| k)));
                    return Sender::Shapeless(field, keys);
                }
            }
        }
        match raw.get().as_bytes().first() {
            Some(b'n') => return Sender::Null,
            Some(b'{' | b'[') => return Sender::Shapeless(field, String::new()),
            _ => {}
        }
        let index = match self.role_fields.iter().position(|f| *f == field) {
            Some(index) => index,
            None => {
                self.role_fields.push(field);
                self.role_fields.len() - 1
            }
        };
        Sender::Role(string(raw).unwrap_or_else(|| raw.get().to_owned()), index)
    }

    /// Decides whose each message is (see [`super::role::side`]), and
    /// adds the agent's replies, the problems, and notes on how roles were
    /// told to `doc`.
    ///
    /// A role word of neither side is a problem for its line; a buyer's
    /// nick in a field of names (a 千牛 log's `sender`) is not checked, and
    /// one note per input names such senders. Each message is decided by
    /// itself, so the outcome does not depend on how a long log is cut into
    /// pieces. A message without a role is checked. A message whose text is
    /// `null`, or that has no text field while others have one, is skipped
    /// and counted in a note.
    pub fn finish(self, doc: &mut Document) {
        let opts = self.opts;
        let texts = self
            .messages
            .iter()
            .any(|m| matches!(m.reply, Reply::Text(_) | Reply::Empty));
        let fields = || match &opts.field {
            Some(field) => vec![field.clone()],
            None => NAMES.text_fields.clone(),
        };
        let mut senders = Senders::new(opts.agent_roles.as_ref());
        let (mut unroled, mut skipped, mut nulls) = (false, 0_usize, 0_usize);
        for message in &self.messages {
            let agent = match &message.sender {
                Sender::Unknown => {
                    unroled |= !matches!(message.reply, Reply::Bad(_));
                    senders.checked_without_role();
                    true
                }
                Sender::Null => {
                    nulls += 1;
                    senders.checked_without_role();
                    true
                }
                Sender::Shapeless(field, members) => {
                    doc.problems.push(Problem {
                        line: message.line,
                        sheet: None,
                        kind: RowError::ShapelessSender {
                            field: field.clone(),
                            members: members.clone(),
                        },
                    });
                    continue;
                }
                Sender::Role(role, field) => {
                    let field = self.role_fields.get(*field).map_or("role", String::as_str);
                    let side = match &self.buyer {
                        Some(buyer) if role.trim() != buyer.trim() => senders.cell(field, role, Neither::Shop),
                        _ => senders.decide(field, role),
                    };
                    match side {
                        Side::Agent => true,
                        Side::Customer | Side::Nick => false,
                        Side::Unknown => {
                            doc.problems.push(Problem {
                                line: message.line,
                                sheet: None,
                                kind: RowError::UnknownRole {
                                    field: field.to_owned(),
                                    role: role.clone(),
                                },
                            });
                            continue;
                        }
                    }
                }
            };
            if !agent {
                continue;
            }
            let problem = |kind: RowError| Problem {
                line: message.line,
                sheet: None,
                kind,
            };
            match &message.reply {
                Reply::Text(record) => doc.records.push(record.clone()),
                Reply::Empty => {}
                Reply::Null => skipped += 1,
                Reply::NoText if texts => skipped += 1,
                Reply::NoText => doc.problems.push(problem(RowError::NoText { fields: fields() })),
                Reply::Bad(why) => doc.problems.push(problem(why.clone())),
            }
        }
        if skipped > 0 {
            doc.notes.push((
                "no-text".to_owned(),
                format!(
                    "{skipped} message{} whose text is null or missing (no field {}) skipped",
                    if skipped == 1 { "" } else { "s" },
                    fields().join(" or ")
                ),
            ));
        }
        if opts.role_field.is_none()
            && let Some(field) = self.role_fields.iter().find(|f| *f != "role")
        {
            doc.notes.push((
                "role-field".to_owned(),
                format!("who sent each message is read from its field {field:?}"),
            ));
        }
        if nulls > 0 {
            doc.notes.push((
                "null-sender".to_owned(),
                format!(
                    "{nulls} message{} whose sender is null checked, as a message without one is",
                    if nulls == 1 { "" } else { "s" },
                ),
            ));
        }
        if unroled {
            doc.notes.push((
                "no-role".to_owned(),
                format!(
                    "messages without a role field (looked for {}; they have {}) are all checked, a customer's too; --role-field names it",
                    opts.role_field.as_ref().map_or_else(|| self.beside.join(", "), Clone::clone),
                    listed(self.members_seen.iter().map(String::as_str))
                ),
            ));
        }
        senders.finish(doc, None);
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
    fn locates_offsets_on_lines() {
        let text = "a\n你好\r\n  x";
        let mut at = Locator::new(text, 3);
        assert_eq!(at.at(0), (3, 0));
        assert_eq!(at.at(5), (4, 1));
        assert_eq!(at.at(text.len() - 1), (5, 2));
        assert_eq!(at.at(2), (4, 0));
    }
}
