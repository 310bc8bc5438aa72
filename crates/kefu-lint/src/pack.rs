//! Rule packs: TOML files of rules, loaded and validated.
//!
//! A pack is a `[pack]` table and any number of `[[rule]]` tables; see
//! `rules/` for the built-in packs and README.md for every key. Unknown keys,
//! duplicate ids or names, rules with nothing to match, empty patterns and
//! invalid regular expressions are errors that name the file, the rule and
//! the place in the TOML.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::{Applicability, Severity};
use crate::fold::fold_str;
use crate::rule::{ConfigList, Examples, FixSpec, LazyRegex, Mode, Rule, Scope, Source, WordSense};

/// The built-in packs, `(file name, TOML text)`, embedded from `rules/` at build time.
pub static BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// The trigger literals ([`crate::trigger::literals`]) of the built-in packs'
/// regexes, `(pattern, literals)` sorted by pattern, found at build time.
pub(crate) static BUILTIN_TRIGGERS: &[(&str, Option<&[&str]>)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_triggers.rs"));

/// The rules of the built-in packs, parsed once per process.
///
/// # Panics
/// Never in a released build: the built-in packs are validated by the test suite.
pub fn builtin_rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| load(BUILTIN).expect("built-in rule packs are valid"))
}

/// The longest regular expression a rule may have, in bytes: parsing one
/// takes memory in proportion (a 15 MB alternation of names took 1.65 GB
/// before its compiled size could be refused); lists of words are
/// `patterns`, which one automaton holds compactly.
pub const MAX_REGEX_BYTES: usize = 1 << 16;

/// A rule pack that could not be loaded.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: {}{message}", rule.as_ref().map(|r| format!("rule {r}: ")).unwrap_or_default())]
pub struct PackError {
    /// The pack file.
    pub file: String,
    /// The rule at fault, when the error is inside one.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
    #[source_code]
    source_code: Arc<NamedSource<String>>,
    #[label("here")]
    span: Option<SourceSpan>,
}

impl PackError {
    pub(crate) fn new(file: &str, text: &str, rule: Option<&str>, message: String, span: Option<Range<usize>>) -> Self {
        PackError {
            file: file.to_owned(),
            rule: rule.map(str::to_owned),
            message,
            source_code: Arc::new(NamedSource::new(file, text.to_owned())),
            span: span.map(SourceSpan::from),
        }
    }

    /// An error about `rule` as a whole (or, with none, the allowed
    /// phrases), with no place in a pack's text.
    pub(crate) fn of_rule(rule: Option<&Rule>, message: String) -> Self {
        let file = rule.map_or("allowed phrases", |r| &r.pack);
        PackError::new(file, "", rule.map(|r| &*r.id), message, None)
    }

