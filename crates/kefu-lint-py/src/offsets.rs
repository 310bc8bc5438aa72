//! Byte offsets of a reply (Rust's unit) turned into code-point offsets
//! (the unit of Python's string indices).

/// Converts byte offsets of one text into code-point offsets.
///
/// It remembers the last offset it converted, so converting the offsets of
/// a reply's findings (ordered by position) takes time in the bytes between
/// them, not in the reply's length for each one.
pub(crate) struct CodePoints<'t> {
    text: &'t str,
    byte: usize,
    code_point: usize,
}

impl<'t> CodePoints<'t> {
    /// A converter for `text`.
    pub(crate) fn new(text: &'t str) -> Self {
        CodePoints {
            text,
            byte: 0,
            code_point: 0,
        }
    }

    /// The code-point offset of the byte offset `byte`, which lies on a
    /// character boundary of the text (as every span of a finding does).
    /// An offset inside a character or past the end counts the characters
    /// that start before it, so a bad offset gives a wrong index, never a panic.
    pub(crate) fn at(&mut self, byte: usize) -> usize {
        let bytes = self.text.as_bytes();
        let byte = byte.min(bytes.len());
        // UTF-8: each character has exactly one byte that is not a continuation byte.
        let starts = |range: &[u8]| range.iter().filter(|&&b| (b as i8) >= -0x40).count();
        if byte >= self.byte {
            self.code_point += starts(&bytes[self.byte..byte]);
        } else {
            self.code_point -= starts(&bytes[byte..self.byte]);
        }
        self.byte = byte;
        self.code_point
    }
}
