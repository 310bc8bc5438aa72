//! `kefu-lint.toml`: which rules run, how severe they are, allowed phrases,
//! extra rule packs, per-path overrides, `fail-on`, `mode`, `script` (of
//! the messages for a reply written the same in both scripts) and
//! `competitors` (names the `competitor-mentioned` rule flags).
//!
//! The one model of the file for every front end: the CLI ([`discover`]s it
//! in the current directory or the nearest parent up to the repository's
//! root, or takes `--config`), the Python package and the HTTP service build
//! their linter from it with [`LinterBuilder`]. Every mistake (unknown key,
//! wrong type, unknown rule, bad glob, a bad extra pack) is an error pointing
//! at the place in the file; a misspelled key, value or rule name comes with
//! the nearest valid one.
//!
//! A configuration may come from a repository nobody reviewed (it is found
//! in any parent directory), so what it makes kefu-lint read is bounded: the
//! file and its packs are read only if they are regular files of at most
//! 16 MiB; packs only from inside the configuration's directory (symbolic
//! links resolved), only `.toml` files of UTF-8 text without NUL bytes; and
//! an error shows at most a short excerpt of one line, control characters
//! escaped, and none at all of a file that is not plainly TOML.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::session::{SessionChecker, SessionRule, ThresholdChanges};
use crate::{ConfigList, Linter, Mode, PackError, Rule, Script, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, MietteError, NamedSource, SourceCode, SourceSpan, SpanContents};
use serde::Deserialize;
use toml::Spanned;

use crate::files;

mod agent_roles;
mod builder;
mod command_line;
pub use agent_roles::AgentRoles;
pub use builder::LinterBuilder;
pub use command_line::{Refused, RuleOptions, Spelling, UnknownRule};

/// The configuration file name.
pub const FILE_NAME: &str = "kefu-lint.toml";

/// A configuration that cannot be used: a problem in the `kefu-lint.toml`,
/// in a rule pack it or the builder names, or in the builder's own options.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigError {
    /// A problem inside the configuration file.
    #[error("{file}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
        /// Line and column of the place (1-based; the column in characters).
        at: Option<(usize, usize)>,
        /// A short excerpt of the file around the place.
        #[source_code]
        source_code: Arc<Excerpt>,
        /// Where, in the excerpt.
        #[label("here")]
        span: Option<SourceSpan>,
    },
    /// A rule pack it names is invalid.
    #[error("{file}: {message}")]
    Pack {
        /// The pack.
        file: String,
        /// What is wrong (and in which rule).
        message: String,
        /// Line and column of the place (1-based; the column in characters).
        at: Option<(usize, usize)>,
        /// A short excerpt of the pack around the place.
        #[source_code]
        source_code: Arc<Excerpt>,
        /// Where, in the excerpt.
        #[label("here")]
        span: Option<SourceSpan>,
    },
    /// An option given to the builder (or the command line) is wrong: a
    /// name that is no rule's, or a selection that leaves no rule to run.
    #[error("{message}")]
    Usage {
        /// What is wrong, naming the option and the nearest valid name.
        message: String,
        /// The name no rule has, when that is what is wrong.
        unknown: Option<UnknownRule>,
    },
}

impl ConfigError {
    /// The configuration file or pack at fault; empty for [`ConfigError::Usage`].
    pub fn file(&self) -> &str {
        match self {
            ConfigError::Invalid { file, .. } | ConfigError::Pack { file, .. } => file,
            ConfigError::Usage { .. } => "",
        }
    }

    /// What is wrong, without the file's name.
    pub fn message(&self) -> &str {
        match self {
            ConfigError::Invalid { message, .. }
            | ConfigError::Pack { message, .. }
            | ConfigError::Usage { message, .. } => message,
        }
    }

    /// Line and column of the place in [`ConfigError::file`] (1-based; the
    /// column counts characters), when the problem has one.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        match self {
            ConfigError::Invalid { at, .. } | ConfigError::Pack { at, .. } => *at,
            ConfigError::Usage { .. } => None,
        }
    }

    /// Whether the problem lies in a rule pack rather than the configuration file.
    pub fn is_pack(&self) -> bool {
        matches!(self, ConfigError::Pack { .. })
    }
}

/// Line and column (1-based; the column in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    ))
}

/// `fail-on`: the least severe finding that fails a check (the CLI exits
/// with status 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Fail on errors only.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
}

impl FailOn {
    /// The names, as written in the file and on the command line.
    pub const NAMES: [&'static str; 3] = ["error", "warning", "info"];
}

crate::named::named!(FailOn, [FailOn::Error, FailOn::Warning, FailOn::Info], FailOn::NAMES);

impl std::str::FromStr for FailOn {
    type Err = String;

