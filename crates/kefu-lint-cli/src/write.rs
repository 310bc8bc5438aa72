//! Safe file writes: a temporary file in the target's directory, synced,
//! then renamed over the target.
//!
//! A process killed while writing (SIGKILL, a power cut) leaves the target
//! as it was and, at worst, its temporary file (`.kefu-lint-XXXXXX.tmp`,
//! hidden). Inputs are never read from such files. A run holds an advisory
//! lock (`flock`) on each temporary file from its creation to its rename;
//! the system releases it when the process ends, however it ends. So a
//! temporary file nobody holds is left over, and [`sweep`] removes it,
//! whatever its age: every write, and `--fix` on every file it is given
//! (even one it then refuses), sweeps that file's directory (once per
//! directory and run). SIGINT and SIGTERM remove the temporary files being
//! written before the process ends (see [`crate::interrupt`]).
//!
//! Two kinds of write:
//! - [`write_atomically`] creates or replaces a file kefu-lint owns (a
//!   baseline, `--output`, `init`'s configuration). A new file gets the
//!   usual mode (0666 less the umask: 0644 under umask 022); a file that
//!   exists keeps its owner, group and mode.
//! - [`replace_verified`] rewrites a user's file (`--fix`). It writes to
//!   the file a symbolic link points to (through any chain of links), keeps
//!   the owner, group and mode, and refuses what it cannot rewrite without
//!   harm: anything but a regular file, a file with several hard links (a
//!   rename would split them), a read-only file (no write permission for
//!   its owner, or none for the current user). After the new content is
//!   written and synced, and immediately before the rename, it checks that
//!   the file is still the one that was read (see [`Snapshot`]).

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use crate::interrupt::{Watched, unsignalled};

/// The temporary files' names: this prefix, six random characters, [`SUFFIX`].
const PREFIX: &str = ".kefu-lint-";
/// See [`PREFIX`].
const SUFFIX: &str = ".tmp";

/// Whether `name` is that of a temporary file made by [`write_atomically`].
pub fn is_temporary(name: &str) -> bool {
    name.len() == PREFIX.len() + 6 + SUFFIX.len() && name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// What a file was when it was read: its identity (device and inode), size
/// in bytes, modification time, links, owner, group and mode. With the
/// bytes read, it tells whether the file changed since (a file made
/// read-only, or linked, while it was being fixed has changed too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
    nlink: u64,
    uid: u32,
    gid: u32,
    mode: u32,
}

impl Snapshot {
    /// The snapshot of a file from its metadata (taken on the open file).
    pub fn of(meta: &fs::Metadata) -> Snapshot {
        Snapshot {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok(),
            nlink: meta.nlink(),
            uid: meta.uid(),
            gid: meta.gid(),
            mode: meta.mode(),
        }
    }
}

/// Replaces `path` (a file kefu-lint writes: baseline, `--output`,
/// configuration) with `bytes` so that readers see the old or the new file,
/// never a half-written one. A symbolic link is written through to its
/// target. A new file's mode is 0666 less the umask; an existing file keeps
/// its owner, group and mode.
///
/// # Errors
/// What is at `path` is not a regular file (a device such as `/dev/null`, a
/// FIFO, a directory: a rename would replace it), or any I/O error
/// creating, writing, syncing or renaming the file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve(path)?;
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file, so not replaced; give a file name",
        ));
    }
    let mut tmp = temporary_beside(&target, existing.is_none())?;
    tmp.file.write_all(bytes)?;
    tmp.file.as_file().sync_all()?;
    if let Some(meta) = &existing {
        adopt(tmp.file.as_file(), meta)?;
    }
    persist(tmp, &target)
}

