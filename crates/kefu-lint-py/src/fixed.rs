//! `Fixed`: the result of `Linter.fix`.

use pyo3::prelude::*;
use pyo3::types::PyString;

/// A reply with its fixes applied (`text`) and how many were (`applied`).
/// Frozen; unpacks as `text, applied = linter.fix(reply)`.
#[pyclass(frozen, eq, hash, get_all, module = "kefu_lint")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Fixed {
    text: String,
    applied: usize,
}

impl From<kefu_lint::Fixed> for Fixed {
    fn from(f: kefu_lint::Fixed) -> Fixed {
        Fixed {
            text: f.text,
            applied: f.applied,
        }
    }
}

#[pymethods]
impl Fixed {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Fixed(text={}, applied={})",
            PyString::new(py, &self.text).repr()?,
            self.applied
        ))
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (self.text.clone(), self.applied)
            .into_pyobject(py)?
            .try_iter()
            .map(Bound::into_any)
    }
}
