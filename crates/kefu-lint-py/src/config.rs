//! The arguments of `Linter(config, *, path, mode, select, ignore, allow, packs, competitors)`
//! and the linter the library's `Linter::builder` builds from them.

use std::path::PathBuf;

use pyo3::conversion::FromPyObjectOwned;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use kefu_lint::config::ConfigError;
use kefu_lint::{Linter, Mode};

use crate::errors::{config_error, config_error_in};

/// What `Linter(...)` was given, converted from Python.
pub(crate) struct Options {
    config: Option<PathBuf>,
    /// The input whose `[[per-path]]` entries apply (`None`: none do).
    path: Option<PathBuf>,
    /// `None`: the file's mode, else draft.
    mode: Option<Mode>,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    allow: Option<Vec<String>>,
    packs: Option<Vec<PathBuf>>,
    competitors: Option<Vec<String>>,
}

impl Options {
    /// The options from `Linter`'s arguments.
    ///
    /// # Errors
    /// `ValueError` for an unknown mode; `ConfigError` for an empty `config`
    /// path (an unset environment variable, say); `TypeError` for a `config`
    /// that is no path (`str` or `os.PathLike`), or a list argument
    /// that is a single string or holds something other than strings (paths
    /// for `packs`), or a `path` that is no path.
    #[allow(clippy::too_many_arguments)] // the keyword arguments of Linter(...)
    pub(crate) fn new(
        config: Option<&Bound<'_, PyAny>>,
        path: Option<&Bound<'_, PyAny>>,
        mode: Option<&str>,
        select: Option<&Bound<'_, PyAny>>,
        ignore: Option<&Bound<'_, PyAny>>,
        allow: Option<&Bound<'_, PyAny>>,
        packs: Option<&Bound<'_, PyAny>>,
        competitors: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Options> {
        let config = config
            .map(|c| -> PyResult<PathBuf> {
                let path = c
                    .extract::<PathBuf>()
                    .map_err(|e| PyTypeError::new_err(format!("config takes the path of a kefu-lint.toml: {e}")))?;
                if path.as_os_str().is_empty() {
                    return Err(config_error_in(
                        c.py(),
                        "",
                        "config: the path is empty (an unset environment variable?): give the path of a kefu-lint.toml, or None",
                    ));
                }
                Ok(path)
            })
            .transpose()?;
        let path = path
            .map(|p| {
                p.extract::<PathBuf>()
                    .map_err(|e| PyTypeError::new_err(format!("path takes the path of an input file: {e}")))
            })
            .transpose()?;
        Ok(Options {
            config,
            path,
            mode: mode.map(mode_named).transpose()?,
            select: items(select, "select")?,
            ignore: items(ignore, "ignore")?,
            allow: items(allow, "allow")?,
            packs: items(packs, "packs")?,
            competitors: items(competitors, "competitors")?,
        })
    }

    /// Whether these are the defaults, which the shared built-in linter serves.
    pub(crate) fn is_builtin(&self) -> bool {
        self.config.is_none()
            && self.mode.is_none_or(|m| m == Mode::Draft)
            && self.select.is_none()
            && self.ignore.is_none()
            && self.allow.is_none()
            && self.packs.is_none()
            && self.competitors.is_none()
    }

    /// The linter these options describe (reads the files; call it without the GIL).
    ///
    /// # Errors
    /// The library's [`ConfigError`], turned into a Python exception by [`raise`].
    pub(crate) fn build(self) -> Result<Linter, ConfigError> {
        let mut builder = Linter::builder();
        if let Some(mode) = self.mode {
            builder = builder.mode(mode);
        }
        if let Some(config) = self.config {
            builder = builder.config_file(config);
        }
        if let Some(path) = self.path {
            builder = builder.for_path(path);
        }
        if let Some(select) = self.select {
            builder = builder.select(select);
        }
        builder
            .ignore(self.ignore.unwrap_or_default())
            .allow(self.allow.unwrap_or_default())
            .packs(self.packs.unwrap_or_default())
            .competitors(self.competitors.unwrap_or_default())
            .build()
    }
}

/// The Python exception for `e`: `PackError` or `ConfigError` for a problem
/// in a file (a pack named by an empty path included, `file == ""`),
/// `ValueError` for a wrong argument (a name that is no rule's, a selection
/// that leaves no rule).
pub(crate) fn raise(py: Python<'_>, e: &ConfigError) -> PyErr {
    if e.file().is_empty() && !e.is_pack() {
        PyValueError::new_err(e.message().to_owned())
    } else {
        config_error(py, e)
    }
}

/// The mode named `name` (`"draft"` or `"library"`).
///
/// # Errors
/// `ValueError` for any other name.
fn mode_named(name: &str) -> PyResult<Mode> {
    match name {
        "draft" => Ok(Mode::Draft),
        "library" => Ok(Mode::Library),
        other => Err(PyValueError::new_err(format!(
            "unknown mode {other:?}: expected \"draft\" or \"library\""
        ))),
    }
}

/// The items of the iterable `value` (the argument `what`), each converted to `T`.
///
/// # Errors
/// `TypeError` for a `str` (one string, not a list of them), `bytes`, a
/// value that is not iterable, or an item that does not convert.
pub(crate) fn items<'py, T: FromPyObjectOwned<'py>>(
    value: Option<&Bound<'py, PyAny>>,
    what: &str,
) -> PyResult<Option<Vec<T>>> {
    let Some(value) = value else { return Ok(None) };
    if value.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{what} takes a list of str, not bytes: decode it first ({what}=[{}.decode()])",
            value.repr()?
        )));
    }
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} takes a list of strings, not one string: write {what}=[{}]",
            value.repr()?
        )));
    }
    let py = value.py();
    // A wrong type is worded here; anything else (a str that is no UTF-8, what
    // iterating raises) goes to the caller as it is, as `check` gives it.
    let wrong = |e: PyErr| {
        if e.is_instance_of::<PyTypeError>(py) {
            PyTypeError::new_err(format!("{what} takes a list of strings: {e}"))
        } else {
            e
        }
    };
    value
        .try_iter()
        .map_err(wrong)?
        .map(|item| item.and_then(|i| i.extract::<T>().map_err(Into::into)).map_err(wrong))
        .collect::<PyResult<Vec<T>>>()
        .map(Some)
}
