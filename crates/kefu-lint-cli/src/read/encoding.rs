//! Text encodings of input files: detection, decoding with the byte offset of
//! the first bad byte, and encoding back for fixes.

use std::ops::Range;

use super::plausible;
use encoding_rs::{Decoder, DecoderResult, EncoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

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
                } else if self.encoding == GB18030 {
                    gb18030_sequence_len(body.get(at..)?)
                } else {
                    let (len, count) = sequence_len(self.encoding, body.get(at..)?)?;
                    // The other characters the same bytes decode to (Big5
                    // `88 62` is Ê and U+0304), which no target may split.
                    for _ in 1..count {
                        chars.next_if(|&(i, _)| i < t)?;
                    }
                    len
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

/// How many bytes at the start of `bytes` decode to characters in
/// `encoding`, and to how many (Big5 `88 62` is two: Ê and U+0304), found
/// by decoding a byte at a time (for encodings other than UTF-8, UTF-16 and
/// GB18030); `None` when they do not decode.
fn sequence_len(encoding: &'static Encoding, bytes: &[u8]) -> Option<(usize, usize)> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(16);
    for (n, byte) in bytes.iter().take(8).enumerate() {
        let (result, _) = decoder.decode_to_string_without_replacement(std::slice::from_ref(byte), &mut out, false);
        if matches!(result, DecoderResult::Malformed(..)) {
            return None;
        }
        if !out.is_empty() {
            return Some((n + 1, out.chars().count()));
        }
    }
    None
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

/// An encoding's name with what it is, for notes: `Big5 (Traditional Chinese)`.
fn described(encoding: &'static Encoding) -> String {
    let what = if encoding == GB18030 || encoding == encoding_rs::GBK {
        "Simplified Chinese"
    } else if encoding == encoding_rs::BIG5 {
        "Traditional Chinese"
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        "Unicode"
    } else {
        return display_name(encoding).to_owned();
    };
    format!("{} ({what})", display_name(encoding))
}

/// The script of the replies of a text read in `encoding` whose own
/// characters (`of_text`, asked only when needed) may not tell: Big5 holds
/// no Simplified-only character, so a Big5 text is Traditional whatever its
/// characters say (and its fixes stay writable in Big5); a GB18030 (GBK)
/// text whose characters tell nothing is Simplified; in any other
/// encoding, the characters decide.
pub fn script_around(
    encoding: &'static Encoding,
    of_text: impl FnOnce() -> Option<kefu_lint::Script>,
) -> Option<kefu_lint::Script> {
    if encoding == encoding_rs::BIG5 {
        return Some(kefu_lint::Script::Traditional);
    }
    of_text().or_else(|| (encoding == GB18030 || encoding == encoding_rs::GBK).then_some(kefu_lint::Script::Simplified))
}

/// The `--encoding` labels Windows and Python use that the WHATWG Encoding
/// Standard does not know, with the WHATWG label each means (Big5-HKSCS is
/// read as WHATWG Big5, which holds the HKSCS characters).
pub const ALIASES: &[(&str, &str)] = &[
    ("cp936", "gb18030"),
    ("ms936", "gb18030"),
    ("windows-936", "gb18030"),
    ("936", "gb18030"),
    ("euc-cn", "gb18030"),
    ("gb18030-2000", "gb18030"),
    ("cp950", "big5"),
    ("ms950", "big5"),
    ("windows-950", "big5"),
    ("950", "big5"),
    ("big5hkscs", "big5"),
    ("hkscs", "big5"),
    ("big5-tw", "big5"),
    ("cp65001", "utf-8"),
    ("utf-8-sig", "utf-8"),
    ("u8", "utf-8"),
    ("utf16le", "utf-16le"),
    ("utf16be", "utf-16be"),
    ("utf-16-le", "utf-16le"),
    ("utf-16-be", "utf-16be"),
    ("cp1200", "utf-16le"),
    ("cp1201", "utf-16be"),
    ("cp932", "shift_jis"),
    ("ms932", "shift_jis"),
    ("cp949", "euc-kr"),
    ("ms949", "euc-kr"),
];

/// Labels offered when an unknown one is like none.
const COMMON_LABELS: [&str; 6] = ["utf-8", "utf-16le", "utf-16be", "gbk", "gb18030", "big5"];

/// Parses a `--encoding` value: any label the WHATWG Encoding Standard
/// knows (`utf-8`, `utf-16le`, `gbk`, `big5`, `shift_jis`, `windows-1252` …)
/// or one of [`ALIASES`] (`cp936`, `cp950`, `big5hkscs` …), in any case and
/// with `_` for `-`; GBK, GB2312 and CP936 are read and written as GB18030,
/// their superset.
///
/// # Errors
/// An unknown label, with the nearest known one when one is alike.
pub fn parse_label(label: &str) -> Result<&'static Encoding, String> {
    let lower = label.trim().to_ascii_lowercase();
    let dashed = lower.replace('_', "-");
    // Every label of GBK (`gb_2312`, `chinese`, `x-gbk` …) is GB18030, so
    // it has one name in every note.
    let whatwg = |l: &str| {
        Encoding::for_label_no_replacement(l.as_bytes()).map(|e| if e == encoding_rs::GBK { GB18030 } else { e })
    };
    let alias = |l: &str| ALIASES.iter().find(|(a, _)| *a == l).and_then(|(_, w)| whatwg(w));
    // Python's spellings without a dash: `utf16`, `utf_16le`, `utf8`.
    let unicode = || {
        dashed
            .strip_prefix("utf")
            .map(|rest| format!("utf-{}", rest.trim_start_matches('-')))
    };
    if let Some(encoding) = whatwg(&lower)
        .or_else(|| whatwg(&dashed))
        .or_else(|| alias(&dashed))
        .or_else(|| unicode().and_then(|l| whatwg(&l).or_else(|| alias(&l))))
    {
        return Ok(encoding);
    }
    let known = COMMON_LABELS.into_iter().chain(ALIASES.iter().map(|(a, _)| *a));
    match crate::suggest::nearest(&dashed, known) {
        Some(near) => Err(format!("unknown encoding {label:?}; did you mean `{near}`?")),
        None => Err(format!(
            "unknown encoding {label:?}: use a label such as utf-8, utf-16le, utf-16be, gbk, gb18030 or big5"
        )),
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
    /// Where bad bytes were read as U+FFFD, under [`BadBytes::Replace`].
    pub repairs: Vec<Repair>,
}

/// What a [`TextDecoder`] does with the bytes of an input that do not decode
/// in the encoding chosen, and with a NUL byte outside UTF-16.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BadBytes {
    /// Fails there ([`DecodeError`]): the rest of the input is not read.
    #[default]
    Fail,
    /// Reads each as U+FFFD and lists it ([`TextDecoder::take_repairs`]);
    /// a few NUL bytes in the first block are damage, not a binary file.
    Replace,
}

/// A bad byte (or a run of bytes that do not decode) read as U+FFFD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repair {
    /// Byte offset of the U+FFFD in the text decoded (in the `out` of the
    /// [`TextDecoder::feed`] call that wrote it; in [`Decoded::text`]).
    pub at: usize,
    /// A NUL byte, rather than bytes that do not decode.
    pub nul: bool,
}

/// Why bytes could not be read as text.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte outside UTF-16: a binary file. `at` is its byte offset.
    Binary {
        /// Byte offset of the first NUL byte.
        at: usize,
    },
    /// Bytes that do not decode; says where and in what.
    Invalid(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Binary { at } => write!(f, "binary file (a NUL byte at byte {at})"),
            DecodeError::Invalid(why) => f.write_str(why),
        }
    }
}

/// Decodes a whole input: [`TextDecoder`] over all of `bytes`, so that a
/// file read whole (for `--fix` and `--diff`) is read exactly as one read in
/// pieces (for checking).
///
/// # Errors
/// A NUL byte outside UTF-16, or the byte offset of the first byte that
/// does not decode; under [`BadBytes::Replace`], only a first block that is
/// binary or no known encoding. With the error comes the note on how the
/// input was being read (the encoding detected), said before the error as
/// when it is read in pieces.
pub fn decode_whole(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    bad: BadBytes,
) -> Result<Decoded, (DecodeError, Option<String>)> {
    let head = &bytes[..bytes.len().min(HEAD)];
    let mut decoder = TextDecoder::new(head, head.len() == bytes.len(), forced, bad).map_err(|e| (e, None))?;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let start = decoder.bom_len();
    if let Err(e) = decoder.feed(&bytes[start..], true, &mut text) {
        return Err((e, decoder.take_note()));
    }
    Ok(Decoded {
        text,
        encoding: decoder.encoding(),
        note: decoder.take_note(),
        repairs: decoder.take_repairs(),
    })
}

