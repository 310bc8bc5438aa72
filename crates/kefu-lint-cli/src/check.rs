//! `kefu-lint check`: read the inputs, check every reply, render the findings.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;

use kefu_lint::{Applicability, Finding, Severity};

use crate::args::{CheckArgs, Format, usage_error};
use crate::baseline::{self, Baseline, PathKeys, ReplyFingerprints};
use crate::console::{Closable, say};
use crate::fix;
use crate::output;
use crate::pipeline::{self, Done, Job};
use crate::read::role::{NoAgent, RoleSummary};
use crate::read::{self, Options};
use crate::render::visible::{eprint, path_name, visible, visible_lines};
use crate::render::{Columns, Located, Renderer};
use crate::session;
use crate::setup::Setup;
use crate::statistics::{self, RuleKey};
use crate::status::Status;
use crate::whole;

/// Counts for the closing summary.
#[derive(Default)]
struct Tally {
    replies: usize,
    /// Inputs named or found, read or not: the other counts say which were not.
    inputs: usize,
    /// Inputs that could not be read (each once, however many of its pieces failed).
    unreadable: usize,
    /// Inputs whose fixes could not be written (or, for `--diff`, could not be).
    unwritten: usize,
    /// Inputs skipped (binary files under `--binary skip`).
    skipped: usize,
    /// Inputs with a role field none of whose messages is an agent's: nothing in them was checked.
    no_agent: usize,
    bad_rows: usize,
    /// Workbook sheets left unread or read only in part (no reply column, damaged).
    bad_sheets: usize,
    in_baseline: usize,
    fixed: usize,
    /// Replies and inputs the fixes changed (for `--diff`, would change).
    fixed_replies: usize,
    fixed_inputs: usize,
    by_severity: [usize; 3],
    /// Findings per rule (a few dozen at most).
    by_rule: Vec<(RuleKey, usize)>,
    /// `--by agent|session`: the context key findings are counted by, and the counts.
    group_key: Option<&'static str>,
    by_group: statistics::Groups,
}

impl Tally {
    /// Counts `finding` for `--statistics`.
    fn count_rule(&mut self, finding: &Finding) {
        // The rule's shared strings are the same allocation for every finding
        // of one linter, so comparing pointers settles almost every lookup.
        let same = |key: &RuleKey| {
            key.2 == finding.severity
                && (Arc::ptr_eq(&key.0, &finding.rule) || key.0 == finding.rule)
                && (Arc::ptr_eq(&key.1, &finding.name) || key.1 == finding.name)
        };
        match self.by_rule.iter_mut().find(|(key, _)| same(key)) {
            Some((_, n)) => *n += 1,
            None => self
                .by_rule
                .push(((finding.rule.clone(), finding.name.clone(), finding.severity), 1)),
        }
    }

    /// Counts `finding` of `record` for `--statistics --by agent|session`.
    fn count_group(&mut self, record: &read::Record, finding: &Finding) {
        if let Some(key) = self.group_key {
            let name = record
                .context
                .iter()
                .find(|(k, _)| k == key)
                .map_or(statistics::NO_GROUP, |(_, v)| v.as_str());
            let counts = match self.by_group.get_mut(name) {
                Some(counts) => counts,
                None => self.by_group.entry(name.to_owned()).or_default(),
            };
            counts[finding.severity as usize] += 1;
        }
    }

