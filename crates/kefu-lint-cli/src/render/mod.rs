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
use std::path::Path;

pub use kefu_lint::catalogue::{source_label, suggestions_label};
use kefu_lint::{Finding, Rule, Script};
use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::read::{Record, lines};

pub use self::json::JsonFinding;
use self::visible::visible;
pub use crate::args::Format;

/// A finding with the input and reply it was found in.
pub struct Located<'a> {
    /// Input name as shown (path or `<stdin>`, see [`visible::path_name`]).
    pub path: &'a str,
    /// The input file, for its exact name in URIs (`None` for standard input).
    pub file: Option<&'a Path>,
    /// The reply and its position.
    pub record: &'a Record,
    /// The finding.
    pub finding: &'a Finding,
    /// Identifies the finding across runs (see `baseline`).
    pub fingerprint: u64,
    /// Where the finding starts (from [`Columns`]).
    pub start: Position,
    /// Where it ends: the position just past its last character.
    pub end: Position,
}

impl Located<'_> {
    /// The input name, with the sheet of a workbook: `book.xlsx[Sheet1]`.
    fn place(&self) -> String {
        match &self.record.sheet {
            Some(sheet) => format!("{}[{sheet}]", self.path),
            None => self.path.to_owned(),
        }
    }

    /// ` (reply col N)`, the finding's column within its reply, when the
    /// reply is a part of its line (a table's cell, a JSON string) rather
    /// than the whole line; else nothing.
    fn reply_column(&self) -> String {
        if self.record.column.is_some() || self.record.column_offset > 0 {
            format!(" (reply col {})", self.start.reply_column)
        } else {
            String::new()
        }
    }
}

/// A place in the input: 1-based line, and 1-based column in characters
/// from the start of that line; and the same place in the reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line of the input.
    pub line: usize,
    /// 1-based column of the input's line, in characters (Unicode scalar values).
    pub column: usize,
    /// 1-based column within the reply (the cell, or the decoded JSON
    /// string), in characters from the reply's start, its line ends
    /// counted as characters: where the finding is in the text a user
    /// edits, whatever stands before the reply on its line.
    pub reply_column: usize,
}

impl Position {
    /// The position after `text` that starts here; its line ends (`\n`,
    /// `\r\n`, a lone `\r`) start new lines when `breaks`, otherwise they
    /// count as one character each.
    fn after(self, text: &str, breaks: bool) -> Position {
        let chars = text.chars().count();
        match lines::last_end(text, 0, true).filter(|_| breaks) {
            Some(last) => Position {
                line: self.line + lines::count(text),
                column: text[last..].chars().count() + 1,
                reply_column: self.reply_column + chars,
            },
            None => Position {
                line: self.line,
                column: self.column + chars,
                reply_column: self.reply_column + chars,
            },
        }
    }
}

/// The positions of successive findings in one reply. Each count goes on
/// from the previous offset, so the positions of a reply's findings, in
/// order of their start, take time in the reply's length, not its length
/// times their number.
///
/// A table's reply that spans lines (a quoted field) is counted on the
/// input's lines: a finding on its third line is on the field's line + 2,
/// its column counted from the start of that line. Elsewhere (JSON Lines,
/// where a line end is the escape `\n`, and workbook cells) the line is the
/// reply's and the column counts every character of the reply before the
/// finding.
pub struct Columns<'a> {
    record: &'a Record,
    /// Whether the reply's line ends are the input's.
    breaks: bool,
    /// Byte offset of the reply counted up to, and its position.
    byte: usize,
    at: Position,
}

impl<'a> Columns<'a> {
    /// Positions in `record`'s reply; `breaks` when its line ends are line
    /// ends of the input (tables), not escapes (JSON Lines) or inside a cell.
    pub fn new(record: &'a Record, breaks: bool) -> Self {
        let start = Position {
            line: record.line,
            column: record.column_offset + 1,
            reply_column: 1,
        };
        Columns {
            record,
            breaks,
            byte: 0,
            at: start,
        }
    }

    /// The characters the file writes for the reply's escapes before its
    /// byte offset `at`, beyond one each (see [`Record::escapes`]): a JSON
    /// string's `\u4f60` is one character of the reply and six of the file.
    fn escaped_before(&self, at: usize) -> usize {
        let escapes = &self.record.escapes;
        match escapes.partition_point(|&(offset, _)| offset < at) {
            0 => 0,
            n => escapes[n - 1].1,
        }
    }

    /// The position of the byte offset `at` of the reply (a character
    /// boundary); its `column` counts the file's characters, escapes as written.
    pub fn at(&mut self, at: usize) -> Position {
        let mut position = self.counted(at);
        position.column += self.escaped_before(at);
        position
    }

