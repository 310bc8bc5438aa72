//! Reading a text input in pieces of about a quarter megabyte, cut at line ends
//! (outside CSV quotes, read as the csv crate reads them), so that memory
//! does not grow with the input.

use std::io::Read;

use super::encoding::{HEAD, Repair, TextDecoder};
use super::lines;
use super::quotes::Quotes;
use super::{Binary, Options, ReadError};

/// Target size of a piece, in bytes of decoded text (a quarter megabyte).
const PIECE: usize = 1 << 18;
/// Bytes read at a time.
const BLOCK: usize = 1 << 16;
/// The longest line (or CSV record) read, in bytes of decoded text (1 MiB):
/// no reply is that long, and the findings of one that dense take some
/// 130 MB (about 300 bytes a finding, up to 16 pieces in flight). A longer
/// line is an error for its input, so an endless one (`/dev/urandom` with
/// no line end, a stream that never ends a line) cannot exhaust memory.
pub const MAX_LINE: usize = 1 << 20;

/// Line ends inside one quoted field of a chat log's table after which its
/// quote is taken to be one never closed: the record is cut after its first
/// line (an error of that line, see `session::sources`) and the lines after
/// it are read as rows again. No chat message runs to a hundred lines.
const QUOTED_LINES: usize = 100;

/// A piece of decoded text and the input line it starts on.
#[derive(Debug)]
pub struct Piece {
    /// Whole lines (whole CSV records) of decoded text.
    pub text: String,
    /// 1-based input line of the piece's first line.
    pub first_line: usize,
    /// The encoding it was decoded from.
    pub encoding: &'static encoding_rs::Encoding,
    /// With [`Options::read_past_bad_lines`]: the lines that could not be
    /// read as written, in order, one fault a line.
    pub faults: Vec<LineFault>,
}

/// A line of an input that could not be read as written; the lines after
/// it are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineFault {
    /// Its 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub fault: Fault,
}

/// What is wrong with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Longer than [`MAX_LINE`]: left out of the text (left as its line ends).
    TooLong,
    /// Bytes that do not decode in the input's encoding, read as U+FFFD.
    Undecodable(&'static encoding_rs::Encoding),
    /// A NUL byte, read as U+FFFD.
    Nul,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::TooLong => write!(
                f,
                "the line is longer than {} MiB: it is not read (no message is that long); the lines after it are read",
                MAX_LINE >> 20
            ),
            Fault::Undecodable(encoding) => write!(
                f,
                "bytes that are not valid {}, read as U+FFFD; the rest of the line is read",
                super::encoding::display_name(encoding)
            ),
            Fault::Nul => f.write_str("a NUL byte, read as U+FFFD; the rest of the line is read"),
        }
    }
}

/// The faults of the lines of `text` (whose first line is `first`) where
/// `repairs` (of text decoded from `encoding`) lie, one a line.
pub fn repaired<'a>(
    text: &'a str,
    first: usize,
    repairs: &'a [Repair],
    encoding: &'static encoding_rs::Encoding,
) -> impl Iterator<Item = LineFault> + 'a {
    let mut line_of = lines::LineOf::new(text, first);
    let mut last = None;
    repairs.iter().filter_map(move |repair| {
        let line = line_of.at(repair.at);
        let fault = if repair.nul {
            Fault::Nul
        } else {
            Fault::Undecodable(encoding)
        };
        (last.replace(line) != Some(line)).then_some(LineFault { line, fault })
    })
}

/// The pieces of one input, in order.
pub struct Pieces {
    reader: Box<dyn Read + Send>,
    decoder: TextDecoder,
    binary: Binary,
    /// The field delimiter of a table, whose pieces are cut only outside quotes.
    delimiter: Option<u8>,
    buf: Vec<u8>,
    pending: String,
    /// How much of `pending` [`Pieces::cut`] has looked at, the CSV quoting
    /// that much leaves open, and the cut it found there.
    scanned: usize,
    quotes: Quotes,
    last_end: Option<usize>,
    /// Line ends inside quotes since the record that `last_end` begins.
    quoted_lines: usize,
    next_line: usize,
    eof: bool,
    decoded_all: bool,
    failed: bool,
    /// Whether a bad line is a fault of its own rather than an error
    /// ([`Options::read_past_bad_lines`]).
    read_past: bool,
    /// The long line being left out: its number and the line ends (inside
    /// quotes) dropped with it so far.
    skipping: Option<(usize, usize)>,
    /// Faults found, for the next piece.
    faults: Vec<LineFault>,
}