/// Rewrites the user's file at `path`, read as `read` (its bytes) when it
/// was `snapshot`, with `bytes`, atomically, keeping owner, group and mode;
/// a symbolic link is written through to the file it points to.
///
/// # Errors
/// A message that says why the file was left as it is: it is not a regular
/// file, has several hard links, is read-only, its owner or group cannot be
/// kept, it changed on disk since it was read (checked after the new
/// content is written and synced, immediately before the rename), or an
/// I/O error.
pub fn replace_verified(path: &Path, bytes: &[u8], read: &[u8], snapshot: Snapshot) -> Result<(), String> {
    let gone = |e: io::Error| match e.kind() {
        io::ErrorKind::NotFound => CHANGED.to_owned(),
        _ => e.to_string(),
    };
    let target = resolve(path).map_err(gone)?;
    let meta = fs::metadata(&target).map_err(gone)?;
    writable(&target, &meta)?;
    if Snapshot::of(&meta) != snapshot {
        return Err(CHANGED.into());
    }
    let io = |e: io::Error| e.to_string();
    let mut tmp = temporary_beside(&target, false).map_err(|e| {
        format!(
            "cannot create a temporary file in its directory ({}); not written",
            e.kind()
        )
    })?;
    tmp.file.write_all(bytes).map_err(io)?;
    adopt(tmp.file.as_file(), &meta).map_err(|e| {
        format!(
            "cannot keep its owner, group ({}:{}) and mode: {e}; not written",
            meta.uid(),
            meta.gid()
        )
    })?;
    tmp.file.as_file().sync_all().map_err(io)?;
    if !unchanged(&target, read, snapshot).map_err(io)? {
        return Err(CHANGED.into());
    }
    persist(tmp, &target).map_err(io)
}

/// Gives `tmp` the owner, group and mode `meta` says. Owner and group
/// first: changing them clears set-user-ID bits, which the mode restores.
///
/// # Errors
/// When the owner or group cannot be given (only root may give a file away).
fn adopt(tmp: &fs::File, meta: &fs::Metadata) -> io::Result<()> {
    let made = tmp.metadata()?;
    if (made.uid(), made.gid()) != (meta.uid(), meta.gid()) {
        std::os::unix::fs::fchown(tmp, Some(meta.uid()), Some(meta.gid()))?;
    }
    tmp.set_permissions(meta.permissions())
}

/// Why a file that changed since it was read is not written.
const CHANGED: &str = "it changed on disk while it was being fixed (its content, size, time, mode or owner, \
                       or the file itself); left as it is, not written; the findings shown are of the \
                       content read before the change: check it again";

/// Whether `meta` (of `target`) is a file `--fix` may rewrite.
fn writable(target: &Path, meta: &fs::Metadata) -> Result<(), String> {
    if !meta.is_file() {
        return Err(format!("{} is not a regular file; not written", target.display()));
    }
    if meta.nlink() > 1 {
        return Err(format!(
            "it has {} hard links, which a rewrite would split; not written (fix a copy, or --diff)",
            meta.nlink()
        ));
    }
    let mode = meta.permissions().mode();
    // Opening for writing (without truncating) asks the system whether this
    // user may write it; the owner's write bit says whether anyone meant to.
    if mode & 0o200 == 0 {
        return Err(format!("it is read-only (mode {:04o}); not written", mode & 0o7777));
    }
    if let Err(e) = open_nonblocking(target, true) {
        return Err(format!(
            "it cannot be written by you (mode {:04o}: {e}); not written",
            mode & 0o7777
        ));
    }
    Ok(())
}

/// Whether the file at `target` is still the one read as `read` when it
/// was `snapshot`: same identity, size, modification time and bytes.
fn unchanged(target: &Path, read: &[u8], snapshot: Snapshot) -> io::Result<bool> {
    let mut file = match open_nonblocking(target, false) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        opened => opened?,
    };
    if Snapshot::of(&file.metadata()?) != snapshot {
        return Ok(false);
    }
    let mut buf = vec![0; 64 * 1024];
    let mut at = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(at == read.len());
        }
        if read.get(at..at + n) != Some(&buf[..n]) {
            return Ok(false);
        }
        at += n;
    }
}

