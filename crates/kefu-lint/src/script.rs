//! Scripts (Simplified or Traditional): telling which one a text is written
//! in, and converting the rules' Simplified texts (messages, suggestions,
//! rewrites) for a Traditional reply.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::Serialize;

use crate::fold::script_balance;

/// A Chinese script. The rules are written in Simplified; a finding in a
/// Traditional reply has its message, suggestions and fix in Traditional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Script {
    /// Simplified Chinese (`hans`).
    #[default]
    #[serde(rename = "hans")]
    Simplified,
    /// Traditional Chinese, Taiwan standard characters (`hant`).
    #[serde(rename = "hant")]
    Traditional,
}

crate::named::named!(Script, [Script::Simplified, Script::Traditional], ["hans", "hant"]);

impl Script {
    /// The name used in configurations and output: `hans` or `hant`.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "hans",
            Script::Traditional => "hant",
        }
    }

    /// `simplified` (Simplified Chinese) written in this script: converted
    /// with [`to_traditional`] for Traditional, as it is for Simplified.
    pub fn written(self, simplified: &str) -> String {
        match self {
            Script::Simplified => simplified.to_owned(),
            Script::Traditional => to_traditional(simplified),
        }
    }

    /// The script `text` is written in: the one more of its characters are
    /// particular to (這 is Traditional only, 这 Simplified only). `None`
    /// when it has as many of each, as a text written the same in both
    /// scripts (`嗯`, `不知道`, ASCII) has: none.
    pub fn of(text: &str) -> Option<Script> {
        Script::from_balance(script_balance(text))
    }

    /// The script most of the script-particular characters of all `texts`
    /// together belong to (a text's few such characters count as few);
    /// `None` when they are as many of each. Takes time in the texts' length
    /// and allocates nothing.
    pub fn of_all<'t>(texts: impl IntoIterator<Item = &'t str>) -> Option<Script> {
        Script::from_balance(texts.into_iter().map(script_balance).sum())
    }

    /// The script of a balance of Traditional-only minus Simplified-only characters.
    pub(crate) fn from_balance(balance: isize) -> Option<Script> {
        match balance {
            0 => None,
            b if b > 0 => Some(Script::Traditional),
            _ => Some(Script::Simplified),
        }
    }
}

/// Whether `text` is written in Traditional characters.
///
/// Counts characters only one script uses; Traditional wins when it has more.
/// Text with neither (most ASCII, shared characters) is Simplified.
pub fn is_traditional(text: &str) -> bool {
    Script::of(text) == Some(Script::Traditional)
}

/// Converts Simplified text to Traditional (Taiwan standard characters).
///
/// The converter (OpenCC data, phrase-aware) is loaded on first use. If it
/// cannot be loaded the text is returned unchanged.
pub fn to_traditional(text: &str) -> String {
    static CONVERTER: OnceLock<Option<OpenCC>> = OnceLock::new();
    CONVERTER
        .get_or_init(|| OpenCC::from_config(BuiltinConfig::S2tw).ok())
        .as_ref()
        .map_or_else(|| text.to_owned(), |c| c.convert(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_script() {
        assert!(is_traditional("這個我真的不知道"));
        assert!(!is_traditional("这个我真的不知道"));
        assert!(!is_traditional("您好"));
        assert!(!is_traditional("ok"));
        assert_eq!(Script::of("這個我真的不知道"), Some(Script::Traditional));
        assert_eq!(Script::of("这个我真的不知道"), Some(Script::Simplified));
        for neutral in ["嗯", "不知道", "ok", ""] {
            assert_eq!(Script::of(neutral), None, "{neutral}");
        }
        assert_eq!(Script::of_all(["嗯", "這個", "好的"]), Some(Script::Traditional));
        assert_eq!(Script::of_all(["這個", "这个"]), None);
    }

    #[test]
    fn converts_suggestions() {
        assert_eq!(to_traditional("请稍等,我马上为您确认"), "請稍等,我馬上為您確認");
    }
}

#[cfg(test)]
mod rule_texts {
    use super::*;
    use crate::pack;

    /// The characters of `text` only Simplified text uses.
    fn simplified_only(text: &str) -> String {
        text.chars()
            .filter(|c| Script::of(&c.to_string()) == Some(Script::Simplified))
            .collect()
    }

    /// Every message, suggestion and rewrite of every built-in rule reads
    /// as Traditional once converted: no Simplified-only character is left
    /// (no half-converted word), and no character is lost or added.
    #[test]
    fn every_rule_text_converts_whole() {
        let rules = pack::load(pack::BUILTIN).expect("valid");
        for rule in &rules {
            let mut texts = vec![(
                rule.message.to_string(),
                rule.message_in(Script::Traditional).to_string(),
            )];
            let converted = rule.suggestions_in(Script::Traditional);
            texts.extend(rule.suggestions.iter().cloned().zip(converted.iter().cloned()));
            if let (Some(fix), Some(replacement)) = (&rule.fix, rule.replacement_in(Script::Traditional)) {
                texts.push((fix.replacement.clone(), replacement.to_owned()));
            }
            for (simplified, traditional) in texts {
                assert_eq!(simplified_only(&traditional), "", "{}: {traditional}", rule.id);
                // The same length: a word is never dropped or doubled.
                assert_eq!(
                    traditional.chars().count(),
                    simplified.chars().count(),
                    "{}: {traditional}",
                    rule.id
                );
                if !simplified_only(&simplified).is_empty() {
                    assert_eq!(Script::of(&traditional), Some(Script::Traditional), "{}", rule.id);
                }
            }
        }
    }

    #[test]
    fn every_built_in_rule_cites_its_guideline_by_title() {
        for rule in pack::load(pack::BUILTIN).expect("valid") {
            let title = rule.source.title.as_deref().unwrap_or_default();
            assert!(!title.is_empty() && !title.contains(".txt"), "{}: {title:?}", rule.id);
            assert_eq!(rule.source.cited(), title);
        }
    }
}
