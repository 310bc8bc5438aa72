//! Pickling and copying of the frozen value objects (`Finding`, `Fix`,
//! `Edit`, `Rule`), so that they cross process boundaries
//! (`multiprocessing`, Spark): each `__reduce__` names a private function of
//! `kefu_lint._native` that makes the object again from its fields.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// What `__reduce__` returns: the function that makes the object again, and its arguments.
pub(crate) type Reduced<'py> = (Bound<'py, PyAny>, Bound<'py, PyTuple>);

/// `(kefu_lint._native.<restore>, args)`: what `__reduce__` returns for an
/// object that `restore(*args)` makes again.
pub(crate) fn reduce<'py>(py: Python<'py>, restore: &str, args: Bound<'py, PyTuple>) -> PyResult<Reduced<'py>> {
    Ok((py.import("kefu_lint._native")?.getattr(restore)?, args))
}

/// The library's name of the severity `value` (`"error"`).
///
/// # Errors
/// `ValueError` for no severity's name (a pickle not made by this module).
pub(crate) fn severity(value: &str) -> PyResult<&'static str> {
    use kefu_lint::Severity;
    one_of(
        value,
        [Severity::Info, Severity::Warning, Severity::Error].map(Severity::as_str),
        "severity",
    )
}

/// The library's name of the applicability `value` (`"safe"`).
///
/// # Errors
/// `ValueError` for no applicability's name.
pub(crate) fn applicability(value: &str) -> PyResult<&'static str> {
    use kefu_lint::Applicability;
    let all = [Applicability::Safe, Applicability::Unsafe, Applicability::DisplayOnly];
    one_of(value, all.map(Applicability::as_str), "applicability")
}

/// The one of `names` equal to `value`, a `what`.
fn one_of<const N: usize>(value: &str, names: [&'static str; N], what: &str) -> PyResult<&'static str> {
    names
        .into_iter()
        .find(|name| *name == value)
        .ok_or_else(|| PyValueError::new_err(format!("unknown {what} {value:?}: expected one of {names:?}")))
}
