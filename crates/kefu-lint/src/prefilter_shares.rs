//! How much of the real corpus an exact prefilter over the raw bytes could
//! send past folding and matching (issue 17; measured, not built: see
//! docs/performance.md, "Tried and not kept"). A reply skips folding only
//! when none of these holds, each of which needs the folded reply:
//!
//! - a pattern literal occurs in it (a candidate hit);
//! - a regex's trigger literal occurs (the regex runs on the folded text);
//! - folding drops a character (noise between two Han characters, a
//!   collapsed repeat): a literal may form across the gap, which no scan of
//!   the raw bytes sees;
//! - it has at most `WHOLE_MAX_CHARS` characters besides white space (the
//!   whole-reply words are compared with its folded words);
//! - it lacks a courteous word (the no-courtesy hint fires on the folded text);
//! - it is longer than a `max-chars` limit (a finding).
//!
//! The test asserts that the list is complete (a reply with none of them
//! has no finding) and prints the share of the corpus's replies and bytes
//! each sends down the full path:
//! `cargo test -p kefu-lint --lib prefilter_shares -- --nocapture`.

use crate::Linter;
use crate::matcher::Matcher;
use crate::rule::Mode;

/// The non-empty lines of `../shared/corpus/*.txt`, as the benchmark input
/// is made of them (`scripts/bench/make-corpus.py`).
fn corpus_lines() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        lines.extend(
            text.lines()
                .map(|l| l.trim_start_matches('\u{feff}'))
                .filter(|l| !l.trim().is_empty())
                .map(String::from),
        );
    }
    lines
}

#[test]
fn prefilter_shares() {
    let rules: Vec<_> = crate::pack::builtin_rules()
        .iter()
        .filter(|r| r.applies_in(Mode::Draft))
        .cloned()
        .collect();
    let limits: Vec<usize> = rules.iter().filter_map(|r| r.max_chars).collect();
    let matcher = Matcher::new(&rules, &[]).expect("the built-in rules");
    let linter = Linter::from_rules(rules).expect("the built-in rules");
    let names = [
        "a pattern literal",
        "a trigger literal",
        "folding drops a character",
        "short enough for a whole-reply word",
        "no courteous word",
        "longer than a max-chars limit",
        "any of them (the full path)",
    ];
    let (mut replies, mut bytes) = ([0_usize; 7], [0_usize; 7]);
    let lines = corpus_lines();
    for line in &lines {
        let folded = matcher.fold(line);
        let [pattern, trigger, short, uncourteous] = matcher.needs_folding(&folded);
        let drops = folded.text.chars().count() < line.chars().count();
        let long = limits.iter().any(|&max| line.trim().chars().count() > max);
        let mut why = [pattern, trigger, drops, short, uncourteous, long, false];
        why[6] = why.iter().any(|&w| w);
        if !why[6] {
            assert!(linter.check(line).is_empty(), "a finding the list misses: {line:?}");
        }
        for (k, _) in why.iter().enumerate().filter(|(_, w)| **w) {
            replies[k] += 1;
            bytes[k] += line.len();
        }
    }
    let total_bytes: usize = lines.iter().map(String::len).sum();
    assert!(lines.len() > 8_000, "{} corpus replies", lines.len());
    let percent = |n: usize, of: usize| 100.0 * n as f64 / of as f64;
    for (k, name) in names.iter().enumerate() {
        eprintln!(
            "{name:38} {:5.1} % of replies, {:5.1} % of bytes",
            percent(replies[k], lines.len()),
            percent(bytes[k], total_bytes)
        );
    }
    eprintln!("{} replies, {total_bytes} bytes", lines.len());
}
