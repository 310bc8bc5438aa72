//! Output renderers: human (miette), concise, JSON, JSON Lines, SARIF and
//! GitHub workflow commands. Whatever the input holds, each finding costs
//! time and output bounded by its own size (see [`window`]), and no
//! renderer writes a character of the input that would act on a terminal
//! or a log (see [`visible`]).

mod github;
mod human;
mod json;
mod sarif;
pub mod visible;
pub mod window;

use std::io::{self, IsTerminal, Write};

use kefu_lint::{Finding, Rule};
use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::read::Record;

pub use self::json::JsonFinding;
use self::visible::visible;
pub use crate::args::Format;

/// A finding with the input and reply it was found in.
pub struct Located<'a> {
    /// Input name (path or `<stdin>`).
    pub path: &'a str,
    /// The reply and its position.
    pub record: &'a Record,
    /// The finding.
    pub finding: &'a Finding,
    /// Identifies the finding across runs (see `baseline`).
    pub fingerprint: u64,
    /// 1-based column of the finding's start on its line, in characters
    /// (from [`Columns`]).
    pub column: usize,
}

impl Located<'_> {
    /// The input name, with the sheet of a workbook: `book.xlsx[Sheet1]`.
    fn place(&self) -> String {
        match &self.record.sheet {
            Some(sheet) => format!("{}[{sheet}]", self.path),
            None => self.path.to_owned(),
        }
    }

    /// 1-based column just past the finding's end, in characters.
    pub fn end_column(&self) -> usize {
        self.column + self.finding.matched.chars().count()
    }
}

/// The columns of successive findings in one reply. Each count goes on from
/// the previous offset, so the columns of a reply's findings, in order of
/// their start, take time in the reply's length, not its length times their
/// number.
pub struct Columns<'a> {
    record: &'a Record,
    /// Byte offset counted up to, and the characters before it.
    byte: usize,
    chars: usize,
}

impl<'a> Columns<'a> {
    /// Columns in `record`'s reply.
    pub fn new(record: &'a Record) -> Self {
        Columns {
            record,
            byte: 0,
            chars: 0,
        }
    }

    /// 1-based column of the byte offset `at` of the reply (a character
    /// boundary) on its line, in characters.
    pub fn at(&mut self, at: usize) -> usize {
        if at < self.byte {
            (self.byte, self.chars) = (0, 0);
        }
        if let Some(between) = self.record.text.get(self.byte..at) {
            self.chars += between.chars().count();
            self.byte = at;
        }
        self.record.column_offset + self.chars + 1
    }
}

/// Writes findings in one output format.
pub enum Renderer {
    /// miette diagnostics.
    Human(Box<GraphicalReportHandler>),
    /// `path:line:col: severity RULE message`.
    Concise,
    /// A JSON array, one finding per line.
    Json {
        /// Findings written so far.
        written: usize,
    },
    /// One JSON object per line.
    Jsonl,
    /// A SARIF 2.1.0 log.
    Sarif {
        /// Findings written so far.
        written: usize,
    },
    /// GitHub Actions workflow commands.
    Github,
}

impl Renderer {
    /// A renderer for `format`; human output is coloured only on a terminal without `NO_COLOR`.
    pub fn new(format: Format) -> Self {
        match format {
            Format::Human => {
                let colour = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                let theme = if colour {
                    GraphicalTheme::unicode()
                } else {
                    GraphicalTheme::unicode_nocolor()
                };
                Renderer::Human(Box::new(GraphicalReportHandler::new_themed(theme).with_width(100)))
            }
            Format::Concise => Renderer::Concise,
            Format::Json => Renderer::Json { written: 0 },
            Format::Jsonl => Renderer::Jsonl,
            Format::Sarif => Renderer::Sarif { written: 0 },
            Format::Github => Renderer::Github,
        }
    }

    /// Writes what comes before the first finding.
    pub fn begin(&mut self, out: &mut dyn Write, rules: &[Rule]) -> io::Result<()> {
        match self {
            Renderer::Json { .. } => out.write_all(b"["),
            Renderer::Sarif { .. } => sarif::begin(out, rules),
            _ => Ok(()),
        }
    }

    /// Writes one finding.
    pub fn finding(&mut self, out: &mut dyn Write, at: &Located<'_>, rules: &[Rule]) -> io::Result<()> {
        match self {
            Renderer::Human(handler) => {
                let mut text = String::new();
                handler
                    .render_report(&mut text, &human::HumanFinding::new(at))
                    .map_err(|_| io::Error::other("formatting a diagnostic failed"))?;
                writeln!(out, "{text}")
            }
            Renderer::Concise => {
                let f = at.finding;
                writeln!(
                    out,
                    "{}:{}:{}: {} {} {}",
                    visible(&at.place()),
                    at.record.line,
                    at.column,
                    f.severity,
                    visible(&f.rule),
                    visible(&f.message)
                )
            }
            Renderer::Json { written } => {
                out.write_all(if *written == 0 { b"\n" } else { b",\n" })?;
                *written += 1;
                serde_json::to_writer(&mut *out, &JsonFinding::from(at)).map_err(io::Error::other)
            }
            Renderer::Jsonl => {
                serde_json::to_writer(&mut *out, &JsonFinding::from(at)).map_err(io::Error::other)?;
                out.write_all(b"\n")
            }
            Renderer::Sarif { written } => {
                out.write_all(if *written == 0 { b"\n" } else { b",\n" })?;
                *written += 1;
                sarif::result(out, at, rules)
            }
            Renderer::Github => github::command(out, at),
        }
    }

    /// Writes what comes after the last finding.
    pub fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Renderer::Json { written: 0 } => out.write_all(b"]\n"),
            Renderer::Json { .. } => out.write_all(b"\n]\n"),
            Renderer::Sarif { .. } => out.write_all(b"\n]}]}\n"),
            _ => Ok(()),
        }
    }
}
