//! Text encodings of input files: detection, decoding with the byte offset of
//! the first bad byte, and encoding back for fixes.

use std::ops::Range;

use encoding_rs::{DecoderResult, EncoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// How a file's bytes were (or must be) turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEncoding {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Whether the file starts with a byte-order mark.
    pub bom: bool,
}

impl TextEncoding {
    /// Encodes `text` the same way, byte-order mark included.
    pub fn encode(self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.encoding == UTF_16LE || self.encoding == UTF_16BE {
            let le = self.encoding == UTF_16LE;
            if self.bom {
                out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
            }
            for unit in text.encode_utf16() {
                out.extend_from_slice(&if le { unit.to_le_bytes() } else { unit.to_be_bytes() });
            }
            return out;
        }
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(&self.encoding.encode(text).0);
        out
    }

    /// The bytes of a file after replacing stretches of its text: `original`
    /// is the file (byte-order mark included) that decodes to `text` in this
    /// encoding; each splice replaces a range of `text` (on character
    /// boundaries, in order, not overlapping) with new text.
    ///
    /// Only the replacements are encoded; every other byte is copied from
    /// `original`. Decoding is not always the inverse of encoding (in GB18030
    /// the byte `80` reads as € but € is written `A2 E3`, and `A3 A0` reads as
    /// U+3000 but U+3000 is written `A1 A1`), so encoding the whole new text
    /// would change bytes nobody fixed.
    ///
    /// # Errors
    /// The first splice whose new text cannot be written in this encoding so
    /// that it reads back as itself, and why; or that `original` does not
    /// line up with `text` (no splice named).
    pub fn splice<'a>(
        self,
        original: &[u8],
        text: &str,
        splices: impl IntoIterator<Item = (Range<usize>, &'a str)> + Clone,
    ) -> Result<Vec<u8>, SpliceError> {
        let start = self.bom_len().min(original.len());
        let body = &original[start..];
        let bounds = splices
            .clone()
            .into_iter()
            .flat_map(|(range, _)| [range.start, range.end]);
        let misaligned = || SpliceError {
            splice: None,
            why: "the file's bytes do not line up with its text".to_owned(),
        };
        let offsets = self.byte_offsets(body, text, bounds).ok_or_else(misaligned)?;
        let mut out = Vec::with_capacity(original.len() + 64);
        out.extend_from_slice(&original[..start]);
        let mut at = 0;
        for (index, ((_, new), pair)) in splices.into_iter().zip(offsets.chunks_exact(2)).enumerate() {
            let (from, to) = (pair[0], pair[1]);
            out.extend_from_slice(body.get(at..from).filter(|_| from <= to).ok_or_else(misaligned)?);
            out.extend(self.encode_exactly(new).map_err(|why| SpliceError {
                splice: Some(index),
                why,
            })?);
            at = to;
        }
        out.extend_from_slice(&body[at..]);
        Ok(out)
    }

    /// Whether `bytes` (byte-order mark included) decode to exactly `text`.
    pub fn reads_back(self, bytes: &[u8], text: &str) -> bool {
        let start = self.bom_len();
        bytes.len() >= start
            && (!self.bom || Encoding::for_bom(bytes).map(|(e, _)| e) == Some(self.encoding))
            && strict(self.encoding, &bytes[start..]).is_ok_and(|decoded| decoded == text)
    }

    /// `text` in this encoding, if it reads back as itself; no byte-order mark.
    fn encode_exactly(self, text: &str) -> Result<Vec<u8>, String> {
        if self.encoding == UTF_8 {
            return Ok(text.as_bytes().to_vec());
        }
        if self.encoding == UTF_16LE || self.encoding == UTF_16BE {
            return Ok(TextEncoding { bom: false, ..self }.encode(text));
        }
        let mut encoder = self.encoding.new_encoder();
        let mut out = Vec::with_capacity(text.len() + 16);
        let mut read = 0;
        loop {
            let (result, n) = encoder.encode_from_utf8_to_vec_without_replacement(&text[read..], &mut out, true);
            read += n;
            match result {
                EncoderResult::InputEmpty => break,
                EncoderResult::OutputFull => out.reserve(text.len() - read + 16),
                EncoderResult::Unmappable(c) => return Err(format!("it has no bytes for {}", code_point(c))),
            }
        }
        match strict(self.encoding, &out) {
            Ok(back) if back == text => Ok(out),
            Ok(back) => {
                let (c, d) = text
                    .chars()
                    .zip(back.chars())
                    .find(|(a, b)| a != b)
                    .unwrap_or(('?', '?'));
                Err(format!("{} would read back as {}", code_point(c), code_point(d)))
            }
            Err(_) => Err("its bytes would not read back".into()),
        }
    }

