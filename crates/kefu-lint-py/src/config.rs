//! The keyword arguments of `Linter(...)` and the linter they build.

use std::path::PathBuf;

use pyo3::exceptions::{PyNotImplementedError, PyValueError};
use pyo3::prelude::*;

use kefu_lint::Mode;

/// What `Linter(config, mode=…, select=…, …)` was given.
pub(crate) struct Options {
    pub(crate) config: Option<PathBuf>,
    pub(crate) mode: Mode,
    pub(crate) select: Option<Vec<String>>,
    pub(crate) ignore: Option<Vec<String>>,
    pub(crate) allow: Option<Vec<String>>,
    pub(crate) packs: Option<Vec<PathBuf>>,
}

impl Options {
    /// Whether these are the defaults: the shared built-in linter serves them.
    pub(crate) fn is_builtin(&self) -> bool {
        self.config.is_none()
            && self.mode == Mode::Draft
            && self.select.is_none()
            && self.ignore.is_none()
            && self.allow.is_none()
            && self.packs.is_none()
    }
}

/// The mode named `name` (`"draft"` or `"library"`).
///
/// # Errors
/// `ValueError` for any other name.
pub(crate) fn mode(name: &str) -> PyResult<Mode> {
    match name {
        "draft" => Ok(Mode::Draft),
        "library" => Ok(Mode::Library),
        other => Err(PyValueError::new_err(format!(
            "unknown mode {other:?}: expected \"draft\" or \"library\""
        ))),
    }
}

/// The linter `options` describe.
pub(crate) fn build(options: Options) -> PyResult<kefu_lint::Linter> {
    if options.config.is_some() || options.select.is_some() || options.ignore.is_some() || options.allow.is_some() || options.packs.is_some() {
        return Err(PyNotImplementedError::new_err("configuration arrives with Linter::builder"));
    }
    Ok(kefu_lint::Linter::builtin_in(options.mode))
}