    /// Parses one of [`FailOn::NAMES`].
    fn from_str(name: &str) -> Result<FailOn, String> {
        crate::named::from_name(name).ok_or_else(|| format!("{name:?} is not a level: error, warning or info"))
    }
}

impl From<FailOn> for Severity {
    fn from(value: FailOn) -> Self {
        match value {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// Characters of a file shown around the place of an error, at most, on either side.
const EXCERPT_CHARS: usize = 60;

/// `text` with its controls, and the invisible characters that reorder,
/// break or hide text in a terminal (bidi marks, overrides and isolates,
/// zero-width characters, line and paragraph separators, the BOM), written
/// as escapes (`\u{202e}`).
fn escaped(text: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
            )
    };
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A file's name as errors show it: as given, its control and hidden
/// characters [`escaped`], so a name cannot forge a line of its own in a
/// terminal or a log.
fn shown_path(path: &Path) -> String {
    escaped(&path.display().to_string())
}

/// A short excerpt of the line of `text` where `span` starts (at most
/// [`EXCERPT_CHARS`] characters either side, control characters and the
/// invisible ones that reorder text escaped as `\u{1b}`, `\u{202e}`), on its own line number, after the line before it (at most
/// twice as many characters), and the span within it; nothing when the
/// file is not plainly TOML (`plainly_toml`), or there is no span.
fn excerpt(text: &str, span: Option<Range<usize>>, plainly_toml: bool) -> (String, Option<SourceSpan>) {
    let Some(span) = span.filter(|s| plainly_toml && s.start <= text.len() && text.is_char_boundary(s.start)) else {
        return (String::new(), None);
    };
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.start..].find('\n').map_or(text.len(), |i| span.start + i);
    let skipped = text[line_start..span.start]
        .chars()
        .count()
        .saturating_sub(EXCERPT_CHARS);
    let before: String = text[line_start..span.start].chars().skip(skipped).collect();
    let at: String = text[span.start..line_end].chars().take(EXCERPT_CHARS).collect();
    let (before, at) = (escaped(&before), escaped(&at));
    let len = span.len().min(at.len());
    let len = (0..=len).rev().find(|&l| at.is_char_boundary(l)).unwrap_or(0);
    // Earlier lines as empty lines, so that the line number is right, but
    // the one before, which the report shows above the line at fault.
    let earlier = text[..line_start].matches('\n').count();
    let mut lines = "\n".repeat(earlier.saturating_sub(1));
    if earlier > 0 {
        let previous = text[..line_start - 1].rsplit('\n').next().unwrap_or_default();
        let shown: String = previous.chars().take(2 * EXCERPT_CHARS).collect();
        lines += &escaped(shown.trim_end_matches('\r'));
        lines.push('\n');
    }
    let start = lines.len() + before.len();
    (
        format!("{lines}{before}{at}"),
        Some(SourceSpan::from(start..start + len)),
    )
}

/// A short excerpt of a file ([`excerpt`]) as miette's source, its place
/// named at the file's own line and column: the excerpt of a long line
/// starts past the line's start, and miette would count the column from
/// there.
#[derive(Debug)]
pub struct Excerpt {
    source: NamedSource<String>,
    /// The place's column in the file, 0-based, in characters.
    column: Option<usize>,
}

impl Excerpt {
    /// The excerpt `text` of `file`, whose place is at `at` (1-based line
    /// and column, the column in characters).
    fn new(file: &str, text: String, at: Option<(usize, usize)>) -> Excerpt {
        Excerpt {
            source: NamedSource::new(file, text),
            column: at.map(|(_, column)| column.saturating_sub(1)),
        }
    }

    /// The excerpt's text, which the error's span points into.
    pub fn text(&self) -> &str {
        self.source.inner()
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.source.read_span(span, before, after)?;
        Ok(match self.column {
            // The place alone, as miette reads it for the `[file:line:column]` it shows.
            Some(column) if before == 0 && after == 0 => Box::new(AtColumn { contents, column }),
            _ => contents,
        })
    }
}

/// Span contents at the file's own column.
struct AtColumn<'a> {
    contents: Box<dyn SpanContents<'a> + 'a>,
    column: usize,
}

impl<'a> SpanContents<'a> for AtColumn<'a> {
    fn data(&self) -> &'a [u8] {
        self.contents.data()
    }
    fn span(&self) -> &SourceSpan {
        self.contents.span()
    }
    fn name(&self) -> Option<&str> {
        self.contents.name()
    }
    fn line(&self) -> usize {
        self.contents.line()
    }
    fn column(&self) -> usize {
        self.column
    }
    fn line_count(&self) -> usize {
        self.contents.line_count()
    }
}

/// The rule settings a layer (the file, or one `[[per-path]]` entry) may give.
struct Layer {
    select: Option<Vec<Spanned<String>>>,
    ignore: Vec<Spanned<String>>,
    severity: HashMap<Spanned<String>, Severity>,
    allow: Vec<Spanned<String>>,
    mode: Option<Mode>,
    script: Option<Script>,
    role_field: Option<String>,
    agent_role: Option<Vec<Spanned<String>>>,
}

/// One `[[per-path]]` entry. (`#[serde(flatten)]` would lose the spans that
/// errors point at, so the layer's keys are listed here and in [`File`].)
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PerPath {
    paths: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: HashMap<Spanned<String>, Severity>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    mode: Option<Mode>,
    script: Option<Script>,
    role_field: Option<String>,
    agent_role: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    fail_on: Option<FailOn>,
    #[serde(default)]
    extend_packs: Vec<Spanned<String>>,
    #[serde(default)]
    per_path: Vec<PerPath>,
    #[serde(default)]
    competitors: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: HashMap<Spanned<String>, Severity>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    mode: Option<Mode>,
    script: Option<Script>,
    role_field: Option<String>,
    agent_role: Option<Vec<Spanned<String>>>,
    /// `[session]`: the session rules' thresholds.
    session: Option<Spanned<ThresholdChanges>>,
}

/// What one layer of the file says, checked against the rules.
#[derive(Clone, Debug, Default)]
struct Settings {
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: Vec<(String, Severity)>,
    allow: Vec<String>,
    mode: Option<Mode>,
    script: Option<Script>,
    /// `role-field` and `agent-role`: as `--role-field` and `--agent-role`.
    role_field: Option<String>,
    agent_role: Option<Vec<String>>,
}

impl Settings {
    /// Whether these settings run `rule`: it is selected (or nothing is) and not ignored.
    fn runs(&self, rule: &(impl Selectable + ?Sized)) -> bool {
        self.select.as_ref().is_none_or(|s| s.iter().any(|s| selects(s, rule)))
            && !self.ignore.iter().any(|s| selects(s, rule))
    }
}

/// A loaded configuration (the empty one when there is no file).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `fail-on` from the file.
    pub fail_on: Option<FailOn>,
    rules: Vec<Rule>,
    base: Settings,
    per_path: Vec<(GlobSet, Settings)>,
    root: PathBuf,
    cache: HashMap<Vec<usize>, Arc<Linter>>,
    /// The command line's layer over the file.
    command_line: RuleOptions,
    /// `--script`, over every `script` of the file.
    script: Option<Script>,
    /// `competitors`: the names of other shops and brands, as written
    /// (the builder's after the file's).
    competitors: Vec<String>,
    /// `[session]` of the file.
    session: ThresholdChanges,
}

