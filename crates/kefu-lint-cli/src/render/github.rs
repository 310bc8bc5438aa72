//! GitHub Actions workflow commands: `::error file=…,line=…::message`.

use std::io::{self, Write};

use kefu_lint::Severity;

use super::Located;

/// Writes one annotation.
pub fn command(out: &mut dyn Write, at: &Located<'_>) -> io::Result<()> {
    let f = at.finding;
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let title = format!("{} {}", f.rule, f.name);
    let mut message = f.message.to_string();
    if !f.suggestions.is_empty() {
        message += &format!(" 建议: {}", f.suggestions.join(" / "));
    }
    writeln!(
        out,
        "::{level} file={},line={},col={},endColumn={},title={}::{}",
        property(at.path),
        at.record.line,
        at.column(),
        at.end_column(),
        property(&title),
        data(&message)
    )
}

/// Escapes a workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_values() {
        assert_eq!(data("50%\nok"), "50%25%0Aok");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }
}