    fn worst(&self) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|&s| self.by_severity[s as usize] > 0)
    }

    fn summary(&self, diff: bool) -> String {
        if diff {
            let fixes = if self.fixed == 0 {
                "Nothing to fix".to_owned()
            } else {
                format!(
                    "Would fix {} in {}",
                    count(self.fixed, "finding"),
                    count(self.fixed_replies, "reply")
                )
            };
            return format!("{fixes} from {}{}.", count(self.inputs, "input"), self.problems(diff));
        }
        let [info, warnings, errors] = self.by_severity;
        let found = if errors + warnings + info == 0 {
            "No findings".to_owned()
        } else {
            format!(
                "Found {}, {}, {}",
                count(errors, "error"),
                count(warnings, "warning"),
                count(info, "info")
            )
        };
        let mut line = format!(
            "{found} in {} from {}",
            count(self.replies, "reply"),
            count(self.inputs, "input")
        );
        if self.fixed > 0 {
            line += &format!(
                "; fixed {} in {}",
                count(self.fixed, "finding"),
                count(self.fixed_inputs, "input")
            );
        }
        if self.in_baseline > 0 {
            line += &format!("; {} in the baseline not shown", count(self.in_baseline, "finding"));
        }
        line += &self.problems(diff);
        line + "."
    }

    /// The closing summary's account of what could not be read or written.
    fn problems(&self, diff: bool) -> String {
        let mut line = String::new();
        if self.bad_rows > 0 {
            line += &format!("; {} could not be read as written", count(self.bad_rows, "row"));
        }
        if self.bad_sheets > 0 {
            line += &format!("; {} could not be read", count(self.bad_sheets, "sheet"));
        }
        if self.unreadable > 0 {
            line += &format!("; {} could not be read", count(self.unreadable, "input"));
        }
        match self.unwritten {
            0 => {}
            n if diff => line += &format!("; --fix could not write the fixes of {}", count(n, "input")),
            n => line += &format!("; the fixes of {} could not be written", count(n, "input")),
        }
        if self.skipped > 0 {
            line += &format!("; {} skipped", count(self.skipped, "input"));
        }
        if self.no_agent > 0 {
            line += &format!("; {} had no agent message", count(self.no_agent, "input"));
        }
        line
    }

    /// `--statistics`: findings per rule, as a table or JSON.
    fn statistics(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        if format != Format::Json {
            return match self.group_key {
                Some(_) => statistics::group_table(&self.by_group, out),
                None => statistics::table(&self.by_rule, out),
            };
        }
        let [info, warning, error] = self.by_severity;
        let totals = statistics::Totals {
            findings: info + warning + error,
            error,
            warning,
            info,
            replies: self.replies,
            inputs: self.inputs,
            unreadable_inputs: self.unreadable,
            unreadable_rows: self.bad_rows,
            unreadable_sheets: self.bad_sheets,
            skipped_inputs: self.skipped,
            unchecked_inputs: self.no_agent,
        };
        match self.group_key {
            Some(key) => statistics::group_json(key, &self.by_group, &totals, out),
            None => statistics::json(&self.by_rule, &totals, out),
        }
    }

    /// The exit status: 2 when something could not be read or written,
    /// else 1 when `--diff` has fixes to show, or (not `--diff`, not
    /// `--write-baseline`) a finding is at least as severe as `fail_on`.
    fn status(&self, args: &CheckArgs, fail_on: Severity) -> Status {
        if self.unreadable + self.bad_rows + self.bad_sheets + self.unwritten + self.no_agent > 0 {
            Status::Error
        } else if args.diff {
            if self.fixed > 0 {
                Status::Failure
            } else {
                Status::Success
            }
        } else if args.write_baseline.is_none() && self.worst().is_some_and(|w| w >= fail_on) {
            Status::Failure
        } else {
            Status::Success
        }
    }
}

