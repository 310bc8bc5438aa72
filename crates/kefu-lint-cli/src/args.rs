//! Command-line arguments.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::{NonEmptyStringValueParser, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use kefu_lint::Severity;
use kefu_lint::config::FailOn;

use crate::read::Format as InputFormat;
use crate::read::limits::{Limits, MIB};

/// Checks Chinese customer-service replies for forbidden language and
/// proposes the courteous rewrite.
#[derive(Debug, Parser)]
#[command(name = "kefu-lint", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check replies: one reply per non-empty line of each file (or of stdin).
    Check(Box<CheckArgs>),
    /// Measure precision and recall on a labelled set (JSON Lines).
    Eval(EvalArgs),
    /// Write a commented starter kefu-lint.toml in the current directory.
    ///
    /// It never overwrites: when kefu-lint.toml already exists, it says so
    /// and exits with status 2, leaving the file as it was.
    Init,
    /// List the rules: id, name, category, severity, fix, modes.
    Rules {
        /// Print the Markdown catalogue (docs/rules.md) instead.
        #[arg(long)]
        markdown: bool,
        /// Messages in this script [default: the config's script, else hans].
        #[arg(long, value_enum)]
        script: Option<ScriptArg>,
    },
    /// Explain a rule: what it flags, why, examples and the rewrite.
    Explain {
        /// Rule id or name, such as KF007 or but.
        rule: String,
        /// Messages in this script [default: the config's script, else hans].
        #[arg(long, value_enum)]
        script: Option<ScriptArg>,
    },
    /// Write a QA report of chat logs: one self-contained HTML page (docs/report.md).
    ///
    /// The logs are checked as conversations, as `check --sessions` does. The
    /// page holds the totals, findings per rule and per agent, response times
    /// against the thresholds, data problems and the worst sessions, each
    /// expandable into the conversation with its findings marked. Exit status
    /// 0, or 2 when an input or a record could not be read (the report is
    /// written all the same) or the page could not be written.
    Report(Box<ReportArgs>),
    /// Serve the checks over HTTP: a JSON API and a LanguageTool-compatible one (docs/server.md).
    ///
    /// It prints the address it listens on, and stops on SIGTERM or Ctrl-C
    /// once the requests in flight are answered.
    Serve(ServeArgs),
}

/// Arguments of `kefu-lint serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address (or host name, such as localhost) and port to listen on; port 0 takes any free port. Loopback (this machine only) unless told otherwise.
    #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:8080", value_parser = parse_bind)]
    pub bind: SocketAddr,
    /// Use this configuration file instead of the nearest kefu-lint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any kefu-lint.toml: the built-in rules, all of them, in draft mode.
    #[arg(long)]
    pub no_config: bool,
    /// Let pages of this origin call the service from a browser (CORS), such as https://console.example.com (repeatable) [default: none].
    #[arg(long = "cors-origin", value_name = "URL", value_parser = parse_origin)]
    pub cors_origins: Vec<String>,
    /// Largest request body, in bytes; a larger one is answered 413.
    #[arg(long, value_name = "N", default_value_t = kefu_lint_server::DEFAULT_MAX_BODY_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..=1 << 30))]
    pub max_body_bytes: u64,
    /// Longest a request may take, in seconds, reading its body included; then it is answered 503. A connection that sends no whole request header, or reads nothing of its answer, for this long is closed.
    #[arg(long, value_name = "N", default_value_t = kefu_lint_server::DEFAULT_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout_seconds: u64,
    /// Most replies in one request to /v1/check; more are answered 400.
    #[arg(long, value_name = "N", default_value_t = kefu_lint_server::DEFAULT_MAX_REPLIES as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_replies: u64,
    /// Most findings one request is answered with (its replies together; a fix's edits count once each); past that the answer says truncated.
    #[arg(long, value_name = "N", default_value_t = kefu_lint_server::DEFAULT_MAX_FINDINGS as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_findings: u64,
    /// Most connections open at once; one more is closed as soon as it is accepted.
    #[arg(long, value_name = "N", default_value_t = kefu_lint_server::DEFAULT_MAX_CONNECTIONS as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
}

impl ServeArgs {
    /// The server's settings, with the configuration file found (or none).
    pub fn settings(&self, config: Option<PathBuf>) -> kefu_lint_server::Settings {
        kefu_lint_server::Settings {
            bind: self.bind,
            config,
            cors_origins: self.cors_origins.clone(),
            max_body_bytes: usize::try_from(self.max_body_bytes).unwrap_or(usize::MAX),
            timeout: std::time::Duration::from_secs(self.timeout_seconds),
            max_replies: usize::try_from(self.max_replies).unwrap_or(usize::MAX),
            max_findings: usize::try_from(self.max_findings).unwrap_or(usize::MAX),
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
        }
    }
}

