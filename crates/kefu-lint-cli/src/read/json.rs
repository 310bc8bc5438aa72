//! JSON chat logs (`.json`): an array of messages, or an object holding one
//! (a 千牛 export: `{"buyer": "…", "chats": [{"sender": "…", "text": "…"}]}`),
//! found with `--json-pointer` or looked for. Each message is read as a line
//! of JSON Lines is (see [`super::message`]); the document is read whole.

use serde_json::value::RawValue;

use super::message::{Locator, Log, Members, kind, lookup, offset_in};
use super::names::NAMES;
use super::{Document, Options, ReadError, RowError};

/// How deep in objects an array of messages is looked for (the top level is 1).
const DEPTH: usize = 3;

/// Reads the messages of the JSON document `text`.
///
/// # Errors
/// Invalid JSON (with its line and column), a `--json-pointer` that leads
/// nowhere or not to an array, or no array of messages found.
pub fn read(text: &str, opts: &Options, doc: &mut Document) -> Result<(), ReadError> {
    let (root, elements) = messages(text, opts, &mut doc.notes)?;
    let mut log = Log::new(opts).with_buyer(buyer(root));
    let mut at = Locator::new(text, 1);
    for element in elements {
        if element.get().starts_with('{') {
            log.message(text, element.get(), &mut at);
        } else {
            let (line, _) = at.at(offset_in(text, element.get()).unwrap_or(0));
            log.unreadable(
                line,
                RowError::NotAnObject {
                    what: Some(kind(element)),
                },
            );
        }
    }
    log.finish(doc);
    Ok(())
}

/// The document `text` and its array of messages (`--json-pointer`, the
/// top-level array, or the one looked for, said in `notes`).
///
/// # Errors
/// As [`read`]'s.
pub fn messages<'t>(
    text: &'t str,
    opts: &Options,
    notes: &mut Vec<(String, String)>,
) -> Result<(&'t RawValue, Vec<&'t RawValue>), ReadError> {
    let root: &RawValue = serde_json::from_str(text).map_err(|e| invalid(text, &e))?;
    let (pointer, array) = match &opts.json_pointer {
        Some(pointer) => (pointer.clone(), resolve(root, pointer).map_err(ReadError::Shape)?),
        None if root.get().starts_with('[') => (String::new(), root),
        None => {
            let (pointer, array, equal) = find(root, opts).ok_or_else(|| {
                ReadError::Shape(format!(
                    "no array of messages in it (an array of objects, looked for first under {}); give its place with --json-pointer, such as /chats",
                    NAMES.message_arrays.join(", ")
                ))
            })?;
            let also = if equal.is_empty() {
                String::new()
            } else {
                format!("; {} fit as well, not read", equal.join(", "))
            };
            notes.push((
                "json-pointer".to_owned(),
                format!(
                    "messages read from {pointer} (the array of messages found in it{also}; --json-pointer chooses)"
                ),
            ));
            (pointer, array)
        }
    };
    let elements: Vec<&RawValue> = serde_json::from_str(array.get()).map_err(|_| {
        ReadError::Shape(format!(
            "{} is {}, not an array of messages",
            if pointer.is_empty() { "the document" } else { &pointer },
            kind(array)
        ))
    })?;
    Ok((root, elements))
}

/// The buyer a document's top-level object names (see `names.toml`'s
/// `buyer_fields`), if it is a non-empty string.
pub fn buyer(root: &RawValue) -> Option<String> {
    let members = Members::of(root.get()).ok()?;
    NAMES
        .buyer_fields
        .iter()
        .find_map(|key| members.get(key))
        .and_then(|value| serde_json::from_str::<String>(value.get()).ok())
        .filter(|name| !name.trim().is_empty())
}

/// The error for text that is not JSON: where (line, and column in
/// characters), and what is wrong.
fn invalid(text: &str, e: &serde_json::Error) -> ReadError {
    // serde_json counts columns in bytes and lines at `\n`.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let end = (line_start + e.column()).min(text.len());
    let column = text
        .get(line_start..end)
        .map_or(e.column(), |before| before.chars().count());
    let why = e.to_string();
    let why = why.rsplit_once(" at line ").map_or(why.as_str(), |(why, _)| why);
    ReadError::Json {
        line: e.line().max(1),
        // serde_json says column 0 for the end of an empty line; columns are 1-based.
        column: column.max(1),
        why: why.to_owned(),
    }
}

