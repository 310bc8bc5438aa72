//! [`LinterBuilder`]: a linter as a `kefu-lint.toml` and the command line's
//! rule options describe it, for every front end (CLI, Python, HTTP).

use std::path::{Path, PathBuf};

use super::{Config, ConfigError, RuleOptions, Spelling, pack_error};
use crate::{Linter, Mode, Script};

/// Builds a [`Linter`] from a configuration file and options laid over it,
/// as `kefu-lint check` does with `--config`, `--mode`, `--select`,
/// `--ignore` and `--extend-pack` ([`Linter::builder`]).
///
/// Without a configuration file it starts from the built-in rules, all of
/// them, in draft mode. Rules are named by id (`KF007`), name (`but`) or
/// category (`over-promise`).
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct LinterBuilder {
    config_file: Option<PathBuf>,
    loaded: Option<Config>,
    mode: Option<Mode>,
    options: RuleOptions,
    allow: Vec<String>,
    packs: Vec<PathBuf>,
    script: Option<Script>,
    input: Option<PathBuf>,
    competitors: Vec<String>,
}

impl LinterBuilder {
    /// Reads the settings of this `kefu-lint.toml` (a regular UTF-8 file
    /// of at most 16 MiB; its `extend-packs` only from inside its directory).
    pub fn config_file(mut self, path: impl AsRef<Path>) -> Self {
        self.config_file = Some(path.as_ref().to_owned());
        self
    }

    /// Starts from a configuration already loaded ([`Config::load`],
    /// [`Config::load_with`], with its packs) instead of reading a file: a
    /// service reads its file once, at start, and builds each later linter
    /// from what it read, whatever becomes of the file. It takes the place
    /// of [`LinterBuilder::config_file`]; [`LinterBuilder::packs`] cannot be
    /// added to it (an error of [`LinterBuilder::build`]).
    pub fn config(mut self, config: Config) -> Self {
        self.loaded = Some(config);
        self
    }

    /// The mode, over the file's `mode`: [`Mode::Draft`] (replies about to
    /// be sent) or [`Mode::Library`] (a quick-reply library of templates).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Runs only these rules, replacing the file's `select` and `ignore`
    /// (as `--select`).
    pub fn select<S: Into<String>>(mut self, rules: impl IntoIterator<Item = S>) -> Self {
        self.options.select = Some(rules.into_iter().map(Into::into).collect());
        self
    }

    /// Never runs these rules, whatever selects them (as `--ignore`).
    pub fn ignore<S: Into<String>>(mut self, rules: impl IntoIterator<Item = S>) -> Self {
        self.options.ignore.extend(rules.into_iter().map(Into::into));
        self
    }

    /// Phrases in which nothing is flagged (保证正品 for a shop that may
    /// say it), besides the file's `allow`.
    pub fn allow<S: Into<String>>(mut self, phrases: impl IntoIterator<Item = S>) -> Self {
        self.allow.extend(phrases.into_iter().map(Into::into));
        self
    }

    /// Extra rule packs (TOML, as `rules/*.toml`), besides the file's
    /// `extend-packs` (as `--extend-pack`; they may lie anywhere).
    pub fn packs<P: AsRef<Path>>(mut self, paths: impl IntoIterator<Item = P>) -> Self {
        self.packs.extend(paths.into_iter().map(|p| p.as_ref().to_owned()));
        self
    }

    /// The script of the findings of a reply written the same in both
    /// scripts (`嗯`), over the file's `script`.
    pub fn script(mut self, script: Script) -> Self {
        self.script = Some(script);
        self
    }

