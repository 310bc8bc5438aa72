//! `Finding`, `Fix` and `Edit`: frozen Python objects made from the core's
//! findings, their offsets in code points (Python string indices).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use kefu_lint::offsets::Cursor;

use crate::pickle::{self, Reduced, reduce};

/// One replacement of a fix: `text[start:end]` becomes `replacement`
/// (`start`/`end` in code points, as Python indexes a `str`).
#[pyclass(frozen, eq, hash, get_all, from_py_object, module = "kefu_lint")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Edit {
    start: usize,
    end: usize,
    replacement: String,
}

/// An automatic rewrite of one finding: its edits, applied together, and
/// how safe it is to apply unread (`"safe"`, `"unsafe"`, `"display-only"`).
#[pyclass(frozen, eq, hash, from_py_object, module = "kefu_lint")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Fix {
    edits: Vec<Edit>,
    #[pyo3(get)]
    applicability: &'static str,
}

/// One rule matched in one reply. Frozen; equal when all fields are equal.
///
/// `start`/`end` are code-point offsets (`text[f.start:f.end] == f.matched`),
/// `byte_start`/`byte_end` UTF-8 byte offsets of the same span.
#[pyclass(frozen, eq, hash, module = "kefu_lint")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Finding {
    // The rule's texts are shared with the linter, not copied per finding.
    rule: Arc<str>,
    name: Arc<str>,
    category: Arc<str>,
    #[pyo3(get)]
    severity: &'static str,
    message: Arc<str>,
    #[pyo3(get)]
    matched: String,
    suggestions: Arc<[String]>,
    #[pyo3(get)]
    fix: Option<Fix>,
    #[pyo3(get)]
    start: usize,
    #[pyo3(get)]
    end: usize,
    #[pyo3(get)]
    byte_start: usize,
    #[pyo3(get)]
    byte_end: usize,
}

impl Finding {
    /// The findings of `reply`, converted (no Python involved: callable
    /// without the GIL).
    pub(crate) fn all(reply: &str, findings: Vec<kefu_lint::Finding>) -> Vec<Finding> {
        let mut at = Cursor::new(reply);
        findings.into_iter().map(|f| Finding::new(&mut at, f)).collect()
    }

    fn new(at: &mut Cursor<'_>, f: kefu_lint::Finding) -> Finding {
        let (start, end) = (at.at(f.span.start).char, at.at(f.span.end).char);
        let fix = f.fix.map(|fix| Fix {
            edits: fix
                .edits
                .into_iter()
                .map(|e| Edit {
                    start: at.at(e.range.start).char,
                    end: at.at(e.range.end).char,
                    replacement: e.replacement,
                })
                .collect(),
            applicability: fix.applicability.as_str(),
        });
        Finding {
            rule: f.rule,
            name: f.name,
            category: f.category,
            severity: f.severity.as_str(),
            message: f.message,
            matched: f.matched,
            suggestions: f.suggestions,
            fix,
            start,
            end,
            byte_start: f.span.start,
            byte_end: f.span.end,
        }
    }
}

/// `repr(s)` as Python writes it.
fn py_repr(py: Python<'_>, s: &str) -> PyResult<String> {
    Ok(PyString::new(py, s).repr()?.to_string())
}

/// The `Edit` of these fields (unpickling).
#[pyfunction]
pub(crate) fn _restore_edit(start: usize, end: usize, replacement: String) -> Edit {
    Edit {
        start,
        end,
        replacement,
    }
}

/// The `Fix` of these fields (unpickling).
///
/// # Errors
/// `ValueError` for an unknown applicability.
#[pyfunction]
pub(crate) fn _restore_fix(edits: Vec<Edit>, applicability: &str) -> PyResult<Fix> {
    Ok(Fix {
        edits,
        applicability: pickle::applicability(applicability)?,
    })
}