/// How an input's encoding is chosen, the one detection every mode uses:
///
/// 1. `--encoding`, when given (a byte-order mark of that encoding is
///    skipped), with a note when it reads `head` as nonsense ([`misread`]);
/// 2. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE);
/// 3. UTF-16 without a byte-order mark, when every NUL byte of `head` falls
///    where UTF-16 of one byte order puts the high byte of ASCII characters,
///    at least one code unit in 256 is one, and `head` decodes in it; or,
///    when `head` has NUL bytes elsewhere too (一 is `00 4E` in UTF-16LE),
///    when it reads as common Chinese in one byte order only
///    ([`utf16_by_characters`]); the same for a whole input of ASCII bytes
///    with control characters other than tabs, line and page ends;
/// 4. otherwise NUL bytes where UTF-16 puts them, many of them, are UTF-16
///    damaged by a few bad bytes ([`damaged`], under [`BadBytes::Replace`])
///    or an error suggesting `--encoding utf-16le` (`utf-16be`); other NUL
///    bytes mean a binary file, unless `bad` is [`BadBytes::Replace`] and
///    they are [`few`]: damage;
/// 5. UTF-8, if `head` is valid UTF-8 (a character cut by the end of an
///    incomplete `head` is fine), unless it reads as Chinese only in GB18030
///    or Big5 ([`chinese_not_utf8`]);
/// 6. otherwise UTF-8 when it reads `head` with a few bad bytes
///    ([`damaged`]), else GB18030 or Big5, whichever reads as likelier
///    Chinese ([`chinese_guess`]), or one that reads it with a few bad bytes
///    as much likelier Chinese still (Big5 with one stray byte reads whole
///    only in GB18030, as rare characters); for a short text, one that reads
///    it as common Chinese with as many other characters as runs of bad
///    bytes, where the whole reading is rare characters (謝謝 and a stray
///    byte in Big5; 您好 and a stray byte in UTF-8); when nothing reads it,
///    UTF-8 if it reads the ASCII, or under [`BadBytes::Replace`] the
///    likeliest damaged reading, else an error.
///
/// While the input has been all ASCII the choice of UTF-8 is provisional:
/// [`TextDecoder::feed`] chooses again at the first other byte, so a GBK file
/// whose first megabytes are ASCII is read as GB18030.
///
/// `offset` is where `head` lies in the input, for messages.
fn detect(
    head: &[u8],
    complete: bool,
    forced: Option<&'static Encoding>,
    offset: usize,
    bad: BadBytes,
) -> Result<Choice, DecodeError> {
    let bom = Encoding::for_bom(head);
    if let Some(encoding) = forced {
        let bom_len = bom.filter(|(e, _)| *e == encoding).map_or(0, |(_, len)| len);
        return Ok(Choice {
            note: misread(&head[bom_len..], complete, encoding, offset),
            ..Choice::certain(encoding, bom_len)
        });
    }
    if let Some((encoding, bom_len)) = bom {
        return Ok(Choice::certain(encoding, bom_len));
    }
    let first_nul = memchr::memchr(0, head);
    if let Some(at) = first_nul {
        if let Some(choice) = utf16_without_bom(head, complete).or_else(|| utf16_by_characters(head, complete)) {
            return Ok(choice);
        }
        let nuls = memchr::memchr_iter(0, head).count();
        // Zero bytes where UTF-16 puts them, many of them: UTF-16 that is
        // damaged, or not Chinese.
        let utf16 = zeros_of_utf16(head)
            .map(|(encoding, _)| encoding)
            .filter(|_| nuls >= (head.len() / 64).max(8));
        if let Some(encoding) = utf16 {
            if bad == BadBytes::Replace && damaged(head, &[encoding], false).is_some() {
                return Ok(Choice {
                    note: Some(format!(
                        "read as {}; the file has no byte-order mark, its zero bytes fall where {} puts them, and a few of its bytes do not decode",
                        described(encoding),
                        encoding.name()
                    )),
                    ..Choice::certain(encoding, 0)
                });
            }
            return Err(DecodeError::Invalid(format!(
                "its zero bytes fall where {} puts them, but it does not read as Chinese in it: if it is UTF-16 text, --encoding {} reads it",
                encoding.name(),
                encoding.name().to_ascii_lowercase()
            )));
        }
        // A few NUL bytes in a text are damage.
        if !(bad == BadBytes::Replace && few(nuls, head)) {
            return Err(DecodeError::Binary { at: offset + at });
        }
    }
    // Bytes all ASCII, but with control characters no text has: UTF-16
    // whose code units are all of ASCII bytes (尺码偏小 is `3A 5C 01 78 4F 50 0F 5C`).
    let odd_control = |b: &u8| b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C);
    if complete
        && head.is_ascii()
        && head.iter().any(odd_control)
        && let Some(choice) = utf16_by_characters(head, complete)
    {
        return Ok(choice);
    }
    match std::str::from_utf8(head) {
        Ok(utf8) => Ok(chinese_not_utf8(head, utf8, complete).unwrap_or(Choice {
            provisional: head.is_ascii(),
            ..Choice::certain(UTF_8, 0)
        })),
        Err(e) if e.error_len().is_none() && !complete => Ok(Choice::certain(UTF_8, 0)),
        Err(e) => {
            let at = offset + e.valid_up_to();
            // (A NUL byte let through as damage rules out UTF-16 without ASCII.)
            if first_nul.is_none()
                && let Some(choice) = utf16_without_ascii(head, complete)
            {
                return Ok(choice);
            }
            // UTF-8 with a few bad bytes is UTF-8 (decoding then fails at,
            // or replaces, them).
            if damaged(head, &[UTF_8], false).is_some() {
                return Ok(Choice::certain(UTF_8, 0));
            }
            // GB18030 reads most bytes: a Big5 file with one stray byte
            // reads whole only in GB18030, as rare characters; Big5 with the
            // stray byte replaced reads as common ones.
            let whole = chinese_guess(head, complete);
            let near = damaged(head, &[GB18030, encoding_rs::BIG5], false);
            let pick = match (whole, near) {
                (Some((_, share)), Some((nearer, near_share))) if near_share > share + 0.2 => {
                    Some((nearer, near_share))
                }
                (Some(pick), _) | (None, Some(pick)) => Some(pick),
                (None, None) => None,
            };
            // A short text: a reading with a few bad bytes that is common
            // Chinese, where the reading above is rare characters.
            let loose = damaged(head, &[encoding_rs::BIG5, GB18030, UTF_8], true);
            let guess = match (pick, loose) {
                (Some((_, share)), Some((looser, loose_share)))
                    if share < 0.6 && loose_share >= 0.8 && loose_share > share + 0.3 =>
                {
                    looser
                }
                (Some((pick, _)), _) => pick,
                (None, Some((looser, loose_share))) if loose_share >= 0.5 => looser,
                // Else UTF-8 when it reads the ASCII (a chat log's fields),
                // or, under Replace, the reading with the fewest bad bytes.
                (None, loose) => match damaged(head, &[UTF_8], true).or(loose.filter(|_| bad == BadBytes::Replace)) {
                    Some((looser, _)) => looser,
                    None => {
                        return Err(DecodeError::Invalid(format!(
                            "not valid UTF-8 at byte {at}, and not GB18030 or Big5 either (if it is UTF-16, --encoding utf-16le or utf-16be reads it)"
                        )));
                    }
                },
            };
            // Decoding then fails at, or replaces, the bad bytes.
            if guess == UTF_8 {
                return Ok(Choice {
                    note: latin_hint(head).map(|hint| format!("the file is not UTF-8, and {hint}")),
                    ..Choice::certain(UTF_8, 0)
                });
            }
            let other = if guess == GB18030 { encoding_rs::BIG5 } else { GB18030 };
            // Rare characters that are Latin letters in windows-1252 (Crème is 鑝 in GB18030).
            let rare = || plausible::chinese_share(&guess.decode_without_bom_handling(head).0) < 0.5;
            let latin = latin_hint(head).filter(|_| rare()).map(|hint| format!("; {hint}"));
            Ok(Choice {
                note: Some(format!(
                    "read as {}; the file is not UTF-8, and {} fits it better than {} — use --encoding to choose{}",
                    described(guess),
                    display_name(guess),
                    display_name(other),
                    latin.unwrap_or_default()
                )),
                ..Choice::certain(guess, 0)
            })
        }
    }
}