/// Finds `kefu-lint.toml` in `dir` or its nearest parent, looking no
/// higher than the root of the repository `dir` is in (the first directory
/// with a `.git`): a file above a checkout belongs to someone else and must
/// not change what the repository's CI checks.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    for d in dir.ancestors() {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            return None;
        }
    }
    None
}

impl Config {
    /// No file: the built-in rules, all of them.
    pub fn builtin() -> Config {
        Config {
            rules: crate::pack::builtin_rules().to_vec(),
            ..Config::default()
        }
    }

    /// Loads and checks a configuration file (a regular file of at most 16 MiB).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with(Some(path), &[])
    }

    /// Loads and checks the configuration file at `path` (none: the empty
    /// configuration), with `packs` from the command line (`--extend-pack`),
    /// which may lie anywhere: the user named them.
    pub fn load_with(path: Option<&Path>, packs: &[PathBuf]) -> Result<Config, ConfigError> {
        Config::load_spelled(path, packs, Spelling::CommandLine)
    }

    /// [`Config::load_with`], naming the option that gave `packs` as `spelling` does.
    fn load_spelled(path: Option<&Path>, packs: &[PathBuf], spelling: Spelling) -> Result<Config, ConfigError> {
        let Some(path) = path else {
            return Config::parse_with("", "", Path::new(""), packs, spelling);
        };
        let name = shown_path(path);
        if name.is_empty() {
            return Err(invalid(
                "",
                "",
                "an empty path names no configuration file".into(),
                None,
            ));
        }
        let text = files::read_text_file(path, files::SMALL_FILE_BYTES)
            .map_err(|e| invalid(&name, "", e.to_string(), None))?;
        Config::parse_with(&name, &text, path.parent().unwrap_or(Path::new("")), packs, spelling)
    }

    /// Checks configuration `text` named `name`; extra packs are read relative to `root`.
    pub fn parse(name: &str, text: &str, root: &Path) -> Result<Config, ConfigError> {
        Config::parse_with(name, text, root, &[], Spelling::CommandLine)
    }

    /// [`Config::parse`], with `cli_packs` from the command line (or the
    /// builder, as `spelling` names it) as well.
    fn parse_with(
        name: &str,
        text: &str,
        root: &Path,
        cli_packs: &[PathBuf],
        spelling: Spelling,
    ) -> Result<Config, ConfigError> {
        let (name, text) = (name.to_owned(), text.to_owned());
        let file: File = toml::from_str(&text).map_err(|e| {
            let message = list_expected(&text, e.message(), e.span())
                .unwrap_or_else(|| crate::suggest::serde_message(e.message()));
            invalid(&name, &text, message, e.span())
        })?;
        if let Some(empty) = file.competitors.iter().find(|c| !is_a_name(c.get_ref())) {
            return Err(invalid(
                &name,
                &text,
                format!(
                    "competitors holds {:?}, which names nothing (no letter, digit or Han character); name the shop or brand (\"某某旗舰店\"), or remove it",
                    empty.get_ref()
                ),
                Some(empty.span()),
            ));
        }
        let root = root.to_owned();
        let mut packs = Vec::new();
        for pack in cli_packs {
            let pack_text = read_pack(None, pack).map_err(|e| ConfigError::Pack {
                file: shown_path(pack),
                message: format!("{}: {e}", spelling.option("extend-pack")),
                at: None,
                source_code: Arc::new(Excerpt::new(&shown_path(pack), String::new(), None)),
                span: None,
            })?;
            packs.push((shown_path(pack), pack_text));
        }
        for pack in &file.extend_packs {
            let pack_path = root.join(pack.get_ref());
            let pack_text = read_pack(Some(&root), &pack_path).map_err(|e| {
                invalid(
                    &name,
                    &text,
                    format!("extend-packs: {}: {e}", shown_path(&pack_path)),
                    Some(pack.span()),
                )
            })?;
            packs.push((shown_path(&pack_path), pack_text));
        }
        let rules = if packs.is_empty() {
            crate::pack::builtin_rules().to_vec()
        } else {
            let mut sources: Vec<(&str, &str)> = crate::BUILTIN.to_vec();
            sources.extend(packs.iter().map(|(n, t)| (n.as_str(), t.as_str())));
            crate::load_packs(&sources).map_err(|e| pack_error(&e, &packs))?
        };
        let session = file.session.map(|changes| {
            let at = changes.span();
            let changes = changes.into_inner();
            match SessionChecker::builtin().with_changes(&changes) {
                Ok(_) => Ok(changes),
                Err(problem) => {
                    let key = key_in(&text, at.clone(), problem.key).unwrap_or(at);
                    Err(invalid(&name, &text, format!("[session]: {problem}"), Some(key)))
                }
            }
        });
        let session = session.transpose()?.unwrap_or_default();
        let sessions = SessionChecker::builtin();
        let known = selectable(&rules, &sessions);
        let check = |layer: Layer| settings(layer, &known, &name, &text);
        let base = check(Layer {
            select: file.select,
            ignore: file.ignore,
            severity: file.severity,
            allow: file.allow,
            mode: file.mode,
            script: file.script,
            role_field: file.role_field,
            agent_role: file.agent_role,
        })?;
        let mut per_path = Vec::new();
        for entry in file.per_path {
            let mut globs = GlobSetBuilder::new();
            for glob in &entry.paths {
                let parsed = Glob::new(glob.get_ref())
                    .map_err(|e| invalid(&name, &text, format!("bad glob: {e}"), Some(glob.span())))?;
                globs.add(parsed);
            }
            let globs = globs.build().map_err(|e| invalid(&name, &text, e.to_string(), None))?;
            let layer = Layer {
                select: entry.select,
                ignore: entry.ignore,
                severity: entry.severity,
                allow: entry.allow,
                mode: entry.mode,
                script: entry.script,
                role_field: entry.role_field,
                agent_role: entry.agent_role,
            };
            reply_rules_only(&layer, &rules, &sessions, &name, &text)?;
            per_path.push((globs, check(layer)?));
        }
        Ok(Config {
            fail_on: file.fail_on,
            rules,
            base,
            per_path,
            root,
            cache: HashMap::new(),
            command_line: RuleOptions::default(),
            script: None,
            competitors: file.competitors.into_iter().map(Spanned::into_inner).collect(),
            session,
        })
    }

    /// The built-in session rules with the thresholds `[session]` sets
    /// (checked when the file was loaded).
    ///
    /// The file's `select`, `ignore` and `severity` and the command line's
    /// rule options choose among them and set their severities as they do
    /// for reply rules (`[[per-path]]` entries do not: a log's sessions are
    /// judged alike).
    pub fn session_checker(&self) -> SessionChecker {
        let builtin = SessionChecker::builtin();
        // `--select` runs exactly what it names, whatever `[session]` ignores.
        let changes = match self.command_line.select {
            Some(_) => ThresholdChanges {
                ignore: Vec::new(),
                ..self.session.clone()
            },
            None => self.session.clone(),
        };
        let checker = builtin.clone().with_changes(&changes).unwrap_or(builtin);
        checker.configured(|rule| {
            if !self.command_line.runs(rule, self.base.runs(rule)) {
                return false;
            }
            let by_file = self.base.severity.iter().rev().find(|(s, _)| selects(s, rule));
            if let Some(severity) = self.command_line.severity(rule).or(by_file.map(|(_, s)| *s)) {
                rule.severity = severity;
            }
            true
        })
    }

    /// Lays the command line's rule options over the file's settings.
    ///
    /// # Errors
    /// A name that is no rule's id, name or category (the message names
    /// the option and the nearest valid name); options that leave no rule
    /// to run, with the file's selection (the message names them).
    pub fn set_command_line(&mut self, options: RuleOptions) -> Result<(), Refused> {
        let sessions = SessionChecker::builtin();
        let rules = selectable(&self.rules, &sessions);
        options.check(&rules)?;
        let base = &self.base;
        if !rules.iter().any(|r| options.runs(*r, base.runs(*r))) {
            return Err(options.emptied(base.select.is_some() || !base.ignore.is_empty()).into());
        }
        // Each [[per-path]] entry over the file, when the command line chooses rules too.
        if options.chooses() {
            for i in 0..self.per_path.len() {
                let layer = self.layered(&[i]);
                if !rules.iter().any(|r| options.runs(*r, layer.runs(*r))) {
                    return Err(format!(
                        "for the files of [[per-path]] entry {}: {}",
                        i + 1,
                        options.emptied(true)
                    )
                    .into());
                }
            }
        }
        self.command_line = options;
        self.cache.clear();
        Ok(())
    }

    /// The base settings with the `[[per-path]]` entries `matched` (indices,
    /// in order) laid over them.
    fn layered(&self, matched: &[usize]) -> Settings {
        let mut effective = self.base.clone();
        for &i in matched {
            let layer = &self.per_path[i].1;
            if layer.select.is_some() {
                effective.select = layer.select.clone();
            }
            effective.ignore.extend(layer.ignore.iter().cloned());
            effective.severity.extend(layer.severity.iter().cloned());
            effective.allow.extend(layer.allow.iter().cloned());
            effective.mode = layer.mode.or(effective.mode);
            effective.script = layer.script.or(effective.script);
            effective.role_field = layer.role_field.clone().or(effective.role_field);
            effective.agent_role = layer.agent_role.clone().or(effective.agent_role);
        }
        effective
    }

    /// `role-field` and `agent-role` for `input`, as the file and its
    /// `[[per-path]]` entries give them (the last matching entry wins).
    pub fn roles_for(&self, input: &Path) -> (Option<String>, Option<Vec<String>>) {
        let effective = self.layered(&self.matched(Some(input)));
        (effective.role_field, effective.agent_role)
    }

    /// Answers replies written the same in both scripts in `script`
    /// (`--script`), whatever the file says.
    pub fn set_script(&mut self, script: Script) {
        self.script = Some(script);
        self.cache.clear();
    }

    /// The script of the rules' texts outside any input (`explain`,
    /// `rules`, SARIF help): `--script`, else the file's `script`, else
    /// Simplified.
    pub fn script(&self) -> Script {
        self.script.or(self.base.script).unwrap_or_default()
    }

    /// The `[[per-path]]` entries (indices, in order) whose globs match
    /// `input`, relative to the configuration's directory (through symbolic
    /// links, or as written for a path that does not exist) or as given.
    fn matched(&self, input: Option<&Path>) -> Vec<usize> {
        input.map_or_else(Vec::new, |path| {
            let relative = path
                .canonicalize()
                .ok()
                .and_then(|p| {
                    self.root
                        .canonicalize()
                        .ok()
                        .and_then(|r| p.strip_prefix(r).ok().map(Path::to_owned))
                })
                .or_else(|| path.strip_prefix(&self.root).ok().map(Path::to_owned))
                .unwrap_or_else(|| path.to_owned());
            let given = path.strip_prefix(".").unwrap_or(path);
            (0..self.per_path.len())
                .filter(|&i| self.per_path[i].0.is_match(&relative) || self.per_path[i].0.is_match(given))
                .collect()
        })
    }

    /// The linter for an input: the base settings, then every per-path entry
    /// whose globs match it (relative to the configuration's directory), in
    /// order; built once per set of matching entries.
    ///
    /// # Errors
    /// As [`Linter::new`]: the rules' phrases exceed the automata's limits.
    pub fn linter_for(&mut self, input: Option<&Path>, mode_override: Option<Mode>) -> Result<Arc<Linter>, PackError> {
        let matched = self.matched(input);
        if let Some(linter) = self.cache.get(&matched) {
            return Ok(linter.clone());
        }
        let linter = Arc::new(self.linter(&matched, mode_override)?);
        self.cache.insert(matched, linter.clone());
        Ok(linter)
    }

    /// The linter of the base settings with the `[[per-path]]` entries
    /// `matched` laid over them.
    fn linter(&self, matched: &[usize], mode_override: Option<Mode>) -> Result<Linter, PackError> {
        let effective = self.layered(matched);
        let script = self.script.or(effective.script);
        let mode = mode_override.or(effective.mode).unwrap_or_default();
        let mut rules: Vec<Rule> = self
            .rules
            .iter()
            .filter(|r| r.applies_in(mode))
            .filter(|r| self.command_line.runs(*r, effective.runs(*r)))
            .cloned()
            .collect();
        for rule in &mut rules {
            if rule.patterns_from == Some(ConfigList::Competitors) {
                rule.patterns
                    .extend(self.competitors.iter().map(|c| competitor_pattern(c)));
            }
            let by_file = effective.severity.iter().rev().find(|(s, _)| selects(s, rule));
            if let Some(severity) = self.command_line.severity(rule).or(by_file.map(|(_, s)| *s)) {
                rule.severity = severity;
            }
        }
        Ok(Linter::new(rules, &effective.allow)?.with_script(script))
    }
}

