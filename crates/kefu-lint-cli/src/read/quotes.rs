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

/// Line ends inside one quoted field after which its quote is taken to be
/// one never closed (or closed only by a later row's quote): no reply runs
/// to a hundred lines. The record is then an error of its first line, and
/// the lines after it are read as rows again.
pub const QUOTED_LINES: usize = 100;

/// Whether `record` (the raw text of one record as the csv crate reads it)
/// swallowed the rows after it: its quote is never closed
/// ([`unterminated`]), closes inside a field ([`closed_inside_a_field`]),
/// holds more than [`QUOTED_LINES`] line ends, or runs over lines that read
/// as rows. `width` is the header's number of fields, `None` when `record`
/// is the header: a row's quoted field swallowed rows when two of its later
/// lines split into that many fields (one may be a reply's own line, as
/// `a,买家,我要退货` quoted in a reply); the header's, when one of its later
/// lines holds the delimiter at all.
pub fn swallows(record: &str, delimiter: u8, width: Option<usize>) -> bool {
    let later_lines = || record.split('\n').skip(1).map(|l| l.trim_end_matches('\r'));
    let fields = |line: &str| 1 + line.bytes().filter(|&b| splits(delimiter, b)).count();
    unterminated(record, delimiter)
        || closed_inside_a_field(record, delimiter)
        || quoted_lines(record, delimiter) > QUOTED_LINES
        || match width {
            Some(width) => width >= 2 && later_lines().filter(|l| fields(l) == width).count() >= 2,
            None => later_lines().any(|l| fields(l) > 1),
        }
}

/// The `\n` line ends of `record` inside quoted fields.
fn quoted_lines(record: &str, delimiter: u8) -> usize {
    let mut quotes = Quotes::new(delimiter);
    record
        .bytes()
        .filter(|&b| {
            let inside = quotes.in_quotes();
            quotes.feed(b);
            inside && b == b'\n'
        })
        .count()
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
    fn a_quoted_field_over_a_hundred_lines_swallows_them() {
        let field = |lines: usize| format!("a,\"{}x\"\n", "y\n".repeat(lines));
        assert!(!swallows(&field(QUOTED_LINES), b',', Some(2)));
        assert!(swallows(&field(QUOTED_LINES + 1), b',', Some(2)));
        assert!(
            !swallows(&format!("a,b{}\n", "\n".repeat(200)), b',', Some(2)),
            "line ends outside quotes"
        );
    }

    #[test]
    fn a_quoted_field_over_lines_that_read_as_rows_swallows_them() {
        let row = "A,agent,\"在吗\nA,agent,嗯\nA,agent,好的\"\n";
        assert!(swallows(row, b',', Some(3)));
        assert!(!swallows(row, b',', Some(4)), "lines of another width");
        let reply = "A,agent,\"第一行\na,买家,我要退货\n您好\"\n";
        assert!(!swallows(reply, b',', Some(3)), "one such line may be the reply's own");
        assert!(
            swallows("分组,\"快捷短语\n售前,你好\"\n", b',', None),
            "a header over rows"
        );
        assert!(
            !swallows("分组,\"快捷\n短语\"\n", b',', None),
            "a header cell over two lines"
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
