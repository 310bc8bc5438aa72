//! Input readers: files and standard input turned into replies.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// One reply and where it came from.
#[derive(Debug)]
pub struct Reply {
    /// 1-based line number in the input.
    pub line: usize,
    /// The reply exactly as written (without the line ending).
    pub text: String,
}

/// The replies of one input.
#[derive(Debug)]
pub struct Input {
    /// The path as the user gave it, or `<stdin>`.
    pub name: String,
    /// Its replies, in order.
    pub replies: Vec<Reply>,
}

/// An input that could not be read.
#[derive(Debug)]
pub struct InputError {
    /// The path as the user gave it.
    pub name: String,
    /// What went wrong.
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.reason)
    }
}

/// Name used for standard input in output.
pub const STDIN: &str = "<stdin>";

/// Reads `path` (`-` is standard input).
pub fn read(path: &Path) -> Result<Input, InputError> {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin {
        STDIN.to_owned()
    } else {
        path.display().to_string()
    };
    let fail = |reason: String| InputError {
        name: name.clone(),
        reason,
    };
    let bytes = if is_stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| fail(e.to_string()))?;
        buf
    } else {
        if path.is_dir() {
            return Err(fail("is a directory; give the files to check".into()));
        }
        std::fs::read(path).map_err(|e| fail(e.to_string()))?
    };
    let text = decode(&bytes).map_err(fail)?;
    Ok(Input {
        name,
        replies: lines(text),
    })
}

/// Decodes UTF-8 (a leading byte-order mark is dropped).
fn decode(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("not valid UTF-8 at byte {at} (line {line})")
    })
}

/// One reply per non-empty line; `\r\n` and `\n` endings.
fn lines(text: &str) -> Vec<Reply> {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| Reply {
            line: i + 1,
            text: line.strip_suffix('\r').unwrap_or(line).to_owned(),
        })
        .filter(|r| !r.text.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_and_skips_blank_ones() {
        let replies = lines("嗯\r\n\n  \n你好\n");
        let got: Vec<_> = replies.iter().map(|r| (r.line, r.text.as_str())).collect();
        assert_eq!(got, [(1, "嗯"), (4, "你好")]);
    }

    #[test]
    fn reports_where_utf8_breaks() {
        assert_eq!(decode(b"ok\n\xff").unwrap_err(), "not valid UTF-8 at byte 3 (line 2)");
        assert_eq!(decode(b"\xEF\xBB\xBF\xE5\x97\xAF"), Ok("嗯"));
    }
}
