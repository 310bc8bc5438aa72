//! The names readers look for in inputs (reply headers, message fields,
//! roles), kept as data in `names.toml`.

use std::sync::LazyLock;

/// The lists of `names.toml`, most likely first.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// Headers of a table's reply column.
    pub reply_headers: Vec<String>,
    /// Words that make a header about the reply rather than the reply.
    pub not_reply_headers: Vec<String>,
    /// Fields of a chat message holding its text.
    pub text_fields: Vec<String>,
    /// Fields holding who sent a message.
    pub role_fields: Vec<String>,
    /// Fields inside a sender object (without a role inside) naming the sender.
    pub sender_name_fields: Vec<String>,
    /// Headers of a table's sender column.
    pub role_headers: Vec<String>,
    /// Role fields that hold a role word rather than a person's name.
    pub role_word_fields: Vec<String>,
    /// Text whose presence in a role value makes it an agent's.
    pub agent_within: Vec<String>,
    /// ASCII words that make a role value an agent's.
    pub agent_words: Vec<String>,
    /// Text whose presence in a role value makes it a customer's.
    pub customer_within: Vec<String>,
    /// ASCII words that make a role value a customer's.
    pub customer_words: Vec<String>,
    /// Keys under which a JSON document's array of messages is looked for first.
    pub message_arrays: Vec<String>,
    /// Keys of a JSON document's top-level object naming its one buyer (千牛).
    pub buyer_fields: Vec<String>,
    /// Fields of a chat message holding its session id (the first is the default).
    pub session_fields: Vec<String>,
    /// Fields of a chat message holding its time (the first is the default).
    pub time_fields: Vec<String>,
    /// Fields of a chat message holding its agent's name (the first is the default).
    pub agent_fields: Vec<String>,
    /// Fields of a chat message holding its date beside a time of day.
    pub date_fields: Vec<String>,
}

/// The names, parsed once. `names.toml` is part of the program, and a test
/// parses it, so it always parses.
pub static NAMES: LazyLock<Names> =
    LazyLock::new(|| toml::from_str(include_str!("names.toml")).expect("names.toml parses (tested)"));

/// `name` as it is compared: trimmed, folded (full width to half,
/// Traditional to Simplified), lower-cased, and a space or a hyphen
/// between words read as `_` (`Session ID`, `session-id` and `session_id`
/// are one name).
pub fn norm(name: &str) -> String {
    kefu_lint::fold::fold_str(name.trim())
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Whether `list` (one of [`NAMES`]'s, whose names are normalised
/// already, as a test checks) holds `name`, compared as [`norm`] does.
pub fn holds(list: &[String], name: &str) -> bool {
    let name = norm(name);
    list.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_parse_and_are_folded_already() {
        let names: Names = toml::from_str(include_str!("names.toml")).unwrap();
        for list in [
            &names.reply_headers,
            &names.not_reply_headers,
            &names.agent_within,
            &names.agent_words,
            &names.customer_within,
            &names.customer_words,
            &names.role_word_fields,
            &names.role_headers,
            &names.session_fields,
            &names.time_fields,
            &names.agent_fields,
        ] {
            assert!(!list.is_empty());
            assert!(list.iter().all(|n| norm(n) == *n), "{list:?}");
        }
        assert!(holds(&NAMES.role_headers, " Sender "));
    }
}