/// A note for a file that is not UTF-8 but whose bytes outside ASCII all
/// read, in windows-1252, as letters beside ASCII letters (`caf\xE9` is
/// café in Latin-1): the option that reads it.
fn latin_hint(head: &[u8]) -> Option<&'static str> {
    let (text, errors) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(head);
    let chars: Vec<char> = text.chars().collect();
    let beside_ascii = |i: usize| {
        let ascii_letter = |c: Option<&char>| c.is_some_and(char::is_ascii_alphabetic);
        ascii_letter(i.checked_sub(1).and_then(|j| chars.get(j))) || ascii_letter(chars.get(i + 1))
    };
    let mut latin = (0..chars.len()).filter(|&i| !chars[i].is_ascii()).peekable();
    // Three ASCII letters at least: two bytes of UTF-16 (`55 EF`, Uï) are no word.
    let words = chars.iter().filter(|c| c.is_ascii_alphabetic()).count() >= 3;
    let in_words = words && latin.peek().is_some() && latin.all(|i| chars[i].is_alphabetic() && beside_ascii(i));
    (!errors && in_words).then_some(
        "its bytes outside ASCII read as Latin letters in windows-1252 (Latin-1): --encoding windows-1252 reads it",
    )
}

/// Whether `count` bad places (NUL bytes, runs of bytes that do not
/// decode) are few enough in `head` to be damage to a text rather than the
/// mark of a binary file or another encoding: one in 1,024 bytes at most
/// (the first two always).
fn few(count: usize, head: &[u8]) -> bool {
    count <= 2 + head.len() / 1024
}

/// Of `candidates`, the encoding that reads `head` as text with a few bad
/// bytes: runs of replacement characters, one in 1,024 bytes at most (the
/// first two always), and four times as many other characters outside ASCII
/// as replacement characters; `loose`, as many as runs of them, or none
/// (ASCII letters or digits and bad bytes: the last of `candidates` then
/// wins). The likelier Chinese
/// ([`plausible::chinese_share`]), then the fewer runs, wins. With the share
/// of common Chinese in what it reads. (Text in another encoding fails at
/// nearly every character outside ASCII; `loose` is for a short text no
/// encoding reads whole.)
fn damaged(head: &[u8], candidates: &[&'static Encoding], loose: bool) -> Option<(&'static Encoding, f64)> {
    let read = |encoding: &'static Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(head);
        let damage = Damage::of(&text);
        let enough = if loose {
            let letters = || text.chars().any(|c| c.is_ascii_alphanumeric());
            damage.wide >= damage.runs || damage.wide == 0 && letters()
        } else {
            damage.wide >= 4 * damage.bad
        };
        // The share of what does decode: the bad bytes are judged above.
        let share = || plausible::chinese_share(&text.replace(char::REPLACEMENT_CHARACTER, ""));
        (few(damage.runs, head) && enough).then(|| (damage.runs, share(), encoding))
    };
    candidates
        .iter()
        .filter_map(|&encoding| read(encoding))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(_, share, encoding)| (encoding, share))
}

/// The replacement characters of a text decoded with replacement.
struct Damage {
    /// Replacement characters.
    bad: usize,
    /// Runs of them.
    runs: usize,
    /// Other characters outside ASCII.
    wide: usize,
}

impl Damage {
    fn of(text: &str) -> Damage {
        let mut damage = Damage {
            bad: 0,
            runs: 0,
            wide: 0,
        };
        let mut last = None;
        for c in text.chars() {
            if c == char::REPLACEMENT_CHARACTER {
                damage.bad += 1;
                damage.runs += usize::from(last != Some(c));
            } else if !c.is_ascii() {
                damage.wide += 1;
            }
            last = Some(c);
        }
        damage
    }
}

/// A note when `head` (after any byte-order mark) read in the `--encoding`
/// the user gave is nonsense, naming the encoding detection would have
/// chosen: mostly characters neither Chinese nor Latin (Hangul,
/// private-use, unassigned: see [`plausible::fitting_share`]; a Big5 file
/// given `utf-16le`), or rare Chinese characters where the detected
/// encoding reads common ones (see [`plausible::chinese_share`]; a Big5
/// file given `gbk`). A note, as the user chose, but one that begins with
/// the option so it is not missed.
fn misread(head: &[u8], complete: bool, forced: &'static Encoding, offset: usize) -> Option<String> {
    let (text, _) = forced.decode_without_bom_handling(head);
    let detected = detect(head, complete, None, offset, BadBytes::Fail)
        .ok()
        .filter(|choice| choice.encoding != forced);
    let odd = plausible::misfits(&text, 3);
    let why = if odd.len() >= 2 && plausible::fitting_share(&text) < 0.5 {
        format!(
            "it reads this file as mostly characters that are neither Chinese nor Latin ({}, …)",
            odd.join(", ")
        )
    } else {
        let choice = detected.as_ref()?;
        let (theirs, _) = choice
            .encoding
            .decode_without_bom_handling(&head[choice.bom_len.min(head.len())..]);
        let (ours, theirs) = (plausible::chinese_share(&text), plausible::chinese_share(&theirs));
        if theirs < 0.5 || ours >= theirs / 2.0 {
            return None;
        }
        if ours > 0.0 {
            "it reads this file as rare Chinese characters (mojibake)".to_owned()
        } else {
            format!("it reads this file as {} (mojibake), no Chinese at all", sample(&text))
        }
    };
    let fits = detected.map_or("no other encoding was detected either".to_owned(), |choice| {
        format!("it reads as {}", described(choice.encoding))
    });
    Some(format!(
        "the --encoding given ({}) looks wrong: {why}; {fits} — check --encoding",
        display_name(forced),
    ))
}

/// The first few characters of `text` outside ASCII, quoted: what a wrong
/// single-byte encoding reads (`"¤£¦æ…"`).
fn sample(text: &str) -> String {
    const SHOWN: usize = 8;
    let odd: String = text
        .chars()
        .filter(|c| !c.is_ascii() && !c.is_control())
        .take(SHOWN + 1)
        .collect();
    let shown: String = odd.chars().take(SHOWN).collect();
    let more = if odd.chars().count() > SHOWN { "…" } else { "" };
    format!("\"{shown}{more}\"")
}

/// What [`detect`] chose.
struct Choice {
    encoding: &'static Encoding,
    bom_len: usize,
    note: Option<String>,
    /// UTF-8 chosen only because everything so far was ASCII.
    provisional: bool,
}

impl Choice {
    fn certain(encoding: &'static Encoding, bom_len: usize) -> Choice {
        Choice {
            encoding,
            bom_len,
            note: None,
            provisional: false,
        }
    }
}