/// `n` and a noun, plural when `n != 1` (`reply` → `replies`).
pub fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// Runs the check; the exit status is [`Tally::status`]'s, or 2 for a
/// usage error or a bad configuration.
pub fn run(args: CheckArgs) -> io::Result<ExitCode> {
    if let Some(message) = args.conflict() {
        return Ok(usage_error(&message));
    }
    let setup = match Setup::new(&args.input, &args.rules, args.sessions, usage_error) {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    let fail_on = args
        .fail_on
        .or(setup.config.fail_on)
        .unwrap_or(kefu_lint::config::FailOn::Warning);
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprint("error", format_args!("{e}"));
            return Ok(ExitCode::from(Status::Error));
        }
    };
    // Fingerprints name inputs relative to the baseline read, else the one
    // written; a baseline written elsewhere gets its own.
    let keys = PathKeys::new(args.baseline.as_deref().or(args.write_baseline.as_deref()));
    let record_keys = Some(PathKeys::new(args.write_baseline.as_deref())).filter(|k| *k != keys);
    let files = &setup.files;
    let fixing = args.fix || args.diff;
    if let (true, Some(output)) = (args.fix, &args.output)
        && let Err(e) = output::check_path(output, files)
    {
        eprint("error", format_args!("{e}"));
        return Ok(ExitCode::from(Status::Error));
    }
    if let Some(path) = &args.write_baseline
        && let Some(input) = std::fs::metadata(path).ok().and_then(|m| output::same_file(&m, files))
    {
        eprint(
            "error",
            format_args!(
                "--write-baseline {} is the input {}; give another file",
                path.display(),
                input.display()
            ),
        );
        return Ok(ExitCode::from(Status::Error));
    }
    let threads = if fixing {
        if let Some(n) = args.input.threads {
            eprint(
                "note",
                format_args!("--threads {n}: --fix and --diff work on one thread"),
            );
        }
        1
    } else {
        args.input.threads.unwrap_or_else(pipeline::default_threads)
    };
    let stdout = io::stdout();
    let mut sink = Sink {
        out: BufWriter::new(Closable::new(stdout.lock())),
        renderer: Renderer::new(args.format).in_script(setup.config.script()),
        render: !args.statistics && !args.diff,
        base: setup.base.clone(),
        baseline,
        recording: args.write_baseline.is_some(),
        recorded: Vec::new(),
        fingerprints: args.baseline.is_some()
            || args.write_baseline.is_some()
            || (!args.statistics && matches!(args.format, Format::Json | Format::Jsonl | Format::Sarif)),
        tally: Tally {
            group_key: args.by.key(),
            ..Tally::default()
        },
        failed: None,
        workbooks: Workbooks::default(),
        keys,
        record_keys,
        noted: Default::default(),
        roles: None,
        agents_given: !args.input.agent_roles.is_empty(),
    };
    for error in &setup.walk_errors {
        eprint("error", format_args!("{error}"));
        sink.tally.unreadable += 1;
    }
    sink.tally.inputs = files.len() + setup.walk_errors.len();
    if sink.render {
        sink.renderer.begin(&mut sink.out, setup.base.rules())?;
    }
    let sessions = args.sessions.then(|| setup.sessions(&args.input, &args.session, false));
    let fix_args = args_fix(&args);
    let mut setup = setup;
    let produce = move |send: &mut dyn FnMut(Job) -> bool| {
        setup.for_each_input(send, |path, options, linter, send| {
            if let Some(sessions) = &sessions {
                session::produce(path, options, sessions, linter, send)
            } else if fixing {
                match fix_job(path, options, linter.clone(), &fix_args) {
                    Ok(jobs) => jobs.into_iter().all(&mut *send),
                    // Too large to fix: said so (not written), and checked as it is.
                    Err(why) => {
                        let refused = Done::NotFixed {
                            name: path_name(path),
                            why,
                        };
                        send(Job::Done(refused)) && pipeline::produce(path, options, linter, send)
                    }
                }
            } else {
                pipeline::produce(path, options, linter, send)
            }
        });
    };
    pipeline::run(threads, produce, |done| sink.consume(done))?;
    sink.end_roles()?;
    if args.statistics {
        sink.tally.statistics(args.format, &mut sink.out)?;
    } else if sink.render {
        sink.renderer.end(&mut sink.out)?;
    }
    sink.out.flush()?;
    if let Some(path) = &args.output {
        sink.write_output(path);
    }
    let tally = &sink.tally;
    if let Some(path) = &args.write_baseline {
        let n = sink.recorded.len();
        if let Err(e) = baseline::write(path, std::mem::take(&mut sink.recorded)) {
            eprint("error", format_args!("{e}"));
            return Ok(ExitCode::from(Status::Error));
        }
        say!(
            "Wrote {} to the baseline {}.",
            count(n, "finding"),
            visible(&path_name(path))
        );
    }
    say!("{}", tally.summary(args.diff));
    Ok(tally.status(&args, fail_on.into()).into())
}

/// What `--fix`/`--diff` were asked to do.
struct FixArgs {
    up_to: Applicability,
    diff: bool,
    output: bool,
    /// Inputs larger than this many bytes are not fixed.
    max_size: u64,
}

fn args_fix(args: &CheckArgs) -> FixArgs {
    FixArgs {
        up_to: if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        diff: args.diff,
        output: args.output.is_some(),
        max_size: args.max_fix_size.unwrap_or(whole::DEFAULT_LIMIT),
    }
}

