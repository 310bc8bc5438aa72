//! Every key a pack's `[pack]` or `[[rule]]` table lacks, said at once
//! (serde stops at the first).

/// The keys `[pack]` must have.
const PACK: &[&str] = &["name", "description"];

/// The keys each `[[rule]]` must have.
const RULE: &[&str] = &["id", "name", "category", "severity", "summary", "message", "source"];

/// What the first table of `text` (the `[pack]`, then each `[[rule]]` in
/// order) that lacks keys lacks, with what such a table needs: `[[rule]] 2
/// lacks message, source (a [[rule]] needs …)`. `None` when the text is not
/// TOML, or no table lacks a key.
pub(crate) fn missing(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let pack = table.get("pack").and_then(toml::Value::as_table);
    let rules = table.get("rule").and_then(toml::Value::as_array).into_iter().flatten();
    let tables = pack.map(|t| ("[pack]".to_owned(), t, PACK)).into_iter().chain(
        rules
            .enumerate()
            .filter_map(|(i, r)| r.as_table().map(|t| (format!("[[rule]] {}", i + 1), t, RULE))),
    );
    tables.into_iter().find_map(|(what, table, needed)| {
        let lacking: Vec<&str> = needed.iter().copied().filter(|k| !table.contains_key(*k)).collect();
        (!lacking.is_empty()).then(|| {
            let kind = what.split(' ').next().unwrap_or_default();
            format!(
                "{what} lacks {} (a {kind} needs {})",
                lacking.join(", "),
                needed.join(", ")
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_missing_key_of_the_first_table_lacking_some() {
        let text = "[pack]\nname = \"shop\"\ndescription = \"d\"\n[[rule]]\nid = \"X1\"\nname = \"a\"\n";
        let said = missing(text).unwrap();
        assert!(
            said.starts_with("[[rule]] 1 lacks category, severity, summary, message, source (a [[rule]] needs id,"),
            "{said}"
        );
        assert_eq!(
            missing("[pack]\n").as_deref(),
            Some("[pack] lacks name, description (a [pack] needs name, description)")
        );
        assert_eq!(missing("[pack]\nname = \"a\"\ndescription = \"b\"\n"), None);
        assert_eq!(missing("not toml ="), None);
    }
}