/// UTF-16 of the byte order in which every NUL byte of `head` is the high
/// byte of a code unit whose low byte is printable ASCII, a tab or a line
/// end (`你好\n` is `60 4F 7D 59 0A 00` in UTF-16LE), if `head` has whole
/// code units (when `complete`) and decodes in it.
///
/// Never for a `head` that is valid UTF-8 with a byte outside ASCII: that is
/// UTF-8 text with a NUL byte in it (`你自己看吧\n\0\n`), a binary file.
/// Chinese UTF-16 is seldom valid UTF-8 unless all its bytes are ASCII.
/// Nor when what it decodes to has fewer Chinese characters (CJK ideographs,
/// punctuation, full-width forms) than others outside ASCII: GB18030 or Big5
/// with a stray NUL byte reads as Hangul and private-use characters; nor
/// when few of them are common ones ([`common_chinese`] under 0.3): text of
/// ASCII with a stray NUL byte reads as rare ideographs.
fn utf16_without_bom(head: &[u8], complete: bool) -> Option<Choice> {
    if complete && head.len() % 2 == 1 {
        return None;
    }
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && !complete,
    };
    if utf8 && !head.is_ascii() {
        return None;
    }
    let (encoding, high) = zeros_of_utf16(head)?;
    let text_like = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E);
    let mut ascii = 0;
    for unit in head.chunks_exact(2).filter(|unit| unit[high] == 0) {
        if !text_like(unit[1 - high]) {
            return None;
        }
        ascii += 1;
    }
    // Line ends at least: one code unit in 256 is ASCII.
    if ascii < (head.len() / 512).max(1) {
        return None;
    }
    // An incomplete head may end inside a surrogate pair: judge whole units before it.
    let whole = if complete {
        head
    } else {
        &head[..head.len().saturating_sub(4) & !1]
    };
    let text = strict(encoding, whole).ok()?;
    // What it decodes to must read as Chinese: GB18030 or Big5 bytes read
    // as UTF-16 are mostly Hangul, private-use or other scripts.
    let (mut other, mut chinese) = (0, 0);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        let cjk = matches!(u32::from(c), 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF);
        (chinese, other) = if cjk {
            (chinese + 1, other)
        } else {
            (chinese, other + 1)
        };
    }
    // ASCII bytes read as UTF-16 are CJK too, but rare ones (`{"` is ｛, `se` 獥).
    if other > chinese || common_chinese(&text) < 0.3 {
        return None;
    }
    Some(Choice {
        note: Some(format!(
            "read as {}; the file has no byte-order mark, and its zero bytes fall where {} puts them — use --encoding to choose",
            described(encoding),
            encoding.name()
        )),
        ..Choice::certain(encoding, 0)
    })
}

/// The UTF-16 byte order whose high bytes hold the NUL bytes of `head`
/// (at least one; all but one in twenty, as a damaged code unit such as a
/// lone surrogate `00 D8` may put one elsewhere), and where the high byte
/// of a code unit lies (0 or 1).
fn zeros_of_utf16(head: &[u8]) -> Option<(&'static Encoding, usize)> {
    let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd > 0 && even * 20 <= odd {
        Some((UTF_16LE, 1))
    } else if even > 0 && odd * 20 <= even {
        Some((UTF_16BE, 0))
    } else {
        None
    }
}

/// The share (0 to 1) of the characters of `text` outside ASCII that are
/// common Chinese: CJK or full-width punctuation, or one of the most used
/// characters (GB2312 level 1, Big5 level 1). Bytes of another encoding
/// read as UTF-16 (or UTF-16 read in the wrong byte order) are rare ones.
fn common_chinese(text: &str) -> f64 {
    let (mut common, mut all) = (0_u32, 0_u32);
    let mut buf = [0; 4];
    for c in text.chars().filter(|c| !c.is_ascii()) {
        all += 1;
        let punctuation = matches!(u32::from(c), 0x3000..=0x303F | 0xFF00..=0xFFEF);
        let s = c.encode_utf8(&mut buf);
        let level_one = |encoding: &'static Encoding, ranges: fn(u16) -> bool| {
            let (bytes, _, errors) = encoding.encode(s);
            !errors && bytes.len() == 2 && ranges(u16::from_be_bytes([bytes[0], bytes[1]]))
        };
        let gb = level_one(encoding_rs::GBK, |u| (0xB0A1..=0xD7FE).contains(&u) && u & 0xFF >= 0xA1);
        let big5 = level_one(encoding_rs::BIG5, |u| (0xA440..=0xC67E).contains(&u));
        common += u32::from(punctuation || gb || big5);
    }
    if all == 0 {
        0.0
    } else {
        f64::from(common) / f64::from(all)
    }
}

/// UTF-16 without a byte-order mark and without ASCII (so without a zero
/// byte, and not ending in a line end), as [`utf16_read_as_chinese`] judges.
fn utf16_without_ascii(head: &[u8], complete: bool) -> Option<Choice> {
    // A last byte that is a line end after a byte that is not zero: a
    // line of a byte encoding (UTF-16 puts a zero byte beside its line ends).
    let line_end = |tail: &[u8]| matches!(tail, [before, b'\n' | b'\r'] if *before != 0);
    if complete && line_end(&head[head.len().saturating_sub(2)..]) {
        return None;
    }
    utf16_read_as_chinese(head, complete, "no byte-order mark and no ASCII")
}

/// UTF-16 without a byte-order mark whose zero bytes are not only the
/// high bytes of ASCII characters ([`utf16_without_bom`]): 一 is `00 4E`
/// in UTF-16LE and 退 `00 90`, so a short reply's zero bytes fall in both
/// halves of its code units (and its bytes may even be valid UTF-8 by
/// chance), as [`utf16_read_as_chinese`] judges.
fn utf16_by_characters(head: &[u8], complete: bool) -> Option<Choice> {
    utf16_read_as_chinese(head, complete, "no byte-order mark")
}

/// The UTF-16 byte order in which `head` (its first 4,096 code units are
/// judged; whole code units when `complete`) decodes to text of at least
/// two characters, with no NUL and few other control characters besides
/// tabs and line ends (two, or one in sixteen characters), whose
/// characters outside ASCII are mostly common Chinese ([`common_chinese`]
/// 0.6 or more), when the other order's reading is less so; its note says
/// that the file has `lacking`. Bytes of a binary file or of another
/// encoding read as UTF-16 hold control characters, Hangul, private-use or
/// rare ideographs.
fn utf16_read_as_chinese(head: &[u8], complete: bool, lacking: &str) -> Option<Choice> {
    if complete && head.len() % 2 == 1 {
        return None;
    }
    let whole = &head[..head.len().min(8192) & !1];
    let score = |encoding: &'static Encoding| {
        // An incomplete head may end inside a surrogate pair: judge the whole units before it.
        let cut = if complete && whole.len() == head.len() {
            whole
        } else {
            &whole[..whole.len().saturating_sub(2)]
        };
        strict(encoding, cut)
            .ok()
            .filter(|t| t.chars().count() >= 2)
            .filter(|t| {
                // A few control characters (an escape, a form feed) are the
                // text's own; many, or a NUL, are the mark of other bytes.
                let odd = t
                    .chars()
                    .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
                !t.contains('\0') && odd.count() <= (t.chars().count() / 16).max(2)
            })
            .map_or(0.0, |t| common_chinese(&t))
    };
    let (le, be) = (score(UTF_16LE), score(UTF_16BE));
    let (encoding, best, other) = if le >= be {
        (UTF_16LE, le, be)
    } else {
        (UTF_16BE, be, le)
    };
    (best >= 0.6 && other < best).then(|| Choice {
        note: Some(format!(
            "read as {}; the file has {lacking}, and reads as Chinese in {} — use --encoding to choose",
            described(encoding),
            encoding.name()
        )),
        ..Choice::certain(encoding, 0)
    })
}

/// Bytes outside ASCII from which chardetng's guess beats
/// [`plausible::chinese_share`] on a tie: below, a tie goes to GB18030.
const TELLING: usize = 32;

/// GB18030 or Big5 for `head` (all of the input when `complete`), with
/// the share of common Chinese in what it decodes to: of the two it decodes
/// in, the one whose text is likelier Chinese ([`plausible::chinese_share`]:
/// short files, such as a one-word reply, are too short for chardetng); on
/// a tie, chardetng's guess when `head` has [`TELLING`] bytes outside ASCII
/// or more, else GB18030. `None` when neither decodes it.
fn chinese_guess(head: &[u8], complete: bool) -> Option<(&'static Encoding, f64)> {
    let share = |encoding: &'static Encoding| {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(decoder.max_utf8_buffer_length_without_replacement(head.len())?);
        let (result, _) = decoder.decode_to_string_without_replacement(head, &mut out, complete);
        matches!(result, DecoderResult::InputEmpty).then(|| plausible::chinese_share(&out))
    };
    let (gb, big5) = (share(GB18030), share(encoding_rs::BIG5));
    let (g, b) = match (gb, big5) {
        (None, None) => return None,
        (Some(g), None) => return Some((GB18030, g)),
        (None, Some(b)) => return Some((encoding_rs::BIG5, b)),
        (Some(g), Some(b)) => (g, b),
    };
    if (g - b).abs() > 0.05 {
        return Some(if g > b { (GB18030, g) } else { (encoding_rs::BIG5, b) });
    }
    let telling = head.iter().filter(|b| !b.is_ascii()).count() >= TELLING;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, complete);
    let big5_likelier = telling && detector.guess(None, chardetng::Utf8Detection::Deny) == encoding_rs::BIG5;
    Some(if big5_likelier {
        (encoding_rs::BIG5, b)
    } else {
        (GB18030, g)
    })
}

