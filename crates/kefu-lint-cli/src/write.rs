//! Safe file writes: a temporary file in the same directory, synced, then
//! renamed over the target, keeping the target's permissions.
//!
//! A process killed while writing (SIGKILL, a power cut) leaves the target
//! as it was and, at worst, its temporary file (`.kefu-lint-XXXXXX.tmp`,
//! hidden). Inputs are never read from such files, and the next write into
//! the same directory removes the ones left untouched for [`STALE_AFTER`].

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The temporary files' names: this prefix, six random characters, [`SUFFIX`].
const PREFIX: &str = ".kefu-lint-";
/// See [`PREFIX`].
const SUFFIX: &str = ".tmp";

/// How long a temporary file of ours must have gone unmodified before a
/// later write removes it as left by an interrupted run. A write in progress
/// modifies its file continuously and renames it within seconds of the last
/// byte; one paused for longer and then robbed of its temporary file fails
/// to rename and leaves its target as it was.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Whether `name` is that of a temporary file made by [`write_atomically`].
pub fn is_temporary(name: &str) -> bool {
    name.len() == PREFIX.len() + 6 + SUFFIX.len() && name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// Replaces `path` with `bytes` so that readers see the old or the new file,
/// never a half-written one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    remove_stale_temporaries(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(PREFIX)
        .suffix(SUFFIX)
        .rand_bytes(6)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform can sync a directory.
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Removes, once per directory and run, the temporary files of ours in `dir`
/// that are stale (see [`STALE_AFTER`]). Failures are ignored: a leftover
/// file is harmless.
fn remove_stale_temporaries(dir: &Path) {
    static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    if let Ok(mut swept) = SWEPT.lock()
        && !swept.insert(dir.to_owned())
    {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_str().is_some_and(is_temporary)
            && entry.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified()
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age >= STALE_AFTER)
            });
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn replaces_the_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.csv");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_target_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // Renaming a file over a non-empty directory fails after the data was written.
        let target = dir.path().join("busy");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside.txt"), "kept").unwrap();
        assert!(write_atomically(&target, b"new").is_err());
        assert_eq!(std::fs::read_to_string(target.join("inside.txt")).unwrap(), "kept");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
