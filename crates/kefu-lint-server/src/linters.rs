//! The linters a server answers with: the one the configuration describes,
//! built at start, and those a request's `mode`, `select` and `ignore`
//! describe, built through [`Linter::builder`] on first use and kept in a
//! bounded cache so that a request does not rebuild the automata each time.

use std::path::PathBuf;
use std::sync::Arc;

use kefu_lint::config::{Config, ConfigError, FailOn};
use kefu_lint::{Linter, Mode};
use quick_cache::sync::Cache;

use crate::error::ApiError;

/// How many linters of distinct request options are kept; past that the
/// least used are dropped (and rebuilt when asked for again).
pub const CACHED_LINTERS: usize = 64;

/// What a request may change of the configuration's linter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Options {
    /// The mode, over the configuration's.
    pub mode: Option<Mode>,
    /// Only these rules (ids, names or categories), over the configuration's `select` and `ignore`.
    pub select: Option<Vec<String>>,
    /// Never these rules.
    pub ignore: Vec<String>,
}

/// What an API calls a request's `select` and `ignore`, for its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fields {
    /// The field that selects rules (`select`; LanguageTool's `enabledRules`).
    pub select: &'static str,
    /// The field that ignores rules (`ignore`; LanguageTool's `disabledRules`).
    pub ignore: &'static str,
}

/// The native API's names.
pub const NATIVE: Fields = Fields {
    select: "select",
    ignore: "ignore",
};

/// The configuration's linter, and the cache of the others. The file and
/// its packs are read once, at start, and every linter is built from what
/// was read: a service is restarted after its configuration changes, and
/// until then a file moved, edited or removed changes nothing.
pub struct Linters {
    config: Config,
    default: Arc<Linter>,
    fail_on: FailOn,
    cache: Cache<Options, Arc<Linter>>,
}

impl std::fmt::Debug for Linters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linters")
            .field("fail_on", &self.fail_on)
            .field("rules", &self.default.rules().len())
            .field("cached", &self.cache.len())
            .finish()
    }
}

impl Linters {
    /// The linter of the configuration file `config` (the built-in rules
    /// in draft mode when `None`).
    ///
    /// # Errors
    /// The [`ConfigError`] of a configuration or pack that cannot be used.
    pub fn new(config: Option<PathBuf>) -> Result<Linters, ConfigError> {
        let config = Config::load_with(config.as_deref(), &[])?;
        let default = Arc::new(Linter::builder().config(config.clone()).build()?);
        Ok(Linters {
            fail_on: config.fail_on.unwrap_or(FailOn::Warning),
            config,
            default,
            cache: Cache::new(CACHED_LINTERS),
        })
    }

    /// The configuration's `fail-on`, else `warning`.
    pub fn fail_on(&self) -> FailOn {
        self.fail_on
    }

    /// The configuration's linter.
    pub fn default_linter(&self) -> Arc<Linter> {
        Arc::clone(&self.default)
    }

    /// The linter of `options`: the configuration's when they change
    /// nothing, else a cached one, built on first use. Building takes
    /// milliseconds of CPU: call this off the async threads.
    ///
    /// # Errors
    /// A 400 [`ApiError`] naming the `select` or `ignore` field (as
    /// `fields` calls them) when a name is no rule's id, name or category,
    /// or when they leave no rule to run.
    pub fn get(&self, options: &Options, fields: Fields) -> Result<Arc<Linter>, ApiError> {
        if *options == Options::default() {
            return Ok(self.default_linter());
        }
        let spelled = |names: &[String]| names.iter().map(|n| self.spelled(n)).collect::<Vec<_>>();
        let options = &Options {
            mode: options.mode,
            select: options.select.as_deref().map(spelled),
            ignore: spelled(&options.ignore),
        };
        self.cache.get_or_insert_with(options, || {
            let mut builder = Linter::builder().config(self.config.clone());
            if let Some(mode) = options.mode {
                builder = builder.mode(mode);
            }
            if let Some(select) = &options.select {
                builder = builder.select(select.iter().cloned());
            }
            builder
                .ignore(options.ignore.iter().cloned())
                .build()
                .map(Arc::new)
                .map_err(|e| rejected(&e, options, fields))
        })
    }
}

impl Linters {
    /// `name` as the configuration's rules spell it, when it is one of
    /// their ids, names or categories in any ASCII case (`kf011` is
    /// `KF011`); `None` when it names none of the rules this server runs.
    pub fn known(&self, name: &str) -> Option<&str> {
        self.default
            .rules()
            .iter()
            .flat_map(|r| [&*r.id, &*r.name, &*r.category])
            .find(|known| known.eq_ignore_ascii_case(name))
    }

    /// [`Linters::known`], else `name` as given: the same rules in another
    /// case are one entry of the cache.
    fn spelled(&self, name: &str) -> String {
        self.known(name).unwrap_or(name).to_owned()
    }
}