/// Parses `--bind`: an address and port, or a host name and port
/// (`localhost:8080`) resolved to its first address.
fn parse_bind(value: &str) -> Result<SocketAddr, String> {
    use std::net::ToSocketAddrs;
    let mut addresses = value
        .to_socket_addrs()
        .map_err(|e| format!("not an address and port, nor a host name and port that resolves: {e}"))?;
    addresses
        .next()
        .ok_or_else(|| format!("{value} resolves to no address"))
}

/// Parses `--cors-origin`: a scheme, a host and an optional port.
fn parse_origin(value: &str) -> Result<String, String> {
    kefu_lint_server::cors_origin(value).map(|_| value.to_owned())
}

/// `--script` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScriptArg {
    /// Simplified Chinese.
    Hans,
    /// Traditional Chinese.
    Hant,
}

impl From<ScriptArg> for kefu_lint::Script {
    fn from(value: ScriptArg) -> Self {
        match value {
            ScriptArg::Hans => kefu_lint::Script::Simplified,
            ScriptArg::Hant => kefu_lint::Script::Traditional,
        }
    }
}

/// `--mode` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Replies about to be sent: unfilled placeholders are errors.
    Draft,
    /// A quick-reply library: placeholders are expected, broken ones are flagged.
    Library,
}

impl From<ModeArg> for kefu_lint::Mode {
    fn from(value: ModeArg) -> Self {
        match value {
            ModeArg::Draft => kefu_lint::Mode::Draft,
            ModeArg::Library => kefu_lint::Mode::Library,
        }
    }
}

/// Arguments of `kefu-lint eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The labelled set, such as tests/eval/replies.jsonl.
    pub path: PathBuf,
    /// Exit with status 1 when a script's precision is below this.
    #[arg(long, default_value_t = 0.97)]
    pub min_precision: f64,
    /// Exit with status 1 when a script's recall is below this.
    #[arg(long, default_value_t = 0.95)]
    pub min_recall: f64,
}

/// What is read, and how: shared by `check` and `report`.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Files or directories to check; none or `-` reads standard input.
    pub paths: Vec<PathBuf>,
    /// Only check the files of walked directories whose path relative to the directory matches GLOB (repeatable; `!` excludes).
    ///
    /// In `kefu-lint check --glob GLOB DIR`: `--glob '*.csv'` checks CSV files at any depth (a glob without `/` matches the file name);
    /// `--glob 'replies/**'` the files below DIR/replies/; `--glob '!old/**'` all but those below DIR/old/.
    /// Files named on the command line are always checked.
    #[arg(long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Read every input in this format instead of guessing from its extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// Reply column of CSV, TSV and Excel inputs: a header name or a 1-based index.
    #[arg(long, value_name = "NAME|INDEX")]
    pub column: Option<String>,
    /// The first row of tables is a header, never checked [default: decided from what it holds].
    #[arg(long, conflicts_with = "no_header")]
    pub header: bool,
    /// Tables have no header: the first row is a reply (give the reply column with --column N).
    #[arg(long)]
    pub no_header: bool,
    /// Dotted path of the message text in chat logs (.jsonl, .json) [default: content, text, msg, message …].
    #[arg(long, value_name = "PATH")]
    pub field: Option<String>,
    /// Dotted path of the sender's role in chat logs, or a table's sender column [default: role, fromType, 角色, 发送方, sender, from …].
    #[arg(long, value_name = "PATH", value_parser = NonEmptyStringValueParser::new())]
    pub role_field: Option<String>,
    /// Roles whose messages (or table rows) are checked, as glob patterns ('*:*' is every Taobao sub-account 店铺名:客服名) (repeatable) [default: any holding 客服, 商家, 卖家, 店小二, 官方 or a word service, staff, agent, seller, support, waiter, cs …, and sub-accounts].
    #[arg(long = "agent-role", value_name = "GLOB", value_parser = NonEmptyStringValueParser::new())]
    pub agent_roles: Vec<String>,
    /// Where the array of messages is in .json chat logs, as a JSON Pointer such as /chats [default: looked for].
    #[arg(long, value_name = "POINTER", value_parser = crate::read::parse_pointer)]
    pub json_pointer: Option<String>,
    /// Only this sheet of Excel workbooks.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Decode text inputs in this encoding (utf-8, utf-16le, utf-16be, gbk, gb18030, big5, or any WHATWG label) instead of detecting it.
    #[arg(long, value_parser = crate::read::encoding::parse_label)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Most MiB a workbook may be, inflate to, or hold as row text; also a .json chat log (both are read whole) [default: 64].
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    pub max_workbook_mb: Option<u64>,
    /// Most non-empty cells (and shared strings) a workbook may have [default: 500000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_cells: Option<u64>,
    /// A binary input (a NUL byte outside UTF-16): an error (exit status 2), or skipped with a note.
    #[arg(long, value_enum, default_value_t = crate::read::Binary::Error)]
    pub binary: crate::read::Binary,
    /// Worker threads [default: one per core; at most 4 per core]. Output stays in input order.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
}

