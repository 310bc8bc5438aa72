//! `AgentRoles`: which senders of a chat log are the agents, matched as
//! `kefu-lint check --agent-role` matches them (the library's matcher), and
//! `config_roles`: the `role-field` and `agent-role` a `kefu-lint.toml` gives.

use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;

use kefu_lint::config::Config;

use crate::config::items;
use crate::errors::config_error;

/// `AgentRoles(patterns)`: glob patterns of the agents' role values (`*` any
/// characters, `?` one, `[…]` a class, `[!…]`/`[^…]` its complement),
/// compared without regard to ASCII case, a full-width colon read as `:`.
/// Raises `ValueError` for an empty pattern or one that is not a glob,
/// `TypeError` for one string instead of a list.
#[pyclass(frozen, module = "kefu_lint")]
pub(crate) struct AgentRoles {
    inner: kefu_lint::config::AgentRoles,
}

#[pymethods]
impl AgentRoles {
    #[new]
    fn new(patterns: &Bound<'_, PyAny>) -> PyResult<AgentRoles> {
        let patterns: Vec<String> = items(Some(patterns), "patterns")?.unwrap_or_default();
        let inner = kefu_lint::config::AgentRoles::new(&patterns)
            .map_err(|e| PyValueError::new_err(format!("agent role {e}")))?;
        Ok(AgentRoles { inner })
    }

    /// Whether the role value `role` matches one of the patterns.
    fn matches(&self, role: &Bound<'_, PyAny>) -> PyResult<bool> {
        if !role.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!(
                "matches takes a role value (str), not {}",
                role.get_type().name().map_or_else(|_| "?".into(), |n| n.to_string())
            )));
        }
        // A str that is not UTF-8 (a lone surrogate) raises UnicodeEncodeError, as check does.
        let role: PyBackedStr = role.extract()?;
        Ok(self.inner.matches(&role))
    }

    /// `copy.copy`: the same matcher (it is immutable).
    fn __copy__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// `copy.deepcopy`: the same matcher, so an object holding one copies.
    fn __deepcopy__<'py>(slf: PyRef<'py, Self>, _memo: &Bound<'py, PyAny>) -> PyRef<'py, Self> {
        slf
    }
}

/// `(role_field, agent_role)` that the `kefu-lint.toml` at `config` gives
/// for an input at `path` (its `[[per-path]]` entries matching `path` laid
/// over the top-level settings, as `kefu-lint check` reads them); each
/// `None` when the file does not set it.
///
/// # Errors
/// `ConfigError` for a file that cannot be read or is wrong.
#[pyfunction]
#[pyo3(signature = (config, path=PathBuf::new()))]
pub(crate) fn config_roles(
    py: Python<'_>,
    config: PathBuf,
    path: PathBuf,
) -> PyResult<(Option<String>, Option<Vec<String>>)> {
    let loaded = py.detach(|| Config::load(&config)).map_err(|e| config_error(py, &e))?;
    Ok(loaded.roles_for(&path))
}
