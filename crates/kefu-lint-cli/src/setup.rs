//! What `check` and `report` share before reading a byte of input: the
//! configuration with the command line's rule options laid over it, the
//! files named or found, and how to read them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use kefu_lint::{Linter, Mode};

use crate::args::{InputArgs, RuleArgs, SessionArgs};
use crate::config::{self, Config};
use crate::pipeline::{self, Job};
use crate::read::reader::InputOption;
use crate::read::role::AgentRoles;
use crate::read::{self, Options};
use crate::render::visible::{eprint, path_name, visible};
use crate::session;
use crate::status::Status;
use crate::walk;

/// A run's configuration and inputs.
pub struct Setup {
    /// The configuration, with the command line's rule options.
    pub config: Config,
    /// `--mode`, if given.
    pub mode: Option<Mode>,
    /// The linter of the configuration itself (before any per-file override).
    pub base: Arc<Linter>,
    /// The files to read, in order (`-` is standard input).
    pub files: Vec<PathBuf>,
    /// Paths named that could not be walked, as messages.
    pub walk_errors: Vec<String>,
    /// How to read the files.
    pub options: Options,
    /// Whether `--role-field` and `--agent-role` were given (they win over the configuration's).
    given_roles: (bool, bool),
}

impl Setup {
    /// Reads the configuration and finds the inputs, saying on standard
    /// error what is wrong or unused. `sessions`: the inputs are chat logs
    /// read as conversations (their text field is always read). `usage`
    /// says a usage error as the subcommand's own.
    ///
    /// # Errors
    /// The exit status when the run cannot go on (a bad configuration or
    /// rule option, a bad `--agent-role`): the problem has been said.
    pub fn new(
        input: &InputArgs,
        rules: &RuleArgs,
        sessions: bool,
        usage: fn(&str) -> ExitCode,
    ) -> Result<Setup, ExitCode> {
        let config_path = match (&rules.config, rules.no_config) {
            (Some(path), _) => Some(path.clone()),
            (None, false) => std::env::current_dir().ok().and_then(|d| config::discover(&d)),
            (None, true) => None,
        };
        let loaded = match (config_path.as_deref(), rules.extend_packs.is_empty()) {
            (None, true) => Ok(Config::builtin()),
            (path, _) => Config::load_with(path, &rules.extend_packs),
        };
        let mut config = loaded.map_err(|e| {
            crate::report_error(&e);
            ExitCode::from(Status::Error)
        })?;
        let rule_options = config::RuleOptions {
            select: rules.select.clone(),
            extend_select: rules.extend_select.clone(),
            ignore: rules.ignore.clone(),
            severity: rules.severities.clone(),
            spelling: config::Spelling::CommandLine,
        };
        config
            .set_command_line(rule_options)
            .map_err(|refused| usage(&visible(&refused.message)))?;
        if let Some(script) = rules.script {
            config.set_script(script.into());
        }
        let mode = rules.mode.map(Mode::from);
        let base = config.linter_for(None, mode).map_err(|e| {
            crate::report_error(&e);
            ExitCode::from(Status::Error)
        })?;
        if !sessions && base.rules().is_empty() {
            return Err(usage(
                "the rules selected are all session rules (KS…), which judge chat logs as conversations: add --sessions, or use kefu-lint report",
            ));
        }
        let paths = if input.paths.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            input.paths.clone()
        };
        let (files, walk_errors, json_left) = walk::expand(&paths, &input.globs, input.input_format.is_some());
        let files = read_once(files);
        if json_left > 0 {
            eprint(
                "note",
                format_args!(
                    "{} in the directories not checked: a walk checks .json chat logs only when --glob selects them (--glob '*.json')",
                    crate::check::count(json_left, ".json file")
                ),
            );
        }
        let agent_roles = match input.agent_roles.as_slice() {
            [] => None,
            patterns => match AgentRoles::new(patterns) {
                Ok(roles) => Some(roles),
                Err(e) => {
                    eprint("error", format_args!("--agent-role {e}"));
                    return Err(ExitCode::from(Status::Error));
                }
            },
        };
        let options = Options {
            format: input.input_format,
            column: input.column.clone(),
            header: input.header(),
            field: input.field.clone(),
            role_field: input.role_field.clone(),
            agent_roles,
            json_pointer: input.json_pointer.clone(),
            sheet: input.sheet.clone(),
            encoding: input.encoding,
            binary: input.binary,
            read_past_bad_lines: false,
            limits: input.limits(),
        };
        for note in unused_options(input, sessions, &files, &options) {
            eprint("note", format_args!("{note}"));
        }
        Ok(Setup {
            config,
            mode,
            base,
            files,
            walk_errors,
            options,
            given_roles: (input.role_field.is_some(), !input.agent_roles.is_empty()),
        })
    }

    /// How to read chat logs as conversations, with the configuration's
    /// session rules; `conversations`: pass each session on whole too.
    pub fn sessions(&self, input: &InputArgs, fields: &SessionArgs, conversations: bool) -> session::Sessions {
        session::Sessions {
            fields: session::Fields {
                session: fields.session_field.clone().unwrap_or_else(|| "session".into()),
                role: input.role_field.clone().unwrap_or_else(|| "role".into()),
                time: fields.time_field.clone().unwrap_or_else(|| "time".into()),
                text: input.field.clone().unwrap_or_else(|| "content".into()),
                agent: fields.agent_field.clone().unwrap_or_else(|| "agent".into()),
            },
            zone: fields.timezone.clone().unwrap_or(jiff::tz::TimeZone::UTC),
            checker: self.config.session_checker(),
            conversations,
        }
    }

    /// Calls `read` on every input in turn with its linter and reader
    /// options (the configuration's overrides for that file applied); an
    /// input whose overrides are wrong is sent on as failed. Stops when
    /// `read` or `send` returns false.
    pub fn for_each_input(
        &mut self,
        send: &mut dyn FnMut(Job) -> bool,
        mut read: impl FnMut(&Path, &Options, Arc<Linter>, &mut dyn FnMut(Job) -> bool) -> bool,
    ) {
        for path in &self.files {
            let failed = |why: String| {
                Job::Done(pipeline::Done::Failed {
                    name: path_name(path),
                    why,
                })
            };
            let linter = match self.config.linter_for(Some(path), self.mode) {
                Ok(linter) => linter,
                Err(e) => {
                    if !send(failed(e.to_string())) {
                        return;
                    }
                    continue;
                }
            };
            let own;
            let options = match roles_from_config(&self.options, self.config.roles_for(path), self.given_roles) {
                Ok(None) => &self.options,
                Ok(Some(from_config)) => {
                    own = from_config;
                    &own
                }
                Err(why) => {
                    if !send(failed(why)) {
                        return;
                    }
                    continue;
                }
            };
            if !read(path, options, linter, send) {
                return;
            }
        }
    }
}

