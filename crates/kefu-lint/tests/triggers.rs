//! The regexes' trigger literals only save work. A regex runs on a reply
//! only when the reply holds a literal of each of the regex's trigger
//! groups; the promise to the user is that this changes nothing: for every
//! reply, `Linter::check` gives exactly the findings (rules, spans, messages,
//! fixes) of `Linter::check_every_regex`, which runs every regex on every
//! reply. Checked here on generated replies (proptest), on every line of the
//! real corpus (`../shared/corpus/*.txt`) and on every reply of the
//! evaluation sets (`tests/eval/*.jsonl`); `fuzz/fuzz_targets/triggers.rs`
//! asks the same of arbitrary bytes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kefu_lint::{Linter, Mode};
use proptest::prelude::*;

/// The built-in rules of each mode (their regexes differ).
fn linters() -> &'static [Linter; 2] {
    static LINTERS: OnceLock<[Linter; 2]> = OnceLock::new();
    LINTERS.get_or_init(|| [Mode::Draft, Mode::Library].map(Linter::builtin_in))
}

/// Asserts that both ways of checking `reply` agree, for every mode.
fn assert_same(reply: &str, origin: &str) {
    for linter in linters() {
        assert_eq!(
            linter.check(reply),
            linter.check_every_regex(reply),
            "{origin}: {reply:?}"
        );
    }
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_corpus_line_finds_the_same_with_every_regex_run() {
    let corpus = repository().join("../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{}: {e}", corpus.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the corpus files in {}", corpus.display());
    let mut lines = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (n, line) in text.lines().enumerate() {
            assert_same(line, &format!("{}:{}", file.display(), n + 1));
            lines += 1;
        }
    }
    assert!(lines > 8_000, "{lines} corpus lines");
}

#[test]
fn every_evaluation_reply_finds_the_same_with_every_regex_run() {
    let dir = repository().join("tests/eval");
    let mut replies = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let case: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
            // Cases quoting a corpus line (`from`) are covered by the corpus test.
            if let Some(reply) = case.get("text").and_then(serde_json::Value::as_str) {
                assert_same(reply, &format!("{}:{}", path.display(), n + 1));
                replies += 1;
            }
        }
    }
    assert!(replies > 1_000, "{replies} evaluation replies");
}

/// Words the rules care about: their patterns, exceptions, whole-reply and
/// courteous words, and their examples (which hold what the regexes look for).
fn words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = linters()
            .iter()
            .flat_map(Linter::rules)
            .flat_map(|r| {
                [
                    &r.patterns,
                    &r.exceptions,
                    &r.whole,
                    &r.lacks,
                    &r.unless_before,
                    &r.examples.bad,
                    &r.examples.ok,
                ]
            })
            .flatten()
            .cloned()
            .chain(
                [
                    "您好",
                    "订单",
                    "快递",
                    "可以",
                    "时间",
                    "地址",
                    "亲",
                    "好的",
                    "没有",
                    "问一下",
                ]
                .map(String::from),
            )
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

fn noise() -> &'static [char] {
    static NOISE: OnceLock<Vec<char>> = OnceLock::new();
    NOISE.get_or_init(|| kefu_lint::fold::noise().collect())
}

/// What stands between two words: nothing, sentence punctuation, brackets,
/// white space or noise of any kind, an emoji.
fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::sample::select(
            [
                "，",
                "。",
                ",",
                "!",
                "?",
                "！！！",
                "~",
                " ",
                "\u{3000}",
                "\t",
                "[",
                "]",
                "（",
                "）",
                "【",
                "】",
                "“",
                "”",
                "😀",
                "\u{200b}",
                "亲",
                "的"
            ]
            .as_slice()
        )
        .prop_map(String::from),
        (0..noise().len()).prop_map(|i| noise()[i].to_string()),
    ]
}

/// `word` as a writer might type it: as it is, in Traditional, with full-width
/// or upper-case Latin letters, or with a noise character between two of its characters.
fn variant(word: String, how: u8, pick: usize) -> String {
    match how {
        0 => kefu_lint::script::to_traditional(&word),
        1 => word
            .chars()
            .map(|c| match c {
                '!'..='~' if c.is_ascii_alphanumeric() => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect(),
        2 => word.to_uppercase(),
        3 => {
            let chars: Vec<char> = word.chars().collect();
            let at = pick % chars.len().max(1);
            let noise = noise()[pick % noise().len()];
            chars[..at]
                .iter()
                .chain(std::iter::once(&noise))
                .chain(&chars[at..])
                .collect()
        }
        _ => word,
    }
}

fn reply() -> impl Strategy<Value = String> {
    let piece = (separator(), 0..words().len(), 0..8_u8, any::<usize>())
        .prop_map(|(sep, i, how, pick)| sep + &variant(words()[i].clone(), how, pick));
    (prop::collection::vec(piece, 1..7), separator()).prop_map(|(pieces, end)| pieces.concat() + &end)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// Replies built of the rules' own words, in every spelling and with
    /// noise anywhere: the triggers change no finding.
    #[test]
    fn generated_replies_find_the_same_with_every_regex_run(reply in reply()) {
        for linter in linters() {
            prop_assert_eq!(linter.check(&reply), linter.check_every_regex(&reply));
        }
    }
}