    /// Names of other shops and brands (某某旗舰店, BrandX), besides the
    /// file's `competitors`: the `competitor-mentioned` rule flags them in
    /// either script (the Traditional 某某旗艦店 as well). An empty name is
    /// an error of [`LinterBuilder::build`].
    pub fn competitors<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.competitors.extend(names.into_iter().map(Into::into));
        self
    }

    /// Lays over the file's settings those of its `[[per-path]]` entries
    /// whose globs match `path` (relative to the configuration's directory,
    /// or as given), as `kefu-lint check` does for each input. Without it,
    /// only the file's top-level settings apply.
    pub fn for_path(mut self, path: impl AsRef<Path>) -> Self {
        self.input = Some(path.as_ref().to_owned());
        self
    }

    /// The linter.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] for a configuration file that cannot be read
    /// or is wrong (with the place), [`ConfigError::Pack`] for a pack that
    /// cannot be read or is wrong (with the place), [`ConfigError::Usage`]
    /// for a rule name that is no rule's, options that leave no rule, a
    /// competitor's name or an allowed phrase with no letter, digit or Han
    /// character, or packs given with a loaded configuration.
    pub fn build(self) -> Result<Linter, ConfigError> {
        nothing_named(
            &self.allow,
            "allow: phrase",
            "allows nothing",
            "write the phrase to allow (\"保证正品\")",
        )?;
        nothing_named(
            &self.competitors,
            "competitors: name",
            "names nothing",
            "name the shop or brand (\"某某旗舰店\")",
        )?;
        let mut config = match self.loaded {
            Some(_) if !self.packs.is_empty() => {
                return Err(ConfigError::Usage {
                    message: "packs cannot be added to a loaded configuration: load it with them (Config::load_with)"
                        .into(),
                    unknown: None,
                });
            }
            Some(loaded) => loaded,
            None => Config::load_spelled(self.config_file.as_deref(), &self.packs, Spelling::Fields)?,
        };
        let options = RuleOptions {
            spelling: Spelling::Fields,
            ..self.options
        };
        config
            .set_command_line(options.clone())
            .map_err(|refused| ConfigError::Usage {
                message: refused.message,
                unknown: refused.unknown,
            })?;
        if let Some(script) = self.script {
            config.set_script(script);
        }
        config.base.allow.extend(self.allow);
        config.competitors.extend(self.competitors);
        let matched = config.matched(self.input.as_deref());
        let linter = config.linter(&matched, self.mode).map_err(|e| pack_error(&e, &[]))?;
        if linter.rules().is_empty() {
            // The selection left rules of the other mode only.
            let file_selects = config.base.select.is_some() || !config.base.ignore.is_empty();
            return Err(ConfigError::Usage {
                message: format!("in this mode, {}", options.emptied(file_selects)),
                unknown: None,
            });
        }
        Ok(linter)
    }
}

