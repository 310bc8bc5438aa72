//! Script detection (Simplified or Traditional) and conversion of suggestions.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use crate::fold::{Collapsible, Folded};

/// Whether `text` is written in Traditional characters.
///
/// Counts characters only one script uses; Traditional wins when it has more.
/// Text with neither (most ASCII, shared characters) is Simplified.
pub fn is_traditional(text: &str) -> bool {
    Folded::new(text, &Collapsible::default()).is_traditional()
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
    }

    #[test]
    fn converts_suggestions() {
        assert_eq!(to_traditional("请稍等,我马上为您确认"), "請稍等,我馬上為您確認");
    }
}