    /// Byte range in the pack text where the error is, if known.
    pub fn span(&self) -> Option<Range<usize>> {
        self.span.map(|s| s.offset()..s.offset() + s.len())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a pack: a table [pack], then [[rule]] tables")]
struct PackFile {
    #[serde(rename = "pack")]
    _header: PackMeta,
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table [pack] with the keys name and description (pack = \"…\" is not one)"
)]
#[allow(dead_code)] // read by serde to validate the pack header
struct PackMeta {
    name: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "[[rule]] tables, each with the keys id, name, category, severity, summary, message and source"
)]
struct RuleSpec {
    id: Spanned<String>,
    name: Spanned<String>,
    category: String,
    severity: Severity,
    summary: String,
    #[serde(default)]
    title: String,
    message: String,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    patterns_from: Option<ConfigList>,
    #[serde(default)]
    regex: Vec<Spanned<String>>,
    #[serde(default)]
    whole: Vec<Spanned<String>>,
    #[serde(default)]
    exceptions: Vec<Spanned<String>>,
    #[serde(default)]
    unless_before: Vec<Spanned<String>>,
    #[serde(default)]
    unless_scope: Scope,
    #[serde(default)]
    unless_anywhere: Vec<Spanned<String>>,
    #[serde(default)]
    in_quotes: bool,
    #[serde(default)]
    word_sense: WordSense,
    #[serde(default)]
    keep_nested: bool,
    #[serde(default)]
    yields_to: Vec<Spanned<String>>,
    modes: Option<Vec<Mode>>,
    max_chars: Option<usize>,
    #[serde(default)]
    lacks: Vec<Spanned<String>>,
    #[serde(default)]
    suggestions: Vec<String>,
    fix: Option<Spanned<FixSpec>>,
    source: Source,
    #[serde(default)]
    examples: Examples,
}

/// Loads and validates packs given as `(file name, TOML text)`.
///
/// # Errors
/// The first problem found, as a [`PackError`] naming the file, the rule and
/// the span in the TOML.
pub fn load(packs: &[(&str, &str)]) -> Result<Vec<Rule>, PackError> {
    let mut rules = Vec::new();
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    // Each `yields-to` name with its place, checked once every rule is known.
    let mut yields = Vec::new();
    for &(file, text) in packs {
        let builtin = BUILTIN.iter().any(|&(_, t)| std::ptr::eq(t, text));
        let parsed: PackFile = toml::from_str(text).map_err(|e| {
            let message = Some(e.message())
                .filter(|m| m.starts_with("missing field"))
                .and_then(|_| crate::pack_keys::missing(text))
                .unwrap_or_else(|| e.message().to_owned());
            PackError::new(file, text, None, message, e.span())
        })?;
        let pack: Arc<str> = file.into();
        for spec in parsed.rule {
            let err = |message: String, at: Range<usize>| {
                PackError::new(file, text, Some(spec.id.get_ref()), message, Some(at))
            };
            if !is_id(spec.id.get_ref()) {
                return Err(err(
                    "id must be letters and digits, such as KF001".into(),
                    spec.id.span(),
                ));
            }
            if !is_kebab(spec.name.get_ref()) {
                return Err(err(
                    "name must be kebab-case, such as negative-ability".into(),
                    spec.name.span(),
                ));
            }
            if !ids.insert(spec.id.get_ref().clone()) {
                return Err(err(format!("duplicate rule id {}", spec.id.get_ref()), spec.id.span()));
            }
            if !names.insert(spec.name.get_ref().clone()) {
                return Err(err(
                    format!("duplicate rule name {}", spec.name.get_ref()),
                    spec.name.span(),
                ));
            }
            if spec.patterns.is_empty()
                && spec.patterns_from.is_none()
                && spec.regex.is_empty()
                && spec.whole.is_empty()
                && spec.max_chars.is_none()
                && spec.lacks.is_empty()
            {
                return Err(err(
                    "the rule matches nothing: give patterns, patterns-from, regex, whole, max-chars or lacks".into(),
                    spec.id.span(),
                ));
            }
            let lists = [
                &spec.patterns,
                &spec.whole,
                &spec.exceptions,
                &spec.unless_before,
                &spec.unless_anywhere,
                &spec.lacks,
            ];
            if let Some(empty) = lists
                .iter()
                .flat_map(|l| l.iter())
                .find(|p| p.get_ref().trim().is_empty())
            {
                return Err(err("empty phrase".into(), empty.span()));
            }
            if !spec.examples.stand_in.is_empty() && spec.patterns_from.is_none() {
                return Err(err(
                    "examples have a stand-in list, but the rule has no patterns-from for it to stand in for".into(),
                    spec.id.span(),
                ));
            }
            if let Some(empty) = spec.examples.stand_in.iter().find(|p| p.trim().is_empty()) {
                return Err(err(
                    format!("empty phrase {empty:?} in the examples' stand-in list"),
                    spec.id.span(),
                ));
            }
            let mut regex = Vec::with_capacity(spec.regex.len());
            for r in &spec.regex {
                if r.get_ref().len() > MAX_REGEX_BYTES {
                    return Err(err(
                        format!(
                            "a regex of {} bytes, over {MAX_REGEX_BYTES}: a list of words belongs in `patterns`",
                            r.get_ref().len()
                        ),
                        r.span(),
                    ));
                }
                // The built-in packs' regexes are held to compiling by the
                // test suite: not parsed again at every start.
                if builtin {
                    regex.push(LazyRegex::new(r.get_ref().clone()));
                    continue;
                }
                regex_syntax::Parser::new()
                    .parse(r.get_ref())
                    .map_err(|e| err(format!("invalid regex: {e}"), r.span()))?;
                regex.push(
                    LazyRegex::compiled(r.get_ref().clone())
                        .map_err(|e| err(format!("regex cannot be compiled: {e}"), r.span()))?,
                );
            }
            if let Some(fix) = &spec.fix
                && fix.get_ref().replacement.is_empty()
                && fix.get_ref().applicability != Applicability::DisplayOnly
            {
                return Err(err("a fix needs a non-empty replacement".into(), fix.span()));
            }
            yields.extend(
                spec.yields_to
                    .iter()
                    .map(|n| (file, text, spec.id.get_ref().clone(), n.clone())),
            );
            let folded = |list: &[Spanned<String>]| list.iter().map(|p| fold_str(p.get_ref())).collect();
            rules.push(Rule {
                id: spec.id.get_ref().as_str().into(),
                name: spec.name.get_ref().as_str().into(),
                category: spec.category.into(),
                severity: spec.severity,
                summary: spec.summary,
                title: spec.title,
                message: spec.message.into(),
                patterns: folded(&spec.patterns),
                patterns_from: spec.patterns_from,
                regex,
                whole: folded(&spec.whole),
                exceptions: folded(&spec.exceptions),
                unless_before: folded(&spec.unless_before),
                unless_scope: spec.unless_scope,
                unless_anywhere: folded(&spec.unless_anywhere),
                in_quotes: spec.in_quotes,
                word_sense: spec.word_sense,
                keep_nested: spec.keep_nested,
                yields_to: spec.yields_to.into_iter().map(Spanned::into_inner).collect(),
                modes: spec.modes.unwrap_or_else(|| vec![Mode::Draft, Mode::Library]),
                max_chars: spec.max_chars,
                lacks: folded(&spec.lacks),
                suggestions: spec.suggestions.into(),
                fix: spec.fix.map(Spanned::into_inner),
                source: spec.source.with_known_title(),
                examples: spec.examples,
                pack: pack.clone(),
                traditional: OnceLock::new(),
            });
        }
    }
    if let Some((file, text, rule, name)) = yields
        .into_iter()
        .find(|(_, _, _, n)| !ids.iter().chain(&names).any(|k| k.eq_ignore_ascii_case(n.get_ref())))
    {
        return Err(PackError::new(
            file,
            text,
            Some(&rule),
            format!("yields-to names no rule: {:?} is no rule's id or name", name.get_ref()),
            Some(name.span()),
        ));
    }
    Ok(rules)
}

pub(crate) fn is_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())
}