/// A usage error for the first of `items` with no letter, digit or Han
/// character, which would match nothing: `{list} N ("…") {does}; {instead}, or leave it out`.
fn nothing_named(items: &[String], list: &str, does: &str, instead: &str) -> Result<(), ConfigError> {
    match items.iter().position(|item| !super::is_a_name(item)) {
        Some(at) => Err(ConfigError::Usage {
            message: format!(
                "{list} {} ({:?}) {does} (no letter, digit or Han character); {instead}, or leave it out",
                at + 1,
                items[at]
            ),
            unknown: None,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_and_options_give_the_rules_they_name() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("kefu-lint.toml");
        std::fs::write(
            &file,
            "ignore = [\"but\"]\nallow = [\"保证正品\"]\n[severity]\nKF011 = \"error\"\n",
        )
        .expect("written");
        let names = |linter: &Linter, reply: &str| -> Vec<String> {
            linter.check(reply).iter().map(|f| f.name.to_string()).collect()
        };
        let linter = Linter::builder().config_file(&file).build().expect("valid");
        assert_eq!(
            names(&linter, "亲,但是有货哦"),
            Vec::<String>::new(),
            "the file ignores but"
        );
        assert_eq!(
            names(&linter, "亲,我们保证正品哦"),
            Vec::<String>::new(),
            "the file allows 保证正品"
        );
        let ni = linter.check("亲,你好");
        assert_eq!(
            (&*ni[0].name, ni[0].severity),
            ("ni-instead-of-nin", crate::Severity::Error)
        );
        // Options over the file: select replaces its ignore; allow adds.
        let linter = Linter::builder()
            .config_file(&file)
            .select(["but", "over-promise"])
            .allow(["保证发货"])
            .build()
            .expect("valid");
        assert_eq!(names(&linter, "亲,但是你好"), ["but"], "but, and not 你");
        assert_eq!(names(&linter, "亲,保证发货哦"), Vec::<String>::new());
        assert_eq!(names(&linter, "亲,保证明天到"), ["over-promise"]);
    }

    #[test]
    fn a_loaded_configuration_builds_without_its_file() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("kefu-lint.toml");
        std::fs::write(&file, "ignore = [\"but\"]\n").expect("written");
        let loaded = Config::load(&file).expect("valid");
        std::fs::remove_file(&file).expect("removed");
        let linter = Linter::builder()
            .config(loaded.clone())
            .select(["but", "ni-instead-of-nin"])
            .build()
            .expect("built from what was read, the file gone");
        let names: Vec<String> = linter.check("但是你好").iter().map(|f| f.name.to_string()).collect();
        assert_eq!(names, ["but", "ni-instead-of-nin"], "select replaces the file's ignore");
        let linter = Linter::builder()
            .config(loaded.clone())
            .build()
            .expect("the file's own settings");
        assert!(
            !linter.check("但是").iter().any(|f| &*f.name == "but"),
            "the file ignores but"
        );
        assert!(
            Linter::builder().config_file(&file).build().is_err(),
            "reading the file now fails"
        );
        let error = Linter::builder()
            .config(loaded)
            .packs([dir.path().join("x.toml")])
            .build();
        assert!(
            matches!(error, Err(ConfigError::Usage { .. })),
            "packs with a loaded configuration"
        );
    }

    #[test]
    fn mistakes_are_typed_errors_with_their_place() {
        let error = Linter::builder().select(["buut"]).build().expect_err("no such rule");
        assert!(matches!(error, ConfigError::Usage { .. }));
        assert_eq!(
            error.message(),
            "select buut: no rule has this id, name or category; did you mean \"but\"?",
            "the builder's names, not the command line's flags"
        );
        let error = Linter::builder()
            .select(["but"])
            .ignore(["but"])
            .build()
            .expect_err("nothing left");
        assert_eq!(
            error.message(),
            "select but with ignore but leave no rule to run; ignore fewer rules, or select more"
        );
        let error = Linter::builder()
            .select(Vec::<String>::new())
            .build()
            .expect_err("nothing left");
        assert!(
            error.message().starts_with("select = [] leaves no rule to run"),
            "{error}"
        );
        // Every rule of draft mode ignored: the library-mode rules left do not run in draft mode.
        let draft: Vec<String> = Linter::builtin().rules().iter().map(|r| r.id.to_string()).collect();
        let error = Linter::builder()
            .ignore(draft)
            .build()
            .expect_err("nothing left in draft mode");
        assert!(error.message().starts_with("in this mode, ignore KF"), "{error}");
        assert!(
            error
                .message()
                .ends_with("leaves no rule to run; ignore fewer rules, or select more")
        );
        let error = Linter::builder()
            .packs(["/nonexistent/shop.toml"])
            .build()
            .expect_err("no pack");
        assert!(error.message().starts_with("packs: "), "{error}");
        let error = Linter::builder().config_file("").build().expect_err("no file");
        assert_eq!(error.message(), "an empty path names no configuration file");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("kefu-lint.toml");
        std::fs::write(&file, "mode = \"draft\"\nselect = [\"KF001\", \"nope\"]\n").expect("written");
        let error = Linter::builder().config_file(&file).build().expect_err("unknown rule");
        assert_eq!(error.file(), file.display().to_string());
        assert_eq!(error.line_column(), Some((2, 20)));
        assert!(!error.is_pack());
        let pack = dir.path().join("shop.toml");
        std::fs::write(&pack, "[[rule]]\nid = \"SHOP1\"\nname = 3\n").expect("written");
        let error = Linter::builder().packs([&pack]).build().expect_err("a bad pack");
        assert!(error.is_pack(), "{error}");
        assert_eq!(error.file(), pack.display().to_string());
        assert_eq!(error.line_column().map(|(line, _)| line), Some(3), "{error}");
    }

    #[test]
    fn competitors_from_the_builder_join_the_files() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("kefu-lint.toml");
        std::fs::write(&file, "competitors = [\"某某旗舰店\"]\n").expect("written");
        let linter = Linter::builder()
            .config_file(&file)
            .competitors(["BrandX"])
            .build()
            .expect("valid");
        let matched = |reply: &str| -> Vec<String> {
            linter
                .check(reply)
                .into_iter()
                .filter(|f| &*f.name == "competitor-mentioned")
                .map(|f| f.matched)
                .collect()
        };
        assert_eq!(matched("BrandX和某某旗艦店都有"), ["BrandX", "某某旗艦店"]);
        let error = Linter::builder()
            .competitors(["BrandX", ""])
            .build()
            .expect_err("an empty name");
        assert!(matches!(error, ConfigError::Usage { .. }));
        assert!(
            error.message().starts_with("competitors: name 2 (\"\") names nothing"),
            "{error}"
        );
        for nothing in ["", "\u{200b}", "   "] {
            let error = Linter::builder()
                .allow(["保证正品", nothing])
                .build()
                .expect_err("a phrase that allows nothing");
            assert!(error.message().starts_with("allow: phrase 2 "), "{error}");
        }
    }

    #[test]
    fn per_path_entries_apply_to_the_path_given() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("kefu-lint.toml");
        std::fs::write(&file, "[[per-path]]\npaths = [\"templates/**\"]\nmode = \"library\"\n").expect("written");
        let placeholder = |linter: &Linter| {
            linter
                .check("亲,您的订单{订单号}已发货哦")
                .iter()
                .any(|f| &*f.name == "placeholder")
        };
        let top = Linter::builder().config_file(&file).build().expect("valid");
        assert!(placeholder(&top), "the top level is draft mode");
        let templates = Linter::builder()
            .config_file(&file)
            .for_path(dir.path().join("templates/quick.csv"))
            .build()
            .expect("valid");
        assert!(!placeholder(&templates), "the per-path entry makes it library mode");
    }

    #[test]
    fn the_mode_chooses_the_rules_of_that_mode() {
        let draft = Linter::builder().build().expect("valid");
        let library = Linter::builder().mode(Mode::Library).build().expect("valid");
        let placeholder = |linter: &Linter| {
            linter
                .check("亲,您的订单号是XX哦")
                .iter()
                .any(|f| &*f.name == "placeholder")
        };
        assert!(placeholder(&draft));
        assert!(!placeholder(&library));
    }
}