/// Why a `--json-pointer` not starting with `/` is none.
const NOT_A_POINTER: &str = "a JSON Pointer starts with / (such as /chats), or is empty for the whole document";

/// Parses a `--json-pointer` value, before any input is read: empty (the
/// whole document) or starting with `/` (RFC 6901).
///
/// # Errors
/// A value that is not a JSON Pointer, and what one looks like.
pub fn parse_pointer(pointer: &str) -> Result<String, String> {
    if pointer.is_empty() || pointer.starts_with('/') {
        Ok(pointer.to_owned())
    } else {
        Err(NOT_A_POINTER.to_owned())
    }
}

/// The value at the JSON Pointer `pointer` (RFC 6901: `/chats`, `/data/0/messages`).
///
/// # Errors
/// A pointer that is not one, or that leads nowhere.
fn resolve<'a>(root: &'a RawValue, pointer: &str) -> Result<&'a RawValue, String> {
    if pointer.is_empty() {
        return Ok(root);
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("--json-pointer {pointer:?}: {NOT_A_POINTER}"));
    };
    let mut value = root;
    let mut walked = String::new();
    for token in rest.split('/') {
        let key = token.replace("~1", "/").replace("~0", "~");
        walked = format!("{walked}/{token}");
        let next = if value.get().starts_with('{') {
            Members::of(value.get()).ok().and_then(|m| m.get(&key))
        } else if value.get().starts_with('[') {
            let items: Vec<&RawValue> = serde_json::from_str(value.get()).unwrap_or_default();
            key.parse::<usize>().ok().and_then(|i| items.get(i).copied())
        } else {
            None
        };
        value = next.ok_or_else(|| format!("--json-pointer {pointer}: nothing at {walked}"))?;
    }
    Ok(value)
}

/// `key` escaped for a JSON Pointer.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// How well the array `value` looks like messages: `None` unless it is an
/// array whose first element is an object (or empty); then 0 if empty, 1 if
/// that object has no text field, 2 if it has one, 3 if a role field too.
fn fit(value: &RawValue, opts: &Options) -> Option<u8> {
    let inner = value.get().strip_prefix('[')?.trim_start();
    if inner.starts_with(']') {
        return Some(0);
    }
    if !inner.starts_with('{') {
        return None;
    }
    let first: Vec<&RawValue> = serde_json::from_str(value.get()).ok()?;
    let members = Members::of(first.first()?.get()).ok()?;
    let has = |fields: &[String], given: Option<&String>| match given {
        Some(path) => lookup(&members, path).is_some(),
        None => fields.iter().any(|f| members.get(f).is_some()),
    };
    let text = has(&NAMES.text_fields, opts.field.as_ref());
    let role = has(&NAMES.role_fields, opts.role_field.as_ref());
    Some(match (text, role) {
        (false, _) => 1,
        (true, false) => 2,
        (true, true) => 3,
    })
}

/// An array of objects found in a document.
struct Candidate<'a> {
    pointer: String,
    value: &'a RawValue,
    /// [`fit`].
    fit: u8,
    /// Rank of its key in `names.toml`'s `message_arrays`, if it is one.
    rank: Option<usize>,
}

