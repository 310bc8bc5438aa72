//! The one trait every input format's reader implements. The pipeline, the
//! fixer and the renderers ask a [`Reader`] (through [`Format::reader`])
//! and never name a format: a new format is one more implementation here
//! and its module.

use kefu_lint::Finding;

use super::{Document, Format, Options, ReadError, encoding, excel, json, jsonl, literal, table, txt};

/// What one piece of a streamed input tells the pieces after it: a table's
/// header (`None` for other formats, and before it is known).
pub type Carry = Option<table::Header>;

/// The replies of a piece with findings, and how many replies it had:
/// the records of the document are those with findings, in order, and the
/// findings are theirs.
pub type Checked = (Vec<Vec<Finding>>, usize);

/// Checks the replies of `doc` with `check`, keeping only the records that
/// have findings.
pub fn keep_findings(doc: &mut Document, check: &dyn Fn(&str) -> Vec<Finding>) -> Checked {
    let replies = doc.records.len();
    let mut findings = Vec::new();
    doc.records.retain(|r| {
        let found = check(&r.text);
        let keep = !found.is_empty();
        if keep {
            findings.push(found);
        }
        keep
    });
    (findings, replies)
}

/// The command-line options that say how to read some formats only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputOption {
    /// `--column`.
    Column,
    /// `--header`, `--no-header`.
    Header,
    /// `--sheet`.
    Sheet,
    /// `--field`.
    Field,
    /// `--role-field`, `--agent-role`: chat logs, and tables with a sender column.
    Roles,
    /// `--json-pointer`.
    JsonPointer,
    /// `--encoding`: every format but workbooks, which say their own.
    Encoding,
    /// `--max-workbook-mb`: workbooks and `.json` documents, read whole.
    WholeSize,
    /// `--max-cells`.
    Cells,
}

/// An input format's reader.
pub trait Reader: Sync {
    /// Whether `option` means something to this reader (an option no input
    /// uses is said to be unused).
    fn uses(&self, option: InputOption) -> bool {
        option == InputOption::Encoding
    }

    /// Whether a directory walk picks files of this format without a
    /// `--glob` that selects them.
    fn walked(&self) -> bool {
        true
    }

    /// Reads a piece of decoded text that starts at line `first_line` of
    /// the input (the whole text when the format does not stream): its
    /// replies, the rows that could not be read, and notes go into `doc`.
    ///
    /// # Errors
    /// What makes the whole input unreadable (no reply column, not JSON …).
    fn read(
        &self,
        text: &str,
        first_line: usize,
        carry: &mut Carry,
        opts: &Options,
        doc: &mut Document,
    ) -> Result<(), ReadError>;

    /// Reads an input held whole in memory, `bytes` as read from the file,
    /// into `doc`: by default decoded (see [`encoding::decode_whole`]) and read as
    /// one piece, its decoded text kept for fixes.
    ///
    /// # Errors
    /// Bytes that are not text, or what [`Reader::read`] refuses.
    fn read_whole(&self, bytes: &[u8], opts: &Options, doc: &mut Document) -> Result<(), ReadError> {
        let decoded = encoding::decode_whole(bytes, opts.encoding, opts.bad_bytes())
            .map_err(|(e, note)| ReadError::decode(e, opts.binary).noted(note))?;
        self.read(&decoded.text, 1, &mut None, opts, doc)?;
        doc.decoded = Some(decoded);
        Ok(())
    }

    /// Reads a piece as [`Reader::read`] does and checks its replies with
    /// `check`, keeping in `doc` only the records with findings.
    ///
    /// # Errors
    /// As [`Reader::read`].
    fn read_checked(
        &self,
        text: &str,
        first_line: usize,
        carry: &mut Carry,
        opts: &Options,
        doc: &mut Document,
        check: &dyn Fn(&str) -> Vec<Finding>,
    ) -> Result<Checked, ReadError> {
        self.read(text, first_line, carry, opts, doc)?;
        Ok(keep_findings(doc, check))
    }

    /// What the first piece tells the pieces after it, found before that
    /// piece is read (so that pieces can be read at once on several threads).
    ///
    /// # Errors
    /// As [`Reader::read`] would say for the first piece.
    fn carry(&self, _first: &str, _opts: &Options) -> Result<Carry, ReadError> {
        Ok(None)
    }

    /// Whether inputs are read in pieces as they stream in; otherwise they
    /// are read whole, at most `--max-workbook-mb`.
    fn streams(&self) -> bool {
        true
    }

    /// The field delimiter of a table, whose pieces are cut only outside quotes.
    fn quoted_by(&self) -> Option<u8> {
        None
    }

    /// Whether a reply's line ends are line ends of the file (text and
    /// tables), rather than escapes (`\n` in JSON) or inside a cell.
    fn breaks_lines(&self) -> bool {
        false
    }

    /// Whether `--fix` writes fixes into the input itself; a workbook's go
    /// to `--output` instead.
    fn fixes_in_place(&self) -> bool {
        true
    }

    /// What is written in place of a reply's raw field `raw` (its range in
    /// the decoded text) when the reply is fixed to `text`: `None` when
    /// `text` holds a line break, which would split a one-reply-per-line
    /// file's reply in two (a format that quotes or escapes it says how).
    fn rewrite(&self, _raw: &str, text: &str) -> Option<String> {
        (!text.contains(['\n', '\r'])).then(|| text.to_owned())
    }
}

