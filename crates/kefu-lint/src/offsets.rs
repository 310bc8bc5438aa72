//! Byte offsets of findings (Rust's unit) turned into the units other
//! callers slice their strings by: code points (Python's string indices) and
//! UTF-16 code units (JavaScript, the LanguageTool API).

/// One place in a text, in three units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// Bytes of UTF-8 before the place.
    pub byte: usize,
    /// Code points (Unicode scalar values) before the place.
    pub char: usize,
    /// UTF-16 code units before the place (2 for each code point past U+FFFF).
    pub utf16: usize,
}

/// Converts byte offsets of one text into [`Position`]s, walking from the
/// last place asked for: asking in nearly increasing order (findings are
/// ordered by start) costs time in the text's length, not in the number of
/// findings times the length.
#[derive(Debug)]
pub struct Cursor<'t> {
    text: &'t str,
    at: Position,
}

impl<'t> Cursor<'t> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'t str) -> Cursor<'t> {
        Cursor {
            text,
            at: Position::default(),
        }
    }

    /// The place `byte` bytes into the text. An offset inside a character
    /// is taken as that character's start and one past the end as the end
    /// (the core gives neither; this keeps a request from ever panicking).
    pub fn at(&mut self, byte: usize) -> Position {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte >= self.at.byte {
            let (chars, utf16) = measure(&self.text[self.at.byte..byte]);
            self.at = Position {
                byte,
                char: self.at.char + chars,
                utf16: self.at.utf16 + utf16,
            };
        } else {
            let (chars, utf16) = measure(&self.text[byte..self.at.byte]);
            self.at = Position {
                byte,
                char: self.at.char - chars,
                utf16: self.at.utf16 - utf16,
            };
        }
        self.at
    }
}

/// Code points and UTF-16 code units of `text`.
pub fn measure(text: &str) -> (usize, usize) {
    text.chars()
        .fold((0, 0), |(chars, utf16), c| (chars + 1, utf16 + c.len_utf16()))
}

/// The length of `text` in UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    measure(text).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_count_two_utf16_units_and_one_code_point() {
        let text = "亲😊你好";
        let mut cursor = Cursor::new(text);
        let nin = text.find('你').expect("present");
        assert_eq!(
            cursor.at(nin),
            Position {
                byte: 7,
                char: 2,
                utf16: 3
            }
        );
        // Backwards, then past the end, then inside a character.
        assert_eq!(
            cursor.at(3),
            Position {
                byte: 3,
                char: 1,
                utf16: 1
            }
        );
        assert_eq!(
            cursor.at(99),
            Position {
                byte: 13,
                char: 4,
                utf16: 5
            }
        );
        assert_eq!(
            cursor.at(8),
            Position {
                byte: 7,
                char: 2,
                utf16: 3
            }
        );
        assert_eq!(utf16_len(text), 5);
    }
}
