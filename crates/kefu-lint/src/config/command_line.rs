//! `--select`, `--extend-select`, `--ignore` and `--severity`: the command
//! line as a last layer over the configuration file, as in ruff.
//!
//! Which rules run: `--select` (when given) replaces what the file and its
//! `[[per-path]]` entries select and ignore; `--extend-select` adds rules to
//! that; `--ignore` takes rules away from both (it wins over a select of the
//! same rule on the command line). `--severity` wins over the file's
//! `[severity]` (a later `--severity` over an earlier one). Rules are named
//! by id, name or category, as in the file.

use crate::Severity;

use super::{Selectable, selects};

/// How the options are named in messages: as the command line's flags
/// (`--select`) or as a builder's or an API's fields (`select`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Spelling {
    /// `--select`, `--ignore` …, and `kefu-lint rules` to list the rules.
    #[default]
    CommandLine,
    /// `select`, `ignore` …: the names of [`super::LinterBuilder`]'s methods,
    /// the Python package's arguments and the HTTP API's fields.
    Fields,
}

impl Spelling {
    /// `option` (`select`, `extend-select`, `ignore`, `severity`, `extend-pack`) as this spelling writes it.
    pub(crate) fn option(self, option: &str) -> String {
        match self {
            Spelling::CommandLine => format!("--{option}"),
            Spelling::Fields if option == "extend-pack" => "packs".to_owned(),
            Spelling::Fields => option.replace('-', "_"),
        }
    }

    /// Where the rules' names are listed, as a parenthesised hint.
    fn listed(self) -> &'static str {
        match self {
            Spelling::CommandLine => " (`kefu-lint rules` lists them)",
            Spelling::Fields => "",
        }
    }
}

/// A name in a rule option that no rule has as its id, name or category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRule {
    /// The option that gave it: `select`, `extend-select`, `ignore` or `severity`.
    pub option: &'static str,
    /// The name as given, cut to its first
    /// [`SHOWN_NAME`](crate::suggest::SHOWN_NAME) characters and `…` when
    /// longer (a message never repeats a megabyte back).
    pub name: String,
    /// The nearest valid name, when one is near.
    pub nearest: Option<String>,
}

/// Why rule options were refused: the message (in the options'
/// [`Spelling`]), and the unknown name when that is why (none when the
/// options leave no rule to run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// What is wrong, naming the option and the nearest valid name.
    pub message: String,
    /// The name no rule has, if that is what is wrong.
    pub unknown: Option<UnknownRule>,
}

impl From<String> for Refused {
    fn from(message: String) -> Refused {
        Refused { message, unknown: None }
    }
}

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
    /// How messages name these options.
    pub spelling: Spelling,
}

impl RuleOptions {
    /// Whether `rule` runs, `by_file` saying whether the configuration
    /// file (with its per-path entries) runs it.
    pub(crate) fn runs(&self, rule: &(impl Selectable + ?Sized), by_file: bool) -> bool {
        let named = |list: &[String]| list.iter().any(|s| selects(s, rule));
        let selected = self.select.as_deref().map_or(by_file, named);
        (selected || named(&self.extend_select)) && !named(&self.ignore)
    }

    /// The severity the command line gives `rule`, if it does.
    pub(crate) fn severity(&self, rule: &(impl Selectable + ?Sized)) -> Option<Severity> {
        self.severity
            .iter()
            .rev()
            .find(|(s, _)| selects(s, rule))
            .map(|(_, level)| *level)
    }

    /// Whether any of `--select`, `--extend-select` and `--ignore` is given.
    pub fn chooses(&self) -> bool {
        self.select.is_some() || !self.extend_select.is_empty() || !self.ignore.is_empty()
    }

