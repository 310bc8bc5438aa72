//! Human output: each finding as a miette diagnostic, over a bounded
//! [`Window`] of its reply rather than the whole reply.

use std::fmt;
use std::ops::Range;

use kefu_lint::{Edit, Severity};
use miette::{Diagnostic, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};

use super::Located;
use super::visible::visible;
use super::window::{Window, shorten};

/// A finding as a miette diagnostic.
pub struct HumanFinding<'a, 'b> {
    at: &'a Located<'b>,
    window: Window,
    name: String,
}

impl<'a, 'b> HumanFinding<'a, 'b> {
    /// The diagnostic for `at`, showing a window of its reply.
    pub fn new(at: &'a Located<'b>) -> Self {
        HumanFinding {
            at,
            window: Window::new(&at.record.text, at.finding.span.clone()),
            name: visible(&at.place()).into_owned(),
        }
    }
}

impl fmt::Debug for HumanFinding<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HumanFinding").field(&self.at.finding.rule).finish()
    }
}

impl fmt::Display for HumanFinding<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&visible(&self.at.finding.message))
    }
}

impl std::error::Error for HumanFinding<'_, '_> {}

impl Diagnostic for HumanFinding<'_, '_> {
    /// The severity as a word, the rule and its name, as rustc writes
    /// `error[E0308]`: `warning[KF005]: no-bargaining`, and where the finding
    /// is within its reply when the reply is a part of its line.
    fn code<'s>(&'s self) -> Option<Box<dyn fmt::Display + 's>> {
        let f = self.at.finding;
        let code = format!("{}[{}]: {}{}", f.severity, f.rule, f.name, self.at.reply_column());
        Some(Box::new(visible(&code).into_owned()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.at.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'s>(&'s self) -> Option<Box<dyn fmt::Display + 's>> {
        let f = self.at.finding;
        let mut help = Vec::new();
        if !f.suggestions.is_empty() {
            help.push(format!(
                "{}: {}",
                super::suggestions_label(f.script),
                visible(&f.suggestions.join(" / "))
            ));
        }
        if let Some(fix) = &f.fix {
            help.push(format!(
                "fix ({}): {}",
                fix.applicability.as_str(),
                fix_summary(&self.at.record.text, f.span.clone(), &fix.edits)
            ));
        }
        (!help.is_empty()).then(|| Box::new(help.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = SourceSpan::from(self.window.span.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(visible(&self.at.finding.name).into_owned()),
            span,
        ))))
    }
}

/// What a fix does to its match, in one bounded line: the match and the
/// match with the fix applied, each shortened as a window's match is
/// (`你你…你 → 您您…您`), and how many edits make it when there are several.
/// Takes time in the match's length, whatever the number of edits. Edits
/// outside the match (which a fix never makes) are only counted.
fn fix_summary(reply: &str, span: Range<usize>, edits: &[Edit]) -> String {
    let count = match edits.len() {
        1 => String::new(),
        n => format!(" ({n} edits)"),
    };
    let mut fixed = String::new();
    let mut at = span.start;
    for e in edits {
        let Some(kept) = reply.get(at..e.range.start).filter(|_| e.range.end <= span.end) else {
            return format!("{} edits", edits.len());
        };
        fixed.push_str(kept);
        fixed.push_str(&e.replacement);
        at = e.range.end;
    }
    let (Some(rest), Some(matched)) = (reply.get(at..span.end), reply.get(span)) else {
        return format!("{} edits", edits.len());
    };
    fixed.push_str(rest);
    format!("{} → {}{count}", visible(&shorten(matched)), visible(&shorten(&fixed)))
}

/// The window as miette source, numbered with the reply's line in the input
/// and the finding's column in the line.
impl SourceCode for HumanFinding<'_, '_> {
    fn read_span<'s>(
        &'s self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'s> + 's>, MietteError> {
        let inner = self.window.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(LineShifted {
            inner,
            name: &self.name,
            shift: self.at.start.line.saturating_sub(1),
            column: self.at.start.column.saturating_sub(1),
        }))
    }
}

/// Span contents whose line numbers are moved down by `shift`, with the
/// column counted in characters.
struct LineShifted<'s> {
    inner: Box<dyn SpanContents<'s> + 's>,
    name: &'s str,
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
        Some(self.name)
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
