//! The `kefu-lint` command line: input readers (text, CSV/TSV, JSON Lines, JSON,
//! Excel, with encoding detection), configuration, renderers (miette, JSON,
//! SARIF, GitHub), baselines and fixes. The binary is a thin `main` over
//! [`run`]; the modules are public so benchmarks and fuzz targets can drive
//! the readers directly.

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod baseline;
mod char_diff;
mod check;
mod console;
mod eval;
pub mod fix;
mod interrupt;
mod output;
mod pipeline;
pub mod read;
pub mod render;
mod report;
mod session;
mod setup;
mod statistics;
mod status;
mod walk;
mod whole;
mod write;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::Parser;
pub use kefu_lint::config;
use kefu_lint::session::SessionChecker;
use kefu_lint::{Linter, catalogue, suggest};

use crate::args::{Cli, Command, EvalArgs, ServeArgs};
use crate::console::say;
use crate::status::Status;

/// Parses the command line and runs the command; returns the exit status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => {
            note_stdin(&args.input.paths, args.sessions);
            match check::run(*args) {
                Ok(code) => code,
                Err(e) => {
                    say!("error: writing output: {e}");
                    ExitCode::from(Status::Error)
                }
            }
        }
        Command::Report(args) => {
            note_stdin(&args.input.paths, true);
            match report::run(*args) {
                Ok(code) => code,
                Err(e) => {
                    say!("error: writing output: {e}");
                    ExitCode::from(Status::Error)
                }
            }
        }
        Command::Eval(args) => evaluate(&args),
        Command::Init => init(),
        Command::Rules { markdown, script } => {
            let rules = all_rules();
            let sessions = SessionChecker::builtin();
            if !markdown {
                return configured_table(rules, &sessions);
            }
            match catalogue_script(script) {
                Ok(script) => printed(&catalogue::markdown(
                    &rules,
                    sessions.rules(),
                    &sessions.thresholds(),
                    script,
                )),
                Err(code) => code,
            }
        }
        Command::Explain { rule, script } => {
            let script = match catalogue_script(script) {
                Ok(script) => script,
                Err(code) => return code,
            };
            let rules = all_rules();
            let sessions = SessionChecker::builtin();
            if let Some(found) = catalogue::find_session(sessions.rules(), &rule) {
                // The thresholds in force: the nearest configuration's `[session]`.
                let thresholds = match nearest_config() {
                    Ok(config) => {
                        config.map_or_else(|| sessions.thresholds(), |(_, c)| c.session_checker().thresholds())
                    }
                    Err(code) => return code,
                };
                return printed(&catalogue::explain_session(found, &thresholds, script));
            }
            match catalogue::find(&rules, &rule) {
                Some(found) => printed(&catalogue::explain(found, script)),
                None => {
                    let session_names = sessions.rules().iter().flat_map(|r| [&*r.id, &*r.name]);
                    let names = rules.iter().flat_map(|r| [&*r.id, &*r.name]).chain(session_names);
                    let hint = suggest::nearest(&rule, names)
                        .map(|near| format!(" (did you mean {near}?)"))
                        .unwrap_or_default();
                    render::visible::eprint(
                        "error",
                        format_args!("no rule {:?}{hint}; `kefu-lint rules` lists them", suggest::cut(&rule)),
                    );
                    ExitCode::from(Status::Error)
                }
            }
        }
        Command::Serve(args) => serve(&args),
    }
}

/// Open files the service needs besides its connections: standard
/// streams, the listening socket, the runtime's own, a configuration.
const FILES_BESIDES_CONNECTIONS: usize = 16;

/// Raises the process's open-file limit (its soft limit, up to the hard
/// one) to hold `connections` connections, and says so when it cannot:
/// past the limit, new connections wait instead of being served.
fn open_files_for(connections: usize) {
    #[cfg(unix)]
    {
        let needed = connections.saturating_add(FILES_BESIDES_CONNECTIONS) as u64;
        match rlimit::increase_nofile_limit(needed) {
            Ok(limit) if limit < needed => say!(
                "warning: --max-connections {connections} needs about {needed} open files, but this process may open {limit} (its hard limit; `ulimit -Hn`): connections past about {} wait; raise the limit or lower --max-connections",
                limit.saturating_sub(FILES_BESIDES_CONNECTIONS as u64)
            ),
            Ok(_) => {}
            Err(e) => say!("warning: the open-file limit could not be read or raised ({e})"),
        }
    }
}

