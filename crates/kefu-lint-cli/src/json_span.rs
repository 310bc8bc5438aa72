//! Where a value lies in a line of JSON: one pass over the line, so finding
//! the reply a fix rewrites costs time linear in the line's length, however
//! often the reply's text repeats in it.

use std::ops::Range;

/// The byte range in `line` (one JSON value, already known to be valid) of
/// the JSON string literal, quotes included, at the dotted `path` of object
/// keys: the value `serde_json` reads there (of duplicate keys, the last).
/// `None` when there is no string at that path.
pub fn string_at(line: &str, path: &str) -> Option<Range<usize>> {
    let keys: Vec<&str> = path.split('.').collect();
    let mut scanner = Scanner {
        bytes: line.as_bytes(),
        text: line,
        at: 0,
        depth: 0,
    };
    scanner.value(Some(&keys)).flatten()
}

/// A cursor over the bytes of a JSON text.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Arrays and objects open at `at`.
    depth: usize,
}

/// How deeply arrays and objects may nest (as in `serde_json`).
const MAX_DEPTH: usize = 128;

impl Scanner<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Skips one value. When `want` is `Some(keys)`, also says where the
    /// string at `keys` inside it lies (`Some(None)`: not there); `None` is
    /// returned for text that is not JSON.
    fn value(&mut self, want: Option<&[&str]>) -> Option<Option<Range<usize>>> {
        self.skip_space();
        let start = self.at;
        let open = matches!(self.bytes.get(self.at), Some(b'{' | b'['));
        if open {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
        }
        let found = self.one(want, start);
        if open {
            self.depth -= 1;
        }
        found
    }

    /// [`Self::value`] past the space before it, which starts at `start`.
    fn one(&mut self, want: Option<&[&str]>, start: usize) -> Option<Option<Range<usize>>> {
        match *self.bytes.get(self.at)? {
            b'"' => {
                self.string()?;
                Some(want.filter(|k| k.is_empty()).map(|_| start..self.at))
            }
            b'{' => self.object(want.filter(|k| !k.is_empty())),
            b'[' => {
                self.at += 1;
                self.skip_space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Some(None);
                }
                loop {
                    self.value(None)?;
                    self.skip_space();
                    match *self.bytes.get(self.at)? {
                        b',' => self.at += 1,
                        b']' => break,
                        _ => return None,
                    }
                }
                self.at += 1;
                Some(None)
            }
            _ => {
                // A number, true, false or null.
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
                {
                    self.at += 1;
                }
                (self.at > start).then_some(None)
            }
        }
    }

    /// Skips an object; with `want`, finds the string at those keys in it.
    fn object(&mut self, want: Option<&[&str]>) -> Option<Option<Range<usize>>> {
        self.at += 1;
        let mut found = None;
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Some(None);
        }
        loop {
            self.skip_space();
            let key = self.string()?;
            self.skip_space();
            if self.bytes.get(self.at) != Some(&b':') {
                return None;
            }
            self.at += 1;
            match want {
                Some([first, rest @ ..]) if self.key_is(key, first) => found = self.value(Some(rest))?,
                _ => {
                    self.value(None)?;
                }
            }
            self.skip_space();
            match *self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b'}' => break,
                _ => return None,
            }
        }
        self.at += 1;
        Some(found)
    }

    /// Skips a string literal; returns its range, quotes included.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        loop {
            let offset = memchr::memchr2(b'"', b'\\', self.bytes.get(self.at..)?)?;
            self.at += offset;
            if self.bytes[self.at] == b'\\' {
                self.at += 2;
            } else {
                self.at += 1;
                return Some(start..self.at);
            }
        }
    }

    /// Whether the key literal at `range` means `name`.
    fn key_is(&self, range: Range<usize>, name: &str) -> bool {
        let literal = &self.text[range];
        if literal.contains('\\') {
            serde_json::from_str::<String>(literal).is_ok_and(|k| k == name)
        } else {
            literal.get(1..literal.len() - 1) == Some(name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(line: &'a str, path: &str) -> Option<&'a str> {
        string_at(line, path).map(|r| &line[r])
    }

    #[test]
    fn finds_the_string_serde_reads() {
        let line = r#"{"x":["你好","你好"],"role":"agent","content":"你好"}"#;
        assert_eq!(string_at(line, "content"), Some(line.len() - 9..line.len() - 1));
        // Duplicate keys: the last one, as serde_json reads it.
        assert_eq!(at(r#"{"content":"a","content":"b"}"#, "content"), Some(r#""b""#));
        assert_eq!(at(r#"{"content":"a","content":1}"#, "content"), None);
        // Nested, escaped keys, look-alikes inside other strings.
        let line = r#"{"m":{"t":"x \"content\":\"y\""},"message":{"c\u006fntent" : "你 好"}}"#;
        assert_eq!(at(line, "message.content"), Some(r#""你 好""#));
        assert_eq!(at(line, "content"), None);
        assert_eq!(
            at(r#"{"a":[{"content":"x"}],"b":true,"c":-1.5e3,"d":null}"#, "content"),
            None
        );
        assert_eq!(at(r#"{"content":"a\\"}"#, "content"), Some(r#""a\\""#));
    }

    #[test]
    fn text_that_is_not_json_is_nowhere() {
        for line in [
            "",
            "{",
            r#"{"content""#,
            r#"{"content":"a"#,
            r#"{"content":"a" "#,
            "[1,",
        ] {
            assert_eq!(string_at(line, "content"), None, "{line}");
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(string_at(&deep, "content"), None);
    }
}
