//! The rule model: one rule as loaded from a pack and validated.

use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use crate::finding::{Applicability, Severity};
use crate::script::{self, Script};

/// How far back an `unless-before` phrase may stand and still soften a match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Earlier in the same clause (no `,` `。` `!` `?` `;` `~` or space between).
    #[default]
    Clause,
    /// Anywhere earlier in the reply.
    Reply,
}

/// Which dictionary words around a match make it innocent (`word-sense` in
/// a pack). The words come from a table generated from jieba's dictionary
/// (`crates/kefu-lint/data/words.tsv`, see `scripts/gen-word-table.py`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WordSense {
    /// None: the patterns are phrases (我不能, 不知道).
    #[default]
    None,
    /// The patterns are words: a match inside a longer word (哈哈 in 娃哈哈)
    /// or straddling one (妈的 across 孕妈|的) is innocent.
    Words,
    /// Only a match straddling a word is innocent (保证 across 确保|证件);
    /// a longer word holding it (质量保证) still means it.
    Straddling,
}

/// A list in the configuration (`kefu-lint.toml`, or the builder) whose
/// entries become a rule's patterns (`patterns-from` in a pack).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigList {
    /// `competitors`: other shops' and brands' names (某某旗舰店, BrandX).
    Competitors,
}

/// What the replies being checked are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Drafts about to be sent: an unfilled placeholder is an error.
    #[default]
    Draft,
    /// A quick-reply library of templates: placeholders are expected, but
    /// malformed ones are flagged.
    Library,
}

crate::named::named!(Mode, [Mode::Draft, Mode::Library], ["draft", "library"]);

/// A rule's regular expression. A user pack's regexes are compiled when the
/// pack loads, so one over the size limit is a load error; the built-in
/// packs' (held to compiling by the test suite) are compiled the first time
/// a reply could match them, as most runs never need most of them.
#[derive(Clone, Debug)]
pub struct LazyRegex {
    source: String,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// A regex from `source`, whose syntax has been checked.
    pub(crate) fn new(source: String) -> Self {
        LazyRegex {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// A regex from `source`, compiled now (case-insensitive).
    ///
    /// # Errors
    /// The compiler's error: invalid syntax, or a compiled program over the
    /// regex crate's default size limit (`\w{0,300}` and huge alternations).
    pub(crate) fn compiled(source: String) -> Result<Self, regex::Error> {
        let regex = RegexBuilder::new(&source).case_insensitive(true).build()?;
        Ok(LazyRegex {
            source,
            compiled: OnceLock::from(Some(regex)),
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex (case-insensitive); `None` if it exceeds the
    /// compiler's size limits.
    pub fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| RegexBuilder::new(&self.source).case_insensitive(true).build().ok())
            .as_ref()
    }
}

/// The guideline passage a rule comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table with the keys seed and passage, such as { seed = \"…\", passage = \"…\" }"
)]
pub struct Source {
    /// File name of the guideline document (under `shared/seeds/`).
    pub seed: String,
    /// The document's title as a person knows it; when a pack gives none,
    /// the title of a built-in guideline document
    /// (`crates/kefu-lint/data/guidelines.toml`) is filled in on loading.
    #[serde(default)]
    pub title: Option<String>,
    /// The passage, quoted in the document's own script.
    pub passage: String,
}

impl Source {
    /// How to cite the document: its title, else its file name.
    pub fn cited(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.seed)
    }

    /// This source with the built-in title of its document filled in, if it has none.
    pub(crate) fn with_known_title(mut self) -> Self {
        if self.title.is_none() {
            self.title = known_title(&self.seed).map(str::to_owned);
        }
        self
    }
}

/// The title of the built-in guideline document `seed`, from
/// `data/guidelines.toml`.
fn known_title(seed: &str) -> Option<&'static str> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Titles {
        titles: std::collections::BTreeMap<String, String>,
    }
    static TITLES: OnceLock<std::collections::BTreeMap<String, String>> = OnceLock::new();
    TITLES
        .get_or_init(|| {
            toml::from_str::<Titles>(include_str!("../data/guidelines.toml"))
                .map(|t| t.titles)
                .unwrap_or_default()
        })
        .get(seed)
        .map(String::as_str)
}

/// A rewrite a rule applies to the text it matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// Whether the rewrite keeps the meaning.
    pub applicability: Applicability,
    /// The text that replaces the match (Simplified; converted for Traditional replies).
    pub replacement: String,
}

/// An expected rewrite: fixing `from` (all fixes up to `unsafe`) gives `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedExample {
    /// Text before fixing.
    pub from: String,
    /// Text after fixing.
    pub to: String,
}

/// Text a rule must flag, text it must leave alone, and expected rewrites.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Examples {
    /// Replies the rule must flag.
    #[serde(default)]
    pub bad: Vec<String>,
    /// Replies the rule must not flag.
    #[serde(default)]
    pub ok: Vec<String>,
    /// Expected rewrites.
    #[serde(default)]
    pub fixed: Vec<FixedExample>,
    /// A stand-in for the configuration list of a `patterns-from` rule
    /// (made-up names such as BrandX): the examples run with these entries
    /// as that list, since the built-in configuration has none.
    #[serde(default)]
    pub stand_in: Vec<String>,
}