impl std::fmt::Debug for Pieces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pieces")
            .field("decoder", &self.decoder)
            .field("next_line", &self.next_line)
            .finish()
    }
}

/// Starts reading `reader`: chooses the encoding from its first block with
/// [`TextDecoder`], as a file read whole is. With a table's `delimiter`,
/// pieces are cut only outside quoted fields. With
/// [`Options::read_past_bad_lines`], a line longer than [`MAX_LINE`] is left
/// out as it comes (memory stays bounded; one that never ends runs to the
/// end of the input), bad bytes are read as U+FFFD, and each such line is
/// listed in its piece's [`Piece::faults`].
pub fn pieces(mut reader: Box<dyn Read + Send>, opts: &Options, delimiter: Option<u8>) -> Result<Pieces, ReadError> {
    let mut buf = Vec::with_capacity(BLOCK);
    let eof = fill(&mut reader, &mut buf, HEAD).map_err(|e| ReadError::Io(e.to_string()))?;
    let decoder =
        TextDecoder::new(&buf, eof, opts.encoding, opts.bad_bytes()).map_err(|e| ReadError::decode(e, opts.binary))?;
    buf.drain(..decoder.bom_len());
    Ok(Pieces {
        reader,
        decoder,
        binary: opts.binary,
        delimiter,
        buf,
        pending: String::new(),
        scanned: 0,
        quotes: Quotes::new(delimiter.unwrap_or(b',')),
        last_end: None,
        quoted_lines: 0,
        next_line: 1,
        eof,
        decoded_all: false,
        failed: false,
        read_past: opts.read_past_bad_lines,
        skipping: None,
        faults: Vec::new(),
    })
}

/// Reads until `buf` holds `want` bytes or the input ends; returns whether it ended.
fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    while buf.len() < want {
        let start = buf.len();
        buf.resize(want, 0);
        match reader.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return Ok(true);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(false)
}

impl Pieces {
    /// While leaving out a long line: drops what `pending` holds of it,
    /// up to its end if that has come (then it is left as its line ends).
    fn drop_long(&mut self) {
        let Some((line, ends)) = self.skipping else {
            return;
        };
        if let Some(end) = self.first_end().or(self.eof.then_some(self.pending.len())) {
            let ends = ends + lines::count(&self.pending[..end]);
            self.pending.replace_range(..end, &"\n".repeat(ends.max(1)));
            self.scanned = 0;
            self.last_end = None;
            self.skipping = None;
            self.faults.push(LineFault {
                line,
                fault: Fault::TooLong,
            });
            return;
        }
        // Keep a last `\r`: the `\n` of its `\r\n` may follow.
        let keep = usize::from(self.pending.ends_with('\r'));
        let drop = self.pending.len() - keep;
        self.skipping = Some((line, ends + lines::count(&self.pending[..drop])));
        self.pending.drain(..drop);
        self.scanned = self.pending.len();
    }

    /// Just past the first line end (outside quotes for tables) in
    /// `pending` not looked at before; a `\r` last in `pending` waits for
    /// what follows it, unless the input has ended.
    fn first_end(&mut self) -> Option<usize> {
        let bytes = self.pending.as_bytes();
        for i in self.scanned..bytes.len() {
            let b = bytes[i];
            let ends = match self.delimiter {
                Some(_) => self.quotes.feed(b),
                None => matches!(b, b'\n' | b'\r'),
            };
            if !ends {
                continue;
            }
            let end = match (b, bytes.get(i + 1)) {
                (b'\r', None) if !self.eof => {
                    self.scanned = i;
                    return None;
                }
                (b'\r', Some(b'\n')) => {
                    if self.delimiter.is_some() {
                        self.quotes.feed(b'\n');
                    }
                    i + 2
                }
                _ => i + 1,
            };
            self.scanned = end;
            return Some(end);
        }
        self.scanned = bytes.len();
        None
    }