/// The text of the extra pack at `path`, which must lie inside `root` (the
/// configuration's directory, for packs a configuration names) once
/// symbolic links are resolved, and be a `.toml` file of UTF-8 text without
/// NUL bytes, of at most 16 MiB.
fn read_pack(root: Option<&Path>, path: &Path) -> Result<String, String> {
    let real = path.canonicalize().map_err(|e| e.to_string())?;
    let inside = root.is_none_or(|root| {
        root.canonicalize()
            .or_else(|_| std::env::current_dir().and_then(|d| d.join(root).canonicalize()))
            .is_ok_and(|root| real.starts_with(root))
    });
    if !inside {
        return Err("outside the configuration's directory; packs are read only from inside it".into());
    }
    let text = files::read_text_file(&real, files::SMALL_FILE_BYTES).map_err(|e| match e {
        files::FileError::Other(_) => format!("not a rule pack ({e})"),
        e => e.to_string(),
    })?;
    if real.extension().is_none_or(|e| e != "toml") {
        return Err("not a rule pack (not a .toml file)".into());
    }
    if text.contains('\0') {
        return Err("not a rule pack (it holds a NUL byte)".into());
    }
    Ok(text)
}

/// A pack error, shown with a short excerpt only (the pack's whole text
/// would go to logs); `packs` are the extra packs' names and texts.
fn pack_error(error: &PackError, packs: &[(String, String)]) -> ConfigError {
    let text = packs
        .iter()
        .find(|(n, _)| *n == error.file)
        .map_or("", |(_, t)| t.as_str());
    let (excerpt, span) = excerpt(text, error.span(), true);
    let message = match &error.rule {
        Some(rule) => format!("rule {rule}: {}", error.message),
        None => error.message.clone(),
    };
    let at = error.span().and_then(|s| line_column(text, s.start));
    ConfigError::Pack {
        file: error.file.clone(),
        message,
        at,
        source_code: Arc::new(Excerpt::new(&error.file, excerpt, at)),
        span,
    }
}

