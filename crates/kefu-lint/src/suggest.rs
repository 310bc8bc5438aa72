//! "Did you mean …?": the nearest valid name to a misspelled one.

/// How alike two names must be, at least, for one to be suggested for the
/// other: the normalised Damerau–Levenshtein similarity (1 is the same
/// name). 0.7 allows about one edit in four characters (`selct` → `select`,
/// `KF01` → `KF001`), and nothing for a word that only shares a letter or two.
const MIN_SIMILARITY: f64 = 0.7;

/// The candidate most like `word` (compared without regard to ASCII case),
/// if any is alike enough or begins with `word` of three letters or more
/// (`warn` → `warning`); the first of equally alike ones.
///
/// A candidate whose length alone rules it out is not compared, so a word
/// of a megabyte costs a count of its characters, not seconds of edit
/// distances.
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let word = word.to_ascii_lowercase();
    let length = word.chars().count();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_ascii_lowercase();
        let other = lower.chars().count();
        // The distance is at least the difference in length.
        let at_most = 1.0 - length.abs_diff(other) as f64 / length.max(other).max(1) as f64;
        if at_most < MIN_SIMILARITY && !(length >= 3 && length <= other) {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(&word, &lower);
        let alike = score >= MIN_SIMILARITY || (word.len() >= 3 && lower.starts_with(&word));
        if alike && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Characters of a name a message repeats back (an unknown rule name).
pub const SHOWN_NAME: usize = 64;

/// `name` as a message repeats it: its first [`SHOWN_NAME`] characters and
/// `…` when it is longer, so a message never echoes a megabyte.
pub fn cut(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(SHOWN_NAME) {
        Some((at, _)) => format!("{}…", &name[..at]).into(),
        None => name.into(),
    }
}

/// The candidates that serde names in a message such as "unknown field
/// `selct`, expected one of `fail-on`, `select`" or "unknown variant
/// `warn`, expected `info` or `warning`": the unknown word and the words
/// quoted after "expected".
pub fn serde_unknown(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))?;
    let (word, rest) = rest.split_once('`')?;
    let (_, expected) = rest.split_once("expected")?;
    let candidates = expected.split('`').skip(1).step_by(2).collect();
    Some((word, candidates))
}

/// Rust's integer types as serde's messages name them, in plain words.
const INTEGERS: [(&str, &str); 5] = [
    ("u8", "a whole number from 0 to 255"),
    ("u16", "a whole number from 0 to 65535"),
    ("u32", "a whole number from 0 to 4294967295"),
    ("u64", "a whole number from 0 to 18446744073709551615"),
    ("usize", "a whole number from 0 to 18446744073709551615"),
];

/// `message`, with Rust's type names in plain words (`integer `-5`,
/// expected u32` → `expected a whole number from 0 to 4294967295`), and
/// "; did you mean `…`?" when serde's message names an unknown word that is
/// like one of the words it expected.
pub fn serde_message(message: &str) -> String {
    let mut plain = message.replace(" as i128", "").replace(" as u128", "");
    for (rust, words) in INTEGERS {
        if plain.ends_with(&format!("expected {rust}")) {
            plain.truncate(plain.len() - rust.len());
            plain.push_str(words);
        }
    }
    match serde_unknown(&plain).and_then(|(word, candidates)| nearest(word, candidates)) {
        Some(near) => format!("{plain}; did you mean `{near}`?"),
        None => plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_is_repeated_by_its_start() {
        assert_eq!(cut("buut"), "buut");
        let long = "好".repeat(SHOWN_NAME + 1);
        assert_eq!(cut(&long), format!("{}…", "好".repeat(SHOWN_NAME)));
        assert_eq!(
            cut(&"好".repeat(SHOWN_NAME)),
            "好".repeat(SHOWN_NAME),
            "exactly the limit is kept whole"
        );
        assert_eq!(nearest(&"buut".repeat(1 << 18), ["but", "KF007"]), None);
    }

    #[test]
    fn suggests_only_near_names() {
        assert_eq!(nearest("selct", ["ignore", "select"]), Some("select"));
        assert_eq!(nearest("kf01", ["KF001", "KF010"]), Some("KF001"));
        assert_eq!(nearest("nope", ["no-courtesy", "KF001"]), None);
        assert_eq!(nearest("x", []), None);
    }

    #[test]
    fn reads_serde_messages() {
        let m = "unknown field `selct`, expected one of `fail-on`, `select`, `ignore`";
        assert_eq!(serde_unknown(m), Some(("selct", vec!["fail-on", "select", "ignore"])));
        assert_eq!(serde_message(m), format!("{m}; did you mean `select`?"));
        let m = "unknown variant `warn`, expected `info` or `warning`";
        assert_eq!(serde_message(m), format!("{m}; did you mean `warning`?"));
        assert_eq!(serde_message("invalid type: integer"), "invalid type: integer");
        assert_eq!(
            serde_message("invalid type: integer `99999999999999999999` as i128, expected u32"),
            "invalid type: integer `99999999999999999999`, expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            serde_message("invalid value: integer `-5`, expected u32"),
            "invalid value: integer `-5`, expected a whole number from 0 to 4294967295"
        );
    }
}