    /// Why no rule is left to run: the options given, in the order they
    /// apply, with the configuration file's selection when `file_selects`
    /// (its `select` or `ignore` chose the rules `--ignore` took away).
    pub fn emptied(&self, file_selects: bool) -> String {
        let spelling = self.spelling;
        let given = |option: &str, list: &[String]| {
            let option = spelling.option(option);
            Some(if list.is_empty() {
                format!("{option} = []")
            } else {
                format!("{option} {}", list.join(","))
            })
        };
        let mut parts: Vec<String> = [
            self.select.as_deref().and_then(|s| given("select", s)),
            (!self.extend_select.is_empty())
                .then(|| given("extend-select", &self.extend_select))
                .flatten(),
            (!self.ignore.is_empty())
                .then(|| given("ignore", &self.ignore))
                .flatten(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if self.select.is_none() && file_selects {
            parts.insert(0, "the configuration's select and ignore".into());
        }
        format!(
            "{} {} no rule to run; ignore fewer rules, or select more{}",
            parts.join(" with "),
            if parts.len() == 1 { "leaves" } else { "leave" },
            spelling.listed()
        )
    }

    /// Checks every name against `rules` (reply and session rules).
    ///
    /// # Errors
    /// The first name that is no rule's id, name or category, with the
    /// option that gave it and the nearest valid name, if one is near.
    pub(crate) fn check(&self, rules: &[&dyn Selectable]) -> Result<(), Refused> {
        let named = [
            ("select", self.select.as_deref().unwrap_or_default()),
            ("extend-select", &self.extend_select),
            ("ignore", &self.ignore),
        ];
        let severities = self.severity.iter().map(|(s, _)| ("severity", s));
        let all = named
            .iter()
            .flat_map(|(option, list)| list.iter().map(move |s| (*option, s)))
            .chain(severities);
        for (option, given) in all {
            if !rules.iter().any(|r| selects(given, *r)) {
                let name = &crate::suggest::cut(given).into_owned();
                let names = rules.iter().flat_map(|r| r.names());
                let nearest = crate::suggest::nearest(given, names).map(str::to_owned);
                let hint = nearest
                    .as_ref()
                    .map_or_else(String::new, |n| format!("; did you mean {n:?}?"));
                return Err(Refused {
                    message: format!(
                        "{} {name}: no rule has this id, name or category{hint}{}",
                        self.spelling.option(option),
                        self.spelling.listed()
                    ),
                    unknown: Some(UnknownRule {
                        option,
                        name: name.clone(),
                        nearest,
                    }),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rule;

    fn rules() -> Vec<Rule> {
        crate::pack::builtin_rules().to_vec()
    }

    #[test]
    fn misspelt_names_get_the_nearest_of_reply_and_session_rules() {
        let rules = rules();
        let sessions = crate::session::SessionChecker::builtin();
        let all = super::super::selectable(&rules, &sessions);
        let ignoring = |name: &str| {
            RuleOptions {
                ignore: vec![name.to_owned()],
                ..RuleOptions::default()
            }
            .check(&all)
        };
        let error = |name: &str| ignoring(name).expect_err("an unknown name").message;
        assert!(error("buut").ends_with("did you mean \"but\"? (`kefu-lint rules` lists them)"));
        assert!(error("No-Courtesyy").contains("did you mean \"no-courtesy\"?"));
        assert!(error("slow-replyy").contains("did you mean \"slow-reply\"?"));
        assert!(!error("zzzzzzzz").contains("did you mean"));
        for session_rule in ["KS001", "no-greeting", "response-time"] {
            assert_eq!(ignoring(session_rule), Ok(()), "{session_rule}");
        }
        // Any ASCII case names a rule, as `kefu-lint explain` takes it.
        for name in ["kf007", "BUT", "Over-Promise", "ks001"] {
            assert_eq!(ignoring(name), Ok(()), "{name}");
        }
        // A name of a megabyte is refused with its start only, and no guess.
        let huge = "buut".repeat(1 << 18);
        let refused = ignoring(&huge).expect_err("an unknown name");
        let unknown = refused.unknown.expect("the name");
        assert_eq!(unknown.name.chars().count(), crate::suggest::SHOWN_NAME + 1);
        assert!(unknown.name.starts_with("buutbuut") && unknown.name.ends_with('…'));
        assert_eq!(unknown.nearest, None);
        assert!(refused.message.len() < 300, "{}", refused.message);
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