/// `kefu-lint serve`: the configuration given, else the nearest one (none
/// with `--no-config`); says where it listens; 0 once stopped by a signal,
/// 2 when it cannot start.
fn serve(args: &ServeArgs) -> ExitCode {
    let config = match &args.config {
        Some(path) => Some(path.clone()),
        None if args.no_config => None,
        None => std::env::current_dir().ok().and_then(|d| config::discover(&d)),
    };
    if let Some(path) = &config {
        say!(
            "kefu-lint serve: configuration {}",
            render::visible::visible(&render::visible::path_name(path))
        );
    }
    let settings = args.settings(config);
    open_files_for(settings.max_connections);
    let result = kefu_lint_server::run(settings, |address| {
        if !address.ip().is_loopback() {
            say!(
                "note: listening on {address}, not on loopback: anyone who can reach this machine can use the service"
            );
        }
        say!("kefu-lint serve: listening on http://{address}");
    });
    match result {
        Ok(()) => {
            say!("kefu-lint serve: stopped");
            ExitCode::from(Status::Success)
        }
        Err(kefu_lint_server::ServeError::Config(e)) => {
            report_error(&e);
            ExitCode::from(Status::Error)
        }
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(Status::Error)
        }
    }
}

/// Says [`stdin_hint`]'s note when standard input is a terminal to be read.
fn note_stdin(paths: &[std::path::PathBuf], chat_log: bool) {
    if let Some(hint) = stdin_hint(paths, io::stdin().is_terminal(), chat_log) {
        render::visible::eprint("note", format_args!("{hint}"));
    }
}

/// What `check` and `report` say before they read standard input from a
/// terminal (no path, or `-`), where they would otherwise seem to hang:
/// what is read (replies one per line, or a chat log when `chat_log`), how
/// to end the input, and how to give files instead. Nothing when standard
/// input is a file or a pipe (`stdin_is_terminal` false) or is not read.
fn stdin_hint(paths: &[std::path::PathBuf], stdin_is_terminal: bool, chat_log: bool) -> Option<&'static str> {
    let reads_stdin = paths.is_empty() || paths.iter().any(|p| p.as_os_str() == "-");
    let hint = match (chat_log, cfg!(windows)) {
        (false, true) => {
            "reading replies from standard input, one per line; end with Ctrl-Z and Enter (or give files or directories to check)"
        }
        (false, false) => {
            "reading replies from standard input, one per line; end with Ctrl-D (or give files or directories to check)"
        }
        (true, true) => {
            "reading a chat log from standard input (JSON Lines, JSON, CSV or TSV); end with Ctrl-Z and Enter (or give the log's files)"
        }
        (true, false) => {
            "reading a chat log from standard input (JSON Lines, JSON, CSV or TSV); end with Ctrl-D (or give the log's files)"
        }
    };
    (reads_stdin && stdin_is_terminal).then_some(hint)
}

/// The script of `rules --markdown` and `explain`: `--script`, else the
/// `script` of the configuration found from the current directory, else
/// Simplified. A configuration that cannot be read is reported (exit 2).
fn catalogue_script(arg: Option<args::ScriptArg>) -> Result<kefu_lint::Script, ExitCode> {
    match arg {
        Some(script) => Ok(script.into()),
        None => Ok(nearest_config()?.map(|(_, c)| c.script()).unwrap_or_default()),
    }
}

/// The nearest kefu-lint.toml, loaded, if there is one.
///
/// # Errors
/// The exit status when it cannot be read (said).
fn nearest_config() -> Result<Option<(std::path::PathBuf, config::Config)>, ExitCode> {
    let Some(path) = std::env::current_dir().ok().and_then(|d| config::discover(&d)) else {
        return Ok(None);
    };
    config::Config::load(&path).map(|c| Some((path, c))).map_err(|e| {
        report_error(&e);
        ExitCode::from(Status::Error)
    })
}

/// `kefu-lint rules`' table: under the nearest configuration, the rules it
/// runs with the severities it gives them (its extra packs' rules too), and
/// the built-in rules it does not run as `off`, after a note naming it.
fn configured_table(builtin: Vec<kefu_lint::Rule>, sessions: &SessionChecker) -> ExitCode {
    let (path, mut config) = match nearest_config() {
        Ok(Some(found)) => found,
        Ok(None) => return printed(&catalogue::table(&builtin, sessions.rules(), &[])),
        Err(code) => return code,
    };
    let linter = match config.linter_for(None, None) {
        Ok(linter) => linter,
        Err(e) => {
            report_error(&e);
            return ExitCode::from(Status::Error);
        }
    };
    let mut off: Vec<&str> = Vec::new();
    let rules = with_the_rest(linter.rules(), &builtin, |r| &r.id, &mut off);
    let session_rules = with_the_rest(config.session_checker().rules(), sessions.rules(), |r| &r.id, &mut off);
    render::visible::eprint(
        "note",
        format_args!(
            "severities as {} sets them; off: not run",
            render::visible::path_name(&path)
        ),
    );
    printed(&catalogue::table(&rules, &session_rules, &off))
}