/// A request's options refused, in the API's words: a name that is no
/// rule's (the field that gave it), else a selection that leaves no rule.
fn rejected(error: &ConfigError, options: &Options, fields: Fields) -> ApiError {
    if let ConfigError::Usage {
        unknown: Some(unknown), ..
    } = error
    {
        let field = match unknown.option {
            "ignore" => fields.ignore,
            _ => fields.select,
        };
        let hint = unknown
            .nearest
            .as_ref()
            .map_or_else(String::new, |n| format!("; did you mean {n:?}?"));
        return ApiError::field(
            field,
            format!(
                "{field} {}: no rule has this id, name or category{hint} (GET /v1/rules lists them)",
                unknown.name
            ),
        );
    }
    let ignored = format!("{} [{}]", fields.ignore, options.ignore.join(", "));
    let (field, given) = match &options.select {
        Some(select) if options.ignore.is_empty() => {
            (fields.select, format!("{} [{}]", fields.select, select.join(", ")))
        }
        Some(select) => (
            fields.select,
            format!("{} [{}] with {ignored}", fields.select, select.join(", ")),
        ),
        None => (fields.ignore, format!("{ignored} with this server's configuration")),
    };
    ApiError::field(
        field,
        format!("{given} leaves no rule to run: ignore fewer rules, or select more (GET /v1/rules lists them)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_gets_the_configuration_read_at_start_when_the_file_is_gone() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let pack = dir.path().join("shop.toml");
        let shop = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/shop-pack.toml");
        std::fs::copy(shop, &pack).expect("copied");
        let file = dir.path().join("kefu-lint.toml");
        std::fs::write(&file, "ignore = [\"KF020\"]\nextend-packs = [\"shop.toml\"]\n").expect("written");
        let linters = Linters::new(Some(file.clone())).expect("valid");
        std::fs::write(&file, "this is no longer TOML").expect("overwritten");
        std::fs::remove_file(&pack).expect("removed");
        let select = Options {
            select: Some(vec!["staff-number".into(), "but".into()]),
            ..Options::default()
        };
        let rules = |options: &Options| -> Vec<String> {
            let linter = linters.get(options, NATIVE).expect("built from what was read at start");
            linter
                .check("但是我是客服8号")
                .iter()
                .map(|f| f.rule.to_string())
                .collect()
        };
        assert_eq!(rules(&select), ["KF007", "SHOP001"]);
        let library = Options {
            mode: Some(Mode::Library),
            ignore: vec!["but".into()],
            ..Options::default()
        };
        assert_eq!(rules(&library), ["SHOP001"], "the file's ignore of KF020 still holds");
    }

    #[test]
    fn options_are_built_once_and_refused_with_their_field() {
        let linters = Linters::new(None).expect("the built-in rules");
        let only_but = Options {
            select: Some(vec!["but".into()]),
            ..Options::default()
        };
        let first = linters.get(&only_but, NATIVE).expect("valid");
        let shouted = Options {
            select: Some(vec!["BUT".into()]),
            ..Options::default()
        };
        assert!(
            Arc::ptr_eq(&linters.get(&shouted, NATIVE).expect("any ASCII case"), &first),
            "the same rules in another case are the same options"
        );
        let lower = Options {
            ignore: vec!["kf011".into()],
            ..Options::default()
        };
        let ni = |linter: &Linter| linter.check("亲,你好").iter().any(|f| &*f.rule == "KF011");
        assert!(ni(&linters.default_linter()));
        assert!(!ni(&linters.get(&lower, NATIVE).expect("any ASCII case")));
        let again = linters.get(&only_but, NATIVE).expect("valid");
        assert!(Arc::ptr_eq(&first, &again), "the second request reuses the linter");
        assert!(Arc::ptr_eq(
            &linters.get(&Options::default(), NATIVE).expect("valid"),
            &linters.default_linter()
        ));
        assert_eq!(first.check("但是你好").len(), 1);
        let bad = Options {
            ignore: vec!["buut".into()],
            ..Options::default()
        };
        let error = linters.get(&bad, NATIVE).expect_err("no such rule");
        assert_eq!(error.field.as_deref(), Some("ignore"));
        assert!(error.message.starts_with("ignore buut:"), "{}", error.message);
        assert!(
            error.message.ends_with("(GET /v1/rules lists them)"),
            "{}",
            error.message
        );
        let none_left = Options {
            select: Some(vec!["but".into()]),
            ignore: vec!["but".into()],
            ..Options::default()
        };
        let error = linters.get(&none_left, NATIVE).expect_err("no rule");
        assert_eq!(error.field.as_deref(), Some("select"));
        assert!(
            error
                .message
                .starts_with("select [but] with ignore [but] leaves no rule to run: "),
            "{}",
            error.message
        );
        let nothing = Options {
            select: Some(Vec::new()),
            ..Options::default()
        };
        let error = linters.get(&nothing, NATIVE).expect_err("no rule");
        assert!(
            error.message.starts_with("select [] leaves no rule"),
            "{}",
            error.message
        );
    }
}