/// GB18030 or Big5 for `head`, valid UTF-8 outside ASCII (all of the input
/// when `complete`), when the UTF-8 text has no common Chinese character
/// and the other reading is mostly common Chinese: a one-word GBK file
/// (`哦` is `C5 B6`, which is also the UTF-8 of `Ŷ`; `谢谢` reads as `лл`).
/// When a character outside ASCII touches an ASCII letter in the UTF-8
/// text (`café`, whose `é` is 茅 in GBK), it is a Latin word: UTF-8 is kept,
/// with a note naming the other reading.
fn chinese_not_utf8(head: &[u8], utf8: &str, complete: bool) -> Option<Choice> {
    if head.is_ascii() || plausible::chinese_share(utf8) > 0.0 {
        return None;
    }
    let (guess, _) = chinese_guess(head, complete).filter(|&(_, share)| share >= 0.5)?;
    let chars: Vec<char> = utf8.chars().collect();
    let latin_word = chars.windows(2).any(|pair| {
        pair[0].is_ascii_alphabetic() && !pair[1].is_ascii() || !pair[0].is_ascii() && pair[1].is_ascii_alphabetic()
    });
    let (chosen, note) = if latin_word {
        (
            UTF_8,
            format!(
                "read as UTF-8, as its letters outside ASCII stand in Latin words; it would read as Chinese in {} — use --encoding to choose",
                described(guess)
            ),
        )
    } else {
        (
            guess,
            format!(
                "read as {}; the file is also valid UTF-8, but reads as Chinese only in {} — use --encoding utf-8 to read it as UTF-8",
                described(guess),
                display_name(guess)
            ),
        )
    };
    Some(Choice {
        note: Some(note),
        ..Choice::certain(chosen, 0)
    })
}

/// Bytes at the start of an input that its encoding is chosen from (64 KiB),
/// whether it is read whole or in pieces.
pub const HEAD: usize = 1 << 16;

/// Bytes after the first non-ASCII byte looked at to choose an encoding
/// then, unless the input ends sooner.
const DECIDE: usize = 4096;

/// Decodes an input block by block in the encoding [`detect`] chose from
/// its first block: what checking (in pieces), `--fix` and `--diff` (whole)
/// all use. Outside UTF-16 a NUL byte anywhere is an error
/// ([`DecodeError::Binary`]), not only in the first block, unless bad
/// bytes are replaced ([`BadBytes::Replace`]).
pub struct TextDecoder {
    choice: Choice,
    decoder: Decoder,
    /// Bytes of the input consumed so far, byte-order mark included.
    fed: usize,
    bad: BadBytes,
    /// Bad bytes read as U+FFFD since the last [`TextDecoder::take_repairs`].
    repairs: Vec<Repair>,
}

impl std::fmt::Debug for TextDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextDecoder")
            .field("encoding", &self.choice.encoding.name())
            .field("fed", &self.fed)
            .finish()
    }
}

impl TextDecoder {
    /// Chooses the encoding from `head`, the first [`HEAD`] bytes of the
    /// input (all of it when `complete`); `forced` is `--encoding`.
    ///
    /// `bad` says what becomes of bytes that do not decode.
    ///
    /// # Errors
    /// A binary file, or a head that is neither UTF-8, GB18030 nor Big5.
    pub fn new(
        head: &[u8],
        complete: bool,
        forced: Option<&'static Encoding>,
        bad: BadBytes,
    ) -> Result<TextDecoder, DecodeError> {
        let choice = detect(head, complete, forced, 0, bad)?;
        Ok(TextDecoder {
            decoder: choice.encoding.new_decoder_without_bom_handling(),
            fed: choice.bom_len,
            choice,
            bad,
            repairs: Vec::new(),
        })
    }

    /// The bad bytes read as U+FFFD by the [`TextDecoder::feed`] calls
    /// since the last call, in order (offsets into the `out` each call
    /// wrote to; empty unless [`BadBytes::Replace`]).
    pub fn take_repairs(&mut self) -> Vec<Repair> {
        std::mem::take(&mut self.repairs)
    }

    /// Bytes of the byte-order mark at the start of the input, which the
    /// caller skips before the first [`TextDecoder::feed`].
    pub fn bom_len(&self) -> usize {
        self.choice.bom_len
    }

    /// The encoding chosen (so far: UTF-8 may still become another while
    /// the input has been all ASCII), to write fixes back in.
    pub fn encoding(&self) -> TextEncoding {
        TextEncoding {
            encoding: self.choice.encoding,
            bom: self.choice.bom_len > 0,
        }
    }

    /// The note on the encoding assumed, in plain words, once; `None` when
    /// it was certain (given, a byte-order mark, or valid UTF-8).
    pub fn take_note(&mut self) -> Option<String> {
        self.choice.note.take()
    }

    /// Decodes the next bytes of the input into `out`; returns how many
    /// were used. A character cut by the end of `input` is left for the next
    /// call unless `last` (the end of the input).
    ///
    /// # Errors
    /// A NUL byte outside UTF-16 ([`DecodeError::Binary`]) or a byte that
    /// does not decode, with its offset in the input; under
    /// [`BadBytes::Replace`], only a later block that is binary or no known
    /// encoding when an all-ASCII start gives way to other bytes.
    pub fn feed(&mut self, input: &[u8], last: bool, out: &mut String) -> Result<usize, DecodeError> {
        if self.bad == BadBytes::Fail {
            return self.feed_strictly(input, last, out);
        }
        let (start, earlier) = (out.len(), self.repairs.len());
        let used = self.feed_strictly(input, last, out)?;
        // NUL bytes decode (to U+0000) in every encoding but are no text.
        let nuls: Vec<usize> = memchr::memchr_iter(0, &out.as_bytes()[start..])
            .map(|i| start + i)
            .collect();
        if !nuls.is_empty() {
            // Each U+FFFD is two bytes longer than the NUL it stands for.
            let wider = |at: usize| 2 * nuls.partition_point(|&n| n < at);
            for repair in &mut self.repairs[earlier..] {
                repair.at += wider(repair.at);
            }
            self.repairs.extend(nuls.iter().map(|&n| Repair {
                at: n + wider(n),
                nul: true,
            }));
            self.repairs[earlier..].sort_by_key(|r| r.at);
            let decoded = out.split_off(start).replace('\0', "\u{FFFD}");
            out.push_str(&decoded);
        }
        Ok(used)
    }

