//! Human output: each finding as a miette diagnostic.

use std::fmt;

use kefu_lint::Severity;
use miette::{Diagnostic, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};

use super::Located;

/// A finding as a miette diagnostic.
pub struct HumanFinding<'a, 'b>(pub &'a Located<'b>);

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
        let column = self.0.record.column_offset + text.get(..span.offset()).map_or(0, |t| t.chars().count());
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