    /// Bytes of the byte-order mark the file starts with.
    fn bom_len(self) -> usize {
        match (self.bom, self.encoding == UTF_8) {
            (false, _) => 0,
            (true, true) => 3,
            (true, false) => 2,
        }
    }

    /// The byte offsets in `body` (the file after its byte-order mark) of the
    /// character boundaries `targets` (ascending) of `text`, which `body`
    /// decodes to; `None` if they do not line up.
    fn byte_offsets(self, body: &[u8], text: &str, targets: impl Iterator<Item = usize>) -> Option<Vec<usize>> {
        if self.encoding == UTF_8 {
            let out: Vec<usize> = targets.collect();
            return out
                .iter()
                .all(|&t| t <= body.len() && text.is_char_boundary(t))
                .then_some(out);
        }
        let utf16 = self.encoding == UTF_16LE || self.encoding == UTF_16BE;
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut at = 0;
        for t in targets {
            if !text.is_char_boundary(t) {
                return None;
            }
            while let Some((_, c)) = chars.next_if(|&(i, _)| i < t) {
                at += if utf16 {
                    2 * c.len_utf16()
                } else {
                    gb18030_sequence_len(body.get(at..)?)
                };
            }
            if at > body.len() {
                return None;
            }
            out.push(at);
        }
        Some(out)
    }
}

/// `U+4F60 (你)`; the character only when it is printable.
fn code_point(c: char) -> String {
    let printable = !c.is_control() && !matches!(u32::from(c), 0xE000..=0xF8FF | 0xF0000..);
    if printable {
        format!("U+{:04X} ({c})", u32::from(c))
    } else {
        format!("U+{:04X}", u32::from(c))
    }
}

/// How many bytes the GB18030 character at the start of `bytes` takes: one
/// for ASCII and for `80` (€), four when the second byte is a digit, else two.
/// The bytes are known to decode (a strict decoding succeeded).
fn gb18030_sequence_len(bytes: &[u8]) -> usize {
    match bytes {
        [0..=0x80, ..] | [] => 1,
        [_, 0x30..=0x39, ..] => 4,
        _ => 2,
    }
}

/// Why [`TextEncoding::splice`] could not make the new bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct SpliceError {
    /// The index of the splice at fault, if one is.
    pub splice: Option<usize>,
    /// What is wrong.
    pub why: String,
}

/// An encoding's name as users write it.
pub fn display_name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030"
    } else {
        encoding.name()
    }
}

/// Parses a `--encoding` value.
pub fn parse_label(label: &str) -> Result<&'static Encoding, String> {
    match label.to_ascii_lowercase().as_str() {
        "gbk" | "gb2312" | "gb18030" | "cp936" => Ok(GB18030),
        other => Encoding::for_label(other.as_bytes())
            .filter(|e| [UTF_8, UTF_16LE, UTF_16BE, GB18030].contains(e))
            .ok_or_else(|| format!("unsupported encoding {label:?}: use utf-8, utf-16le, utf-16be, gbk or gb18030")),
    }
}

/// The decoded text, how it was decoded, and a note when the encoding was a guess.
#[derive(Debug)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// The encoding to write fixes back in.
    pub encoding: TextEncoding,
    /// Said to the user when the encoding was assumed rather than certain.
    pub note: Option<String>,
}

/// Decodes `bytes`: with `forced`, in that encoding; otherwise by byte-order
/// mark, else UTF-8, else GB18030 (what Excel on Chinese Windows writes).
///
/// # Errors
/// The byte offset of the first byte that does not decode.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, String> {
    let (bom_encoding, bom_len) = Encoding::for_bom(bytes).unwrap_or((UTF_8, 0));
    let body = &bytes[bom_len..];
    let bom = bom_len > 0;
    if let Some(encoding) = forced {
        let text = strict(encoding, if bom && bom_encoding == encoding { body } else { bytes }).map_err(|at| {
            format!(
                "not valid {} at byte {}",
                display_name(encoding),
                at + usize::from(bom_encoding == encoding) * bom_len
            )
        })?;
        return Ok(Decoded {
            text,
            encoding: TextEncoding {
                encoding,
                bom: bom && bom_encoding == encoding,
            },
            note: None,
        });
    }
    if bom {
        let text = strict(bom_encoding, body)
            .map_err(|at| format!("not valid {} at byte {}", display_name(bom_encoding), at + bom_len))?;
        return Ok(Decoded {
            text,
            encoding: TextEncoding {
                encoding: bom_encoding,
                bom,
            },
            note: None,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_owned(),
            encoding: TextEncoding {
                encoding: UTF_8,
                bom: false,
            },
            note: None,
        }),
        Err(utf8) => match strict(GB18030, bytes) {
            Ok(text) => Ok(Decoded {
                text,
                encoding: TextEncoding {
                    encoding: GB18030,
                    bom: false,
                },
                note: Some(format!(
                    "not valid UTF-8 (byte {}); decoded as GB18030 (use --encoding to choose)",
                    utf8.valid_up_to()
                )),
            }),
            Err(_) => Err(format!(
                "not valid UTF-8 at byte {}, and not GB18030 either",
                utf8.valid_up_to()
            )),
        },
    }
}

