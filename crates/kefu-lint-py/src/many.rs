//! `Linter.check_many`: many texts checked on several threads.
//!
//! Reading a `str` into UTF-8 and making the result lists need the GIL;
//! checking does not. On one thread the three run in turn, a chunk of texts
//! at a time, the checking with the GIL released. On more, the calling
//! thread reads the texts in chunks and hands each to the workers as it is
//! read, then makes the lists of each chunk as its findings come back (in
//! order), so that the Python work of one chunk overlaps the checking of the
//! others; the GIL is released whenever it waits for a worker. Between
//! chunks, other Python threads get their turn and Ctrl-C is answered.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, PoisonError};
use std::thread;

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyUnicodeEncodeError};
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyList, PyString};

use crate::finding::Finding;

/// A chunk's number, its texts and their findings, from a worker.
type Checked = (usize, Vec<PyBackedStr>, Vec<Vec<Finding>>);

/// The error of `check_many` when a worker stopped before its work was done.
fn panicked() -> PyErr {
    PanicException::new_err("a kefu-lint worker thread panicked")
}

/// Texts per chunk handed to a worker: a few hundred microseconds of
/// checking, so that handing over costs little and the last chunk does not
/// keep the others waiting.
const CHUNK: usize = 512;

/// The findings of each of `texts` (an iterable of `str`) by `linter`, as a
/// list of lists, checked on up to `threads` threads (at least 1; no more
/// than the machine's cores, nor one per chunk of [`CHUNK`] texts; fewer
/// when the system will not start more).
///
/// # Errors
/// Those of [`text_at`] for an item that is not a `str` or cannot be UTF-8,
/// `TypeError` for `texts` that is one `str` or `bytes` or not iterable,
/// `RuntimeError` when no thread can be started, `KeyboardInterrupt` (or
/// what a signal handler raises) between chunks, `PanicException` when a
/// worker panicked (a bug).
pub(crate) fn check<'py>(
    py: Python<'py>,
    linter: &kefu_lint::Linter,
    texts: &Bound<'py, PyAny>,
    threads: usize,
) -> PyResult<Bound<'py, PyList>> {
    let items = items_of(texts)?;
    // The result's lists cannot form a cycle, yet each one made counts
    // toward the collector's next run, and as the result grows each full
    // collection walks all of it: collecting during the call spent a third
    // of its time, and paused the program's other threads for as long.
    let _paused = GcPaused::new(py)?;
    // Checking is work for a core: threads past the cores only wait their
    // turn, and each costs a stack.
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let most = texts.len().map_or(cores, |n| n.div_ceil(CHUNK).min(cores));
    let threads = threads.min(most);
    if threads <= 1 {
        let out = PyList::empty(py);
        let mut items = items.enumerate();
        loop {
            let chunk = items
                .by_ref()
                .take(CHUNK)
                .map(|(i, item)| text_at(i, item?))
                .collect::<PyResult<Vec<PyBackedStr>>>()?;
            if chunk.is_empty() {
                return Ok(out);
            }
            let found = py.detach(|| check_chunk(linter, &chunk));
            append(&out, found)?;
            py.check_signals()?;
        }
    }
    let (jobs, queue) = mpsc::channel::<(usize, Vec<PyBackedStr>)>();
    let queue = Mutex::new(queue);
    let (results, done) = mpsc::channel::<Checked>();
    // Set when the call fails (a bad text, Ctrl-C): the workers drop what is queued.
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        for started in 0..threads {
            let results = results.clone();
            let (queue, stop) = (&queue, &stop);
            if let Err(e) = thread::Builder::new().spawn_scoped(scope, move || work(linter, queue, &results, stop)) {
                // The system's limit: go on with the workers there are.
                if started == 0 {
                    return Err(PyRuntimeError::new_err(format!(
                        "check_many could not start a thread: {e}"
                    )));
                }
                break;
            }
        }
        drop(results);
        let mut collector = Collector::new(py, done);
        let sent = send_chunks(items, &jobs, &mut collector);
        // The workers stop once the queue is empty and closed.
        drop(jobs);
        let all = sent.and_then(|sent| collector.finish(sent));
        if all.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        all
    })
}

