//! Findings: what a rule reports about one reply, and the fixes it proposes.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::script::Script;

/// How serious a finding is.
///
/// Ordered from least to most serious, so `severity >= Severity::Warning`
/// selects warnings and errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// A style hint.
    Info,
    /// Rewrite before sending.
    Warning,
    /// Never send.
    Error,
}

crate::named::named!(
    Severity,
    [Severity::Info, Severity::Warning, Severity::Error],
    ["info", "warning", "error"]
);

impl Severity {
    /// The lower-case name used in rule packs and output (`info`, `warning`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// How safe it is to apply a fix without a human reading it.
///
/// Ordered from safest to least safe: applying fixes up to `Unsafe` also
/// applies `Safe` ones. `DisplayOnly` fixes are shown, never applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// The meaning is kept (你 → 您).
    Safe,
    /// A tone rewrite a human should read (但是 → 不过).
    Unsafe,
    /// Shown as a suggestion, never applied automatically.
    DisplayOnly,
}

impl Applicability {
    /// The kebab-case name used in rule packs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Replace the bytes `range` of a reply with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Byte range in the original reply.
    pub range: Range<usize>,
    /// Text to put there.
    pub replacement: String,
}

/// A set of edits that together rewrite one finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Non-overlapping edits, in order.
    pub edits: Vec<Edit>,
    /// Whether the fix may be applied without review.
    pub applicability: Applicability,
}

/// One rule matched in one reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id, such as `KF001`.
    pub rule: Arc<str>,
    /// Kebab-case rule name.
    pub name: Arc<str>,
    /// The family of forbidden language the rule belongs to.
    pub category: Arc<str>,
    /// How serious the finding is.
    pub severity: Severity,
    /// What is wrong, in Chinese.
    pub message: Arc<str>,
    /// Byte span in the reply exactly as given (noise characters included).
    pub span: Range<usize>,
    /// The text at `span`.
    pub matched: String,
    /// Courteous rewrites, in the script (Simplified or Traditional) of the reply.
    pub suggestions: Arc<[String]>,
    /// The script of `message`, `suggestions` and `fix`: the reply's, or
    /// for a reply written the same in both, the one it was checked in.
    pub script: Script,
    /// An automatic rewrite, if the rule has one.
    pub fix: Option<Fix>,
}