/// Where checked pieces go, in input order: counted, matched against the
/// baseline, rendered.
struct Sink<W: Write> {
    out: W,
    renderer: Renderer,
    render: bool,
    base: Arc<kefu_lint::Linter>,
    baseline: Option<Baseline>,
    recording: bool,
    recorded: Vec<baseline::Entry>,
    /// Whether fingerprints are needed (baselines, and formats that show them).
    fingerprints: bool,
    tally: Tally,
    /// The input whose failure was the last thing consumed, if it was.
    failed: Option<String>,
    /// How fingerprints name inputs, and how the written baseline does if differently.
    keys: PathKeys,
    record_keys: Option<PathKeys>,
    workbooks: Workbooks,
    /// The notes said about inputs (input, key): each once per input.
    noted: std::collections::HashSet<(String, String)>,
    /// What the input being consumed tells of its senders so far (its
    /// pieces come one after another), and whether `--agent-role` was given.
    roles: Option<(String, RoleSummary)>,
    agents_given: bool,
}

/// The fixed replies of workbooks, written to `--output` at the end.
#[derive(Default)]
struct Workbooks {
    rows: Vec<output::Row>,
    /// Fixes applied, replies and workbooks fixed.
    applied: usize,
    replies: usize,
    inputs: usize,
}

impl<W: Write> Sink<W> {
    /// Writes the fixed replies of the workbooks to `path`, if any were fixed.
    fn write_output(&mut self, path: &std::path::Path) {
        let workbooks = std::mem::take(&mut self.workbooks);
        if workbooks.rows.is_empty() {
            eprint(
                "note",
                format_args!(
                    "--output {}: no workbook had a fix to apply; not written (it is for workbooks: --fix fixes text inputs in place)",
                    visible(&path_name(path))
                ),
            );
            return;
        }
        match output::write(path, &workbooks.rows) {
            Ok(()) => {
                say!(
                    "Wrote the fixed replies of {} to {}; the workbooks are as they were.",
                    count(workbooks.inputs, "workbook"),
                    visible(&path_name(path))
                );
                self.tally.fixed += workbooks.applied;
                self.tally.fixed_replies += workbooks.replies;
                self.tally.fixed_inputs += workbooks.inputs;
            }
            Err(e) => {
                eprint("error", format_args!("{e}"));
                self.tally.unwritten += workbooks.inputs;
            }
        }
    }

    /// Ends the input whose senders are being summed up: one with a role
    /// field and no agent message is an error (a CI gate must not pass
    /// an input it did not check).
    fn end_roles(&mut self) -> io::Result<()> {
        if let Some((name, roles)) = self.roles.take() {
            let mut unchecked = false;
            for (sheet, verdict) in roles.no_agent(self.agents_given) {
                let place = at_sheet(&name, sheet);
                match verdict {
                    NoAgent::Unchecked(why) => {
                        if self.render {
                            self.renderer
                                .unchecked(&mut self.out, &name, &format!("{place}: {why}"))?;
                        }
                        self.out.flush()?;
                        eprint("error", format_args!("{place}: {why}"));
                        unchecked = true;
                    }
                    NoAgent::Unanswered(note) => eprint("note", format_args!("{place}: {note}")),
                }
            }
            // One input with several sheets unchecked is one input.
            self.tally.no_agent += usize::from(unchecked);
        }
        Ok(())
    }

    /// Adds what a piece of the input `name` tells of its senders.
    fn sum_roles(&mut self, name: &str, roles: Option<&RoleSummary>) {
        if let Some(roles) = roles {
            match &mut self.roles {
                Some((_, summed)) => summed.merge(roles),
                None => self.roles = Some((name.to_owned(), roles.clone())),
            }
        }
    }