/// One validated rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Stable id, such as `KF001`; never reused.
    pub id: Arc<str>,
    /// Kebab-case name.
    pub name: Arc<str>,
    /// Family of forbidden language.
    pub category: Arc<str>,
    /// How serious a finding is.
    pub severity: Severity,
    /// One-line English summary.
    pub summary: String,
    /// Short name in Chinese, as a QA (质检) report labels the rule (指责顾客);
    /// empty when the pack gives none (`title` in a `[[rule]]`).
    pub title: String,
    /// What is wrong, in Chinese.
    pub message: Arc<str>,
    /// Literal phrases (Simplified) that the rule flags anywhere in a reply.
    pub patterns: Vec<String>,
    /// The configuration list whose entries are patterns of the rule too
    /// (added by [`crate::config`] when it builds a linter); with no such
    /// list configured, these add nothing.
    pub patterns_from: Option<ConfigList>,
    /// Regular expressions over the folded reply, where a literal cannot say it.
    /// When a regex has a capture group, group 1 is the flagged span.
    pub regex: Vec<LazyRegex>,
    /// Words that are flagged only when they are the whole reply
    /// (ignoring punctuation, emoji, a leading 亲 and trailing particles).
    pub whole: Vec<String>,
    /// Longer phrases in which a pattern is innocent.
    pub exceptions: Vec<String>,
    /// Phrases that soften a match when they stand before it.
    pub unless_before: Vec<String>,
    /// How far back `unless_before` phrases count.
    pub unless_scope: Scope,
    /// Phrases that excuse every match of the rule when they stand
    /// anywhere in the reply, before or after it (a refusal with a 因为
    /// somewhere gives its reason).
    pub unless_anywhere: Vec<String>,
    /// Whether matches inside quotation marks count (by default they are the
    /// customer's words being repeated, and are skipped).
    pub in_quotes: bool,
    /// Which dictionary words around a match make it innocent.
    pub word_sense: WordSense,
    /// Whether a match inside a longer match of another rule is still
    /// reported (the 你 in 你自己看吧 is 你 for 您 as well as a brush-off);
    /// by default such a match is part of the longer one and dropped.
    pub keep_nested: bool,
    /// Rules (ids or names) this rule gives way to: a match of this rule
    /// that overlaps a match of one of them in the same reply is dropped
    /// (a hint that repeats an error on the same words). A named rule that
    /// does not run (not selected, or of another mode) takes nothing away.
    pub yields_to: Vec<String>,
    /// The modes the rule applies in.
    pub modes: Vec<Mode>,
    /// Flag replies longer than this many characters.
    pub max_chars: Option<usize>,
    /// Flag replies that have Chinese words but none of these.
    pub lacks: Vec<String>,
    /// Courteous rewrites (Simplified).
    pub suggestions: Arc<[String]>,
    /// Automatic rewrite of the match.
    pub fix: Option<FixSpec>,
    /// Guideline the rule comes from.
    pub source: Source,
    /// The rule's own tests.
    pub examples: Examples,
    /// Pack file the rule was loaded from.
    pub pack: Arc<str>,
    /// Made on first use by a Traditional reply.
    pub(crate) traditional: OnceLock<Traditional>,
}

/// Message, suggestions and replacement converted to Traditional, made on first use.
#[derive(Clone, Debug)]
pub(crate) struct Traditional {
    message: Arc<str>,
    suggestions: Arc<[String]>,
    replacement: Option<String>,
}

impl Rule {
    /// Whether `key` is this rule's id or name, in any ASCII case (`kf007`,
    /// `BUT`).
    pub fn is_named(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key) || self.name.eq_ignore_ascii_case(key)
    }

    /// Whether the rule applies in `mode`.
    pub fn applies_in(&self, mode: Mode) -> bool {
        self.modes.contains(&mode)
    }

    /// The message in `script` (converted from the pack's Simplified text
    /// on first use). A `max-chars` rule's message may hold `{length}` and
    /// `{max-chars}`, which [`Rule::message_for_length`] fills in.
    pub fn message_in(&self, script: Script) -> Arc<str> {
        match script {
            Script::Traditional => self.traditional().message.clone(),
            Script::Simplified => self.message.clone(),
        }
    }

    /// The suggestions in `script`.
    pub fn suggestions_in(&self, script: Script) -> Arc<[String]> {
        match script {
            Script::Traditional => self.traditional().suggestions.clone(),
            Script::Simplified => self.suggestions.clone(),
        }
    }

    /// The fix replacement in `script`.
    pub fn replacement_in(&self, script: Script) -> Option<&str> {
        match script {
            Script::Traditional => self.traditional().replacement.as_deref(),
            Script::Simplified => self.fix.as_ref().map(|f| f.replacement.as_str()),
        }
    }

    /// The message in `script` for a reply of `length` characters, with
    /// `{length}` and `{max-chars}` (the rule's limit) filled in.
    pub fn message_for_length(&self, script: Script, length: usize) -> Arc<str> {
        self.filled(script, &length.to_string())
    }

    /// The message in `script` as documentation shows it: a `max-chars`
    /// rule's `{max-chars}` filled in and `{length}` written `N`.
    pub fn described_message(&self, script: Script) -> Arc<str> {
        self.filled(script, "N")
    }

    /// The message in `script` with `{length}` as `length` and `{max-chars}` filled in.
    fn filled(&self, script: Script, length: &str) -> Arc<str> {
        let message = self.message_in(script);
        match self.max_chars {
            Some(limit) if message.contains('{') => message
                .replace("{length}", length)
                .replace("{max-chars}", &limit.to_string())
                .into(),
            _ => message,
        }
    }

    fn traditional(&self) -> &Traditional {
        self.traditional.get_or_init(|| Traditional {
            message: script::to_traditional(&self.message).into(),
            suggestions: self.suggestions.iter().map(|s| script::to_traditional(s)).collect(),
            replacement: self.fix.as_ref().map(|f| script::to_traditional(&f.replacement)),
        })
    }
}