impl InputArgs {
    /// `--header` (`Some(true)`), `--no-header` (`Some(false)`), or neither.
    pub fn header(&self) -> Option<bool> {
        match (self.header, self.no_header) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }

    /// The workbook limits: the defaults, and what the command line changes.
    pub fn limits(&self) -> Limits {
        let default = Limits::default();
        Limits {
            workbook_bytes: self.max_workbook_mb.map_or(default.workbook_bytes, |mb| mb * MIB),
            cells: self.max_cells.unwrap_or(default.cells),
        }
    }
}

/// The fields of chat logs read as conversations: shared by `check --sessions` and `report`.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Conversations")]
pub struct SessionArgs {
    /// Dotted path (or column) of the session id [default: session, session_id, conversation_id, 会话ID, 会话编号 …].
    #[arg(long, value_name = "PATH", value_parser = NonEmptyStringValueParser::new())]
    pub session_field: Option<String>,
    /// Dotted path (or column) of the message time: ISO 8601, YYYY-MM-DD HH:MM:SS or YYYY/M/D H:MM:SS (in --timezone unless an offset follows), or epoch seconds or milliseconds [default: time, timestamp, created_at, send_time, 时间, 发送时间 …].
    #[arg(long, value_name = "PATH", value_parser = NonEmptyStringValueParser::new())]
    pub time_field: Option<String>,
    /// Dotted path (or column) of the agent's name [default: agent, agent_name, staff, 客服, 客服名, 接待客服 …].
    #[arg(long, value_name = "PATH", value_parser = NonEmptyStringValueParser::new())]
    pub agent_field: Option<String>,
    /// Time zone of times written without an offset, an IANA name (Asia/Shanghai) or a UTC offset (+08:00) [default: UTC].
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true, value_parser = crate::session::time::parse_zone)]
    pub timezone: Option<jiff::tz::TimeZone>,
}

impl SessionArgs {
    /// The first of these options given, by name, if any.
    pub fn given(&self) -> Option<&'static str> {
        [
            (self.session_field.is_some(), "--session-field"),
            (self.time_field.is_some(), "--time-field"),
            (self.agent_field.is_some(), "--agent-field"),
            (self.timezone.is_some(), "--timezone"),
        ]
        .into_iter()
        .find_map(|(given, name)| given.then_some(name))
    }
}

/// Which rules run, how severe, with which configuration: shared by `check` and `report`.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Rules")]
pub struct RuleArgs {
    /// What the inputs are: drafts about to be sent, or a library of templates [default: draft, or the config's mode].
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Script of the messages for a reply that reads the same in both (嗯, 不知道) [default: the config's script, else the file's].
    #[arg(long, value_enum)]
    pub script: Option<ScriptArg>,
    /// Use this configuration file instead of the nearest kefu-lint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any kefu-lint.toml.
    #[arg(long)]
    pub no_config: bool,
    /// Also load this rule pack (repeatable). Unlike a configuration's extend-packs, it may lie outside the configuration's directory.
    #[arg(long = "extend-pack", value_name = "FILE")]
    pub extend_packs: Vec<PathBuf>,
    /// Run only these rules, whatever the configuration selects and ignores (ids, names or categories; comma-separated or repeated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Run these rules as well as those selected.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Never run these rules (added to the configuration's ignore).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Give a rule (id, name or category) this severity: error, warning or info (repeatable). Wins over the configuration.
    #[arg(long = "severity", value_name = "RULE=LEVEL", value_parser = parse_severity)]
    pub severities: Vec<(String, Severity)>,
}

/// Arguments of `kefu-lint report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The chat logs and how to read them.
    #[command(flatten)]
    pub input: InputArgs,
    /// Where to write the report (HTML): replaced whole, or left as it was if writing fails.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// How many of the worst sessions the report holds whole, to expand (at most 1000, a few MB of page).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub worst: u64,
    /// The fields of the chat logs.
    #[command(flatten)]
    pub session: SessionArgs,
    /// The rules and the configuration.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Arguments of `kefu-lint check`. Options that only mean something with