    /// Leaves out the lines of `text` (from line `first_line`) longer than
    /// [`MAX_LINE`] that came whole within a block, adding them to `faults`.
    fn blank_long(text: &mut String, first_line: usize, faults: &mut Vec<LineFault>) {
        if text.len() <= MAX_LINE {
            return;
        }
        let long: Vec<(usize, std::ops::Range<usize>)> = lines::lines(text)
            .enumerate()
            .filter(|(_, range)| range.len() > MAX_LINE)
            .collect();
        for (i, range) in long.into_iter().rev() {
            text.replace_range(range, "");
            faults.push(LineFault {
                line: first_line + i,
                fault: Fault::TooLong,
            });
        }
    }

    /// The note on the encoding assumed, once it is known (at the start, or
    /// where an all-ASCII start gives way to another encoding).
    pub fn take_note(&mut self) -> Option<String> {
        self.decoder.take_note()
    }

    /// Decodes what `buf` holds into `pending`; a character cut at the end
    /// of `buf` waits there for the rest of its bytes.
    fn decode(&mut self) -> Result<(), ReadError> {
        let used = match self.decoder.feed(&self.buf, self.eof, &mut self.pending) {
            Ok(used) => used,
            // Said with the note on the encoding chosen at the first byte
            // outside ASCII, when the error comes in the same block.
            Err(e) => return Err(ReadError::decode(e, self.binary).noted(self.decoder.take_note())),
        };
        self.buf.drain(..used);
        let repairs = self.decoder.take_repairs();
        if !repairs.is_empty() {
            // `pending` begins on `next_line`, after the line ends a long
            // line being left out has dropped.
            let first = self.next_line + self.skipping.map_or(0, |(_, ends)| ends);
            let encoding = self.decoder.encoding().encoding;
            self.faults.extend(repaired(&self.pending, first, &repairs, encoding));
        }
        Ok(())
    }

    /// Where to cut `pending`: after the last line end (outside quotes for
    /// tables). Only text not looked at before is searched, so a huge line
    /// costs one pass, not one per block. A `\r` last in `pending` is not a
    /// cut: a `\n` may follow it.
    fn cut(&mut self) -> Option<usize> {
        let bytes = self.pending.as_bytes();
        if let Some(delimiter) = self.delimiter {
            let mut i = self.scanned;
            while i < bytes.len() {
                let b = bytes[i];
                let lone_cr = b != b'\r' || bytes.get(i + 1).is_some_and(|&next| next != b'\n');
                let quoted = self.quotes.in_quotes();
                if self.quotes.feed(b) && lone_cr {
                    self.last_end = Some(i + 1);
                    self.quoted_lines = 0;
                } else if quoted && b == b'\n' && self.read_past {
                    self.quoted_lines += 1;
                    if self.quoted_lines > QUOTED_LINES {
                        // Cut after the record's first line and read on from there.
                        let start = self.last_end.unwrap_or(0);
                        let after = lines::past_line_end(&self.pending, start).unwrap_or(i + 1);
                        self.last_end = Some(after);
                        self.quotes = Quotes::new(delimiter);
                        self.quoted_lines = 0;
                        i = after;
                        continue;
                    }
                }
                i += 1;
            }
        } else if let Some(end) = lines::last_end(&self.pending, self.scanned, false) {
            self.last_end = Some(end);
        }
        self.scanned = self.pending.len();
        self.last_end
    }

    /// The piece `pending[..end]`, where `end` is the last cut (or the end of the input).
    fn take(&mut self, end: usize) -> Piece {
        let rest = self.pending.split_off(end);
        // What was looked at beyond the cut has no line end outside quotes.
        self.scanned = rest.len();
        self.last_end = None;
        let text = std::mem::replace(&mut self.pending, rest);
        let mut text = text;
        let first_line = self.next_line;
        self.next_line += lines::count(&text);
        // Faults found beyond the cut are the next piece's; with nothing
        // beyond it, every one is this piece's (a last line without a line
        // end is on `next_line` still).
        let later = if self.pending.is_empty() {
            0
        } else {
            self.faults.iter().filter(|f| f.line >= self.next_line).count()
        };
        self.faults.sort_by_key(|f| f.line);
        let mut faults: Vec<LineFault> = self.faults.drain(..self.faults.len() - later).collect();
        if self.read_past {
            Self::blank_long(&mut text, first_line, &mut faults);
            // One fault a line: a line left out says only that.
            faults.sort_by_key(|f| (f.line, f.fault != Fault::TooLong));
            faults.dedup_by_key(|f| f.line);
        }
        Piece {
            text,
            first_line,
            encoding: self.decoder.encoding().encoding,
            faults,
        }
    }
}