/// The array of messages in the object `root`, its pointer, and the
/// pointers of other arrays that fit as well: of the arrays of objects
/// found (breadth first, at most [`DEPTH`] objects deep), the one whose
/// objects have a text field (and a role field); of those that fit
/// equally, the one under the better-ranked key of `names.toml`'s
/// `message_arrays`, else the first found.
fn find<'a>(root: &'a RawValue, opts: &Options) -> Option<(String, &'a RawValue, Vec<String>)> {
    let mut level = vec![(String::new(), root)];
    let mut found: Vec<Candidate<'a>> = Vec::new();
    for _ in 0..DEPTH {
        let mut next = Vec::new();
        for (pointer, object) in &level {
            let Ok(members) = Members::of(object.get()) else {
                continue;
            };
            for (key, value) in members.iter() {
                let here = format!("{pointer}/{}", token(key));
                let rank = NAMES.message_arrays.iter().position(|n| n == key);
                match fit(value, opts) {
                    // An empty array counts only under a name of messages.
                    Some(fit) if fit > 0 || rank.is_some() => found.push(Candidate {
                        pointer: here,
                        value,
                        fit,
                        rank,
                    }),
                    _ if value.get().starts_with('{') => next.push((here, value)),
                    _ => {}
                }
            }
        }
        level = next;
    }
    let order = |c: &Candidate<'_>| (std::cmp::Reverse(c.fit), c.rank.unwrap_or(usize::MAX));
    let best = found.iter().enumerate().min_by_key(|(i, c)| (order(c), *i))?.0;
    let chosen = found.swap_remove(best);
    let equal = found
        .into_iter()
        // Fitting as well: as good a fit, whatever the name it is under.
        .filter(|c| c.fit == chosen.fit && c.fit > 1)
        .map(|c| c.pointer)
        .collect();
    Some((chosen.pointer, chosen.value, equal))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> &RawValue {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn finds_the_array_of_messages() {
        let doc = raw(r#"{"buyer":"x","tags":[1],"chats":[{"text":"a"}]}"#);
        assert_eq!(
            find(doc, &Options::default()).map(|(p, ..)| p).as_deref(),
            Some("/chats")
        );
        let doc = raw(r#"{"a":[{"t":1}],"data":{"messages":[]}}"#);
        assert_eq!(find(doc, &Options::default()).map(|(p, ..)| p).as_deref(), Some("/a"));
        let doc = raw(r#"{"meta":{"a/b":{"records":[{"t":1}]}}}"#);
        assert_eq!(
            find(doc, &Options::default()).map(|(p, ..)| p).as_deref(),
            Some("/meta/a~1b/records")
        );
        assert!(find(raw(r#"{"a":[1,2],"b":"c"}"#), &Options::default()).is_none());
        // Objects with a text and a role beat objects with a text, under any name.
        let doc = raw(r#"{"goods":[{"title":"a","text":"b"}],"x":{"history":[{"sender":"s","text":"t"}]}}"#);
        assert_eq!(
            find(doc, &Options::default()).map(|(p, ..)| p).as_deref(),
            Some("/x/history")
        );
        // The last of duplicate keys, as serde_json reads it.
        let doc = raw(r#"{"chats":[{"text":"a"}],"chats":[{"text":"b"}]}"#);
        assert_eq!(
            find(doc, &Options::default()).map(|(_, v, _)| v.get()),
            Some(r#"[{"text":"b"}]"#)
        );
        // Two that fit equally: the other is named.
        let doc = raw(r#"{"a":[{"role":"x","text":"a"}],"b":[{"role":"y","text":"b"}]}"#);
        let (pointer, _, equal) = find(doc, &Options::default()).unwrap();
        assert_eq!((pointer.as_str(), equal), ("/a", vec!["/b".to_owned()]));
    }

    #[test]
    fn resolves_pointers() {
        let doc = raw(r#"{"a/b":[{"x":[10,{"y":"z"}]}],"~":1}"#);
        assert_eq!(resolve(doc, "/a~1b/0/x/1/y").unwrap().get(), r#""z""#);
        assert_eq!(resolve(doc, "/~0").unwrap().get(), "1");
        assert_eq!(
            resolve(doc, "/a~1b/3").unwrap_err(),
            "--json-pointer /a~1b/3: nothing at /a~1b/3"
        );
        assert!(resolve(doc, "chats").is_err());
    }

    #[test]
    fn says_where_json_is_invalid_in_characters() {
        let text = "{\n  \"text\": \"你好\" \"x\"\n}";
        let e = serde_json::from_str::<&RawValue>(text).unwrap_err();
        assert_eq!(
            invalid(text, &e).to_string(),
            "invalid JSON at line 2, column 16: expected `,` or `}`"
        );
    }
}