/// The rules `running`, then those of `all` it lacks (by `id`), whose ids
/// are added to `off`.
fn with_the_rest<'a, R: Clone>(running: &[R], all: &'a [R], id: fn(&R) -> &str, off: &mut Vec<&'a str>) -> Vec<R> {
    let mut rules = running.to_vec();
    for rule in all {
        if !running.iter().any(|r| id(r) == id(rule)) {
            off.push(id(rule));
            rules.push(rule.clone());
        }
    }
    rules
}

/// `kefu-lint eval`: prints the scores; 1 when a script misses the targets, 2 on bad input.
fn evaluate(args: &EvalArgs) -> ExitCode {
    let name = args.path.display();
    let scored = read::limits::read_text_file(&args.path, read::limits::LARGE_FILE_BYTES)
        .map_err(|e| e.to_string())
        .and_then(|text| eval::parse(&text, args.path.parent().unwrap_or(std::path::Path::new(""))))
        .and_then(|cases| eval::score(&Linter::builtin(), &cases));
    let report = match scored {
        Ok(report) => report,
        Err(e) => {
            render::visible::eprint("error", format_args!("{name}: {e}"));
            return ExitCode::from(Status::Error);
        }
    };
    if let Err(e) = console::out_text(&report.render()) {
        say!("error: writing output: {e}");
        return ExitCode::from(Status::Error);
    }
    let below = report.below(args.min_precision, args.min_recall);
    if below.is_empty() {
        ExitCode::from(Status::Success)
    } else {
        say!(
            "below target (precision >= {}, recall >= {}): {}",
            args.min_precision,
            args.min_recall,
            below.join("; ")
        );
        ExitCode::from(Status::Failure)
    }
}

/// `kefu-lint init`: writes the starter configuration unless one exists.
fn init() -> ExitCode {
    let path = std::path::Path::new(config::FILE_NAME);
    // Anything by that name, even a link to nothing, is left as it is.
    if path.symlink_metadata().is_ok() {
        say!("error: {} already exists; not overwritten", path.display());
        return ExitCode::from(Status::Error);
    }
    match write::write_atomically(path, config::STARTER.as_bytes()) {
        Ok(()) => {
            say!("Wrote {}.", path.display());
            ExitCode::from(Status::Success)
        }
        Err(e) => {
            say!("error: {}: {e}", path.display());
            ExitCode::from(Status::Error)
        }
    }
}

/// Writes `text` to standard output: exit status 0, or 2 (said) when it
/// could not be written. A reader that stopped early (a closed pipe) took
/// what it wanted: 0.
fn printed(text: &str) -> ExitCode {
    match console::out_text(text) {
        Ok(()) => ExitCode::from(Status::Success),
        Err(e) => {
            say!("error: writing output: {e}");
            ExitCode::from(Status::Error)
        }
    }
}

/// Prints an error with its source snippet (miette), to standard error.
fn report_error(error: &dyn miette::Diagnostic) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut text = String::new();
    match miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .render_report(&mut text, error)
    {
        Ok(()) => console::error_text(&text),
        Err(_) => say!("error: {error}"),
    }
}

/// Every built-in rule, in pack order.
fn all_rules() -> Vec<kefu_lint::Rule> {
    kefu_lint::load_packs(kefu_lint::BUILTIN).expect("built-in rule packs are valid")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::stdin_hint;

    #[test]
    fn serve_defaults_are_the_servers_loopback_defaults() {
        use clap::Parser;

        let cli = crate::args::Cli::try_parse_from(["kefu-lint", "serve"]).expect("valid");
        let crate::args::Command::Serve(args) = cli.command else {
            unreachable!("serve parses as serve")
        };
        let settings = args.settings(None);
        assert_eq!(settings, kefu_lint_server::Settings::default());
        assert!(settings.bind.ip().is_loopback());
        assert_eq!(settings.bind.port(), 8080);
    }

    #[test]
    fn the_stdin_hint_is_given_only_when_a_terminal_is_read() {
        let none: [PathBuf; 0] = [];
        assert!(stdin_hint(&none, true, false).is_some_and(|h| h.contains("replies from standard input")));
        assert!(stdin_hint(&none, true, true).is_some_and(|h| h.contains("a chat log from standard input")));
        assert!(stdin_hint(&[PathBuf::from("a.txt"), PathBuf::from("-")], true, false).is_some());
        assert_eq!(stdin_hint(&none, false, true), None);
        assert_eq!(stdin_hint(&[PathBuf::from("a.txt")], true, false), None);
    }
}
