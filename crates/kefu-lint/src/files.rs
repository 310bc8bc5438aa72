//! Reading the small files a user names (a configuration, a rule pack, an
//! input) safely: only regular files, never more than a limit, and without
//! waiting on a FIFO.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// A mebibyte, in bytes.
pub const MIB: u64 = 1 << 20;

/// Bytes of a rule pack or configuration file read at most (16 MiB): they
/// are small text files, and the path may be `/dev/zero`.
pub const SMALL_FILE_BYTES: u64 = 16 * MIB;

/// Why [`read_file`] read nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum FileError {
    /// A device, a FIFO, a socket, a directory: what it is.
    NotRegular(&'static str),
    /// Larger than this many bytes.
    TooLarge(u64),
    /// An I/O error, or (for [`read_text_file`]) not UTF-8.
    Other(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::NotRegular(what) => write!(f, "{what}, not a regular file"),
            FileError::TooLarge(max) => write!(f, "larger than the limit of {}", size(*max)),
            FileError::Other(why) => f.write_str(why),
        }
    }
}

/// Reads the regular file at `path`, at most `max` bytes.
///
/// # Errors
/// Not a regular file, larger than `max`, or an I/O error; the message
/// does not name the path.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, FileError> {
    let other = |e: std::io::Error| FileError::Other(e.to_string());
    let (file, meta) = open_regular(path)?;
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(other)?;
    if bytes.len() as u64 > max {
        return Err(FileError::TooLarge(max));
    }
    Ok(bytes)
}

/// Opens the regular file at `path` (through symbolic links) for reading,
/// with its metadata. Anything else is refused before it is opened, and the
/// open does not wait (a FIFO put in its place meanwhile is refused after),
/// so a FIFO with no writer never blocks and `/dev/zero` is never read.
///
/// # Errors
/// [`FileError::NotRegular`] naming what it is, or the I/O error.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), FileError> {
    let other = |e: std::io::Error| FileError::Other(e.to_string());
    let regular = |meta: &Metadata| {
        let t = meta.file_type();
        match () {
            _ if t.is_file() => Ok(()),
            _ if t.is_dir() => Err(FileError::NotRegular("a directory")),
            _ if t.is_fifo() => Err(FileError::NotRegular("a FIFO (named pipe)")),
            _ if t.is_socket() => Err(FileError::NotRegular("a socket")),
            _ if t.is_char_device() || t.is_block_device() => Err(FileError::NotRegular("a device")),
            _ => Err(FileError::NotRegular("something else")),
        }
    };
    regular(&std::fs::metadata(path).map_err(other)?)?;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(other)?;
    let meta = file.metadata().map_err(other)?;
    regular(&meta)?;
    Ok((file, meta))
}

/// [`read_file`] as text, which must be UTF-8.
///
/// # Errors
/// As [`read_file`], or not UTF-8.
pub fn read_text_file(path: &Path, max: u64) -> Result<String, FileError> {
    String::from_utf8(read_file(path, max)?)
        .map_err(|e| FileError::Other(format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))
}

/// `n` bytes in MiB when whole, else in bytes.
pub fn size(n: u64) -> String {
    if n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "x = 1\n").unwrap();
        assert_eq!(read_text_file(&path, 6).unwrap(), "x = 1\n");
        let err = read_file(&path, 5).unwrap_err();
        assert_eq!(err.to_string(), "larger than the limit of 5 bytes");
        assert_eq!(
            read_file(dir.path(), 5).unwrap_err(),
            FileError::NotRegular("a directory")
        );
        assert_eq!(
            read_file(Path::new("/dev/zero"), MIB).unwrap_err(),
            FileError::NotRegular("a device")
        );
        std::fs::write(&path, b"\xff").unwrap();
        assert_eq!(
            read_text_file(&path, 6).unwrap_err().to_string(),
            "not UTF-8 text (byte 0)"
        );
    }
}