/// The `Finding` of these fields, in the order of `Finding.__reduce__` (unpickling).
///
/// # Errors
/// `ValueError` for an unknown severity.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _restore_finding(
    rule: &str,
    name: &str,
    category: &str,
    severity: &str,
    message: &str,
    matched: String,
    suggestions: Vec<String>,
    fix: Option<Fix>,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
) -> PyResult<Finding> {
    Ok(Finding {
        rule: rule.into(),
        name: name.into(),
        category: category.into(),
        severity: pickle::severity(severity)?,
        message: message.into(),
        matched,
        suggestions: suggestions.into(),
        fix,
        start,
        end,
        byte_start,
        byte_end,
    })
}

#[pymethods]
impl Edit {
    /// Pickling and copying: `_restore_edit(start, end, replacement)`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let args = (self.start, self.end, &self.replacement).into_pyobject(py)?;
        reduce(py, "_restore_edit", args)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Edit(start={}, end={}, replacement={})",
            self.start,
            self.end,
            py_repr(py, &self.replacement)?
        ))
    }

    /// `{"start": …, "end": …, "replacement": …}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("replacement", &self.replacement)?;
        Ok(d)
    }
}

#[pymethods]
impl Fix {
    /// Pickling and copying: `_restore_fix(edits, applicability)`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let args = (self.edits(py)?, self.applicability).into_pyobject(py)?;
        reduce(py, "_restore_fix", args)
    }

    /// The edits, in order, as a tuple.
    #[getter]
    fn edits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.edits.iter().cloned())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let edits: Vec<String> = self.edits.iter().map(|e| e.__repr__(py)).collect::<PyResult<_>>()?;
        Ok(format!(
            "Fix(applicability={}, edits=({}{}))",
            py_repr(py, self.applicability)?,
            edits.join(", "),
            if edits.len() == 1 { "," } else { "" }
        ))
    }

    /// `{"applicability": …, "edits": [edit.to_dict(), …]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("applicability", self.applicability)?;
        let edits: Vec<Bound<'py, PyDict>> = self.edits.iter().map(|e| e.to_dict(py)).collect::<PyResult<_>>()?;
        d.set_item("edits", edits)?;
        Ok(d)
    }
}

#[pymethods]
impl Finding {
    /// Stable rule id, such as `"KF001"`.
    #[getter]
    fn rule(&self) -> &str {
        &self.rule
    }

    /// Kebab-case rule name, such as `"negative-ability"`.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The family of forbidden language the rule belongs to.
    #[getter]
    fn category(&self) -> &str {
        &self.category
    }

    /// What is wrong, in Chinese, in the reply's script.
    #[getter]
    fn message(&self) -> &str {
        &self.message
    }

    /// The courteous rewrites, in the reply's script, as a tuple.
    #[getter]
    fn suggestions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.suggestions.iter())
    }

    /// Pickling and copying: `_restore_finding(rule, name, …, byte_end)`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let args = (
            self.rule(),
            self.name(),
            self.category(),
            self.severity,
            self.message(),
            &self.matched,
            self.suggestions(py)?,
            self.fix.clone(),
            self.start,
            self.end,
            self.byte_start,
            self.byte_end,
        )
            .into_pyobject(py)?;
        reduce(py, "_restore_finding", args)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Finding(rule={}, name={}, severity={}, start={}, end={}, matched={})",
            py_repr(py, self.rule())?,
            py_repr(py, self.name())?,
            py_repr(py, self.severity)?,
            self.start,
            self.end,
            py_repr(py, &self.matched)?
        ))
    }

    /// All fields as a dict of plain values (`suggestions` a list, `fix` a
    /// dict or `None`), ready for `json.dumps`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("rule", self.rule())?;
        d.set_item("name", self.name())?;
        d.set_item("category", self.category())?;
        d.set_item("severity", self.severity)?;
        d.set_item("message", self.message())?;
        d.set_item("matched", &self.matched)?;
        d.set_item("suggestions", self.suggestions.to_vec())?;
        d.set_item("fix", self.fix.as_ref().map(|f| f.to_dict(py)).transpose()?)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("byte_start", self.byte_start)?;
        d.set_item("byte_end", self.byte_end)?;
        Ok(d)
    }
}