pub(crate) fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "[pack]\nname = \"t\"\ndescription = \"test\"\n";
    const RULE: &str = r#"
[[rule]]
id = "T001"
name = "test-rule"
category = "test"
severity = "warning"
summary = "s"
message = "m"
patterns = ["但是"]
source = { seed = "x.txt", passage = "p" }
"#;

    fn load_one(text: &str) -> Result<Vec<Rule>, PackError> {
        load(&[("t.toml", text)])
    }

    fn error_at(text: &str) -> (String, String) {
        let e = load_one(text).expect_err("pack should be rejected");
        let span = e.span().expect("error should have a span");
        (e.to_string(), text[span].to_owned())
    }

    #[test]
    fn loads_a_valid_pack() {
        let rules = load_one(&format!("{HEADER}{RULE}")).expect("valid");
        assert_eq!(rules.len(), 1);
        assert_eq!(&*rules[0].id, "T001");
    }

    #[test]
    fn rejects_unknown_keys_with_span() {
        let text = format!("{HEADER}{RULE}colour = \"red\"\n");
        let (msg, at) = error_at(&text);
        assert!(msg.starts_with("t.toml: "), "{msg}");
        assert!(msg.contains("colour"), "{msg}");
        assert_eq!(at, "colour");
    }

    #[test]
    fn rejects_duplicate_ids() {
        let second = RULE.replace("test-rule", "other-rule");
        let (msg, at) = error_at(&format!("{HEADER}{RULE}{second}"));
        assert_eq!(msg, "t.toml: rule T001: duplicate rule id T001");
        assert_eq!(at, "\"T001\"");
    }

    #[test]
    fn rejects_rules_without_patterns() {
        let text = format!("{HEADER}{}", RULE.replace("patterns = [\"但是\"]", "patterns = []"));
        let (msg, at) = error_at(&text);
        assert!(msg.contains("rule T001: the rule matches nothing"), "{msg}");
        assert_eq!(at, "\"T001\"");
    }

    #[test]
    fn rejects_invalid_regex() {
        let text = format!("{HEADER}{RULE}regex = [\"(unclosed\"]\n");
        let (msg, at) = error_at(&text);
        assert!(msg.contains("rule T001: invalid regex"), "{msg}");
        assert_eq!(at, "\"(unclosed\"");
    }

    #[test]
    fn rejects_a_regex_too_big_to_compile() {
        for regex in [r"'(微信\w{0,300}号)'", r"'\w{1000}'"] {
            let text = format!("{HEADER}{RULE}regex = [{regex}]\n");
            let (msg, at) = error_at(&text);
            assert!(msg.contains("rule T001: regex cannot be compiled"), "{msg}");
            assert_eq!(at, regex);
        }
    }

    #[test]
    fn rejects_a_regex_too_long_to_parse_cheaply() {
        let regex = format!(
            "'{}'",
            (0..20_000).map(|i| format!("词{i:06}")).collect::<Vec<_>>().join("|")
        );
        let text = format!("{HEADER}{RULE}regex = [{regex}]\n");
        let (msg, at) = error_at(&text);
        assert!(msg.contains("a list of words belongs in `patterns`"), "{msg}");
        assert_eq!(at, regex);
    }

    #[test]
    fn rejects_bad_names_and_empty_phrases() {
        let (msg, _) = error_at(&format!("{HEADER}{}", RULE.replace("test-rule", "Test_Rule")));
        assert!(msg.contains("kebab-case"), "{msg}");
        let (msg, at) = error_at(&format!("{HEADER}{}", RULE.replace("[\"但是\"]", "[\"但是\", \" \"]")));
        assert!(msg.contains("empty phrase"), "{msg}");
        assert_eq!(at, "\" \"");
    }

    #[test]
    fn patterns_from_names_a_configuration_list_and_its_examples_a_stand_in() {
        let rule = RULE.replace("patterns = [\"但是\"]", "patterns-from = \"competitors\"");
        let rules = load_one(&format!("{HEADER}{rule}[rule.examples]\nstand-in = [\"BrandX\"]\n")).expect("valid");
        assert_eq!(rules[0].patterns_from, Some(ConfigList::Competitors));
        assert!(
            rules[0].patterns.is_empty(),
            "no names until a configuration gives them"
        );
        assert_eq!(rules[0].examples.stand_in, ["BrandX"]);
        let (msg, at) = error_at(&format!(
            "{HEADER}{}",
            RULE.replace("patterns = [\"但是\"]", "patterns-from = \"rivals\"")
        ));
        assert!(
            msg.contains("unknown variant `rivals`, expected `competitors`"),
            "{msg}"
        );
        assert_eq!(at, "\"rivals\"");
        let (msg, at) = error_at(&format!("{HEADER}{RULE}[rule.examples]\nstand-in = [\"BrandX\"]\n"));
        assert!(
            msg.contains("rule T001: examples have a stand-in list, but the rule has no patterns-from"),
            "{msg}"
        );
        assert_eq!(at, "\"T001\"");
        let (msg, _) = error_at(&format!("{HEADER}{rule}[rule.examples]\nstand-in = [\" \"]\n"));
        assert!(
            msg.contains("empty phrase \" \" in the examples' stand-in list"),
            "{msg}"
        );
    }

    #[test]
    fn rejects_an_empty_unless_anywhere_phrase() {
        let (msg, at) = error_at(&format!("{HEADER}{RULE}unless-anywhere = [\"因为\", \"\"]\n"));
        assert!(msg.contains("rule T001: empty phrase"), "{msg}");
        assert_eq!(at, "\"\"");
    }

    #[test]
    fn yields_to_names_a_rule_of_any_pack_loaded() {
        let other = RULE.replace("T001", "T002").replace("test-rule", "other-rule");
        let yielding = format!("{RULE}yields-to = [\"other-rule\", \"T002\"]\n");
        let rules = load_one(&format!("{HEADER}{yielding}{other}")).expect("a rule of a later table");
        assert_eq!(rules[0].yields_to, ["other-rule", "T002"]);
        // In any ASCII case, as rules are named everywhere else.
        let shouted = format!("{RULE}yields-to = [\"Other-Rule\", \"t002\"]\n{other}");
        assert!(load_one(&format!("{HEADER}{shouted}")).is_ok());
        let (msg, at) = error_at(&format!("{HEADER}{RULE}yields-to = [\"nope\"]\n"));
        assert_eq!(
            msg,
            "t.toml: rule T001: yields-to names no rule: \"nope\" is no rule's id or name"
        );
        assert_eq!(at, "\"nope\"");
    }

    #[test]
    fn builtin_packs_load() {
        let rules = load(BUILTIN).expect("built-in packs are valid");
        assert!(rules.len() >= 14);
        assert_eq!(builtin_rules().len(), rules.len());
        assert!(std::ptr::eq(builtin_rules(), builtin_rules()), "parsed once");
        // Compiled only when first used, so held to compiling here.
        for rule in &rules {
            for regex in &rule.regex {
                assert!(
                    regex.get().is_some(),
                    "{}: {} does not compile",
                    rule.id,
                    regex.as_str()
                );
            }
        }
    }
}
