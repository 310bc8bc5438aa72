//! The native module of the `kefu_lint` Python package (`kefu_lint._native`):
//! Python bindings of the kefu-lint library, built with PyO3 and maturin.
//!
//! Python sees offsets in code points (string indices), the library's byte
//! spans converted once at this boundary (`offsets.rs`). Checking runs with
//! the GIL released; `Linter.check_many` checks on several threads. The
//! Python API and its documentation are in `python/kefu_lint/_native.pyi`
//! and `docs/python.md`; the tests are the pytest suite in `tests/`.
//!
//! Nothing here panics on input; were the library ever to panic, PyO3 turns
//! the panic of a method into `pyo3_runtime.PanicException`, and
//! `check_many` turns a panic in one of its threads into the same.

mod config;
mod errors;
mod finding;
mod linter;
mod many;
mod pickle;
mod roles;
mod rule;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

/// The findings of `text` by the shared built-in linter (draft mode).
#[pyfunction]
fn check(py: Python<'_>, text: PyBackedStr) -> Vec<finding::Finding> {
    linter::check(py, linter::builtin(), &text)
}

/// The module `kefu_lint._native`: the classes, the exceptions and `check`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<linter::Linter>()?;
    m.add_class::<finding::Finding>()?;
    m.add_class::<finding::Fix>()?;
    m.add_class::<finding::Edit>()?;
    m.add_class::<rule::Rule>()?;
    m.add_class::<roles::AgentRoles>()?;
    m.add_function(wrap_pyfunction!(roles::config_roles, m)?)?;
    m.add("ConfigError", m.py().get_type::<errors::ConfigError>())?;
    m.add("PackError", m.py().get_type::<errors::PackError>())?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(finding::_restore_edit, m)?)?;
    m.add_function(wrap_pyfunction!(finding::_restore_fix, m)?)?;
    m.add_function(wrap_pyfunction!(finding::_restore_finding, m)?)?;
    m.add_function(wrap_pyfunction!(rule::_restore_rule, m)?)?;
    Ok(())
}