impl Iterator for Pieces {
    type Item = Result<Piece, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            if !self.decoded_all && (!self.buf.is_empty() || self.eof) {
                self.decoded_all = self.eof;
                if let Err(e) = self.decode() {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
            self.drop_long();
            if self.skipping.is_none()
                && self.pending.len() >= PIECE
                && let Some(end) = self.cut()
            {
                return Some(Ok(self.take(end)));
            }
            if self.skipping.is_none() && self.pending.len() > MAX_LINE {
                // A table's quote open over 1 MiB is one never closed: the
                // record is cut after its first line, an error of that line
                // (see `table::read`), and the lines after it are read as rows.
                if let Some(delimiter) = self.delimiter.filter(|_| self.quotes.in_quotes())
                    && let Some(after) = lines::past_line_end(&self.pending, 0)
                {
                    let piece = self.take(after);
                    (self.quotes, self.scanned, self.quoted_lines) = (Quotes::new(delimiter), 0, 0);
                    return Some(Ok(piece));
                }
                if !self.read_past {
                    self.failed = true;
                    return Some(Err(ReadError::LongLine { line: self.next_line }));
                }
                // `pending` is one line (no cut above): left out from here.
                self.skipping = Some((self.next_line, 0));
                self.drop_long();
            }
            if self.eof && self.skipping.is_none() {
                return (!self.pending.is_empty() || !self.faults.is_empty())
                    .then(|| Ok(self.take(self.pending.len())));
            }
            match fill(&mut self.reader, &mut self.buf, BLOCK) {
                Ok(eof) => self.eof = eof,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(ReadError::Io(e.to_string())));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn collect(bytes: Vec<u8>, csv: bool) -> (Vec<Piece>, Option<String>) {
        let mut pieces = pieces(
            Box::new(std::io::Cursor::new(bytes)),
            &Options::default(),
            csv.then_some(b','),
        )
        .expect("opens");
        let note = pieces.take_note();
        (pieces.map(|p| p.expect("decodes")).collect(), note)
    }

    #[test]
    fn cuts_large_inputs_at_line_ends_with_line_numbers() {
        let line = "亲,您好,很高兴为您服务哦\n";
        let text = line.repeat(200_000);
        let (pieces, note) = collect(text.clone().into_bytes(), false);
        assert!(pieces.len() > 2 && note.is_none());
        assert_eq!(pieces.iter().map(|p| p.text.as_str()).collect::<String>(), text);
        let mut line_no = 1;
        for p in &pieces {
            assert_eq!(p.first_line, line_no);
            assert!(p.text.ends_with('\n'));
            line_no += p.text.matches('\n').count();
        }
    }

    #[test]
    fn keeps_quoted_csv_fields_whole() {
        let row = "a,\"多行\n字段\"\n";
        let (pieces, _) = collect(row.repeat(150_000).into_bytes(), true);
        assert!(pieces.len() > 1);
        assert!(
            pieces
                .iter()
                .all(|p| p.text.starts_with("a,") && p.text.matches('"').count() % 2 == 0)
        );
    }

    #[test]
    fn lines_and_fields_longer_than_a_piece_stay_whole() {
        // Lines and quoted fields spanning many blocks and pieces, between short ones.
        let long = "长".repeat(PIECE / 2); // longer than a piece, two within the longest line
        let text = format!("a,b\n{long}\nc,\"{long}\n{long}\"\nd,e\n{long}\nf\n");
        for csv in [false, true] {
            let (pieces, _) = collect(text.clone().into_bytes(), csv);
            assert_eq!(pieces.iter().map(|p| p.text.as_str()).collect::<String>(), text);
            assert!(pieces.len() > 2, "csv {csv}: {}", pieces.len());
            let mut line = 1;
            for p in &pieces {
                assert_eq!(p.first_line, line, "csv {csv}");
                assert!(p.text.ends_with('\n'));
                // Line 4 is the second line of a quoted field: no CSV piece starts there.
                assert!(!(csv && line == 4));
                line += p.text.matches('\n').count();
            }
        }
    }

    #[test]
    fn decodes_gb18030_with_a_note_and_reports_bad_bytes() {
        let gbk = encoding_rs::GB18030.encode(&"您好\n".repeat(50_000)).0.into_owned();
        let (pieces, note) = collect(gbk, false);
        assert!(note.is_some_and(|n| n.contains("GB18030")));
        assert_eq!(
            pieces.iter().map(|p| p.text.len()).sum::<usize>(),
            "您好\n".len() * 50_000
        );
        let mut bad = "好\n".repeat(40_000).into_bytes();
        bad.extend_from_slice(b"\xff\xff\n");
        let last_error = |results: &[Result<_, _>]| -> Option<String> {
            results
                .last()
                .and_then(|r: &Result<_, _>| r.as_ref().err())
                .map(|e| format!("{e:?}"))
        };
        let results: Vec<_> = pieces_of(bad).collect();
        assert_eq!(
            last_error(&results).as_deref(),
            Some("Undecodable(\"not valid UTF-8 at byte 160000\")")
        );
        // A character cut short by the end of the input, after blocks that end mid-character.
        let mut cut = "好\n".repeat(40_000).into_bytes();
        cut.extend_from_slice(&"好".as_bytes()[..2]);
        let results: Vec<_> = pieces_of(cut).collect();
        assert_eq!(
            last_error(&results).as_deref(),
            Some("Undecodable(\"not valid UTF-8 at byte 160000\")")
        );
        let text: String = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|p| p.text.as_str())
            .collect();
        assert!(text.chars().all(|c| c == '好' || c == '\n'), "no character split");
    }

    #[test]
    fn long_lines_are_left_out_when_asked_and_the_rest_read() {
        // A line over the limit ending in a block of its own, one ending
        // with a long one's block (CRLF), and one that never ends; in a
        // table, one whose quoted field spans lines.
        let huge = "长".repeat(MAX_LINE / 2);
        let just_over = "a".repeat(MAX_LINE + 1000);
        let jsonl = format!("a\n{huge}\nb\r\n{just_over}\r\nc\n{huge}");
        let table = format!("h,x\n1,\"{huge}\n{huge}\"\n2,y\n");
        for (input, csv, skipped, kept) in [
            (jsonl, false, vec![2, 4, 6], "a\n\nb\r\n\r\nc\n"),
            (table, true, vec![2], "h,x\n\n\n2,y\n"),
        ] {
            let pieces: Vec<Piece> = read_past(input.clone().into_bytes(), csv.then_some(b','))
                .map(|p| p.expect("no error"))
                .collect();
            let all: Vec<usize> = pieces.iter().flat_map(|p| p.faults.iter().map(|f| f.line)).collect();
            assert_eq!(all, skipped, "csv {csv}");
            assert!(pieces.iter().flat_map(|p| &p.faults).all(|f| f.fault == Fault::TooLong));
            let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
            let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(visible(&text), visible(kept), "csv {csv}");
            // As many line ends as the input (the one that never ends gets one).
            assert!(lines::count(&text).abs_diff(lines::count(&input)) <= 1, "csv {csv}");
            // Line numbers stay those of the input.
            let mut line = 1;
            for p in &pieces {
                assert_eq!(p.first_line, line, "csv {csv}");
                line += lines::count(&p.text);
            }
        }
        // Without asking, a long line is an error, as before.
        let results: Vec<_> = pieces_of(format!("{}\nb\n", "a".repeat(MAX_LINE * 2)).into_bytes()).collect();
        assert!(matches!(results.last(), Some(Err(ReadError::LongLine { line: 1 }))));
    }

    #[test]
    fn bad_bytes_are_faults_of_their_lines_in_every_piece() {
        // Lines of a few pieces; bad bytes on some, one of them a line too
        // long, which says only that it is too long.
        let mut input = Vec::new();
        let mut expected = Vec::new();
        for line in 1..=60_000 {
            match line % 10_000 {
                7 => {
                    input.extend_from_slice("好".as_bytes());
                    input.extend_from_slice(b"\xFF\xFE,");
                    expected.push((line, Fault::Undecodable(encoding_rs::UTF_8)));
                }
                9 => {
                    input.extend_from_slice(b"a\0b,\0");
                    expected.push((line, Fault::Nul));
                }
                _ => {}
            }
            if line == 30_001 {
                input.extend(std::iter::repeat_n(b'x', MAX_LINE));
                input.push(0xFF);
                expected.push((line, Fault::TooLong));
            }
            input.extend_from_slice("亲,您好\n".as_bytes());
        }
        for csv in [None, Some(b',')] {
            let pieces: Vec<Piece> = read_past(input.clone(), csv).map(|p| p.expect("reads")).collect();
            assert!(pieces.len() > 3);
            let found: Vec<(usize, Fault)> = pieces
                .iter()
                .flat_map(|p| p.faults.iter().map(|f| (f.line, f.fault)))
                .collect();
            assert_eq!(found, expected, "csv {csv:?}");
            // Each fault is on a line of its own piece.
            for p in &pieces {
                let lines = p.first_line..p.first_line + lines::count(&p.text);
                assert!(p.faults.iter().all(|f| lines.contains(&f.line)), "csv {csv:?}");
            }
        }
    }

    #[test]
    fn a_bad_byte_on_a_last_line_without_a_line_end_ends_the_input() {
        let bytes = |parts: &[&[u8]]| parts.concat();
        let inputs = [
            bytes(&["亲,您好,请问\n不知道".as_bytes(), b"\xFF"]),
            bytes(&["亲,您好,请问\n".as_bytes(), b"\xFF"]),
            bytes(&["亲,您好,请问\n".as_bytes(), b"\xE4\xBD"]),
        ];
        for input in inputs {
            let pieces: Vec<Piece> = read_past(input.clone(), None)
                .take(5)
                .map(|p| p.expect("reads"))
                .collect();
            assert_eq!(pieces.len(), 1, "{input:?}");
            assert_eq!(
                pieces[0].faults.iter().map(|f| f.line).collect::<Vec<_>>(),
                [2],
                "{input:?}"
            );
        }
    }

    proptest! {
        /// Read past bad lines, any log of text, bad bytes and line ends
        /// (a last line without a line end too) ends, in pieces that hold
        /// its every line, with one fault for each line with a bad byte.
        #[test]
        fn damaged_logs_are_read_to_their_end(
            parts in prop::collection::vec(
                prop_oneof![
                    3 => "[亲您好的吗a-z,\n]{0,12}".prop_map(String::into_bytes),
                    1 => prop::sample::select(vec![0xFF_u8, 0x80, 0xE4, 0x00]).prop_map(|b| vec![b]),
                ],
                0..60,
            )
        ) {
            // A first block of clean text (which chooses UTF-8), then the damage.
            let mut bytes = "亲,您好,很高兴为您服务,请问有什么可以帮您的吗\n".repeat(1000).into_bytes();
            bytes.extend(parts.concat());
            let pieces: Vec<Piece> = read_past(bytes.clone(), None).take(1000).map(|p| p.expect("reads")).collect();
            prop_assert!(pieces.len() < 1000, "ends");
            let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
            let lossy = String::from_utf8_lossy(&bytes).replace('\0', "\u{FFFD}");
            prop_assert_eq!(&text, &lossy);
            let faults: Vec<usize> = pieces.iter().flat_map(|p| p.faults.iter().map(|f| f.line)).collect();
            let damaged: Vec<usize> = lines::lines(&lossy)
                .enumerate()
                .filter(|(_, range)| lossy[range.clone()].contains('\u{FFFD}'))
                .map(|(i, _)| i + 1)
                .collect();
            prop_assert_eq!(faults, damaged);
        }
    }

    /// The pieces of `bytes` read past bad lines.
    fn read_past(bytes: Vec<u8>, delimiter: Option<u8>) -> Pieces {
        let opts = Options {
            read_past_bad_lines: true,
            ..Options::default()
        };
        pieces(Box::new(std::io::Cursor::new(bytes)), &opts, delimiter).expect("opens")
    }

    fn pieces_of(bytes: Vec<u8>) -> Pieces {
        pieces(Box::new(std::io::Cursor::new(bytes)), &Options::default(), None).expect("opens")
    }
}