/// For a list key given a single value (`select = "but"`, `paths =
/// "*.txt"`; serde says "expected a sequence"), plain words and the line
/// as it should be: `select takes a list, even of one: select = ["but"]`.
/// `span` is the value's place in `text` (bytes).
fn list_expected(text: &str, message: &str, span: Option<Range<usize>>) -> Option<String> {
    let span =
        span.filter(|_| message.starts_with("invalid type: string") && message.ends_with("expected a sequence"))?;
    let value = text.get(span.clone())?.trim();
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let key = text[line_start..span.start].trim_end().strip_suffix('=')?.trim();
    let key = key.rsplit('.').next().unwrap_or(key);
    Some(format!("{key} takes a list, even of one value: {key} = [{value}]"))
}

/// A rule that `select`, `ignore` and `severity` name by id, name or
/// category: a reply rule or a session rule.
pub(crate) trait Selectable {
    /// The id, the name and the category.
    fn names(&self) -> [&str; 3];
}

impl Selectable for Rule {
    fn names(&self) -> [&str; 3] {
        [&self.id, &self.name, &self.category]
    }
}

impl Selectable for SessionRule {
    fn names(&self) -> [&str; 3] {
        [&self.id, &self.name, &self.category]
    }
}

/// Whether a selector (rule id, name or category, in any ASCII case:
/// `kf007`, `BUT`) names `rule`.
fn selects(selector: &str, rule: &(impl Selectable + ?Sized)) -> bool {
    rule.names().iter().any(|n| n.eq_ignore_ascii_case(selector))
}

/// Every rule a selector may name: the reply rules `rules` and the built-in
/// session rules.
fn selectable<'r>(rules: &'r [Rule], sessions: &'r SessionChecker) -> Vec<&'r dyn Selectable> {
    let replies = rules.iter().map(|r| r as &dyn Selectable);
    replies
        .chain(sessions.rules().iter().map(|r| r as &dyn Selectable))
        .collect()
}

/// Refuses a `[[per-path]]` entry that names a session rule (by id, name or
/// category) and no reply rule: such entries choose among reply rules only,
/// as a log's sessions are judged alike, so the choice would do nothing.
fn reply_rules_only(
    layer: &Layer,
    rules: &[Rule],
    sessions: &SessionChecker,
    file: &str,
    text: &str,
) -> Result<(), ConfigError> {
    let named = layer
        .select
        .iter()
        .flatten()
        .chain(&layer.ignore)
        .chain(layer.severity.keys());
    for name in named {
        let session = sessions.rules().iter().any(|r| selects(name.get_ref(), r));
        if session && !rules.iter().any(|r| selects(name.get_ref(), r)) {
            return Err(invalid(
                file,
                text,
                format!(
                    "{:?} is a session rule: [[per-path]] entries choose among reply rules only (a log's sessions are judged alike); choose it in the file's select, ignore or severity",
                    name.get_ref()
                ),
                Some(name.span()),
            ));
        }
    }
    Ok(())
}

