//! Where CSV records end: the same reading of quotes as the csv crate's, so
//! that a stray `"` inside an unquoted field (`他说"好的`) is plain text and
//! only a `"` that opens a field starts a quoted field.

/// What the bytes seen so far leave open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    FieldStart,
    /// Inside an unquoted field.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a `"` inside a quoted field (its end, or the first of `""`).
    QuoteInQuoted,
}

/// A scanner over the bytes of a table, fed one byte at a time.
#[derive(Clone, Copy, Debug)]
pub struct Quotes {
    delimiter: u8,
    state: State,
}

impl Quotes {
    /// A scanner at the start of a record, for fields split by `delimiter`.
    pub fn new(delimiter: u8) -> Quotes {
        Quotes {
            delimiter,
            state: State::FieldStart,
        }
    }

    /// Takes the next byte; returns whether it is a line end (`\n` or `\r`)
    /// outside quotes, which ends a record.
    pub fn feed(&mut self, b: u8) -> bool {
        let line_end = matches!(b, b'\n' | b'\r');
        let (state, ends) = match (self.state, b) {
            (State::Quoted, b'"') => (State::QuoteInQuoted, false),
            (State::Quoted, _) => (State::Quoted, false),
            (State::FieldStart, b'"') | (State::QuoteInQuoted, b'"') => (State::Quoted, false),
            (_, _) if line_end => (State::FieldStart, true),
            (_, d) if splits(self.delimiter, d) => (State::FieldStart, false),
            (_, _) => (State::Unquoted, false),
        };
        self.state = state;
        ends
    }

    /// Whether the bytes fed so far end inside a quoted field.
    pub fn in_quotes(&self) -> bool {
        self.state == State::Quoted
    }
}

/// The delimiter of a `.csv` table not yet known: tab, semicolon or comma,
/// whichever its header line is split by (see `table::sniff`). Where
/// quotes are concerned, each of them may end a field.
pub const SNIFFED: u8 = 0;

/// Whether byte `b` ends a field of a table split by `delimiter`.
pub fn splits(delimiter: u8, b: u8) -> bool {
    b == delimiter || (delimiter == SNIFFED && matches!(b, b'\t' | b';' | b','))
}

/// What the rows of a table read so far tell of its rows: the header's
/// number of fields, and the first fields rows have had (a group such as
/// 售前, a session id), at most [`Rows::KEPT`] of them.
#[derive(Debug, Default)]
pub struct Rows {
    width: usize,
    firsts: std::collections::HashSet<String>,
}

impl Rows {
    /// First fields kept: enough for the groups or sessions near a row.
    const KEPT: usize = 1_000;

    /// A table whose header has `width` fields.
    pub fn new(width: usize) -> Rows {
        Rows {
            width,
            firsts: Default::default(),
        }
    }

    /// Notes a row read: its first field, and its number of fields (the
    /// widest row stands for the header while that is not known).
    pub fn saw(&mut self, row: &csv::StringRecord) {
        self.width = self.width.max(row.len());
        let first = row.get(0).unwrap_or_default().trim();
        // Most rows repeat a first field already kept: no allocation for them.
        if self.firsts.len() < Self::KEPT && !self.firsts.contains(first) {
            self.firsts.insert(first.to_owned());
        }
    }

    /// Whether `line` reads as a row of the table: 2 to `width` fields
    /// (trailing empty ones not counted) and a first field rows have had.
    fn holds(&self, line: &str, delimiter: u8) -> bool {
        let fields = fields(line, delimiter);
        let first = fields.first().map_or("", |f| f.trim().trim_matches('"').trim());
        (2..=self.width).contains(&fields.len()) && self.firsts.contains(first)
    }
}

/// The fields of `line` split at every delimiter, quotes or not, without
/// trailing empty ones.
fn fields(line: &str, delimiter: u8) -> Vec<&str> {
    let mut fields: Vec<&str> = line
        .split(|c: char| c.is_ascii() && splits(delimiter, c as u8))
        .collect();
    while fields
        .last()
        .is_some_and(|f| f.trim().trim_matches('"').trim().is_empty())
    {
        fields.pop();
    }
    fields
}