/// The findings of each of `texts`.
fn check_chunk(linter: &kefu_lint::Linter, texts: &[PyBackedStr]) -> Vec<Vec<Finding>> {
    texts.iter().map(|t| Finding::all(t, linter.check(t))).collect()
}

/// One worker: checks chunks from `queue` until it is closed, sending each
/// chunk's findings, with its number, to `results`.
fn work(
    linter: &kefu_lint::Linter,
    queue: &Mutex<Receiver<(usize, Vec<PyBackedStr>)>>,
    results: &Sender<Checked>,
    stop: &AtomicBool,
) {
    loop {
        // A poisoned lock means another worker panicked: stop as well.
        let Ok(next) = queue.lock().map(|q| q.recv()) else {
            return;
        };
        let Ok((n, texts)) = next else { return };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let found = check_chunk(linter, &texts);
        // The texts go back to be released with the GIL held.
        if results.send((n, texts, found)).is_err() {
            return;
        }
    }
}

/// Reads `items` into chunks of [`CHUNK`] texts and sends each to `jobs`,
/// making the lists of the chunks already checked after each; the number
/// of chunks sent.
fn send_chunks<'py>(
    items: impl Iterator<Item = PyResult<Bound<'py, PyAny>>>,
    jobs: &Sender<(usize, Vec<PyBackedStr>)>,
    collector: &mut Collector<'py>,
) -> PyResult<usize> {
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut sent = 0;
    for (i, item) in items.enumerate() {
        chunk.push(text_at(i, item?)?);
        if chunk.len() == CHUNK {
            // A closed queue means every worker has stopped (a panic), which `finish` reports.
            let _ = jobs.send((sent, std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))));
            sent += 1;
            collector.take_ready()?;
            collector.pause()?;
        }
    }
    if !chunk.is_empty() {
        let _ = jobs.send((sent, chunk));
        sent += 1;
    }
    Ok(sent)
}

/// The result list, made chunk by chunk in the texts' order from findings
/// that arrive in any order.
struct Collector<'py> {
    out: Bound<'py, PyList>,
    // In a mutex only to be waited on with the GIL released (which needs `Sync`).
    done: Mutex<Receiver<Checked>>,
    waiting: BTreeMap<usize, Vec<Vec<Finding>>>,
    /// The number of the next chunk to append.
    next: usize,
}

impl<'py> Collector<'py> {
    fn new(py: Python<'py>, done: Receiver<Checked>) -> Self {
        Collector {
            out: PyList::empty(py),
            done: Mutex::new(done),
            waiting: BTreeMap::new(),
            next: 0,
        }
    }

    /// Appends the lists of every chunk that has come back and is next in
    /// order, without waiting.
    fn take_ready(&mut self) -> PyResult<()> {
        let done = self.done.get_mut().map_err(|_| panicked())?;
        while let Ok((n, _texts, found)) = done.try_recv() {
            self.waiting.insert(n, found);
        }
        self.append_in_order()
    }

    /// Lets other Python threads run (the GIL is released for a moment) and
    /// raises `KeyboardInterrupt` if Ctrl-C was pressed: between chunks, so
    /// that a long call neither stalls the program nor ignores Ctrl-C.
    fn pause(&self) -> PyResult<()> {
        let py = self.out.py();
        py.detach(|| ());
        py.check_signals()
    }

    /// Waits (with the GIL released) for the findings of the first `chunks`
    /// chunks and appends their lists in order: the whole result.
    ///
    /// # Errors
    /// `PanicException` when the workers stopped before checking them all.
    fn finish(mut self, chunks: usize) -> PyResult<Bound<'py, PyList>> {
        self.append_in_order()?;
        while self.next < chunks {
            let py = self.out.py();
            let done = &self.done;
            let (n, _texts, found) = py
                .detach(|| done.lock().ok().and_then(|d| d.recv().ok()))
                .ok_or_else(panicked)?;
            self.waiting.insert(n, found);
            self.append_in_order()?;
            self.out.py().check_signals()?;
        }
        Ok(self.out)
    }

    fn append_in_order(&mut self) -> PyResult<()> {
        while let Some(found) = self.waiting.remove(&self.next) {
            append(&self.out, found)?;
            self.next += 1;
        }
        Ok(())
    }
}

