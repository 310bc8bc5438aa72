//! `kefu-lint report`: chat logs checked as conversations (as `check
//! --sessions` does) and summed up in one self-contained HTML page for a QA
//! lead: totals, findings per rule and per agent, response times against
//! the thresholds, data problems, and the worst sessions to expand.
//!
//! The page is written whole or not at all (a temporary file renamed over
//! the target). Bad records and unreadable inputs are said on standard
//! error, as `check` says them, counted and listed in the report; the exit
//! status is then 2, and the report is still written, unless no session at
//! all was read (then an earlier page is left as it was).

mod chart;
mod html;
mod tally;

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::args::{ReportArgs, usage_error_of};
use crate::check::{at_sheet, count};
use crate::console::say;
use crate::output;
use crate::pipeline::{self, Done, Job};
use crate::render::visible::{eprint, path_name, visible};
use crate::session;
use crate::setup::Setup;
use crate::status::Status;
use crate::write::write_atomically;

use self::tally::Tally;

/// Runs the report; exit status 0 when every input was read and the page
/// written, else 2.
pub fn run(args: ReportArgs) -> io::Result<ExitCode> {
    let mut setup = match Setup::new(&args.input, &args.rules, true, |message| {
        usage_error_of::<ReportArgs>("kefu-lint report", message)
    }) {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    if let Err(why) = output_place(&args.output, &setup.files) {
        eprint("error", format_args!("-o {}: {why}", visible(&path_name(&args.output))));
        return Ok(ExitCode::from(Status::Error));
    }
    let sessions = setup.sessions(&args.input, &args.session, true);
    let titles = html::Titles::new(
        (setup.base.rules().iter().map(|r| (&*r.id, r.title.as_str())))
            .chain(sessions.checker.rules().iter().map(|r| (&*r.id, r.title.as_str()))),
    );
    let zone = sessions.zone.clone();
    let keep = usize::try_from(args.worst).unwrap_or(usize::MAX);
    let mut tally = Tally::new(keep, sessions.checker.thresholds());
    tally.inputs = setup.files.len() + setup.walk_errors.len();
    for error in &setup.walk_errors {
        eprint("error", format_args!("{error}"));
        tally.unreadable += 1;
    }
    let inputs: Vec<String> = setup.files.iter().map(|p| path_name(p)).collect();
    let threads = args.input.threads.unwrap_or_else(pipeline::default_threads);
    let produce = move |send: &mut dyn FnMut(Job) -> bool| {
        setup.for_each_input(send, |path, options, linter, send| {
            session::produce(path, options, &sessions, linter, send)
        });
    };
    let mut failed: Option<String> = None;
    pipeline::run(threads, produce, |done| {
        consume(done, &mut tally, &mut failed);
        Ok(())
    })?;
    if tally.sessions == 0 {
        eprint(
            "error",
            format_args!(
                "no session was read from the inputs: the report {} is not written (an earlier one is left as it was)",
                visible(&path_name(&args.output))
            ),
        );
        return Ok(ExitCode::from(Status::Error));
    }
    let worst = tally.worst();
    let about = html::About {
        inputs: &inputs,
        made: jiff::Timestamp::now().to_zoned_datetime(zone.clone()),
        zone: &zone,
        titles: &titles,
    };
    let page = html::page(&tally, &worst, &about).into_string();
    if let Err(e) = write_atomically(&args.output, page.as_bytes()) {
        eprint(
            "error",
            format_args!("writing the report {}: {e}", visible(&path_name(&args.output))),
        );
        return Ok(ExitCode::from(Status::Error));
    }
    say!(
        "Wrote the report of {} to {}: {} in {} of them.",
        count(tally.sessions, "session"),
        visible(&path_name(&args.output)),
        count(tally.by_severity.iter().sum(), "finding"),
        tally.sessions_with_findings,
    );
    let bad = tally.unreadable + tally.problem_count;
    Ok(ExitCode::from(if bad > 0 { Status::Error } else { Status::Success }))
}

/// Why the page cannot go to `output`, checked before anything is read:
/// standard output, a directory (or a name ending in `/`), something other
/// than a regular file (`/dev/null`), a link to nothing, a directory that
/// does not exist, or one of the `inputs`.
fn output_place(output: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let text = output.as_os_str().as_encoded_bytes();
    if text == b"-" {
        return Err("the report is a file, not standard output; name one, such as qa.html".into());
    }
    let meta = std::fs::metadata(output);
    if meta.as_ref().is_ok_and(std::fs::Metadata::is_dir) || text.ends_with(b"/") {
        return Err("is a directory; name the report's file, such as qa.html".into());
    }
    if meta.as_ref().is_ok_and(|m| !m.is_file()) {
        return Err("is not a regular file (a device, a pipe); name the report's file, such as qa.html".into());
    }
    if meta.is_err() && std::fs::symlink_metadata(output).is_ok() {
        return Err("is a symbolic link to nothing; name the report's file, such as qa.html".into());
    }
    let dir = output.parent().filter(|d| !d.as_os_str().is_empty());
    if dir.is_some_and(|d| !d.is_dir()) {
        return Err("no such directory".into());
    }
    match std::fs::metadata(output)
        .ok()
        .and_then(|m| output::same_file(&m, inputs))
    {
        Some(input) => Err(format!(
            "is the input {}; give another file",
            visible(&path_name(input))
        )),
        None => Ok(()),
    }
}

/// Counts one result, saying on standard error what could not be read.
/// `failed`: the input whose failure was the last thing consumed, so an
/// input whose pieces fail one after another counts once.
fn consume(done: Done, tally: &mut Tally, failed: &mut Option<String>) {
    match done {
        Done::Failed { name, why } => {
            eprint("error", format_args!("{name}: {why}"));
            if failed.as_ref() != Some(&name) {
                tally.unreadable += 1;
            }
            tally.problem(format!("{name}: {why}"));
            *failed = Some(name);
        }
        Done::Skipped { name, why } | Done::Note { name, note: why } => {
            eprint("note", format_args!("{name}: {why}"));
            tally.note(format!("{name}: {why}"));
        }
        Done::Started { name, note } => {
            if let Some(note) = note {
                eprint("note", format_args!("{name}: {note}"));
                tally.note(format!("{name}: {note}"));
            }
            *failed = None;
        }
        Done::Conversation(conversation) => tally.add(conversation),
        Done::Checked { doc, .. } => {
            for problem in &doc.problems {
                let text = format!(
                    "{}:{}: {}",
                    at_sheet(&doc.name, problem.sheet.as_deref()),
                    problem.line,
                    problem.kind
                );
                eprint("error", format_args!("{text}"));
                tally.problem(text);
            }
        }
        // Reports never fix.
        Done::NotFixed { .. } | Done::Fixed { .. } => {}
    }
}
