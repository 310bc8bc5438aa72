//! Every `$ kefu-lint …` example in README.md and docs/*.md runs, and prints
//! what the document shows, so the documents cannot drift from the tool.
//!
//! An example is a line `$ kefu-lint ARGS` in a fenced block, run from the
//! repository root without colour; the lines after it, up to a blank line or
//! the end of the block, are what it must print (standard output, then
//! standard error), in that order, though the tool may print more lines in
//! between (the documents show excerpts). A shown line ending in `…` stands
//! for any line that starts the same way; a line that starts with `…` (as
//! `…the same findings…`) stands for lines left out.

mod support;

use std::path::Path;

/// The examples of one document: `(line number, arguments, shown lines)`.
fn examples(text: &str) -> Vec<(usize, Vec<String>, Vec<String>)> {
    let mut found = Vec::new();
    let mut in_block = false;
    let mut current: Option<(usize, Vec<String>, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block;
            found.extend(current.take());
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ kefu-lint ") {
            found.extend(current.take());
            let args = command.split_whitespace().map(str::to_owned).collect();
            current = Some((i + 1, args, Vec::new()));
        } else if line.trim().is_empty() {
            found.extend(current.take());
        } else if let Some((_, _, shown)) = &mut current {
            shown.push(line.trim_end().to_owned());
        }
    }
    found
}

/// Whether the printed line `actual` is what the document shows as `shown`.
fn matches(shown: &str, actual: &str) -> bool {
    match shown.strip_suffix('…') {
        Some(prefix) => actual.starts_with(prefix),
        None => actual.trim_end() == shown,
    }
}

#[test]
fn every_documented_example_prints_what_the_document_shows() {
    let root = Path::new(support::ROOT);
    let mut documents = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    documents.extend(docs);
    let mut ran = 0;
    let mut failures = Vec::new();
    for document in &documents {
        let text = std::fs::read_to_string(document).expect("readable document");
        for (line, args, shown) in examples(&text) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = support::command(root, &args).output().expect("kefu-lint runs");
            let printed = format!("{}{}", support::stdout(&out), support::stderr(&out));
            let mut lines = printed.lines();
            for expected in shown.iter().filter(|s| !s.starts_with('…')) {
                if !lines.any(|actual| matches(expected, actual)) {
                    failures.push(format!(
                        "{}:{line}: kefu-lint {}: no line {expected:?} (in order) in:\n{printed}",
                        document.display(),
                        args.join(" ")
                    ));
                    break;
                }
            }
            ran += 1;
        }
    }
    assert!(ran >= 6, "only {ran} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn shown_lines_match_as_documented() {
    assert!(matches("a b…", "a b c"));
    assert!(!matches("a b…", "a c"));
    assert!(matches("x", "x  "));
    let found = examples("text\n```\n$ kefu-lint check a.txt\none\n…more…\n\n$ kefu-lint rules\n```\n");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].1, ["check", "a.txt"]);
    assert_eq!(found[0].2, ["one", "…more…"]);
}