    /// The position of the byte offset `at` of the reply, counting its
    /// decoded characters only.
    fn counted(&mut self, at: usize) -> Position {
        if at < self.byte {
            *self = Columns::new(self.record, self.breaks);
        }
        if let Some(between) = self.record.text.get(self.byte..at) {
            // The `\n` of a `\r\n` whose `\r` was counted already.
            let text = self.record.text.as_str();
            let between = match between.strip_prefix('\n') {
                Some(rest) if self.breaks && self.byte > 0 && text.as_bytes()[self.byte - 1] == b'\r' => {
                    // Counted in the reply all the same.
                    self.at.reply_column += 1;
                    rest
                }
                _ => between,
            };
            self.at = self.at.after(between, self.breaks);
            self.byte = at;
        }
        self.at
    }

    /// The start and end (just past the last character) of the byte range
    /// `span` of the reply; the end takes time in the span's length.
    pub fn span(&mut self, span: &std::ops::Range<usize>) -> (Position, Position) {
        let start = self.at(span.start);
        let mut end = self
            .record
            .text
            .get(span.clone())
            .map_or(start, |m| start.after(m, self.breaks));
        // A JSON string is on one line of the file: its escapes stay on it.
        end.column += self.escaped_before(span.end) - self.escaped_before(span.start);
        (start, end)
    }
}

/// Writes findings in one output format.
pub enum Renderer {
    /// miette diagnostics.
    Human(Box<GraphicalReportHandler>),
    /// `path:line:col: severity RULE message`, with ` (reply col N)`
    /// after the rule for a reply that is part of its line.
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
        /// The script of the rules' help.
        script: Script,
    },
    /// GitHub Actions workflow commands.
    Github,
}

impl Renderer {
    /// A renderer for `format`, the rules' help (SARIF) in Simplified; human
    /// output is coloured only on a terminal without `NO_COLOR`.
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
            Format::Sarif => Renderer::Sarif {
                written: 0,
                script: Script::default(),
            },
            Format::Github => Renderer::Github,
        }
    }

    /// This renderer, with the rules' help (SARIF) in `script`.
    #[must_use]
    pub fn in_script(mut self, script: Script) -> Self {
        if let Renderer::Sarif { script: help, .. } = &mut self {
            *help = script;
        }
        self
    }

    /// Writes what comes before the first finding.
    pub fn begin(&mut self, out: &mut dyn Write, rules: &[Rule]) -> io::Result<()> {
        match self {
            Renderer::Json { .. } => out.write_all(b"["),
            Renderer::Sarif { script, .. } => sarif::begin(out, rules, *script),
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
                    "{}:{}:{}: {} {}{} {}",
                    visible(&at.place()),
                    at.start.line,
                    at.start.column,
                    f.severity,
                    visible(&f.rule),
                    at.reply_column(),
                    visible(&f.message)
                )
            }
            Renderer::Json { written } => {
                out.write_all(if *written == 0 { b"\n" } else { b",\n" })?;
                *written += 1;
                write_json(out, &JsonFinding::from(at))
            }
            Renderer::Jsonl => {
                write_json(out, &JsonFinding::from(at))?;
                out.write_all(b"\n")
            }
            Renderer::Sarif { written, .. } => {
                out.write_all(if *written == 0 { b"\n" } else { b",\n" })?;
                *written += 1;
                sarif::result(out, at, rules)
            }
            Renderer::Github => github::command(out, at),
        }
    }

    /// Writes that the input `path` could not be checked, and `why`: an
    /// `::error` annotation for GitHub (which shows only what stdout
    /// annotates); nothing for other formats (stderr and the exit status say it).
    pub fn unchecked(&self, out: &mut dyn Write, path: &str, why: &str) -> io::Result<()> {
        match self {
            Renderer::Github => github::unchecked(out, path, why),
            _ => Ok(()),
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

/// Writes `value` as JSON in which what could act on a terminal or a CI log
/// is written as a `\uXXXX` escape, the same JSON data: every
/// [hidden](visible::is_hidden) character serde_json leaves as it is (DEL,
/// C1 controls, U+2028/U+2029, bidirectional controls), and every `[` that
/// follows `##` (the GitHub Actions runner's older `##[command]` form). Such
/// characters only ever stand inside strings (names, replies).
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let json = serde_json::to_string(value).map_err(io::Error::other)?;
    let mut from = 0;
    for (at, c) in json.char_indices() {
        if visible::is_hidden(c) || (c == '[' && json[..at].ends_with("##")) {
            out.write_all(&json.as_bytes()[from..at])?;
            for unit in c.encode_utf16(&mut [0; 2]) {
                write!(out, "\\u{unit:04x}")?;
            }
            from = at + c.len_utf8();
        }
    }
    out.write_all(&json.as_bytes()[from..])
}
