//! SARIF 2.1.0, as GitHub code scanning accepts it: one run, the rules as
//! `tool.driver.rules` with help text, one result per finding.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use kefu_lint::{Rule, Script, Severity};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};
use serde_json::{Value, json};

use super::json::CONTEXT_CHARS;
use super::window::cut;
use super::{Located, source_label, suggestions_label};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The rule's reporting descriptor, its texts in `script`.
fn descriptor(rule: &Rule, script: Script) -> Value {
    let message = rule.described_message(script);
    let mut help = format!("{message}\n\n{}", rule.summary);
    let suggestions = rule.suggestions_in(script);
    if !suggestions.is_empty() {
        help += &format!("\n\n{}: {}", suggestions_label(script), suggestions.join(" / "));
    }
    help += &format!(
        "\n\n{}: {} — {}",
        source_label(script),
        rule.source.cited(),
        rule.source.passage
    );
    json!({
        "id": &*rule.id,
        "name": &*rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": &*message },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "category": &*rule.category, "tags": [&*rule.category] },
    })
}

/// Writes the log up to the opening of the results array, the rules' help in `script`.
pub fn begin(out: &mut dyn Write, rules: &[Rule], script: Script) -> io::Result<()> {
    let driver = json!({
        "name": "kefu-lint",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://crates.io/crates/kefu-lint",
        "rules": rules.iter().map(|r| descriptor(r, script)).collect::<Vec<_>>(),
    });
    let head = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
    });
    let head = serde_json::to_string(&head).map_err(io::Error::other)?;
    let driver = serde_json::to_string(&driver).map_err(io::Error::other)?;
    write!(
        out,
        "{},\"runs\":[{{\"tool\":{{\"driver\":{driver}}},\"columnKind\":\"unicodeCodePoints\",\"results\":[",
        head.trim_end_matches('}')
    )
}

/// Writes one result.
pub fn result(out: &mut dyn Write, at: &Located<'_>, rules: &[Rule]) -> io::Result<()> {
    let f = at.finding;
    let mut message = f.message.to_string();
    if !f.suggestions.is_empty() {
        message += &format!(" {}: {}", suggestions_label(f.script), f.suggestions.join(" / "));
    }
    let end = at.end;
    let mut result = json!({
        "ruleId": &*f.rule,
        "level": level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(at.path, at.file) },
                "region": {
                    "startLine": at.start.line,
                    "startColumn": at.start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                    "snippet": { "text": f.matched },
                },
            },
        }],
        "partialFingerprints": { "kefuLint/v1": format!("{:016x}", at.fingerprint) },
    });
    if let Some(index) = rules.iter().position(|r| r.id == f.rule) {
        result["ruleIndex"] = index.into();
    }
    if let Some(sheet) = &at.record.sheet {
        let column = at.record.column.as_deref().map(|c| cut(c, CONTEXT_CHARS));
        result["properties"] = json!({ "sheet": sheet, "column": column });
    }
    super::write_json(out, &result)
}

/// Bytes percent-encoded in a path segment of a URI: all but RFC 3986's
/// unreserved characters and the sub-delimiters and `@` that a segment may
/// hold as they are. `:` is encoded too, so that a first segment such as
/// `C:` is never read as a scheme.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

/// A relative URI reference (RFC 3986) for an input: its path as given,
/// without a leading `./`, split into segments at `/` (and at `\` on
/// Windows; on Unix a `\` is part of a name and is encoded `%5C`), each
/// segment percent-encoded byte by byte. On Unix the bytes are the name's
/// own, so a name that is not UTF-8 keeps its bytes (`bad%FF.txt`).
/// `sp ace#frag%20?.txt` is `sp%20ace%23frag%2520%3F.txt`. `name` stands
/// for an input without a file (standard input).
fn uri(name: &str, file: Option<&Path>) -> String {
    let bytes = file.map_or(Cow::Borrowed(name.as_bytes()), path_bytes);
    let mut path: &[u8] = &bytes;
    while let [b'.', sep, rest @ ..] = path
        && is_separator(*sep)
    {
        path = rest;
    }
    path.split(|&b| is_separator(b))
        .map(|segment| percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `byte` separates the segments of a path.
fn is_separator(byte: u8) -> bool {
    byte == b'/' || (cfg!(windows) && byte == b'\\')
}

/// The bytes of a path's name: its own on Unix, UTF-8 elsewhere.
#[cfg(unix)]
fn path_bytes(path: &Path) -> Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    Cow::Borrowed(path.as_os_str().as_bytes())
}

/// The bytes of a path's name: its own on Unix, UTF-8 elsewhere.
#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Cow<'_, [u8]> {
    Cow::Owned(path.to_string_lossy().into_owned().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_segment_by_segment() {
        assert_eq!(uri("./sp ace#frag%20?.txt", None), "sp%20ace%23frag%2520%3F.txt");
        assert_eq!(uri("a/回复.csv", None), "a/%E5%9B%9E%E5%A4%8D.csv");
        assert_eq!(uri("/tmp/C:x,y;z\n.txt", None), "/tmp/C%3Ax,y;z%0A.txt");
        assert_eq!(uri("<stdin>", None), "%3Cstdin%3E");
    }

    #[cfg(unix)]
    #[test]
    fn unix_uris_keep_backslashes_and_bytes_of_the_name() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"./d/back\\slash\xff.txt"));
        assert_eq!(uri("ignored", Some(path)), "d/back%5Cslash%FF.txt");
    }
}
