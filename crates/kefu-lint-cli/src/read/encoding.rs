//! Text encodings of input files: detection, decoding with the byte offset of
//! the first bad byte, and encoding back for fixes.

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

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
