//! `Rule`: what a linter checks, for listing in a UI.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::pickle::{self, Reduced, reduce};

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

/// The `Rule` of these fields, in the order of `Rule.__reduce__` (unpickling).
///
/// # Errors
/// `ValueError` for an unknown severity or applicability.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _restore_rule(
    id: String,
    name: String,
    category: String,
    severity: &str,
    summary: String,
    message: String,
    suggestions: Vec<String>,
    fix: Option<&str>,
    pack: String,
) -> PyResult<Rule> {
    Ok(Rule {
        id,
        name,
        category,
        severity: pickle::severity(severity)?,
        summary,
        message,
        suggestions,
        fix: fix.map(pickle::applicability).transpose()?,
        pack,
    })
}

#[pymethods]
impl Rule {
    /// Pickling and copying: `_restore_rule(id, name, …, pack)`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let args = (
            &self.id,
            &self.name,
            &self.category,
            self.severity,
            &self.summary,
            &self.message,
            self.suggestions(py)?,
            self.fix,
            &self.pack,
        )
            .into_pyobject(py)?;
        reduce(py, "_restore_rule", args)
    }

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
