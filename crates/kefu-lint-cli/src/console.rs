//! Writing to standard output and standard error when either may be a pipe
//! whose reader has gone (`kefu-lint check … | head -5`, `2>&1 | head -1`).
//!
//! Rust's `print!` and `eprint!` panic when a write fails, and a closed pipe
//! makes every write fail (`EPIPE`; Rust ignores `SIGPIPE`). Nothing here
//! panics: a message to standard error that cannot be written is dropped,
//! and standard output, once its reader has gone, swallows the rest
//! ([`Closable`]) so that a check runs to its end and exits with the status
//! its findings give, never 0 for findings that were not seen.

use std::fmt;
use std::io::{self, Write};

/// Writes one line (`args` and a line feed) to standard error in one write,
/// so that no other output (a terminal's echo, another process in a CI log)
/// lands inside it; a failed write (a closed pipe, a full disk) is ignored,
/// as there is nowhere left to say it.
pub fn error_line(args: fmt::Arguments<'_>) {
    let line = format!("{args}\n");
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// Writes `text` as it is to standard error; a failed write is ignored.
pub fn error_text(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Writes `text` to standard output and flushes it.
///
/// # Errors
/// The write error, but for a closed pipe (`BrokenPipe`), which is not one:
/// the reader took what it wanted.
pub fn out_text(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    ignore_closed(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// `result`, with a closed pipe (`BrokenPipe`) counted as success.
fn ignore_closed(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes one line to standard error like `eprintln!`, but never panics:
/// see [`error_line`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::console::error_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// A writer that, once a write finds its reader gone (`BrokenPipe`),
/// accepts and drops everything after; every other error is passed on.
#[derive(Debug)]
pub struct Closable<W> {
    inner: W,
    closed: bool,
}

impl<W> Closable<W> {
    /// Wraps `inner`, open.
    pub fn new(inner: W) -> Self {
        Self { inner, closed: false }
    }
}

impl<W: Write> Write for Closable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader is gone.
    struct Gone;

    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    /// A writer on a full disk.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(libc::ENOSPC))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_swallows_the_rest_and_other_errors_pass() {
        let mut gone = Closable::new(Gone);
        assert!(gone.write_all(b"one").is_ok());
        assert!(gone.closed);
        assert!(gone.write_all(b"two").and_then(|()| gone.flush()).is_ok());
        assert!(Closable::new(Full).write_all(b"x").is_err());
        let mut open = Closable::new(Vec::new());
        open.write_all(b"kept").unwrap();
        assert_eq!(open.inner, b"kept");
    }
}
