//! `ConfigError` and `PackError`: a configuration or rule pack that cannot
//! be used, with the file, line and column as attributes and in the message.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    kefu_lint,
    ConfigError,
    PyValueError,
    "A configuration that cannot be used; `file`, `line` and `column` (1-based, characters) say where."
);
create_exception!(
    kefu_lint,
    PackError,
    ConfigError,
    "A rule pack that cannot be loaded; `file` is the pack."
);

/// The Python exception for the core's configuration error `e`: a
/// `PackError` when the fault lies in a rule pack, else a `ConfigError`,
/// with the message `file:line:column: message` (or `file: message` when
/// the error has no place).
pub(crate) fn config_error(py: Python<'_>, e: &kefu_lint::config::ConfigError) -> PyErr {
    let (line, column) = e.line_column().unzip();
    let place = e
        .line_column()
        .map(|(line, column)| format!(":{line}:{column}"))
        .unwrap_or_default();
    let text = format!("{}{place}: {}", e.file(), e.message());
    let err = if e.is_pack() {
        PackError::new_err(text)
    } else {
        ConfigError::new_err(text)
    };
    with_place(py, err, e.file(), line, column)
}

/// A `ConfigError` about the file `file` (possibly an empty name) with no
/// place in it, whose message is `message` alone.
pub(crate) fn config_error_in(py: Python<'_>, file: &str, message: &str) -> PyErr {
    with_place(py, ConfigError::new_err(message.to_owned()), file, None, None)
}

/// `err` with the attributes `file`, `line` and `column` set.
fn with_place(py: Python<'_>, err: PyErr, file: &str, line: Option<usize>, column: Option<usize>) -> PyErr {
    let value = err.value(py);
    let attributes = value
        .setattr("file", file)
        .and_then(|()| value.setattr("line", line))
        .and_then(|()| value.setattr("column", column));
    match attributes {
        Ok(()) => err,
        Err(failed) => failed,
    }
}