/// Whether `record` (the raw text of one record as the csv crate reads it)
/// swallowed the rows after it: its quote is never closed
/// ([`unterminated`]), closes inside a field ([`closed_inside_a_field`]), or
/// its quoted field runs over lines that read as rows. Of a row, `rows`
/// tells what a row is ([`Rows`]); one such line is enough, as a reply's
/// own lines (an address `北京市,朝阳区`, a list `1,2,3`) seldom begin with
/// a first field the table's rows have. Of the header (`rows` is `None`),
/// two later lines splitting into as many fields as its first line (a
/// header cell over two lines, `"分组⏎(售前,售后)"`, is a header).
pub fn swallows(record: &str, delimiter: u8, rows: Option<&Rows>) -> bool {
    let mut lines = record.split(['\n', '\r']).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    unterminated(record, delimiter)
        || closed_inside_a_field(record, delimiter)
        || match rows {
            Some(rows) => lines.any(|l| rows.holds(l, delimiter)),
            None => {
                let width = fields(first, delimiter).len();
                width >= 2 && lines.filter(|l| fields(l, delimiter).len() == width).count() >= 2
            }
        }
}

/// Whether `record` (the raw text of one or more records) ends inside a quoted field.
pub fn unterminated(record: &str, delimiter: u8) -> bool {
    let mut quotes = Quotes::new(delimiter);
    record.bytes().for_each(|b| {
        quotes.feed(b);
    });
    quotes.in_quotes()
}

/// Whether `record` has a quoted field that runs over a line end and whose
/// closing quote has more text after it in the same field (`"在吗?⏎A,agent,你自己看吧⏎A,agent,"好的亲`).
/// A field's quote that was never closed on its row was then closed by the
/// quote of a later row, and the rows between were swallowed into one
/// field; a quoted reply over several lines ends its field at its closing
/// quote.
pub fn closed_inside_a_field(record: &str, delimiter: u8) -> bool {
    let mut quotes = Quotes::new(delimiter);
    let mut over_lines = false;
    record.bytes().any(|b| {
        let closed = quotes.state == State::QuoteInQuoted;
        if quotes.state == State::FieldStart {
            over_lines = false;
        }
        quotes.feed(b);
        over_lines |= quotes.state == State::Quoted && matches!(b, b'\n' | b'\r');
        closed && over_lines && quotes.state == State::Unquoted
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_quote_that_opens_a_field_quotes_it() {
        assert!(!unterminated("售前\t他说\"好的,但是不能改价\n", b'\t'));
        assert!(!unterminated("a,b\"c\"d\"\n", b','));
        assert!(unterminated("a,\"b\n", b','));
        assert!(closed_inside_a_field(
            "A,c,\"在吗?\nA,a,你自己看吧\nA,a,\"好的亲\n",
            b','
        ));
        assert!(
            !closed_inside_a_field("A,a,\"第一行\na,买家,我要退货\n末行\"\nB,c,x\n", b','),
            "a reply over lines"
        );
        assert!(
            !closed_inside_a_field("a,\"b\"c\n", b','),
            "text after a quote on one line"
        );
        assert!(!unterminated("a,\"b\"\"c\n\"\n", b','));
        assert!(unterminated("a,\"b\"\"\n", b','));
        assert!(!unterminated("\"多行\r字段\",x\r", b','));
    }

    #[test]
    fn a_quoted_field_over_lines_that_read_as_rows_swallows_them() {
        let mut rows = Rows::new(3);
        rows.saw(&csv::StringRecord::from(vec!["A", "agent", "您好"]));
        let row = "A,customer,\"在吗\nA,agent,嗯\nA,agent,好的\"\n";
        assert!(swallows(row, b',', Some(&rows)));
        assert!(
            swallows("A,customer,\"在吗\rA,agent,嗯\"\r", b',', Some(&rows)),
            "lone CR line ends"
        );
        assert!(
            swallows("A,customer,\"在吗\nA,agent,\n好\"\n", b',', Some(&rows)),
            "a short row, a trailing empty field"
        );
        let reply = "A,agent,\"第一行\na,买家,我要退货\n北京市,朝阳区,望京\n您好\"\n";
        assert!(!swallows(reply, b',', Some(&rows)), "a reply's own lines");
        let long = format!("A,agent,\"{}x\"\n", "尺码表\n".repeat(150));
        assert!(!swallows(&long, b',', Some(&rows)), "a long reply");
        assert!(
            swallows("分组,\"快捷短语\n售前,你好\n售后,不行\"\n", b',', None),
            "a header over rows"
        );
        assert!(
            !swallows("\"分组\n(售前,售后)\",快捷短语\n", b',', None),
            "a header cell over two lines"
        );
        assert!(
            !swallows("\"分组\n类别\",\"快捷\n短语\"\n", b',', None),
            "two such cells"
        );
    }

    #[test]
    fn line_ends_inside_quotes_end_no_record() {
        let mut quotes = Quotes::new(b',');
        let ends: Vec<bool> = "a,\"x\ny\"\nb\r".bytes().map(|b| quotes.feed(b)).collect();
        let at: Vec<usize> = ends.iter().enumerate().filter(|(_, e)| **e).map(|(i, _)| i).collect();
        assert_eq!(at, [7, 9]);
    }
}