    /// [`TextDecoder::feed`] without turning NUL characters into U+FFFD.
    fn feed_strictly(&mut self, input: &[u8], last: bool, out: &mut String) -> Result<usize, DecodeError> {
        let utf16 = self.choice.encoding == UTF_16LE || self.choice.encoding == UTF_16BE;
        if !utf16
            && self.bad == BadBytes::Fail
            && let Some(i) = memchr::memchr(0, input)
        {
            return Err(DecodeError::Binary { at: self.fed + i });
        }
        if self.choice.provisional {
            let ascii = input.iter().position(|b| !b.is_ascii()).unwrap_or(input.len());
            // ASCII reads the same in every encoding that may still be chosen.
            out.push_str(std::str::from_utf8(&input[..ascii]).unwrap_or_default());
            self.fed += ascii;
            if ascii == input.len() {
                return Ok(ascii);
            }
            let rest = &input[ascii..];
            if rest.len() < DECIDE && !last {
                // Too little to choose from: wait for more.
                return Ok(ascii);
            }
            let at = self.fed;
            self.choice = detect(rest, last, None, at, self.bad)?;
            if let Some(note) = &mut self.choice.note {
                *note = format!("{note} (its first {at} bytes are ASCII, the same in every encoding)");
            }
            self.decoder = self.choice.encoding.new_decoder_without_bom_handling();
            return Ok(ascii + self.feed_strictly(rest, last, out)?);
        }
        if self.choice.encoding == UTF_8 {
            return self.feed_utf8(input, last, out);
        }
        let mut used = 0;
        loop {
            let need = self
                .decoder
                .max_utf8_buffer_length_without_replacement(input.len() - used)
                .unwrap_or(input.len());
            out.reserve(need);
            let (start, fed) = (out.len(), self.fed);
            let (result, read) = self
                .decoder
                .decode_to_string_without_replacement(&input[used..], out, last);
            used += read;
            self.fed += read;
            // A NUL character is binary in UTF-16 too (`/dev/zero` after a
            // byte-order mark is an endless run of them).
            if self.bad == BadBytes::Fail
                && let Some(nul) = out[start..].find('\0')
            {
                let units: usize = out[start..start + nul].chars().map(char::len_utf16).sum();
                return Err(DecodeError::Binary { at: fed + 2 * units });
            }
            match result {
                DecoderResult::InputEmpty => return Ok(input.len()),
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) if self.bad == BadBytes::Replace => self.replace(out),
                DecoderResult::Malformed(bad, after) => {
                    let at = self.fed - usize::from(bad) - usize::from(after);
                    return Err(DecodeError::Invalid(format!(
                        "not valid {} at byte {at}",
                        display_name(self.choice.encoding)
                    )));
                }
            }
        }
    }

    /// Writes U+FFFD for bad bytes, and lists it.
    fn replace(&mut self, out: &mut String) {
        self.repairs.push(Repair {
            at: out.len(),
            nul: false,
        });
        out.push(char::REPLACEMENT_CHARACTER);
    }

    /// [`TextDecoder::feed`] for UTF-8, which needs only checking (with
    /// SIMD, as checking is most of the cost of reading).
    fn feed_utf8(&mut self, input: &[u8], last: bool, out: &mut String) -> Result<usize, DecodeError> {
        let mut used = 0;
        loop {
            let rest = &input[used..];
            let (valid, bad) = match simdutf8::compat::from_utf8(rest) {
                Ok(text) => (text, None),
                Err(e) => {
                    // Checked again, with SIMD too: most blocks end inside a character.
                    let valid = simdutf8::basic::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default();
                    (valid, Some(e.error_len()))
                }
            };
            out.push_str(valid);
            used += valid.len();
            self.fed += valid.len();
            match bad {
                None => return Ok(used),
                // A character cut by the end of `input`: wait for the rest.
                Some(None) if !last => return Ok(used),
                Some(_) if self.bad == BadBytes::Fail => {
                    return Err(DecodeError::Invalid(format!("not valid UTF-8 at byte {}", self.fed)));
                }
                Some(len) => {
                    let len = len.unwrap_or(rest.len() - valid.len());
                    self.replace(out);
                    used += len;
                    self.fed += len;
                }
            }
        }
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

    fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
        decode_whole(bytes, forced, BadBytes::Fail).map_err(|(e, _)| e)
    }

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
    fn splices_big5_at_character_boundaries() {
        let big5 = TextEncoding {
            encoding: encoding_rs::BIG5,
            bom: false,
        };
        let text = "a你好,但是";
        let original = big5.encode(text);
        let at = text.find('但').unwrap();
        let bytes = big5
            .splice(&original, text, [(1..4, "您"), (at..at + 6, "不過")])
            .unwrap();
        assert!(big5.reads_back(&bytes, "a您好,不過"));
    }

    #[test]
    fn detects_utf16_without_a_bom_gb18030_after_ascii_and_big5() {
        for encoding in [UTF_16LE, UTF_16BE] {
            let bytes = TextEncoding { encoding, bom: false }.encode("你好\n但是\n");
            let decoded = decode(&bytes, None).unwrap();
            assert_eq!(decoded.text, "你好\n但是\n");
            assert!(decoded.note.unwrap().contains(encoding.name()));
        }
        let mut gbk = b"hello\n".repeat(20_000);
        gbk.extend_from_slice(&GB18030.encode("你好\n").0);
        let decoded = decode(&gbk, None).unwrap();
        assert!(decoded.text.ends_with("hello\n你好\n"));
        assert!(
            decoded
                .note
                .unwrap()
                .contains("read as GB18030 (Simplified Chinese); the file is not UTF-8")
        );
        let big5 = encoding_rs::BIG5
            .encode("您好，但是這個不行，請您見諒。我們會盡快處理您的訂單")
            .0;
        assert_eq!(decode(&big5, None).unwrap().encoding.encoding, encoding_rs::BIG5);
        // NUL bytes where no UTF-16 puts them.
        assert_eq!(decode(b"ok\n\0\n", None).unwrap_err(), DecodeError::Binary { at: 3 });
        // NUL bytes where UTF-16BE could put them, in what is UTF-8 Chinese.
        assert_eq!(
            decode("你自己看吧\n\0\n".as_bytes(), None).unwrap_err(),
            DecodeError::Binary { at: 16 }
        );
        assert_eq!(
            decode(b"\x89PNG\0\0\x01\0", None).unwrap_err(),
            DecodeError::Binary { at: 4 }
        );
        // GB18030 with a NUL byte where UTF-16BE puts a line end's: it reads as Hangul.
        let mut gb = GB18030.encode("你好，这个不行").0.into_owned();
        gb.extend_from_slice(b"\0\n");
        assert_eq!(decode(&gb, None).unwrap_err(), DecodeError::Binary { at: 14 });
        // A NUL character in UTF-16 is binary too.
        let mut nul = TextEncoding {
            encoding: UTF_16LE,
            bom: true,
        }
        .encode("你好\n");
        nul.extend_from_slice(&[0, 0, 0x60, 0x4F]);
        assert_eq!(decode(&nul, None).unwrap_err(), DecodeError::Binary { at: 8 });
        // Given an encoding, a NUL byte is still binary outside UTF-16.
        assert_eq!(decode(b"\0", Some(GB18030)).unwrap_err(), DecodeError::Binary { at: 0 });
    }

    #[test]
    fn detects_utf16_without_a_bom_or_ascii_by_its_characters() {
        let text = "这个我真的不知道，你自己看吧。我们保证正品";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, encoding) in [(le, UTF_16LE), (be, UTF_16BE)] {
            let decoded = decode(&bytes, None).unwrap();
            assert_eq!((decoded.text.as_str(), decoded.encoding.encoding), (text, encoding));
            assert!(decoded.note.unwrap().contains("no byte-order mark and no ASCII"));
        }
        // Chinese in GB18030 and Big5 does not read as Chinese in UTF-16.
        for (encoding, text) in [
            (GB18030, text),
            (encoding_rs::BIG5, "這個我真的不知道，你自己看吧。我們保證正品"),
        ] {
            let bytes = encoding.encode(text).0.into_owned();
            assert_eq!(decode(&bytes, None).unwrap().encoding.encoding, encoding);
        }
    }

    #[test]
    fn detects_short_utf16_without_a_bom_whose_zero_bytes_are_not_only_ascii_ones() {
        // 一 is 00 4E in UTF-16LE and 退 00 90: zero bytes in both halves of
        // the code units; 欢迎 in UTF-16LE is also valid UTF-8 (CE 8F).
        // 尺码偏小 and 明天發 are all ASCII bytes, with control characters.
        for text in [
            "请稍等一下\n",
            "退货",
            "不能退\n",
            "已经退款",
            "欢迎光临\n",
            "尺码偏小",
            "明天發",
        ] {
            let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            for (bytes, encoding) in [(le, UTF_16LE), (be, UTF_16BE)] {
                let decoded = decode(&bytes, None).unwrap_or_else(|e| panic!("{text:?} in {encoding:?}: {e}"));
                assert_eq!((decoded.text.as_str(), decoded.encoding.encoding), (text, encoding));
                assert!(
                    decoded
                        .note
                        .as_ref()
                        .is_some_and(|n| n.contains("reads as Chinese in") || n.contains("zero bytes fall where")),
                    "{text:?} {:?}",
                    decoded.note
                );
            }
        }
        // A few control characters of the text's own (an escape, a form feed).
        for text in ["你好\u{1b}你的订单\n", "\u{c}你好\n"] {
            let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            assert_eq!(decode(&le, None).unwrap().encoding.encoding, UTF_16LE, "{text:?}");
        }
        // ASCII text stays ASCII, control characters or not; a binary file
        // with zero bytes is still binary.
        for ascii in [&b"no"[..], b"hi\n", b"\x1b[31mred\x1b[0m", b"a\x0cb\n"] {
            assert_eq!(decode(ascii, None).unwrap().encoding.encoding, UTF_8);
        }
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
            Err(DecodeError::Binary { .. })
        ));
    }

    #[test]
    fn a_splice_after_bytes_that_read_as_two_characters_keeps_them() {
        // Big5 88 62 reads as Ê and U+0304; then 你好 on the next line.
        let original = b"\xC1\xC2\x88\x62\n\xA7\x41\xA6\x6E\n";
        let big5 = TextEncoding {
            encoding: encoding_rs::BIG5,
            bom: false,
        };
        let text = strict(encoding_rs::BIG5, original).unwrap();
        assert_eq!(text, "謝\u{CA}\u{304}\n你好\n");
        let at = text.find('你').unwrap();
        let spliced = big5
            .splice(original, &text, [(at..at + '你'.len_utf8(), "您")])
            .unwrap();
        assert_eq!(spliced, b"\xC1\xC2\x88\x62\n\xB1\x7A\xA6\x6E\n");
        // A splice may not cut the two apart.
        let inside = "謝\u{CA}".len();
        assert!(big5.splice(original, &text, [(inside..inside, "x")]).is_err());
    }

    #[test]
    fn latin_1_text_is_named_with_the_option_that_reads_it() {
        let note = |bytes: &[u8]| decode_whole(bytes, None, BadBytes::Fail).map_or_else(|(_, n)| n, |d| d.note);
        let hint = "read as Latin letters in windows-1252 (Latin-1): --encoding windows-1252 reads it";
        // café: not UTF-8, no Chinese reading; Crème brûlée: rare GB18030 characters.
        assert!(note(b"caf\xE9\n").is_some_and(|n| n.starts_with("the file is not UTF-8") && n.contains(hint)));
        assert!(note(b"Cr\xE8me br\xFBl\xE9e\n").is_some_and(|n| n.starts_with("read as GB18030") && n.contains(hint)));
        // GBK 你好 is common Chinese: no hint.
        assert!(note(&GB18030.encode("你好\n").0).is_some_and(|n| !n.contains("windows-1252")));
        // Two bytes of UTF-16 (哦 is 54 E6: Tæ) are no Latin word.
        assert!(note(b"\x54\xE6").is_none_or(|n| !n.contains("windows-1252")));
    }

    #[test]
    fn reports_the_first_bad_byte() {
        // 0xFF is neither UTF-8 nor a GB18030 lead byte: UTF-8 with one bad byte.
        let err = decode(
            "ok你好你好".bytes().chain(*b"\xFF!").collect::<Vec<u8>>().as_slice(),
            None,
        )
        .unwrap_err();
        assert_eq!(err, DecodeError::Invalid("not valid UTF-8 at byte 14".into()));
        // One run of bad bytes after ASCII: UTF-8, damaged.
        let err = decode(b"a\xFF\xFF\xFF\xFF\xFF\xFF", None).unwrap_err();
        assert_eq!(err, DecodeError::Invalid("not valid UTF-8 at byte 1".into()));
        // Bytes no encoding reads with few bad bytes.
        let err = decode(b"a\xFFbb\xFFcc\xFFdd\xFF", None).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Invalid(
                "not valid UTF-8 at byte 1, and not GB18030 or Big5 either (if it is UTF-16, --encoding utf-16le or utf-16be reads it)".into()
            )
        );
        let err = decode(b"ab\x81", Some(GB18030)).unwrap_err();
        assert_eq!(err, DecodeError::Invalid("not valid GB18030 at byte 2".into()));
    }

    #[test]
    fn parses_labels() {
        assert_eq!(parse_label("GBK"), Ok(GB18030));
        assert_eq!(parse_label("utf-16le"), Ok(UTF_16LE));
        assert_eq!(parse_label("big5"), Ok(encoding_rs::BIG5));
        assert_eq!(parse_label("latin1"), Ok(encoding_rs::WINDOWS_1252));
        assert!(
            parse_label("iso-2022-kr").is_err(),
            "the replacement encoding reads nothing"
        );
        assert!(parse_label("klingon").is_err());
        for (alias, encoding) in [
            ("cp950", encoding_rs::BIG5),
            ("MS950", encoding_rs::BIG5),
            ("big5hkscs", encoding_rs::BIG5),
            ("hkscs", encoding_rs::BIG5),
            ("windows-936", GB18030),
            ("cp936", GB18030),
            ("utf_16_le", UTF_16LE),
            ("Shift_JIS", encoding_rs::SHIFT_JIS),
        ] {
            assert_eq!(parse_label(alias), Ok(encoding), "{alias}");
        }
        assert!(parse_label("big55").unwrap_err().contains("did you mean `big5`?"));
        for (label, encoding) in [
            ("utf16", UTF_16LE),
            ("UTF_16BE", UTF_16BE),
            ("utf8", UTF_8),
            ("GB_2312", GB18030),
            ("chinese", GB18030),
            ("x-gbk", GB18030),
        ] {
            assert_eq!(parse_label(label), Ok(encoding), "{label}");
        }
        assert!(parse_label("cp905").unwrap_err().contains("did you mean `cp950`?"));
    }
}

