//! `Linter`: checking and fixing replies from Python, with the GIL released.

use std::num::NonZeroUsize;
use std::sync::{Arc, OnceLock};
use std::thread;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyInt, PyList, PyType};

use crate::config::{self, Options};
use crate::finding::Finding;
use crate::many;
use crate::rule::Rule;

/// Checks replies against a set of rules. Thread-safe: share one across
/// threads; `check`, `fix` and `check_many` release the GIL while they work.
///
/// `Linter(config=None, *, path=None, mode=None, select=None, ignore=None,
/// allow=None, packs=None, competitors=None)`: a `kefu-lint.toml` path, the input path whose
/// `[[per-path]]` entries apply (none without it), the mode (`"draft"` or
/// `"library"`; `None`: the file's `mode`, else draft), rules to run or never run (ids, names or categories),
/// phrases never flagged, extra rule pack paths and other shops' names
/// (besides the file's `competitors`), as the library's
/// `Linter::builder` takes them. Raises `ConfigError` or `PackError` (file,
/// line, column) for a file that cannot be used, `ValueError` for an
/// unknown mode or rule name, `TypeError` for an argument of the wrong type.
#[pyclass(frozen, module = "kefu_lint")]
pub(crate) struct Linter {
    inner: Arc<kefu_lint::Linter>,
}

/// The built-in linter (draft mode) shared by `kefu_lint.check` and every
/// `Linter()` made with no configuration.
pub(crate) fn builtin() -> &'static Arc<kefu_lint::Linter> {
    static BUILTIN: OnceLock<Arc<kefu_lint::Linter>> = OnceLock::new();
    BUILTIN.get_or_init(|| Arc::new(kefu_lint::Linter::builtin()))
}

/// The findings of `text` by `linter`, checked with the GIL released.
pub(crate) fn check(py: Python<'_>, linter: &kefu_lint::Linter, text: &str) -> Vec<Finding> {
    py.detach(|| Finding::all(text, linter.check(text)))
}

#[pymethods]
impl Linter {
    #[new]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of Linter(...)
    #[pyo3(signature = (config=None, *, path=None, mode=None, select=None, ignore=None, allow=None, packs=None, competitors=None))]
    fn new(
        py: Python<'_>,
        config: Option<&Bound<'_, PyAny>>,
        path: Option<&Bound<'_, PyAny>>,
        mode: Option<&str>,
        select: Option<&Bound<'_, PyAny>>,
        ignore: Option<&Bound<'_, PyAny>>,
        allow: Option<&Bound<'_, PyAny>>,
        packs: Option<&Bound<'_, PyAny>>,
        competitors: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Linter> {
        let options = Options::new(config, path, mode, select, ignore, allow, packs, competitors)?;
        let inner = if options.is_builtin() {
            builtin().clone()
        } else {
            Arc::new(py.detach(|| options.build()).map_err(|e| config::raise(py, &e))?)
        };
        Ok(Linter { inner })
    }

    /// All findings in `text`, ordered by position.
    fn check(&self, py: Python<'_>, text: PyBackedStr) -> Vec<Finding> {
        check(py, &self.inner, &text)
    }

    /// `text` with its safe fixes applied (and unsafe ones too with
    /// `unsafe=True`), as `kefu_lint.Fixed(text, applied)` (a `NamedTuple`).
    #[pyo3(signature = (text, *, r#unsafe=false))]
    fn fix<'py>(&self, py: Python<'py>, text: PyBackedStr, r#unsafe: bool) -> PyResult<Bound<'py, PyAny>> {
        static FIXED: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        let up_to = if r#unsafe {
            kefu_lint::Applicability::Unsafe
        } else {
            kefu_lint::Applicability::Safe
        };
        let fixed = py.detach(|| self.inner.fix(&text, up_to));
        FIXED
            .import(py, "kefu_lint._fixed", "Fixed")?
            .call1((fixed.text, fixed.applied))
    }

    /// The findings of each text, in order, checked on `threads` threads
    /// (default: the machine's cores) with the GIL released. `TypeError`
    /// for a `threads` that is not an int, `ValueError` for one below 1 or
    /// past a machine word (`2**64`); the errors of `texts` are `many::check`'s.
    #[pyo3(signature = (texts, *, threads=None))]
    fn check_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let threads = match threads {
            None => thread::available_parallelism().map_or(1, NonZeroUsize::get),
            Some(n) if !n.is_instance_of::<PyInt>() || n.is_instance_of::<PyBool>() => {
                return Err(PyTypeError::new_err(format!("threads takes an int, got {}", n.repr()?)));
            }
            Some(n) => n.extract::<usize>().ok().filter(|&n| n > 0).ok_or_else(|| {
                PyValueError::new_err(format!("threads must be at least 1 and fit a machine word, got {n}"))
            })?,
        };
        many::check(py, &self.inner, texts, threads)
    }

    /// The rules this linter checks, in pack order.
    fn rules(&self) -> Vec<Rule> {
        self.inner.rules().iter().map(Rule::from).collect()
    }

    /// What the rule with id or name `rule` flags, why, its examples and
    /// rewrite: the text `kefu-lint explain` prints.
    ///
    /// # Errors
    /// `ValueError` when this linter has no such rule.
    fn explain(&self, rule: &str) -> PyResult<String> {
        self.inner.explain(rule).ok_or_else(|| {
            PyValueError::new_err(format!(
                "no rule of this linter has the id or name {:?}",
                kefu_lint::suggest::cut(rule)
            ))
        })
    }

    fn __repr__(&self) -> String {
        format!("<kefu_lint.Linter with {} rules>", self.inner.rules().len())
    }

    /// `copy.copy`: the same linter (it is immutable and shared by threads).
    fn __copy__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// `copy.deepcopy`: the same linter, so an object holding one copies.
    fn __deepcopy__<'py>(slf: PyRef<'py, Self>, _memo: &Bound<'py, PyAny>) -> PyRef<'py, Self> {
        slf
    }
}