/// The settings of one layer (the file, or a `[[per-path]]` entry), each
/// rule it names checked against `rules` (reply and session rules).
fn settings(layer: Layer, rules: &[&dyn Selectable], file: &str, text: &str) -> Result<Settings, ConfigError> {
    let known = |s: &Spanned<String>| {
        if rules.iter().any(|r| selects(s.get_ref(), *r)) {
            Ok(s.get_ref().clone())
        } else {
            let names = rules.iter().flat_map(|r| r.names());
            let hint = crate::suggest::nearest(s.get_ref(), names)
                .map(|near| format!(" (did you mean {near:?}?)"))
                .unwrap_or_default();
            Err(invalid(
                file,
                text,
                format!(
                    "unknown rule, name or category {:?}{hint}; `kefu-lint rules` lists them",
                    crate::suggest::cut(s.get_ref())
                ),
                Some(s.span()),
            ))
        }
    };
    if layer.select.as_ref().is_some_and(Vec::is_empty) {
        return Err(invalid(
            file,
            text,
            "select = [] runs no rule at all; name the rules to run, or remove it to run every rule".into(),
            None,
        ));
    }
    if let Some(patterns) = &layer.agent_role {
        let given: Vec<String> = patterns.iter().map(|p| p.get_ref().clone()).collect();
        if let Err(e) = AgentRoles::new(&given) {
            let span = patterns
                .iter()
                .find(|p| AgentRoles::new(&[p.get_ref().clone()]).is_err());
            return Err(invalid(file, text, format!("agent-role {e}"), span.map(Spanned::span)));
        }
        if given.is_empty() {
            return Err(invalid(
                file,
                text,
                "agent-role = [] names no agent; name the agents' values (\"客服\", \"*:*\"), or remove it".into(),
                None,
            ));
        }
    }
    if let Some(empty) = layer.allow.iter().find(|a| !is_a_name(a.get_ref())) {
        return Err(invalid(
            file,
            text,
            format!(
                "allow holds {:?}, which allows nothing (no letter, digit or Han character); write the phrase to allow (\"保证正品\"), or remove it",
                empty.get_ref()
            ),
            Some(empty.span()),
        ));
    }
    if layer.role_field.as_deref().is_some_and(|f| f.trim().is_empty()) {
        return Err(invalid(
            file,
            text,
            "role-field = \"\" names no field; name the sender's field or column, or remove it".into(),
            None,
        ));
    }
    let mut severity: Vec<_> = layer.severity.into_iter().collect();
    severity.sort_by_key(|(s, _)| s.span().start);
    let settings = Settings {
        select: layer.select.map(|list| list.iter().map(known).collect()).transpose()?,
        ignore: layer.ignore.iter().map(known).collect::<Result<_, _>>()?,
        severity: severity
            .iter()
            .map(|(s, level)| Ok((known(s)?, *level)))
            .collect::<Result<_, ConfigError>>()?,
        allow: layer.allow.into_iter().map(Spanned::into_inner).collect(),
        mode: layer.mode,
        script: layer.script,
        role_field: layer.role_field,
        agent_role: layer
            .agent_role
            .map(|list| list.into_iter().map(Spanned::into_inner).collect()),
    };
    if settings.select.is_some() && !rules.iter().any(|r| settings.runs(*r)) {
        let quoted = |list: &[String]| list.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
        return Err(invalid(
            file,
            text,
            format!(
                "select = [{}] with ignore = [{}] leaves no rule to run; ignore fewer rules, or select more",
                quoted(settings.select.as_deref().unwrap_or_default()),
                quoted(&settings.ignore)
            ),
            None,
        ));
    }
    Ok(settings)
}

/// Where `key` is written in the table whose span is `table` in `text`
/// (a bare key at the start of a line, up to the next table's header, or
/// after `{` or `,` in an inline table), if it is.
fn key_in(text: &str, table: Range<usize>, key: &str) -> Option<Range<usize>> {
    let rest = text.get(table.start..)?;
    // The table's own header line, then its lines up to the next header.
    let header = rest.find('\n').map_or(rest.len(), |at| at + 1);
    let end = rest[header..]
        .match_indices('\n')
        .map(|(at, _)| header + at + 1)
        .find(|&at| rest[at..].trim_start().starts_with('['))
        .unwrap_or(rest.len())
        .max(table.len().min(rest.len()));
    let body = &rest[..end];
    body.match_indices(key)
        .find(|&(at, _)| {
            let before = body[..at].trim_end_matches([' ', '\t']);
            let after = body[at + key.len()..].trim_start_matches([' ', '\t']);
            (before.is_empty() || before.ends_with(['\n', '{', ','])) && after.starts_with('=')
        })
        .map(|(at, _)| table.start + at..table.start + at + key.len())
}

/// An error in the configuration `file` whose text is `text`, at `span`,
/// shown with a short excerpt (none when the file is not named `.toml`).
fn invalid(file: &str, text: &str, message: String, span: Option<Range<usize>>) -> ConfigError {
    let plainly_toml = Path::new(file).extension().is_some_and(|e| e == "toml");
    let at = span.as_ref().and_then(|s| line_column(text, s.start));
    let (excerpt, span) = excerpt(text, span, plainly_toml);
    ConfigError::Invalid {
        file: file.to_owned(),
        // A value or key quoted from the file may hold what a terminal obeys.
        message: escaped(&message),
        at,
        source_code: Arc::new(Excerpt::new(file, excerpt, at)),
        span,
    }
}

/// The commented starter file `kefu-lint init` writes.
pub const STARTER: &str = r#"# kefu-lint configuration. Every key is optional.
# Rules are named by id (KF007), name (but) or category (over-promise);
# `kefu-lint rules` lists them.

# Exit with status 1 when a finding is at least this severe: error, warning or info.
fail-on = "warning"

# "draft": replies about to be sent (an unfilled XX or {订单号} is an error).
# "library": a quick-reply library of templates (placeholders are fine, broken ones are not).
mode = "draft"