/// Decodes without replacement; the error is the offset of the first bad byte.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let mut read_total = 0;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut text, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(bytes.len() - read_total + 16),
            DecoderResult::Malformed(bad, after) => {
                return Err(read_total - usize::from(bad) - usize::from(after));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_round_trips_encodings() {
        let text = "您好,亲\r\n不讲价";
        let cases = [
            TextEncoding {
                encoding: UTF_8,
                bom: false,
            },
            TextEncoding {
                encoding: UTF_8,
                bom: true,
            },
            TextEncoding {
                encoding: UTF_16LE,
                bom: true,
            },
            TextEncoding {
                encoding: UTF_16BE,
                bom: true,
            },
            TextEncoding {
                encoding: GB18030,
                bom: false,
            },
        ];
        for enc in cases {
            let bytes = enc.encode(text);
            let decoded = decode(&bytes, None).expect("decodes");
            assert_eq!(decoded.text, text, "{enc:?}");
            assert_eq!(decoded.encoding, enc);
            assert_eq!(decoded.note.is_some(), enc.encoding == GB18030);
            assert_eq!(decoded.encoding.encode(&decoded.text), bytes, "{enc:?} round trip");
        }
    }

    #[test]
    fn splices_copy_the_original_bytes_and_encode_only_the_new_text() {
        let gb = TextEncoding {
            encoding: GB18030,
            bom: false,
        };
        // 你 80(€) / A3 A0(U+3000) 𠀀(four bytes) 你
        let original = b"\xC4\xE3\x80\n\xA3\xA0\x95\x32\x82\x36\xC4\xE3";
        let decoded = decode(original, Some(GB18030)).unwrap();
        assert_eq!(decoded.text, "你€\n\u{3000}\u{20000}你");
        let at = decoded.text.rfind('你').unwrap();
        let bytes = gb
            .splice(original, &decoded.text, [(0..3, "您"), (at..at + 3, "您€")])
            .unwrap();
        assert_eq!(bytes, b"\xC4\xFA\x80\n\xA3\xA0\x95\x32\x82\x36\xC4\xFA\xA2\xE3");
        assert!(gb.reads_back(&bytes, "您€\n\u{3000}\u{20000}您€"));

        let utf16 = TextEncoding {
            encoding: UTF_16BE,
            bom: true,
        };
        let original = utf16.encode("😊你好");
        let bytes = utf16.splice(&original, "😊你好", [(4..7, "您")]).unwrap();
        assert_eq!(bytes, utf16.encode("😊您好"));
        assert!(!utf16.reads_back(&bytes, "😊你好"));
    }

    #[test]
    fn splices_the_encoding_cannot_hold_are_refused() {
        let gb = TextEncoding {
            encoding: GB18030,
            bom: false,
        };
        let err = gb.splice(b"ab", "ab", [(0..1, "x"), (1..2, "\u{E5E5}")]).unwrap_err();
        assert_eq!(
            err,
            SpliceError {
                splice: Some(1),
                why: "it has no bytes for U+E5E5".into()
            }
        );
        // Written A6 D9, which reads as U+FE10.
        let err = gb.splice(b"ab", "ab", [(0..1, "\u{E78D}")]).unwrap_err();
        assert_eq!(err.why, "U+E78D would read back as U+FE10 (\u{FE10})");
        // A range that is not on a character boundary of the text.
        let err = gb.splice(b"\xC4\xE3", "你", [(1..2, "x")]).unwrap_err();
        assert_eq!(err.splice, None);
    }

    #[test]
    fn reports_the_first_bad_byte() {
        // 0xFF is neither UTF-8 nor a GB18030 lead byte.
        let err = decode(b"ok\xE4\xBD\xA0\xFF!", None).unwrap_err();
        assert_eq!(err, "not valid UTF-8 at byte 5, and not GB18030 either");
        let err = decode(b"ab\x81", Some(GB18030)).unwrap_err();
        assert_eq!(err, "not valid GB18030 at byte 2");
    }

    #[test]
    fn parses_labels() {
        assert_eq!(parse_label("GBK"), Ok(GB18030));
        assert_eq!(parse_label("utf-16le"), Ok(UTF_16LE));
        assert!(parse_label("latin1").is_err());
    }
}