/// Plain text: one reply per non-empty line.
struct Txt;

impl Reader for Txt {
    fn read(
        &self,
        text: &str,
        first_line: usize,
        _: &mut Carry,
        _: &Options,
        doc: &mut Document,
    ) -> Result<(), ReadError> {
        txt::read(text, first_line, doc);
        Ok(())
    }

    /// Lines are checked where they lie; only those with findings become records.
    fn read_checked(
        &self,
        text: &str,
        first_line: usize,
        _: &mut Carry,
        _: &Options,
        doc: &mut Document,
        check: &dyn Fn(&str) -> Vec<Finding>,
    ) -> Result<Checked, ReadError> {
        let (mut findings, mut replies) = (Vec::new(), 0);
        for (line, range) in txt::lines(text, first_line) {
            replies += 1;
            let found = check(&text[range.clone()]);
            if !found.is_empty() {
                doc.records.push(txt::record(text, line, range));
                findings.push(found);
            }
        }
        Ok((findings, replies))
    }

    fn breaks_lines(&self) -> bool {
        true
    }
}

/// CSV (`,`, or the tab or `;` its header line is split by) and TSV (tab) tables.
struct Table {
    delimiter: u8,
}

impl Reader for Table {
    fn uses(&self, option: InputOption) -> bool {
        matches!(
            option,
            InputOption::Column | InputOption::Header | InputOption::Roles | InputOption::Encoding
        )
    }

    fn read(
        &self,
        text: &str,
        first_line: usize,
        carry: &mut Carry,
        opts: &Options,
        doc: &mut Document,
    ) -> Result<(), ReadError> {
        table::read(text, first_line, self.delimiter, carry, opts, doc).map_err(ReadError::Shape)
    }

    fn carry(&self, first: &str, opts: &Options) -> Result<Carry, ReadError> {
        table::header_of(first, self.delimiter, opts).map_err(ReadError::Shape)
    }

    fn quoted_by(&self) -> Option<u8> {
        Some(self.delimiter)
    }

    fn breaks_lines(&self) -> bool {
        true
    }

    fn rewrite(&self, raw: &str, text: &str) -> Option<String> {
        Some(table::quote_like(raw, text, self.delimiter))
    }
}

/// JSON Lines chat logs.
struct Jsonl;

impl Reader for Jsonl {
    fn uses(&self, option: InputOption) -> bool {
        matches!(option, InputOption::Field | InputOption::Roles | InputOption::Encoding)
    }

    fn read(
        &self,
        text: &str,
        first_line: usize,
        _: &mut Carry,
        opts: &Options,
        doc: &mut Document,
    ) -> Result<(), ReadError> {
        jsonl::read(text, first_line, opts, doc);
        Ok(())
    }

    fn rewrite(&self, raw: &str, text: &str) -> Option<String> {
        Some(literal::rewrite(raw, text))
    }
}

/// JSON chat logs, read whole.
struct Json;

impl Reader for Json {
    fn uses(&self, option: InputOption) -> bool {
        matches!(
            option,
            InputOption::Field
                | InputOption::Roles
                | InputOption::JsonPointer
                | InputOption::Encoding
                | InputOption::WholeSize
        )
    }

    /// Most JSON in a directory (`package.json`, a baseline, findings) is not a chat log.
    fn walked(&self) -> bool {
        false
    }

    fn read(&self, text: &str, _: usize, _: &mut Carry, opts: &Options, doc: &mut Document) -> Result<(), ReadError> {
        json::read(text, opts, doc)
    }

    fn streams(&self) -> bool {
        false
    }

    fn rewrite(&self, raw: &str, text: &str) -> Option<String> {
        Some(literal::rewrite(raw, text))
    }
}

/// Excel workbooks, read whole from their bytes.
struct Excel;

impl Reader for Excel {
    fn uses(&self, option: InputOption) -> bool {
        matches!(
            option,
            InputOption::Column
                | InputOption::Header
                | InputOption::Sheet
                | InputOption::Roles
                | InputOption::WholeSize
                | InputOption::Cells
        )
    }

    fn read(&self, _: &str, _: usize, _: &mut Carry, _: &Options, _: &mut Document) -> Result<(), ReadError> {
        Err(ReadError::Shape("a workbook is not text".into()))
    }

    fn read_whole(&self, bytes: &[u8], opts: &Options, doc: &mut Document) -> Result<(), ReadError> {
        excel::read(bytes, opts, doc).map_err(ReadError::Shape)
    }

    fn streams(&self) -> bool {
        false
    }

    fn fixes_in_place(&self) -> bool {
        false
    }
}

impl Format {
    /// This format's reader.
    pub fn reader(self) -> &'static dyn Reader {
        match self {
            Format::Txt => &Txt,
            Format::Csv => &Table {
                delimiter: super::quotes::SNIFFED,
            },
            Format::Tsv => &Table { delimiter: b'\t' },
            Format::Jsonl => &Jsonl,
            Format::Json => &Json,
            Format::Excel => &Excel,
        }
    }
}
