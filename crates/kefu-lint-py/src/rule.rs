//! `Rule`: what a linter checks, for listing in a UI.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// One rule of a linter (frozen): its id, name, category, severity, an
/// English summary, the Chinese message, the suggested rewrites, the
/// applicability of its automatic fix (`None` when it has none) and the
/// pack file it was loaded from.
#[pyclass(frozen, eq, hash, module = "kefu_lint")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Rule {
    #[pyo3(get)]
    id: String,
    #[pyo3(get)]
    name: String,
    #[pyo3(get)]
    category: String,
    #[pyo3(get)]
    severity: &'static str,
    #[pyo3(get)]
    summary: String,
    #[pyo3(get)]
    message: String,
    suggestions: Vec<String>,
    #[pyo3(get)]
    fix: Option<&'static str>,
    #[pyo3(get)]
    pack: String,
}

impl From<&kefu_lint::Rule> for Rule {
    fn from(r: &kefu_lint::Rule) -> Rule {
        Rule {
            id: r.id.to_string(),
            name: r.name.to_string(),
            category: r.category.to_string(),
            severity: r.severity.as_str(),
            summary: r.summary.clone(),
            message: r.described_message(kefu_lint::Script::Simplified).to_string(),
            suggestions: r.suggestions.to_vec(),
            fix: r.fix.as_ref().map(|f| f.applicability.as_str()),
            pack: r.pack.to_string(),
        }
    }
}

#[pymethods]
impl Rule {
    /// The suggested rewrites (Simplified), as a tuple.
    #[getter]
    fn suggestions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.suggestions)
    }

    fn __repr__(&self) -> String {
        format!(
            "Rule(id='{}', name='{}', severity='{}')",
            self.id, self.name, self.severity
        )
    }
}