/// Opens `path` for reading, or for writing (without truncating), without
/// waiting: a FIFO put in a file's place does not block the run.
fn open_nonblocking(path: &Path, write: bool) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .read(!write)
        .write(write)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// The file `path` names, symbolic links resolved (the path itself when it
/// does not exist yet, with its directory resolved).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    match fs::canonicalize(path) {
        Ok(real) => Ok(real),
        Err(e) if e.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(path).is_err() => {
            let name = path.file_name().ok_or(e)?;
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => fs::canonicalize(p)?,
                _ => PathBuf::from("."),
            };
            Ok(dir.join(name))
        }
        // A dangling link: writing would create a file somewhere unexpected.
        Err(e) => Err(e),
    }
}

/// A temporary file being written, removed if the run is interrupted
/// (see [`crate::interrupt`]).
struct Temporary {
    file: tempfile::NamedTempFile,
    _watched: Watched,
}

/// A temporary file in `target`'s directory; mode 0666 less the umask when
/// `new`, else 0600 until the caller sets the target's mode.
fn temporary_beside(target: &Path, new: bool) -> io::Result<Temporary> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    sweep(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(PREFIX).suffix(SUFFIX).rand_bytes(6);
    if new {
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    loop {
        let made = Watched::creating(|| {
            let tmp = builder.tempfile_in(dir)?;
            lock(tmp.as_file(), true)?;
            // A sweep by another run may have taken it between its creation
            // and the lock (it unlinks only while holding the lock): make another.
            let ours = tmp.as_file().metadata()?;
            let kept = fs::symlink_metadata(tmp.path()).is_ok_and(|m| (m.dev(), m.ino()) == (ours.dev(), ours.ino()));
            Ok(kept.then(|| {
                let path = tmp.path().to_owned();
                (tmp, path)
            }))
        })?;
        if let Some((file, watched)) = made {
            return Ok(Temporary {
                file,
                _watched: watched,
            });
        }
    }
}

/// Takes the advisory lock on `file`, waiting for it (`wait`) or not.
///
/// # Errors
/// `WouldBlock` when another process holds it and `wait` is false; any
/// other error of `flock(2)`.
fn lock(file: &fs::File, wait: bool) -> io::Result<()> {
    use rustix::fs::FlockOperation;
    let how = if wait {
        FlockOperation::LockExclusive
    } else {
        FlockOperation::NonBlockingLockExclusive
    };
    rustix::fs::flock(file, how).map_err(io::Error::from)
}

/// Renames `tmp` over `target` and makes the rename durable.
fn persist(tmp: Temporary, target: &Path) -> io::Result<()> {
    let Temporary { file: tmp, _watched } = tmp;
    tmp.as_file().sync_all()?;
    unsignalled(|| tmp.persist(target)).map_err(|e| e.error)?;
    // Not every platform can sync a directory.
    if let Some(dir) = target.parent()
        && let Ok(handle) = fs::File::open(dir)
    {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Removes, once per directory and run, the temporary files of ours in `dir`
/// that no running process is writing: those whose lock (see the module
/// comment) it can take, whatever their age. Failures are ignored: a
/// leftover file is harmless.
pub fn sweep(dir: &Path) {
    static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    if let Ok(mut swept) = SWEPT.lock()
        && !swept.insert(dir.to_owned())
    {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(is_temporary) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = open_nonblocking(&path, false) else {
            continue;
        };
        // Unlinked while the lock is held, so that its writer, which checks
        // after taking the lock, sees it gone.
        if file.metadata().is_ok_and(|m| m.is_file()) && lock(&file, false).is_ok() {
            let _ = fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_file_changed_after_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.txt");
        std::fs::write(&path, "你好\n").unwrap();
        let snapshot = Snapshot::of(&std::fs::metadata(&path).unwrap());
        // Same size, same identity: only the bytes tell.
        std::fs::write(&path, "您好\n").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(snapshot.modified.unwrap()).unwrap();
        let err = replace_verified(&path, "您好\n".as_bytes(), "你好\n".as_bytes(), snapshot).unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
