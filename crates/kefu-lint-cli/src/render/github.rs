//! GitHub Actions workflow commands: `::error file=…,line=…::message`.

use std::io::{self, Write};

use kefu_lint::Severity;

use super::Located;
use super::visible::{push_visible, without_legacy_commands};
use super::window::cut;

/// Writes one annotation.
pub fn command(out: &mut dyn Write, at: &Located<'_>) -> io::Result<()> {
    let f = at.finding;
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    // `col` and `endColumn` are on one line; a match that goes on to a later
    // line names it with `endLine` (GitHub reads columns then as a range
    // of lines and columns).
    let end = match at.end.line {
        line if line == at.start.line => String::new(),
        line => format!("endLine={line},"),
    };
    // A workbook's annotation points at the file: its sheet and column go
    // into the title, so rows of different sheets stay apart.
    let title = match (&at.record.sheet, &at.record.column) {
        (Some(sheet), Some(column)) => format!("{} {} ({} / {})", f.rule, f.name, cut(sheet, 40), cut(column, 40)),
        (Some(sheet), None) => format!("{} {} ({})", f.rule, f.name, cut(sheet, 40)),
        _ => format!("{} {}", f.rule, f.name),
    };
    let mut message = f.message.to_string();
    if !f.suggestions.is_empty() {
        message += &format!(" {}: {}", super::suggestions_label(f.script), f.suggestions.join(" / "));
    }
    writeln!(
        out,
        "::{level} file={},line={},col={},{end}endColumn={},title={}::{}",
        property(at.path),
        at.start.line,
        at.start.column,
        at.end.column,
        property(&title),
        data(&message)
    )
}

/// Writes an annotation on the file `path` as a whole, that it could not
/// be checked and `why`.
pub fn unchecked(out: &mut dyn Write, path: &str, why: &str) -> io::Result<()> {
    writeln!(
        out,
        "::error file={},title={}::{}",
        property(path),
        property("kefu-lint: not checked"),
        data(why)
    )
}

/// Escapes a workflow command's message: GitHub's own escapes for `%`, CR
/// and LF (which the runner turns back into the characters), other hidden
/// characters made visible, so the command stays one line.
fn data(text: &str) -> String {
    escape(text, false)
}

/// Escapes a workflow command's property value: as [`data`], and `:` and `,`.
fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => push_visible(&mut out, c),
        }
    }
    without_legacy_commands(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_values() {
        assert_eq!(data("50%\nok"), "50%25%0Aok");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
        assert_eq!(data("a:b,\r\u{1b}\u{2028}"), "a:b,%0D\\u{1b}\\u{2028}");
    }
}