#[cfg(test)]
mod replacing {
    use super::*;
    use proptest::prelude::*;

    /// Decodes `bytes` as a stream read in blocks of `block` bytes after its
    /// first block would be, replacing bad bytes: the text and the repairs
    /// (offsets into it).
    fn replaced(bytes: &[u8], block: usize) -> Result<(String, Vec<Repair>), DecodeError> {
        let head = &bytes[..bytes.len().min(HEAD)];
        let mut decoder = TextDecoder::new(head, head.len() == bytes.len(), None, BadBytes::Replace)?;
        let (mut text, mut repairs, mut buf) = (String::new(), Vec::new(), Vec::new());
        let body = &bytes[decoder.bom_len()..];
        let (first, rest) = body.split_at(head.len() - decoder.bom_len());
        let mut chunks = std::iter::once(first).chain(rest.chunks(block.max(1))).peekable();
        while let Some(chunk) = chunks.next() {
            buf.extend_from_slice(chunk);
            let mut out = String::new();
            let used = decoder.feed(&buf, chunks.peek().is_none(), &mut out)?;
            buf.drain(..used);
            let start = text.len();
            repairs.extend(
                decoder
                    .take_repairs()
                    .into_iter()
                    .map(|r| Repair { at: r.at + start, ..r }),
            );
            text += &out;
        }
        Ok((text, repairs))
    }

    #[test]
    fn bad_bytes_read_as_replacement_characters_each_listed() {
        // Two bad bytes, a NUL, a character cut by the end, after a line
        // that makes them few.
        let input = [
            "亲,您好,很高兴为您服务\n好".as_bytes(),
            b"\xFF\xFE",
            "了".as_bytes(),
            b"\0",
            "吗\n".as_bytes(),
            b"\xE4\xBD",
        ]
        .concat();
        let (text, repairs) = replaced(&input, 3).unwrap();
        assert_eq!(text, "亲,您好,很高兴为您服务\n好\u{FFFD}\u{FFFD}了\u{FFFD}吗\n\u{FFFD}");
        let after = |s: &str| text.find(s).unwrap() + s.len();
        assert_eq!(
            repairs,
            vec![
                Repair {
                    at: after("\n好"),
                    nul: false
                },
                Repair {
                    at: after("\n好\u{FFFD}"),
                    nul: false
                },
                Repair {
                    at: after("了"),
                    nul: true
                },
                Repair {
                    at: after("吗\n"),
                    nul: false
                },
            ]
        );
        // Without replacing, the NUL makes it a binary file.
        assert_eq!(decode(&input, None).err(), Some(DecodeError::Binary { at: 41 }));
    }

    #[test]
    fn a_few_nuls_or_bad_bytes_in_the_first_block_are_damage_many_are_binary() {
        let text = "亲,您好,请问有什么可以帮您\n".repeat(100);
        let mut damaged = text.clone().into_bytes();
        damaged[40] = 0;
        damaged[80] = 0xFF;
        assert!(replaced(&damaged, 4096).is_ok());
        assert!(matches!(decode(&damaged, None), Err(DecodeError::Binary { at: 40 })));
        // A PNG, a zip: binary under either.
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert!(matches!(replaced(png, 4096), Err(DecodeError::Binary { .. })));
        let mut zeros = text.into_bytes();
        for b in zeros.iter_mut().step_by(100) {
            *b = 0;
        }
        assert!(matches!(replaced(&zeros, 4096), Err(DecodeError::Binary { .. })));
        // GBK read as UTF-8 fails at nearly every character: still GB18030.
        let gbk = GB18030.encode(&"您好,但是不行\n".repeat(50)).0.into_owned();
        let (gb_text, repairs) = replaced(&gbk, 4096).unwrap();
        assert!(repairs.is_empty() && gb_text.starts_with("您好"));
    }