/// `files` with each file once: a file named again (or found again in a
/// directory walked, or through a link) is dropped with a note, so that
/// nothing is counted twice.
fn read_once(files: Vec<PathBuf>) -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt as _;
    let mut seen: Vec<((u64, u64), PathBuf)> = Vec::new();
    let mut once = Vec::with_capacity(files.len());
    for file in files {
        let id = std::fs::metadata(&file)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| (m.dev(), m.ino()));
        if let Some(id) = id {
            if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == id) {
                eprint(
                    "note",
                    format_args!(
                        "{} names the same file as {}: read once",
                        visible(&path_name(&file)),
                        visible(&path_name(first))
                    ),
                );
                continue;
            }
            seen.push((id, file.clone()));
        }
        once.push(file);
    }
    once
}

/// Notes for options given that no input reads: `--column` with no table,
/// `--sheet` with no workbook, `--field` and the role options with no chat
/// log. (They are not errors: a walk may simply have found other formats.)
fn unused_options(input: &InputArgs, sessions: bool, files: &[PathBuf], options: &Options) -> Vec<String> {
    let readers: Vec<_> = files.iter().map(|f| read::identify(f, options).2.reader()).collect();
    let unused = |option: InputOption| !readers.iter().any(|r| r.uses(option));
    let roles = input.role_field.is_some() || !input.agent_roles.is_empty();
    let walked = input.paths.iter().any(|p| p.is_dir());
    let mut notes: Vec<String> = [
        (
            input.encoding.is_some(),
            InputOption::Encoding,
            "--encoding applies to text inputs (workbooks say their own)",
        ),
        (
            input.column.is_some() && !sessions,
            InputOption::Column,
            "--column applies to tables and workbooks",
        ),
        (
            input.max_workbook_mb.is_some(),
            InputOption::WholeSize,
            "--max-workbook-mb applies to workbooks and .json chat logs",
        ),
        (
            input.max_cells.is_some(),
            InputOption::Cells,
            "--max-cells applies to workbooks",
        ),
        (
            input.header().is_some() && !sessions,
            InputOption::Header,
            "--header and --no-header apply to tables and workbooks",
        ),
        (
            input.sheet.is_some(),
            InputOption::Sheet,
            "--sheet applies to workbooks",
        ),
        (
            // Conversations are read from the text field of every format.
            input.field.is_some() && !sessions,
            InputOption::Field,
            "--field applies to chat logs (.jsonl, .json)",
        ),
        (
            roles,
            InputOption::Roles,
            "--role-field and --agent-role apply to chat logs and tables (.jsonl, .json, .csv, .tsv, .xlsx)",
        ),
        (
            input.json_pointer.is_some(),
            InputOption::JsonPointer,
            "--json-pointer applies to .json chat logs",
        ),
    ]
    .into_iter()
    .filter(|&(given, option, _)| given && unused(option))
    .map(|(_, _, what)| format!("{what}, and no input is one; it is not used"))
    .collect();
    if sessions && (input.column.is_some() || input.header().is_some()) {
        notes.push(
            "--column, --header and --no-header apply to a plain check of tables; chat logs read as conversations have a header row naming their fields (--field, --role-field, --session-field, --time-field, --agent-field): not used".to_owned(),
        );
    }
    if !input.globs.is_empty() && !walked {
        notes.push("--glob filters the files of directories walked, and no input is one; it is not used".to_owned());
    }
    notes
}

/// The reader options for an input whose configuration gives `role-field`
/// and `agent-role` as `from_config` (see [`config::Config::roles_for`]):
/// `None` when they change nothing; the command line's (`given`: whether
/// `--role-field`, `--agent-role` were) win.
///
/// # Errors
/// An `agent-role` pattern that is not a glob (checked when the file is read).
fn roles_from_config(
    options: &Options,
    from_config: (Option<String>, Option<Vec<String>>),
    given: (bool, bool),
) -> Result<Option<Options>, String> {
    let field = from_config.0.filter(|_| !given.0);
    let agents = from_config.1.filter(|_| !given.1);
    if field.is_none() && agents.is_none() {
        return Ok(None);
    }
    let mut options = options.clone();
    if let Some(field) = field {
        options.role_field = Some(field);
    }
    if let Some(agents) = agents {
        options.agent_roles =
            Some(AgentRoles::new(&agents).map_err(|e| format!("agent-role of the configuration: {e}"))?);
    }
    Ok(Some(options))
}