    fn consume(&mut self, done: Done) -> io::Result<()> {
        if self.roles.as_ref().is_some_and(|(name, _)| name != done.name()) {
            self.end_roles()?;
        }
        match done {
            Done::Failed { name, why } => {
                self.out.flush()?;
                eprint("error", format_args!("{name}: {why}"));
                // Its senders were read only up to the failure: what they tell is no verdict.
                if self.roles.as_ref().is_some_and(|(read, _)| *read == name) {
                    self.roles = None;
                }
                // One input whose pieces fail one after another is one input not read.
                if self.failed.as_ref() != Some(&name) {
                    self.tally.unreadable += 1;
                }
                self.failed = Some(name);
            }
            Done::Skipped { name, why } => {
                eprint("note", format_args!("{name}: {why}"));
                self.tally.skipped += 1;
            }
            Done::Note { name, note } => eprint("note", format_args!("{name}: {note}")),
            Done::NotFixed { name, why } => {
                self.out.flush()?;
                eprint("error", format_args!("{name}: {why}"));
                self.tally.unwritten += 1;
            }
            Done::Started { name, note } => {
                if let Some(note) = note {
                    eprint("note", format_args!("{name}: {note}"));
                }
                self.failed = None;
            }
            Done::Fixed {
                name,
                applied,
                replies,
                diff,
                error,
                rows,
                roles,
            } => {
                self.sum_roles(&name, roles.as_ref());
                // An input being fixed is read whole, without a `Started`.
                self.failed = None;
                if let Some(diff) = diff {
                    self.out.write_all(visible_lines(&diff).as_bytes())?;
                }
                if let Some(e) = error {
                    self.out.flush()?;
                    eprint("error", format_args!("{name}: {e}"));
                    self.tally.unwritten += 1;
                }
                if !rows.is_empty() {
                    // Counted as fixed once `--output` is written.
                    self.workbooks.rows.extend(rows);
                    self.workbooks.applied += applied;
                    self.workbooks.replies += replies;
                    self.workbooks.inputs += 1;
                } else if applied > 0 {
                    self.tally.fixed += applied;
                    self.tally.fixed_replies += replies;
                    self.tally.fixed_inputs += 1;
                }
            }
            // Only `kefu-lint report` asks for whole conversations.
            Done::Conversation(_) => {}
            Done::Checked { doc, findings, replies } => {
                self.sum_roles(&doc.name, doc.roles.as_ref());
                for (key, note) in &doc.notes {
                    if self.noted.insert((doc.name.clone(), key.clone())) {
                        eprint("note", format_args!("{}: {note}", doc.name));
                    }
                }
                for problem in &doc.problems {
                    self.out.flush()?;
                    let place = at_sheet(&doc.name, problem.sheet.as_deref());
                    eprint("error", format_args!("{place}:{}: {}", problem.line, problem.kind));
                }
                // A row with two problems (bad bytes, and the field they cost) is one row.
                let (sheets, rows): (Vec<_>, Vec<_>) = doc.problems.iter().partition(|p| p.kind.of_a_sheet());
                let rows: std::collections::BTreeSet<(Option<&str>, usize)> =
                    rows.iter().map(|p| (p.sheet.as_deref(), p.line)).collect();
                self.tally.bad_rows += rows.len();
                self.tally.bad_sheets += sheets.len();
                self.tally.replies += replies;
                let key = self.keys.key(&doc.name);
                let record_key = self.record_keys.as_ref().map(|k| k.key(&doc.name));
                for (record, findings) in doc.records.iter().zip(&findings) {
                    let mut columns = Columns::new(record, doc.format.reader().breaks_lines());
                    let mut prints = ReplyFingerprints::new(&key, &record.text);
                    let mut record_prints = record_key.as_deref().map(|k| ReplyFingerprints::new(k, &record.text));
                    for finding in findings {
                        let fp = if self.fingerprints {
                            prints.next(&finding.rule, &finding.matched)
                        } else {
                            0
                        };
                        if self.recording {
                            let recorded = record_prints
                                .as_mut()
                                .map_or(fp, |p| p.next(&finding.rule, &finding.matched));
                            self.recorded.push(baseline::Entry {
                                fingerprint: format!("{recorded:016x}"),
                                path: record_key.clone().unwrap_or_else(|| key.clone()),
                                rule: finding.rule.to_string(),
                                matched: finding.matched.clone(),
                            });
                        }
                        if self.baseline.as_mut().is_some_and(|b| b.covers(fp)) {
                            self.tally.in_baseline += 1;
                            continue;
                        }
                        self.tally.by_severity[finding.severity as usize] += 1;
                        self.tally.count_rule(finding);
                        self.tally.count_group(record, finding);
                        if self.render {
                            let (start, end) = columns.span(&finding.span);
                            let at = Located {
                                path: &doc.name,
                                file: doc.path.as_deref(),
                                record,
                                finding,
                                fingerprint: fp,
                                start,
                                end,
                            };
                            self.renderer.finding(&mut self.out, &at, self.base.rules())?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Reads a whole input, fixes it (`--fix` writes it; `--diff` keeps the
/// diff), and hands on its replies to be checked: fixed when the fixes were
/// written, else as they are on disk.
///
/// # Errors
/// Why a file too large to fix was not read (it can still be checked).
fn fix_job(
    path: &std::path::Path,
    options: &Options,
    linter: Arc<kefu_lint::Linter>,
    fix: &FixArgs,
) -> Result<Vec<Job>, String> {
    let (name, is_stdin, format) = read::identify(path, options);
    if !fix.diff && !is_stdin {
        // A killed --fix left its temporary file beside the file it fixed:
        // removed even if this file is then refused (too large, unreadable).
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        crate::write::sweep(dir.unwrap_or(std::path::Path::new(".")));
    }
    let whole = match whole::read_whole(path, fix.max_size) {
        Ok(whole) => whole,
        Err(whole::NotRead::TooLarge(why)) => return Err(why),
        Err(whole::NotRead::Other(why)) => return Ok(vec![Job::Done(Done::Failed { name, why })]),
    };
    let file = (!is_stdin).then(|| path.to_owned());
    let mut doc = match read::read_bytes(name.clone(), file, whole.bytes, format, options) {
        Ok(doc) => doc,
        // The note check says before the error (the encoding detected), here too.
        Err(e) => return Ok(pipeline::failed(name, e).into_iter().map(Job::Done).collect()),
    };
    // Said here, the same in --fix and --diff (whose replies are not checked).
    let reader_notes = std::mem::take(&mut doc.notes).into_iter().map(|(_, note)| note);
    for note in doc
        .decoded
        .as_ref()
        .and_then(|d| d.note.clone())
        .into_iter()
        .chain(reader_notes)
    {
        eprint("note", format_args!("{}: {note}", doc.name));
    }
    let mut outcome = fix::fix_document(&doc, &linter, fix.up_to);
    let (applied, replies) = (outcome.applied, outcome.fixed.len());
    let mut diff = None;
    let mut rows = Vec::new();
    // A reply whose fix cannot be spliced in (JSON escapes, a CSV field not
    // as the csv crate reads it, a line break in a line of text) is a fix
    // not written, like any other; the file's other fixes are.
    let unspliced = outcome.unwritten();
    let mut written = Ok(());
    if outcome.applied > 0 {
        let in_place = doc.format.reader().fixes_in_place();
        let preview = match (&outcome.new_text, &doc.decoded) {
            _ if !fix.diff => None,
            (Some(new), Some(decoded)) if in_place => Some(fix::preview(&doc, decoded, new)),
            _ if !in_place => Some(fix::cell_diff(&doc, &outcome.fixed)),
            _ => None,
        };
        written = match preview {
            Some(preview) => {
                if let Some(note) = preview.note {
                    eprint("note", format_args!("{}: {note}", doc.name));
                }
                diff = Some(preview.diff);
                preview.writable
            }
            None if fix.diff => Ok(()),
            None if !in_place && fix.output => {
                rows = output::rows(&doc, &outcome.fixed);
                Ok(())
            }
            None if !in_place => {
                Err("workbooks are never overwritten; give --output FILE.csv for the fixed replies".into())
            }
            None => match &outcome.new_text {
                Some(new) => fix::write_document(&doc, new, whole.snapshot),
                None => Ok(()),
            },
        };
    }
    // A workbook stays as it was; a text input is as fixed only if written.
    if written.is_ok() && !fix.diff && doc.format.reader().fixes_in_place() {
        outcome.apply_to(&mut doc);
    }
    // Checking needs only the replies: free the file's bytes and texts first.
    drop(outcome);
    doc.original = Vec::new();
    let encoding = doc.decoded.take().map(|d| d.encoding.encoding);
    // What --diff shows counts, written or not; what --fix could not write does not.
    let shown = written.is_ok() || fix.diff;
    let fixed = Done::Fixed {
        name,
        applied: if shown { applied } else { 0 },
        replies: if shown { replies } else { 0 },
        diff,
        error: written.err().or(unspliced),
        rows,
        // --diff checks no reply: what the input tells of its senders comes here.
        roles: if fix.diff { doc.roles.clone() } else { None },
    };
    // Checked in slices, the first carrying what fixing did.
    let mut fixed = Some(fixed);
    Ok(pipeline::slices(doc)
        .map(|part| Job::Whole {
            fixed: fixed.take(),
            doc: Box::new(part),
            linter: linter.clone(),
            check: !fix.diff,
            encoding,
        })
        .collect())
}

/// The input `name`, with its workbook sheet if any (`book.xlsx[Sheet1]`, as findings name it).
pub fn at_sheet(name: &str, sheet: Option<&str>) -> String {
    match sheet {
        Some(sheet) => format!("{name}[{sheet}]"),
        None => name.to_owned(),
    }
}