/// Appends one list of `Finding`s per text to `out`.
fn append(out: &Bound<'_, PyList>, found: Vec<Vec<Finding>>) -> PyResult<()> {
    let py = out.py();
    for findings in found {
        out.append(PyList::new(py, findings)?)?;
    }
    Ok(())
}

/// Python's cyclic garbage collector disabled until dropped, when it was
/// enabled (as `gc.disable()` and `gc.enable()`). Calls running at once on
/// several threads share one pause: the first to start disables it, the
/// last to end enables it again.
struct GcPaused<'py> {
    gc: Bound<'py, PyModule>,
}

/// How many `check_many` calls hold the pause, and whether the first found
/// the collector enabled. Changed only with the GIL held.
static PAUSES: Mutex<(usize, bool)> = Mutex::new((0, false));

impl<'py> GcPaused<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import("gc")?;
        let mut pauses = PAUSES.lock().unwrap_or_else(PoisonError::into_inner);
        if pauses.0 == 0 {
            pauses.1 = gc.call_method0("isenabled")?.is_truthy()?;
            if pauses.1 {
                gc.call_method0("disable")?;
            }
        }
        pauses.0 += 1;
        Ok(GcPaused { gc })
    }
}

impl Drop for GcPaused<'_> {
    fn drop(&mut self) {
        let mut pauses = PAUSES.lock().unwrap_or_else(PoisonError::into_inner);
        pauses.0 -= 1;
        if pauses.0 == 0
            && pauses.1
            && let Err(e) = self.gc.call_method0("enable")
        {
            e.restore(self.gc.py());
        }
    }
}

/// The items of `texts`.
///
/// # Errors
/// `TypeError` for one `str` or `bytes` (not a list of texts) or a value
/// that is not iterable; what `__iter__` raises otherwise, unchanged.
fn items_of<'py>(texts: &Bound<'py, PyAny>) -> PyResult<impl Iterator<Item = PyResult<Bound<'py, PyAny>>>> {
    if texts.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "check_many takes a list of str, not bytes: decode them first, check_many([{}.decode()])",
            texts.repr()?
        )));
    }
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "check_many takes a list of texts, not one: write check_many([{}]), or check() for one text",
            texts.repr()?
        )));
    }
    // Only "not iterable" is worded here; anything `__iter__` itself raises
    // (ConnectionError, KeyboardInterrupt) goes to the caller as it is.
    texts.try_iter().map_err(|e| {
        if e.is_instance_of::<PyTypeError>(texts.py()) {
            PyTypeError::new_err(format!("check_many takes a list of texts: {e}"))
        } else {
            e
        }
    })
}

/// Item `i` of `check_many`'s texts, read as UTF-8.
///
/// # Errors
/// `TypeError` for an item that is not a `str`; `UnicodeEncodeError` (a
/// `ValueError`) for a text holding a lone surrogate. Each names the index
/// of the text at fault (`texts[3]`).
fn text_at(i: usize, item: Bound<'_, PyAny>) -> PyResult<PyBackedStr> {
    if !item.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "check_many takes a list of texts: texts[{i}] is {}, not str",
            item.get_type().name()?
        )));
    }
    item.extract::<PyBackedStr>().map_err(|e| {
        let py = item.py();
        if e.is_instance_of::<PyUnicodeEncodeError>(py) {
            let value = e.value(py);
            let reason = value.getattr("reason").map(|r| r.to_string()).unwrap_or_default();
            let start = value.getattr("start").and_then(|v| v.extract::<isize>()).unwrap_or(0);
            let end = value.getattr("end").and_then(|v| v.extract::<isize>()).unwrap_or(0);
            PyUnicodeEncodeError::new_err((
                "utf-8",
                item.clone().unbind(),
                start,
                end,
                format!("texts[{i}]: {reason}"),
            ))
        } else {
            e
        }
    })
}