/// `--fix` or `--diff` are refused without them, rather than ignored.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("fixing").args(["fix", "diff"])))]
pub struct CheckArgs {
    /// The inputs and how to read them.
    #[command(flatten)]
    pub input: InputArgs,
    /// Check chat logs as conversations: the session rules (response times, greeting, customers left unanswered, farewell, perfunctory answers) over each session, and the reply rules over every agent message. Fields are found by their usual names (session, 会话ID; role, 角色; time, 时间; content, 内容; agent, 客服 …) unless named.
    #[arg(long, conflicts_with_all = ["fix", "diff"])]
    pub sessions: bool,
    /// The fields of chat logs read as conversations (with --sessions).
    #[command(flatten)]
    pub session: SessionArgs,
    /// The rules and the configuration.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 when a finding is at least this severe [default: warning, or the config's fail-on].
    #[arg(long, value_parser = fail_on_parser())]
    pub fail_on: Option<FailOn>,
    /// Print how many findings each rule has instead of the findings: a table, or with --format json a JSON object.
    #[arg(long)]
    pub statistics: bool,
    /// With --statistics: count the findings per rule, per agent or per session (the agent and session of chat log messages, or a table's agent and session columns).
    #[arg(long, value_enum, requires = "statistics", default_value_t = crate::statistics::By::Rule)]
    pub by: crate::statistics::By,
    /// Report (and fail on) only findings not recorded in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (exit status 0 whatever they are; with --baseline, show only the new ones).
    #[arg(long, value_name = "FILE", conflicts_with = "fail_on")]
    pub write_baseline: Option<PathBuf>,
    /// Apply safe fixes (你 → 您) in place (txt, csv, tsv, jsonl), then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply unsafe fixes (tone rewrites a human should read).
    #[arg(long, requires = "fixing")]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (whatever the text --format); exit status 1 when there is something to fix.
    #[arg(long, conflicts_with_all = ["fix", "statistics", "fail_on", "baseline", "write_baseline", "output"])]
    pub diff: bool,
    /// Where --fix writes the fixed replies of Excel workbooks (CSV): a new file, or one an earlier --output wrote; never an input, a workbook or another existing file.
    #[arg(long, value_name = "FILE", requires = "fix")]
    pub output: Option<PathBuf>,
    /// With --fix or --diff, refuse inputs larger than this (bytes, or with K, M, G) [default: 4M].
    #[arg(long, value_name = "SIZE", value_parser = crate::whole::parse_size, requires = "fixing")]
    pub max_fix_size: Option<u64>,
}

impl CheckArgs {
    /// A combination of options that clap cannot refuse by itself (it
    /// depends on their values), as a usage error's message.
    pub fn conflict(&self) -> Option<String> {
        if !self.sessions
            && let Some(option) = self.session.given()
        {
            return Some(format!("{option} reads chat logs as conversations: add --sessions"));
        }
        let format = self
            .format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned());
        match self.format {
            Format::Human | Format::Concise => None,
            _ if self.diff => Some(format!(
                "--diff prints a unified diff, not --format {format}; leave --format out"
            )),
            Format::Json => None,
            _ if self.statistics => Some(format!(
                "--statistics prints a table (--format human or concise) or a JSON object (--format json), not --format {format}"
            )),
            _ => None,
        }
    }
}

/// Prints `message` as clap prints a usage error of `kefu-lint check`, and
/// returns the exit status of usage errors (2).
pub fn usage_error(message: &str) -> std::process::ExitCode {
    usage_error_of::<CheckArgs>("kefu-lint check", message)
}

/// [`usage_error`] for the subcommand `name` whose arguments are `A`.
pub fn usage_error_of<A: clap::Args>(name: &'static str, message: &str) -> std::process::ExitCode {
    let mut command = A::augment_args(clap::Command::new(name));
    // Standard error may be closed: the status says it all.
    let _ = command.error(clap::error::ErrorKind::ArgumentConflict, message).print();
    crate::status::Status::Error.into()
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the span underlined and suggestions as help.
    Human,
    /// One line per finding: `path:line:col: severity RULE message`.
    Concise,
    /// A JSON array of findings.
    Json,
    /// One JSON object per finding per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands that annotate files.
    Github,
}

/// Parses `--severity RULE=LEVEL`; the rule is checked once the rules are loaded.
fn parse_severity(value: &str) -> Result<(String, Severity), String> {
    let (rule, level) = value
        .split_once('=')
        .filter(|(rule, _)| !rule.is_empty())
        .ok_or("RULE=LEVEL, such as but=info")?;
    let level: FailOn = level.parse()?;
    Ok((rule.to_owned(), level.into()))
}

/// Parses `--fail-on`: one of [`FailOn::NAMES`], listed in `--help`.
fn fail_on_parser() -> impl TypedValueParser<Value = FailOn> {
    PossibleValuesParser::new(FailOn::NAMES).try_map(|name| name.parse::<FailOn>())
}

/// Parses `--threads`: a whole number; one too large for this machine's
/// integers means "as many as allowed" (the pipeline clamps it).
fn parse_threads(value: &str) -> Result<usize, String> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err("a whole number of threads, such as 4".into());
    }
    Ok(value.parse().unwrap_or(usize::MAX))
}
