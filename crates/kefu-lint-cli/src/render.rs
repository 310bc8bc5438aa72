//! Output renderers: human (miette), concise and JSON.

use std::fmt;
use std::io::{self, IsTerminal, Write};

use kefu_lint::{Finding, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;

use crate::args::Format;
use crate::read::Record;

/// A finding with the input and reply it was found in.
pub struct Located<'a> {
    /// Input name (path or `<stdin>`).
    pub path: &'a str,
    /// The reply and its position.
    pub record: &'a Record,
    /// The finding.
    pub finding: &'a Finding,
}

impl Located<'_> {
    /// The input name, with the sheet of a workbook: `book.xlsx[Sheet1]`.
    fn place(&self) -> String {
        match &self.record.sheet {
            Some(sheet) => format!("{}[{sheet}]", self.path),
            None => self.path.to_owned(),
        }
    }

    /// 1-based column of the finding's start, in characters.
    fn column(&self) -> usize {
        self.record.text[..self.finding.span.start].chars().count() + 1
    }
}

/// Writes findings in one output format.
pub enum Renderer {
    /// miette diagnostics.
    Human(Box<GraphicalReportHandler>),
    /// `path:line:col: severity RULE message`.
    Concise,
    /// A JSON array, one finding per line; `written` counts the findings so far.
    Json {
        /// Findings written so far.
        written: usize,
    },
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
        }
    }

    /// Writes what comes before the first finding.
    pub fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Renderer::Json { .. } => out.write_all(b"["),
            _ => Ok(()),
        }
    }

    /// Writes one finding.
    pub fn finding(&mut self, out: &mut dyn Write, at: &Located<'_>) -> io::Result<()> {
        match self {
            Renderer::Human(handler) => {
                let mut text = String::new();
                handler
                    .render_report(&mut text, &HumanFinding(at))
                    .map_err(|_| io::Error::other("formatting a diagnostic failed"))?;
                writeln!(out, "{text}")
            }
            Renderer::Concise => {
                let f = at.finding;
                writeln!(
                    out,
                    "{}:{}:{}: {} {} {}",
                    at.place(),
                    at.record.line,
                    at.column(),
                    f.severity,
                    f.rule,
                    f.message
                )
            }
            Renderer::Json { written } => {
                out.write_all(if *written == 0 { b"\n" } else { b",\n" })?;
                *written += 1;
                serde_json::to_writer(&mut *out, &JsonFinding::from(at)).map_err(io::Error::other)
            }
        }
    }

    /// Writes what comes after the last finding.
    pub fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Renderer::Json { written: 0 } => out.write_all(b"]\n"),
            Renderer::Json { .. } => out.write_all(b"\n]\n"),
            _ => Ok(()),
        }
    }
}

/// A finding as a miette diagnostic.
struct HumanFinding<'a, 'b>(&'a Located<'b>);

impl fmt::Debug for HumanFinding<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HumanFinding").field(&self.0.finding.rule).finish()
    }
}

impl fmt::Display for HumanFinding<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.finding.message)
    }
}

impl std::error::Error for HumanFinding<'_, '_> {}

impl Diagnostic for HumanFinding<'_, '_> {
    fn code<'s>(&'s self) -> Option<Box<dyn fmt::Display + 's>> {
        let f = self.0.finding;
        Some(Box::new(format!("{}({})", f.rule, f.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'s>(&'s self) -> Option<Box<dyn fmt::Display + 's>> {
        let f = self.0.finding;
        let mut help = Vec::new();
        if !f.suggestions.is_empty() {
            help.push(format!("建议: {}", f.suggestions.join(" / ")));
        }
        if let Some(fix) = &f.fix {
            let edits: Vec<_> = fix
                .edits
                .iter()
                .map(|e| format!("{} → {}", f.matched, e.replacement))
                .collect();
            help.push(format!("fix ({}): {}", fix.applicability.as_str(), edits.join(", ")));
        }
        (!help.is_empty()).then(|| Box::new(help.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.0.finding;
        let span = SourceSpan::from(f.span.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(f.name.to_string()),
            span,
        ))))
    }
}

/// The reply as miette source, numbered with its line in the input.
impl SourceCode for HumanFinding<'_, '_> {
    fn read_span<'s>(
        &'s self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'s> + 's>, MietteError> {
        let text = self.0.record.text.as_str();
        let inner = text.read_span(span, before, after)?;
        let column = text.get(..span.offset()).map_or(0, |t| t.chars().count());
        Ok(Box::new(LineShifted {
            inner,
            name: self.0.place(),
            shift: self.0.record.line - 1,
            column,
        }))
    }
}

/// Span contents whose line numbers are moved down by `shift`, with the
/// column counted in characters.
struct LineShifted<'s> {
    inner: Box<dyn SpanContents<'s> + 's>,
    name: String,
    shift: usize,
    column: usize,
}

impl<'s> SpanContents<'s> for LineShifted<'s> {
    fn data(&self) -> &'s [u8] {
        self.inner.data()
    }
    fn span(&self) -> &SourceSpan {
        self.inner.span()
    }
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn line(&self) -> usize {
        self.inner.line() + self.shift
    }
    fn column(&self) -> usize {
        self.column
    }
    fn line_count(&self) -> usize {
        self.inner.line_count()
    }
}

/// The JSON shape of a finding.
#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    line: usize,
    column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    column_name: Option<&'a str>,
    rule: &'a str,
    name: &'a str,
    category: &'a str,
    severity: Severity,
    message: &'a str,
    start: usize,
    end: usize,
    matched: &'a str,
    suggestions: &'a [String],
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    context: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    replacement: &'a str,
}

impl<'a> From<&'a Located<'a>> for JsonFinding<'a> {
    fn from(at: &'a Located<'a>) -> Self {
        let f = at.finding;
        JsonFinding {
            path: at.path,
            sheet: at.record.sheet.as_deref(),
            line: at.record.line,
            column: at.column(),
            column_name: at.record.column.as_deref(),
            rule: &f.rule,
            name: &f.name,
            category: &f.category,
            severity: f.severity,
            message: &f.message,
            start: f.span.start,
            end: f.span.end,
            matched: &f.matched,
            suggestions: &f.suggestions,
            fix: f.fix.as_ref().map(|fix| JsonFix {
                applicability: fix.applicability.as_str(),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start: e.range.start,
                        end: e.range.end,
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
            context: at
                .record
                .context
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect(),
        }
    }
}
