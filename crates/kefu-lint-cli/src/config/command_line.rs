//! `--select`, `--extend-select`, `--ignore` and `--severity`: the command
//! line as a last layer over the configuration file, as in ruff.
//!
//! Which rules run: `--select` (when given) replaces what the file and its
//! `[[per-path]]` entries select and ignore; `--extend-select` adds rules to
//! that; `--ignore` takes rules away from both (it wins over a select of the
//! same rule on the command line). `--severity` wins over the file's
//! `[severity]` (a later `--severity` over an earlier one). Rules are named
//! by id, name or category, as in the file.

use kefu_lint::{Rule, Severity};

use super::selects;

/// The rule options of the command line.
#[derive(Debug, Default, Clone)]
pub struct RuleOptions {
    /// `--select`: replaces the file's selection when given.
    pub select: Option<Vec<String>>,
    /// `--extend-select`.
    pub extend_select: Vec<String>,
    /// `--ignore`.
    pub ignore: Vec<String>,
    /// `--severity RULE=LEVEL`, in order.
    pub severity: Vec<(String, Severity)>,
}

impl RuleOptions {
    /// Whether `rule` runs, `by_file` saying whether the configuration
    /// file (with its per-path entries) runs it.
    pub fn runs(&self, rule: &Rule, by_file: bool) -> bool {
        let named = |list: &[String]| list.iter().any(|s| selects(s, rule));
        let selected = self.select.as_deref().map_or(by_file, named);
        (selected || named(&self.extend_select)) && !named(&self.ignore)
    }

    /// The severity the command line gives `rule`, if it does.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        self.severity
            .iter()
            .rev()
            .find(|(s, _)| selects(s, rule))
            .map(|(_, level)| *level)
    }

    /// Checks every name against `rules`.
    ///
    /// # Errors
    /// The first name that is no rule's id, name or category, with the
    /// option that gave it and the nearest valid name, if one is near.
    pub fn check(&self, rules: &[Rule]) -> Result<(), String> {
        let named = [
            ("--select", self.select.as_deref().unwrap_or_default()),
            ("--extend-select", &self.extend_select),
            ("--ignore", &self.ignore),
        ];
        let severities = self.severity.iter().map(|(s, _)| ("--severity", s));
        let all = named
            .iter()
            .flat_map(|(option, list)| list.iter().map(move |s| (*option, s)))
            .chain(severities);
        for (option, name) in all {
            if !rules.iter().any(|r| selects(name, r)) {
                let hint = nearest(name, rules).map_or_else(String::new, |n| format!("; did you mean {n:?}?"));
                return Err(format!(
                    "{option} {name}: no rule has this id, name or category{hint} (`kefu-lint rules` lists them)"
                ));
            }
        }
        Ok(())
    }
}

/// The rule id, name or category nearest to `name` (ignoring case), if it
/// is within a third of its length in edits (at least one edit, at most
/// three).
fn nearest<'a>(name: &str, rules: &'a [Rule]) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    let most = (wanted.chars().count() / 3).clamp(1, 3);
    rules
        .iter()
        .flat_map(|r| [&*r.id, &*r.name, &*r.category])
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&wanted, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= most)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<Rule> {
        crate::all_rules()
    }

    #[test]
    fn misspelt_names_get_the_nearest() {
        let rules = rules();
        assert_eq!(nearest("buut", &rules), Some("but"));
        assert_eq!(nearest("No-Courtesyy", &rules), Some("no-courtesy"));
        assert_eq!(nearest("zzzzzzzz", &rules), None);
    }

    #[test]
    fn the_command_line_is_the_last_layer() {
        let rules = rules();
        let but = rules.iter().find(|r| &*r.name == "but").expect("the rule but");
        let only = |select: &[&str]| RuleOptions {
            select: Some(select.iter().map(|s| (*s).to_owned()).collect()),
            ..RuleOptions::default()
        };
        // --select replaces the file's choice, either way.
        assert!(only(&["but"]).runs(but, false));
        assert!(!only(&["KF011"]).runs(but, true));
        // No --select: the file decides; --extend-select adds; --ignore wins.
        assert!(RuleOptions::default().runs(but, true));
        assert!(!RuleOptions::default().runs(but, false));
        let extend = RuleOptions {
            extend_select: vec!["but".into()],
            ..RuleOptions::default()
        };
        assert!(extend.runs(but, false));
        let ignored = RuleOptions {
            ignore: vec![but.id.to_string()],
            ..only(&["but"])
        };
        assert!(!ignored.runs(but, true));
    }
}
