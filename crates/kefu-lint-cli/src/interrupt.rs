//! SIGINT (Ctrl-C) and SIGTERM while a file is being written: the
//! temporary files being written are removed, then the process ends as the
//! signal asks (SIGKILL cannot be caught: see [`crate::write::sweep`]).
//!
//! The watching thread starts with the first temporary file; until then
//! the signals have their default action.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// The temporary files being written, by path.
static LIVE: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn live() -> MutexGuard<'static, BTreeSet<PathBuf>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A temporary file being written, removed on SIGINT or SIGTERM until this
/// is dropped.
#[derive(Debug)]
pub struct Watched(PathBuf);

impl Watched {
    /// Runs `create`, which makes a temporary file and gives it with its
    /// path (or nothing), and watches that file. The signals are watched
    /// before it starts, and a signal that comes while it runs waits for it:
    /// a file created is never left behind by a signal that came before it
    /// was watched.
    ///
    /// # Errors
    /// What `create` returns.
    pub fn creating<T>(
        create: impl FnOnce() -> std::io::Result<Option<(T, PathBuf)>>,
    ) -> std::io::Result<Option<(T, Watched)>> {
        watch();
        let mut live = live();
        Ok(create()?.map(|(made, path)| {
            live.insert(path.clone());
            (made, Watched(path))
        }))
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        live().remove(&self.0);
    }
}

/// Runs `f` (a rename of a watched file) where no signal removes a file:
/// the file is renamed whole, or not at all and removed after.
pub fn unsignalled<T>(f: impl FnOnce() -> T) -> T {
    let _held = live();
    f()
}

/// Starts the watching thread, once. If the signals cannot be watched,
/// they keep their default action (a temporary file may stay, as after
/// SIGKILL).
fn watch() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let _ = std::thread::Builder::new().name("interrupt".into()).spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the process ends: no file is renamed meanwhile.
                let held = live();
                for path in held.iter() {
                    let _ = std::fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}
