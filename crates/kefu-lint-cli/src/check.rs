//! `kefu-lint check`: read the inputs, check every reply, render the findings.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kefu_lint::{Linter, Severity};

use crate::args::CheckArgs;
use crate::read::{self, Options, ReadError};
use crate::render::{Located, Renderer};
use crate::walk;

/// Counts for the closing summary.
#[derive(Default)]
struct Tally {
    replies: usize,
    inputs: usize,
    unreadable: usize,
    bad_rows: usize,
    by_severity: [usize; 3],
}

impl Tally {
    fn worst(&self) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|&s| self.by_severity[s as usize] > 0)
    }

    fn summary(&self) -> String {
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
        if self.bad_rows > 0 {
            line += &format!("; {} could not be read", count(self.bad_rows, "row"));
        }
        if self.unreadable > 0 {
            line += &format!("; {} could not be read", count(self.unreadable, "input"));
        }
        line + "."
    }
}

/// `n` and a noun, plural when `n != 1` (`reply` → `replies`).
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// Runs the check; the exit status is 0 (clean), 1 (findings at or above
/// `--fail-on`) or 2 (an input, or a row of one, could not be read).
pub fn run(args: CheckArgs) -> io::Result<ExitCode> {
    let linter = Linter::builtin();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    let (files, walk_errors) = walk::expand(&paths, &args.globs, args.input_format.is_some());
    let options = Options {
        format: args.input_format,
        column: args.column.clone(),
        field: args.field.clone(),
        role_field: args.role_field.clone(),
        agent_roles: args.agent_roles.clone(),
        sheet: args.sheet.clone(),
        encoding: args.encoding,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut renderer = Renderer::new(args.format);
    let mut tally = Tally::default();
    for error in &walk_errors {
        eprintln!("error: {error}");
        tally.unreadable += 1;
    }
    renderer.begin(&mut out)?;
    for path in &files {
        let doc = match read::read(path, &options) {
            Ok(doc) => doc,
            Err(ReadError::Skipped(why)) => {
                eprintln!("note: {}: {why}", path.display());
                continue;
            }
            Err(ReadError::Failed(why)) => {
                out.flush()?;
                eprintln!("error: {}: {why}", path.display());
                tally.unreadable += 1;
                continue;
            }
        };
        if let Some(note) = doc.decoded.as_ref().and_then(|d| d.note.as_ref()) {
            eprintln!("note: {}: {note}", doc.name);
        }
        for problem in &doc.problems {
            eprintln!("error: {}:{}: {}", doc.name, problem.line, problem.message);
        }
        tally.bad_rows += doc.problems.len();
        tally.inputs += 1;
        for record in &doc.records {
            tally.replies += 1;
            for finding in &linter.check(&record.text) {
                tally.by_severity[finding.severity as usize] += 1;
                renderer.finding(
                    &mut out,
                    &Located {
                        path: &doc.name,
                        record,
                        finding,
                    },
                )?;
            }
        }
    }
    renderer.end(&mut out)?;
    out.flush()?;
    eprintln!("{}", tally.summary());
    let code = if tally.unreadable + tally.bad_rows > 0 {
        2
    } else if tally.worst().is_some_and(|w| w >= Severity::from(args.fail_on)) {
        1
    } else {
        0
    };
    Ok(ExitCode::from(code))
}
