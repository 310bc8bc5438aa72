//! The `kefu-lint` command: checks customer-service replies from files or
//! standard input and reports findings as diagnostics, concise lines or JSON.

mod args;
mod eval;
mod input;
mod render;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kefu_lint::{Linter, Severity};

use crate::args::{CheckArgs, Cli, Command, EvalArgs};
use crate::render::{Located, Renderer};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => match check(args) {
            Ok(code) => code,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: writing output: {e}");
                ExitCode::from(2)
            }
        },
        Command::Eval(args) => evaluate(&args),
    }
}

/// `kefu-lint eval`: prints the scores; 1 when a script misses the targets, 2 on bad input.
fn evaluate(args: &EvalArgs) -> ExitCode {
    let name = args.path.display();
    let scored = std::fs::read_to_string(&args.path)
        .map_err(|e| e.to_string())
        .and_then(|text| eval::parse(&text))
        .and_then(|cases| eval::score(&Linter::builtin(), &cases));
    let report = match scored {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return ExitCode::from(2);
        }
    };
    print!("{}", report.render());
    let below = report.below(args.min_precision, args.min_recall);
    if below.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "below target (precision >= {}, recall >= {}): {}",
            args.min_precision,
            args.min_recall,
            below.join("; ")
        );
        ExitCode::from(1)
    }
}

/// Counts for the closing summary.
#[derive(Default)]
struct Tally {
    replies: usize,
    inputs: usize,
    unreadable: usize,
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

fn check(args: CheckArgs) -> io::Result<ExitCode> {
    let linter = Linter::builtin();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut renderer = Renderer::new(args.format);
    let mut tally = Tally::default();
    renderer.begin(&mut out)?;
    for path in &paths {
        let input = match input::read(path) {
            Ok(input) => input,
            Err(e) => {
                out.flush()?;
                eprintln!("error: {e}");
                tally.unreadable += 1;
                continue;
            }
        };
        tally.inputs += 1;
        for reply in &input.replies {
            tally.replies += 1;
            for finding in &linter.check(&reply.text) {
                tally.by_severity[finding.severity as usize] += 1;
                renderer.finding(
                    &mut out,
                    &Located {
                        path: &input.name,
                        reply,
                        finding,
                    },
                )?;
            }
        }
    }
    renderer.end(&mut out)?;
    out.flush()?;
    eprintln!("{}", tally.summary());
    let code = if tally.unreadable > 0 {
        2
    } else if tally.worst().is_some_and(|w| w >= Severity::from(args.fail_on)) {
        1
    } else {
        0
    };
    Ok(ExitCode::from(code))
}
