//! The `kefu-lint` command line: input readers (text, CSV/TSV, JSON Lines, JSON,
//! Excel, with encoding detection), configuration, renderers (miette, JSON,
//! SARIF, GitHub), baselines and fixes. The binary is a thin `main` over
//! [`run`]; the modules are public so benchmarks and fuzz targets can drive
//! the readers directly.

mod args;
mod baseline;
mod catalogue;
mod check;
pub mod config;
mod eval;
pub mod fix;
mod output;
mod pipeline;
pub mod read;
pub mod render;
mod walk;
mod whole;
mod write;

use std::io;
use std::process::ExitCode;

use clap::Parser;
use kefu_lint::Linter;

use crate::args::{Cli, Command, EvalArgs};

/// Parses the command line and runs the command; returns the exit status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => match check::run(*args) {
            Ok(code) => code,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: writing output: {e}");
                ExitCode::from(2)
            }
        },
        Command::Eval(args) => evaluate(&args),
        Command::Init => init(),
        Command::Rules { markdown } => {
            let rules = all_rules();
            print!(
                "{}",
                if markdown {
                    catalogue::markdown(&rules)
                } else {
                    catalogue::table(&rules)
                }
            );
            ExitCode::SUCCESS
        }
        Command::Explain { rule } => match catalogue::find(&all_rules(), &rule) {
            Some(found) => {
                print!("{}", catalogue::explain(found));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no rule {rule:?}; `kefu-lint rules` lists them");
                ExitCode::from(2)
            }
        },
    }
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

/// `kefu-lint init`: writes the starter configuration unless one exists.
fn init() -> ExitCode {
    let path = std::path::Path::new(config::FILE_NAME);
    if path.exists() {
        eprintln!("error: {} already exists; not overwritten", path.display());
        return ExitCode::from(2);
    }
    match write::write_atomically(path, config::STARTER.as_bytes()) {
        Ok(()) => {
            eprintln!("Wrote {}.", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// Prints an error with its source snippet (miette), to standard error.
fn report_error(error: &dyn miette::Diagnostic) {
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
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
        Ok(()) => eprint!("{text}"),
        Err(_) => eprintln!("error: {error}"),
    }
}

/// Every built-in rule, in pack order.
fn all_rules() -> Vec<kefu_lint::Rule> {
    kefu_lint::load_packs(kefu_lint::BUILTIN).expect("built-in rule packs are valid")
}
