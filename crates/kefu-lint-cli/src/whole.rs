//! Reading an input whole for `--fix` and `--diff`: regular files only (or
//! standard input, which `--fix` never writes), up to a size limit.
//!
//! A fix needs the whole file in memory (its bytes, the decoded text, the
//! replies and the rewrite: about 6 to 8 times its size, more for `--diff`),
//! so a file over the limit is refused, naming the file and the limit;
//! `check` without `--fix` streams any size. A FIFO, socket, device
//! (`/dev/zero`) or directory is refused before it is opened for reading,
//! so nothing blocks and nothing endless is read.

use std::io::{self, Read};
use std::path::Path;

use crate::read::limits::{FileError, open_regular};

use crate::write::Snapshot;

/// The default of `--max-fix-size`: 4 MiB (bytes), which keeps a fix's peak
/// memory near 60 MB for ordinary replies and 400 MB for a file of nothing
/// but findings (measured in README.md, "Fixes").
pub const DEFAULT_LIMIT: u64 = 4 << 20;

/// An input read whole: its bytes, and for a file, what it was when read.
pub struct Whole {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The file's identity, size and time, to tell whether it changed
    /// before a fix is written; `None` for standard input.
    pub snapshot: Option<Snapshot>,
}

/// Why an input was not read whole.
pub enum NotRead {
    /// A file larger than the limit: it can still be checked as it is.
    TooLarge(String),
    /// Anything else (standard input over the limit included: what was
    /// read of it is gone).
    Other(String),
}

/// Reads the input at `path` (`-` is standard input) whole, if it is at
/// most `limit` bytes.
///
/// # Errors
/// Says what the input is when it is not a regular file, its size and the
/// limit when it is too large, or the I/O error.
pub fn read_whole(path: &Path, limit: u64) -> Result<Whole, NotRead> {
    if path.as_os_str() == "-" {
        let bytes = read_limited(io::stdin().lock(), limit).map_err(NotRead::Other)?;
        return Ok(Whole { bytes, snapshot: None });
    }
    let (file, meta) = open_regular(path).map_err(|e| {
        NotRead::Other(match e {
            FileError::NotRegular(what) => format!("{what}; --fix and --diff read only regular files"),
            other => other.to_string(),
        })
    })?;
    if meta.len() > limit {
        return Err(NotRead::TooLarge(too_large(&format!("{} bytes", meta.len()), limit)));
    }
    let bytes = read_limited(file, limit).map_err(NotRead::TooLarge)?;
    Ok(Whole {
        bytes,
        snapshot: Some(Snapshot::of(&meta)),
    })
}

/// Everything `reader` gives, if it is at most `limit` bytes.
fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&format!("more than {limit} bytes"), limit));
    }
    Ok(bytes)
}

/// Says that an input of `size` is over `limit` bytes.
fn too_large(size: &str, limit: u64) -> String {
    format!(
        "{size}, over the --max-fix-size limit of {limit} bytes; not fixed, only checked \
         (raise the limit, or split the file)"
    )
}

/// Parses a size in bytes with an optional binary suffix: `1048576`,
/// `512K`, `64M`, `2G`.
///
/// # Errors
/// When the text is not such a size or it overflows 64 bits.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let digits = upper.trim_end_matches(['B', 'I']);
    let (number, shift) = match digits.char_indices().last() {
        Some((at, 'K')) => (&digits[..at], 10),
        Some((at, 'M')) => (&digits[..at], 20),
        Some((at, 'G')) => (&digits[..at], 30),
        _ => (digits, 0),
    };
    let n: u64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 1048576, 512K, 64M or 2G"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }
}