# Messages and suggestions follow the script of each reply. For a reply that
# reads the same in both scripts (嗯, 不知道): "hans" (Simplified) or "hant"
# (Traditional); by default the script of the file's other replies.
# script = "hant"

# Run only these rules (default: all).
# select = ["negative-ability", "dont-know", "brush-off", "insult", "placeholder"]

# Never run these.
ignore = []

# Phrases in which nothing is flagged, such as a claim the shop may make.
# allow = ["保证正品"]

# Extra rule packs in the same TOML format as the built-in ones (rules/*.toml),
# relative to this file: the shop's own banned words, competitors' names.
# extend-packs = ["kefu-rules/shop.toml"]

# Other shops' and brands' names: the competitor-mentioned rule flags them
# (Traditional spellings included).
# competitors = ["某某旗舰店", "BrandX"]

# Change how severe a rule is.
[severity]
# but = "info"

# Thresholds of the session rules (kefu-lint check --sessions), in seconds
# and characters, and the session rules not to run (docs/sessions.md lists them).
[session]
# first-response-seconds = 10
# reply-seconds = 60
# ignore = ["no-greeting"]

# Settings for some paths only (globs relative to this file).
# [[per-path]]
# paths = ["templates/**"]
# mode = "library"
"#;

/// Whether a `competitors` entry names something: it holds a letter, a
/// digit or a Han character (not only white space, punctuation or
/// invisible characters, which would flag every reply holding them).
pub(crate) fn is_a_name(name: &str) -> bool {
    name.chars().any(char::is_alphanumeric)
}

