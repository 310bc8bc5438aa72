//! Every `curl` example of docs/server.md runs against a real `kefu-lint
//! serve`, and the answer the document shows after it (a ```` ```json ````
//! block, which may leave keys out) is part of the real answer. (The
//! service's examples cannot run under tests/readme.rs, which runs one
//! command at a time.)

mod serve_support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use serve_support::{ROOT, Server};

/// The address the document's examples use.
const DOCUMENTED: &str = "http://127.0.0.1:8080";

/// Whether `shown` is part of `actual`: the same scalars, arrays of the same
/// length whose items are each part of the actual item, objects whose keys
/// are all in the actual object with values part of the actual values.
fn part_of(shown: &Value, actual: &Value) -> bool {
    match (shown, actual) {
        (Value::Object(shown), Value::Object(actual)) => {
            shown.iter().all(|(k, v)| actual.get(k).is_some_and(|a| part_of(v, a)))
        }
        (Value::Array(shown), Value::Array(actual)) => {
            shown.len() == actual.len() && shown.iter().zip(actual).all(|(s, a)| part_of(s, a))
        }
        _ => shown == actual,
    }
}

/// The fenced blocks of `markdown`: language and text.
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(language)) => open = Some((language.trim().to_owned(), String::new())),
            (Some(_), Some("")) => blocks.extend(open.take()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn part_of_compares_what_the_document_shows() {
    let actual: Value = serde_json::from_str(r#"{"a": [{"b": 1, "c": 2}], "d": 3}"#).expect("JSON");
    assert!(part_of(
        &serde_json::from_str(r#"{"a": [{"b": 1}]}"#).expect("JSON"),
        &actual
    ));
    assert!(!part_of(
        &serde_json::from_str(r#"{"a": [{"b": 2}]}"#).expect("JSON"),
        &actual
    ));
    assert!(!part_of(&serde_json::from_str(r#"{"a": []}"#).expect("JSON"), &actual));
    assert!(!part_of(&serde_json::from_str(r#"{"e": 3}"#).expect("JSON"), &actual));
}

#[test]
fn every_curl_example_answers_what_the_document_shows() {
    let server = Server::start(&["--no-config"]);
    let document = std::fs::read_to_string(Path::new(ROOT).join("docs/server.md")).expect("docs/server.md");
    let blocks = blocks(&document);
    let mut ran = 0;
    for (i, (language, text)) in blocks.iter().enumerate() {
        if language != "sh" || !text.starts_with("curl ") {
            continue;
        }
        let command = text.trim().replace(DOCUMENTED, &server.base);
        let out = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .output()
            .expect("sh runs curl");
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let actual: Value = serde_json::from_slice(&out.stdout).expect("a JSON answer");
        let (next, shown) = blocks.get(i + 1).expect("an answer shown after each example");
        assert_eq!(next, "json", "the block after {command}");
        let shown: Value = serde_json::from_str(shown).expect("the document's JSON");
        assert!(
            part_of(&shown, &actual),
            "{command}\nshows {shown:#}\nbut answers {actual:#}"
        );
        ran += 1;
    }
    assert!(ran >= 6, "only {ran} examples found");
}