    #[test]
    fn a_stray_byte_does_not_change_the_encoding_chosen() {
        // Big5 with one byte Big5 lacks reads whole only in GB18030, as rare
        // characters: it is Big5, damaged.
        let text = "您好,這款商品目前缺貨,我們會盡快為您補貨,請您耐心等待喔\n".repeat(20);
        let mut big5 = encoding_rs::BIG5.encode(&text).0.into_owned();
        big5.insert(30, 0x80);
        let (read, repairs) = replaced(&big5, 4096).unwrap();
        assert_eq!(repairs.len(), 1);
        assert!(read.starts_with("您好,這款商品"), "{read}");
        // A plain check names the byte instead of misreading the file.
        assert_eq!(
            decode(&big5, None).err(),
            Some(DecodeError::Invalid("not valid Big5 at byte 30".into()))
        );
        // UTF-16 without a byte-order mark, with a lone surrogate.
        let mut utf16: Vec<u8> = "{\"content\": \"您好,我是客服\"}\n"
            .repeat(10)
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        utf16.splice(10..10, [0x00, 0xD8]);
        let (read, repairs) = replaced(&utf16, 4096).unwrap();
        assert_eq!(repairs.len(), 1);
        assert!(read.contains("您好,我是客服"), "{read}");
        // UTF-16 that is not Chinese at all: a hint, not "binary".
        let english: Vec<u8> = "caf\u{e9} ol\u{e9}\n"
            .repeat(30)
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let err = decode(&english, None).unwrap_err().to_string();
        assert!(err.contains("--encoding utf-16le reads it"), "{err}");
        // Two NUL bytes in a short log are damage too.
        let mut short = "亲,您好\n".repeat(50).into_bytes();
        // The commas of the first two lines.
        short[3] = 0;
        short[14] = 0;
        assert_eq!(replaced(&short, 4096).unwrap().1.len(), 2);
    }

    #[test]
    fn a_stray_byte_in_a_few_characters_is_named_not_misread() {
        // Read whole, these are rare GB18030 characters (谅谅€, 鎮ㄥソ鋕); with
        // the stray byte named, common Chinese.
        let big5 = [encoding_rs::BIG5.encode("謝謝").0.as_ref(), b"\x80\n"].concat();
        assert_eq!(
            decode(&big5, None).err(),
            Some(DecodeError::Invalid("not valid Big5 at byte 4".into()))
        );
        assert_eq!(replaced(&big5, 4096).unwrap().0, "謝謝\u{FFFD}\n");
        // 稍等 in Big5 with a stray A0 after 稍: Big5 is named.
        let err = decode(b"\xB5\x79\xA0\xB5\xA5\n", None).unwrap_err().to_string();
        assert!(err.starts_with("not valid Big5 at byte"), "{err}");
        let utf8 = [&b"\xE6\x82\xA8\xE5\xA5\xBD\xE4k\n"[..]].concat();
        assert_eq!(
            decode(&utf8, None).err(),
            Some(DecodeError::Invalid("not valid UTF-8 at byte 6".into()))
        );
        // A stray lead byte before 谢谢你 in UTF-8: not Big5 (儰陝靚Ｖ and a bad byte).
        let lead_first = [&b"\xE4"[..], "谢谢你\n".as_bytes()].concat();
        assert_eq!(
            decode(&lead_first, None).err(),
            Some(DecodeError::Invalid("not valid UTF-8 at byte 0".into()))
        );
        // A stray lead byte inside 谢谢亲: not Big5 靚Ｖ靚Ｖ熔 (full-width letters
        // are not Chinese).
        let inside = ["谢".as_bytes(), b"\xE4", "谢亲\n".as_bytes()].concat();
        assert_eq!(
            decode(&inside, None).err(),
            Some(DecodeError::Invalid("not valid UTF-8 at byte 3".into()))
        );
        // A stray byte before Big5 你好 and a line end: not UTF-16 without ASCII.
        let before_big5 = [&b"\xFF"[..], encoding_rs::BIG5.encode("你好\n").0.as_ref()].concat();
        assert_eq!(
            decode(&before_big5, None).err(),
            Some(DecodeError::Invalid("not valid Big5 at byte 0".into()))
        );
        let lead_at_end = [encoding_rs::BIG5.encode("謝謝").0.as_ref(), b"\xC1\n"].concat();
        assert_eq!(
            decode(&lead_at_end, None).err(),
            Some(DecodeError::Invalid("not valid Big5 at byte 4".into()))
        );
        // Short texts that are whole in an encoding are read in it, rare
        // characters included.
        for text in ["谢谢\n", "鑫淼\n", "哦\n", "您好,我是客服8号\n"] {
            let gbk = GB18030.encode(text).0.into_owned();
            assert_eq!(replaced(&gbk, 4096).unwrap(), (text.to_owned(), Vec::new()), "{text}");
        }
        let big5 = encoding_rs::BIG5.encode("謝謝您\n").0.into_owned();
        assert_eq!(replaced(&big5, 4096).unwrap().0, "謝謝您\n");
    }

    /// Pieces of an input: valid text, or one bad byte.
    fn part() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            3 => "[亲您好的吗a-z0-9,。\n😀]{0,12}".prop_map(String::into_bytes),
            1 => prop::sample::select(vec![0xFF_u8, 0x80, 0xC3, 0xE4, 0xF0, 0x00]).prop_map(|b| vec![b]),
        ]
    }

    proptest! {
        /// Read in blocks of any size, a UTF-8 input's bad bytes read as
        /// the standard library's lossy decoding reads them, with each NUL
        /// a U+FFFD too; every U+FFFD is listed, and nothing else.
        #[test]
        fn utf8_with_bad_bytes_reads_as_lossy_utf8(parts in prop::collection::vec(part(), 0..40), block in 1_usize..64) {
            // A first block of valid text, which chooses UTF-8.
            let mut bytes = "亲,您好\n".repeat(HEAD / 10).into_bytes();
            bytes.extend(parts.concat());
            let (text, repairs) = replaced(&bytes, block).unwrap();
            let lossy = String::from_utf8_lossy(&bytes).replace('\0', "\u{FFFD}");
            prop_assert_eq!(&text, &lossy);
            let marks: Vec<usize> = text.match_indices('\u{FFFD}').map(|(i, _)| i).collect();
            prop_assert_eq!(repairs.iter().map(|r| r.at).collect::<Vec<_>>(), marks);
            prop_assert_eq!(repairs.iter().filter(|r| r.nul).count(), bytes.iter().filter(|&&b| b == 0).count());
        }

        /// The same for GB18030: bad bytes read as encoding_rs's replacing decoder reads them.
        #[test]
        fn gb18030_with_bad_bytes_reads_as_the_replacing_decoder(parts in prop::collection::vec(part(), 0..40), block in 1_usize..64) {
            let mut bytes = GB18030.encode(&"亲,您好,但是不行\n".repeat(HEAD / 16)).0.into_owned();
            for part in parts {
                match std::str::from_utf8(&part) {
                    Ok(text) => bytes.extend_from_slice(&GB18030.encode(text).0),
                    Err(_) => bytes.extend_from_slice(&part),
                }
            }
            let (text, repairs) = replaced(&bytes, block).unwrap();
            let expected = GB18030.decode_without_bom_handling(&bytes).0.replace('\0', "\u{FFFD}");
            prop_assert_eq!(&text, &expected);
            let marks: Vec<usize> = text.match_indices('\u{FFFD}').map(|(i, _)| i).collect();
            prop_assert_eq!(repairs.iter().map(|r| r.at).collect::<Vec<_>>(), marks);
        }
    }

    fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
        decode_whole(bytes, forced, BadBytes::Fail).map_err(|(e, _)| e)
    }
}