/// The pattern of a competitor's name as replies are matched: folded,
/// without the white space around it, and without white space between
/// two characters that are not ASCII (a reply's `某 某` folds to `某某`);
/// white space between Latin words stays one space (`Brand X`).
fn competitor_pattern(name: &str) -> String {
    let mut pattern = String::new();
    for word in name.split_whitespace() {
        let joins =
            pattern.chars().last().is_some_and(|c| !c.is_ascii()) && word.chars().next().is_some_and(|c| !c.is_ascii());
        if !pattern.is_empty() && !joins {
            pattern.push(' ');
        }
        pattern.push_str(word);
    }
    crate::fold::fold_str(&pattern)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let outer = dir.path();
        let sub = outer.join("repo/sub");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(outer.join(FILE_NAME), "select = [\"KF001\"]\n").unwrap();
        // No repository: the nearest parent's file.
        assert_eq!(discover(&sub), Some(outer.join(FILE_NAME)));
        // In a repository: nothing above its root.
        std::fs::create_dir(outer.join("repo/.git")).unwrap();
        assert_eq!(discover(&sub), None);
        std::fs::write(outer.join("repo").join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&sub), Some(outer.join("repo").join(FILE_NAME)));
    }

    #[test]
    fn a_file_names_rules_in_any_ascii_case_and_a_long_unknown_one_by_its_start() {
        assert_eq!(
            flagged_by("select = [\"BUT\", \"kf011\"]\n", "但是你好"),
            ["but", "ni-instead-of-nin"]
        );
        let long = "x".repeat(1 << 20);
        let error =
            Config::parse("k.toml", &format!("ignore = [\"{long}\"]\n"), Path::new(".")).expect_err("no such rule");
        assert!(error.message().len() < 300, "{} bytes", error.message().len());
        assert!(error.message().contains("xxxx…"), "{}", error.message());
    }

    /// The rules that flag `reply` with the configuration `text`.
    fn flagged_by(text: &str, reply: &str) -> Vec<String> {
        let mut config = Config::parse("k.toml", text, Path::new(".")).expect("valid");
        let linter = config.linter_for(None, None).expect("a linter");
        linter.check(reply).iter().map(|f| f.name.to_string()).collect()
    }

    #[test]
    fn competitor_names_with_digits_dots_or_spaces_are_matched_as_written() {
        let text = "competitors = [\"3M\", \"JD.com\", \" 某 某 \", \"7-Eleven\"]\n";
        let mentioned = |text: &str, reply: &str| flagged_by(text, reply).contains(&"competitor-mentioned".to_owned());
        for reply in [
            "亲,买3M的胶带哦",
            "亲,去JD.com看看哦",
            "亲,某某的货哦",
            "亲,7-Eleven有卖哦",
        ] {
            assert!(mentioned(text, reply), "{reply}");
        }
        // Not inside a longer code or link.
        assert!(!mentioned(text, "亲,型号3M100的胶带哦"));
        assert!(!mentioned("competitors = [\"BrandX\"]\n", "亲,去brandx.com看看哦"));
    }

    #[test]
    fn competitors_are_flagged_in_either_script_and_only_when_listed() {
        let text = "competitors = [\"某某旗舰店\", \"BrandX\"]\n";
        let mentioned = |reply: &str| flagged_by(text, reply).contains(&"competitor-mentioned".to_owned());
        assert!(mentioned("某某旗舰店的质量没有我们好"));
        assert!(mentioned("某某旗艦店賣的是高仿"), "Traditional");
        assert!(mentioned("brandx也是这个价"), "ASCII case-insensitive");
        assert!(!mentioned("BrandXL是我们的型号"), "a Latin name is a word of its own");
        assert!(!mentioned("我们家的商品都是正品哦"));
        assert!(
            !flagged_by("", "某某旗舰店的质量没有我们好").contains(&"competitor-mentioned".to_owned()),
            "no list, no finding"
        );
        assert!(
            flagged_by("competitors = [\"某某旗艦店\"]\n", "亲,某某旗舰店也有哦")
                .contains(&"competitor-mentioned".to_owned()),
            "a name listed in Traditional matches Simplified text"
        );
    }

    #[test]
    fn a_bad_competitors_value_is_an_error_at_its_place() {
        let cases = [
            (
                "competitors = \"BrandX\"\n",
                "competitors takes a list, even of one value: competitors = [\"BrandX\"]",
                (1, 15),
            ),
            (
                "mode = \"draft\"\ncompetitors = [\"BrandX\", 3]\n",
                "invalid type: integer `3`, expected a string",
                (2, 26),
            ),
            (
                "competitors = [\"BrandX\", \" \"]\n",
                "competitors holds \" \", which names nothing",
                (1, 26),
            ),
            (
                "competitors = [\"BrandX\", \"。\", \"\u{200b}\"]\n",
                "competitors holds \"。\", which names nothing",
                (1, 26),
            ),
        ];
        for (text, said, at) in cases {
            let err = Config::parse("k.toml", text, Path::new(".")).expect_err("refused");
            assert_eq!(err.file(), "k.toml");
            assert!(err.message().starts_with(said), "{text}: {err}");
            assert_eq!(err.line_column(), Some(at), "{text}: {err}");
        }
    }

    #[test]
    fn the_session_table_sets_thresholds_and_its_mistakes_are_placed() {
        let config = Config::parse("k.toml", "[session]\nreply-seconds = 30\n", Path::new(".")).unwrap();
        let thresholds = config.session_checker().thresholds();
        assert_eq!(thresholds.reply_seconds, 30);
        assert_eq!(thresholds.first_response_seconds, 10);
        let err = Config::parse(
            "k.toml",
            "fail-on = \"error\"\n[session]\nreply-secs = 30\n",
            Path::new("."),
        )
        .expect_err("refused");
        assert!(err.to_string().contains("reply-secs"), "{err}");
        assert_eq!(err.line_column(), Some((3, 1)));
        let err = Config::parse("k.toml", "[session]\nignored-run = 1\n", Path::new(".")).expect_err("refused");
        assert!(
            err.to_string().contains("[session]: ignored-run must be at least 2"),
            "{err}"
        );
        assert_eq!(err.line_column(), Some((2, 1)), "at the key");
        let err = Config::parse("k.toml", "[session]\nreply-seconds = -5\n", Path::new(".")).expect_err("refused");
        assert_eq!(err.line_column(), Some((2, 17)));
        let config = Config::parse("k.toml", "[session]\nignore = [\"no-greeting\"]\n", Path::new(".")).unwrap();
        assert!(
            config
                .session_checker()
                .rules()
                .iter()
                .all(|r| &*r.name != "no-greeting")
        );
        let err = Config::parse("k.toml", "[session]\nignore = [\"greeting\"]\n", Path::new(".")).expect_err("refused");
        assert!(
            err.to_string()
                .contains("[session]: ignore: \"greeting\" is no session rule"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_select_is_an_error() {
        for text in ["select = []\n", "[[per-path]]\npaths = [\"*.txt\"]\nselect = []\n"] {
            let err = Config::parse("k.toml", text, Path::new(".")).expect_err("refused");
            assert!(err.to_string().contains("select = [] runs no rule at all"), "{err}");
        }
        assert!(Config::parse("k.toml", "select = [\"KF001\"]\n", Path::new(".")).is_ok());
    }

    #[test]
    fn a_per_path_entry_naming_a_session_rule_is_refused_at_its_place() {
        for (key, name) in [("ignore", "KS004"), ("select", "no-greeting")] {
            let text = format!("[[per-path]]\npaths = [\"*.jsonl\"]\n{key} = [\"{name}\"]\n");
            let err = Config::parse("k.toml", &text, Path::new(".")).expect_err("refused");
            assert!(
                err.message()
                    .contains("is a session rule: [[per-path]] entries choose among reply rules only"),
                "{err}"
            );
            assert_eq!(err.line_column().map(|(line, _)| line), Some(3), "{text}");
        }
        let text = "[[per-path]]\npaths = [\"*.jsonl\"]\n[per-path.severity]\nKS001 = \"error\"\n";
        assert!(Config::parse("k.toml", text, Path::new(".")).is_err());
        // Reply rules, and the same session rule in the file's own keys, are fine.
        let text = "ignore = [\"KS004\"]\n[[per-path]]\npaths = [\"*.jsonl\"]\nignore = [\"KF011\"]\n";
        assert!(Config::parse("k.toml", text, Path::new(".")).is_ok());
    }

    #[test]
    fn an_error_excerpt_shows_the_line_at_fault_after_the_one_before() {
        let text = "fail-on = \"error\"\nmode = \"\u{1b}draft\"\r\nselect = [\"nope\"]\n";
        let start = text.find("\"nope\"").unwrap();
        let (excerpt, span) = excerpt(text, Some(start..start + 6), true);
        // The first line stays empty; the one before is shown, escaped.
        assert_eq!(excerpt, "\nmode = \"\\u{1b}draft\"\nselect = [\"nope\"]");
        let span = span.unwrap();
        assert_eq!(&excerpt[span.offset()..span.offset() + span.len()], "\"nope\"");
        let (first, _) = super::excerpt("select = [\"nope\"]\n", Some(10..16), true);
        assert_eq!(first, "select = [\"nope\"]");
        // A bidi override or a zero-width space, in either line, is shown escaped.
        let text = "# \u{202e}evil\nselect = [\"n\u{200b}ope\"]\n";
        let start = text.find("[\"").unwrap() + 1;
        let (shown, _) = super::excerpt(text, Some(start..start + 9), true);
        assert_eq!(shown, "# \\u{202e}evil\nselect = [\"n\\u{200b}ope\"]");
        // And in the message, which may quote a value or a key from the file.
        for text in [
            "ignore = \"\u{202e}\"\n",
            "\"a\u{202e}b\" = 1\n",
            "[severity]\nKF001 = \"err\u{200b}or\"\n",
            "ignore = [\"nope\u{61c}\u{2028}\"]\n",
        ] {
            let err = Config::parse("k.toml", text, Path::new(".")).expect_err("refused");
            let shown = err.message();
            assert!(
                !shown
                    .chars()
                    .any(|c| matches!(c, '\u{202e}' | '\u{200b}' | '\u{61c}' | '\u{2028}')),
                "{shown}"
            );
        }
    }
}
