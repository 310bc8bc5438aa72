//! Phrase lists of the session rules, matched in folded text (width and
//! Traditional characters folded as reply rules fold them, ASCII letters
//! lower-cased), and the length of a
//! message as the rules count it.

use crate::fold::fold_str;

/// A list of phrases (written in Simplified), folded once.
#[derive(Clone, Debug, Default)]
pub struct Phrases {
    /// Folded phrases, longest first (so that removing them takes 好的 before 好).
    folded: Vec<String>,
}

impl Phrases {
    /// The list `phrases`; empty phrases are dropped.
    pub fn new(phrases: &[String]) -> Phrases {
        let mut folded: Vec<String> = phrases.iter().filter(|p| !p.is_empty()).map(|p| folded(p)).collect();
        folded.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
        Phrases { folded }
    }

    /// Whether folded text `folded` holds one of the phrases.
    pub fn any_in(&self, folded: &str) -> bool {
        self.folded.iter().any(|p| folded.contains(p.as_str()))
    }

    /// Whether folded text `folded` is made of these phrases alone (and
    /// punctuation, spaces, emoji: characters that are not letters or digits).
    pub fn only_in(&self, folded: &str) -> bool {
        let mut rest = folded.to_owned();
        for p in &self.folded {
            rest = rest.replace(p.as_str(), " ");
        }
        length(&rest) == 0
    }
}

/// The folded form of a message's text.
pub fn folded(text: &str) -> String {
    let mut folded = fold_str(text);
    folded.make_ascii_lowercase();
    folded
}

/// How long `text` is for the session rules: its letters, digits and Han
/// characters, in code points (punctuation, spaces and emoji do not count).
pub fn length(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Whether `text` holds nothing but masked values: an export's masks of
/// what was written (`[姓名x]`, `[数字x]` in the JD dialogue corpus; `***`),
/// with punctuation and space around them.
pub fn only_masked(text: &str) -> bool {
    let mut rest = String::with_capacity(text.len());
    let mut masked = false;
    let mut parts = text.split('[');
    rest.push_str(parts.next().unwrap_or_default());
    for part in parts {
        match part.split_once("x]") {
            Some((inside, after)) if !inside.contains(']') && inside.chars().count() <= 12 => {
                masked = true;
                rest.push_str(after);
            }
            _ => {
                rest.push('[');
                rest.push_str(part);
            }
        }
    }
    masked |= rest.contains("***");
    masked && length(&rest) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[&str]) -> Phrases {
        Phrases::new(&words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn phrases_match_traditional_and_full_width_text() {
        let thanks = list(&["谢谢", "ok"]);
        assert!(thanks.any_in(&folded("好的,謝謝!")));
        assert!(thanks.any_in(&folded("ＯＫ")));
        assert!(!thanks.any_in(&folded("好的")));
    }

    #[test]
    fn only_in_ignores_punctuation_and_takes_longer_phrases_first() {
        let acks = list(&["好", "好的", "谢谢"]);
        assert!(acks.only_in(&folded("好的,謝謝!😊")));
        assert!(!acks.only_in(&folded("好的,我的快递呢")));
    }

    #[test]
    fn masked_values_alone_are_told_from_words() {
        for masked in ["[姓名x]", " [数字x]~ ", "***", "[姓名x],[电话x]"] {
            assert!(only_masked(masked), "{masked}");
        }
        for words in ["[姓名x]您好", "好的", "[微笑]", "[链接]", "", "x]", "[不会x"] {
            assert!(!only_masked(words), "{words}");
        }
    }

    #[test]
    fn length_counts_letters_digits_and_han_only() {
        assert_eq!(length("不会。"), 2);
        assert_eq!(length("M码 有吗??😊"), 4);
    }
}
