//! What the fuzz targets run and the properties they assert.
//!
//! One function per target. The targets in `fuzz_targets/` are one-line
//! wrappers around these, and `tests/fuzz_replay.rs` includes this very file
//! (`#[path = "../fuzz/src/lib.rs"]`) to replay the seeds and the saved
//! regressions through the same code as ordinary tests, so this file may only
//! use `kefu_lint`, `kefu_lint_cli`, `miette`, `serde_json` and the standard library
//! (all of them dependencies of kefu-lint-cli).
//!
//! A property that does not hold is an `assert!` failure: a panic, which
//! libFuzzer reports as a crash (and `cargo test` as a failed test).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::OnceLock;

use kefu_lint::{Applicability, Finding, Linter};
use kefu_lint_cli::read::{self, Document, Format, Options};

/// The built-in linter, built once per process.
pub fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(Linter::builtin)
}

/// The fuzz input as a reply: invalid UTF-8 becomes U+FFFD, so no input is wasted.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Asserts what `Linter::check` promises about its findings for `reply`.
pub fn assert_findings(reply: &str, findings: &[Finding]) {
    let mut previous = 0;
    for f in findings {
        let span = f.span.clone();
        assert_range(&span, reply, || format!("{} span in {reply:?}", f.rule));
        assert_eq!(
            &reply[span.clone()],
            f.matched,
            "{} matched text differs from the span",
            f.rule
        );
        assert!(
            span.start >= previous,
            "findings not ordered by position ({} at {span:?} after {previous}): {reply:?}",
            f.rule
        );
        previous = span.start;
        if let Some(fix) = &f.fix {
            for edit in &fix.edits {
                assert_range(&edit.range, reply, || format!("{} fix edit in {reply:?}", f.rule));
            }
        }
    }
}

/// Target `check`: `Linter::check` on any reply, with the span properties.
pub fn check(reply: &str) {
    assert_findings(reply, &linter().check(reply));
}

/// Target `triggers`: running a regex only where its trigger literals occur
/// changes no finding; `check` gives exactly what running every regex on
/// every reply gives.
pub fn triggers(reply: &str) {
    let linter = linter();
    assert_eq!(linter.check(reply), linter.check_every_regex(reply), "{reply:?}");
}

/// Target `fix`: unsafe and safe fixes; the safe output is a fixed point.
pub fn fix(reply: &str) {
    let linter = linter();
    let unsafe_fixed = linter.fix(reply, Applicability::Unsafe);
    check(&unsafe_fixed.text);
    let safe = linter.fix(reply, Applicability::Safe);
    if safe.applied == 0 {
        assert_eq!(safe.text, reply, "no fix applied, yet the text changed");
    }
    assert_eq!(
        without_safe_fix_characters(&safe.text),
        without_safe_fix_characters(reply),
        "a safe fix changed more than the characters it names: {reply:?} -> {:?}",
        safe.text
    );
    check(&safe.text);
    let again = linter.fix(&safe.text, Applicability::Safe);
    assert_eq!(
        again.text, safe.text,
        "fixing the safe output again changed it (input {reply:?}, {} fixes applied the first time)",
        safe.applied
    );
    assert_eq!(
        again.applied, 0,
        "fixing the safe output again applied fixes: {reply:?}"
    );
}

/// Target `fix_file`: the first byte picks the format of the rest, a file
/// whose replies get every safe fix, as `--fix` computes them. Deleting the
/// characters a safe fix names from the old and new text of the file (txt
/// and tables, whose bytes outside the fixes are copied) leaves the same
/// text; the fixed file reads back as as many replies, each the same as
/// before once those characters are deleted (JSON Lines too, whose fixed
/// field is written anew).
pub fn fix_file(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let (format, name) = [
        (Format::Txt, "fuzz.txt"),
        (Format::Csv, "fuzz.csv"),
        (Format::Tsv, "fuzz.tsv"),
        (Format::Jsonl, "fuzz.jsonl"),
    ][usize::from(pick % 4)];
    let read = |bytes: Vec<u8>| read::read_bytes(name.into(), None, bytes, format, &options());
    let Ok(doc) = read(bytes.to_vec()) else { return };
    let outcome = kefu_lint_cli::fix::fix_document(&doc, linter(), Applicability::Safe);
    let (Some(new), Some(decoded)) = (&outcome.new_text, &doc.decoded) else {
        return;
    };
    if format != Format::Jsonl {
        assert_eq!(
            without_safe_fix_characters(new.text()),
            without_safe_fix_characters(&decoded.text),
            "the fixed file differs in more than the characters safe fixes name"
        );
    }
    // Read back as UTF-8 with a byte-order mark, as the original (any
    // encoding, NUL characters included) was decoded.
    let again = read([b"\xef\xbb\xbf", new.text().as_bytes()].concat()).expect("the fixed file reads back");
    assert_eq!(
        again.records.len(),
        doc.records.len(),
        "the fixed file has other replies"
    );
    for (before, after) in doc.records.iter().zip(&again.records) {
        assert_eq!(
            without_safe_fix_characters(&after.text),
            without_safe_fix_characters(&before.text),
            "line {}: the fixed reply differs in more than the characters safe fixes name",
            before.line
        );
    }
}

/// `text` without the characters a safe fix names: those that are, or fold
/// to, a character of a safe rule's patterns or replacement (你, 妳, 您 …).
/// A safe fix changes only such characters, so this is the same before and after.
pub fn without_safe_fix_characters(text: &str) -> String {
    static NAMED: OnceLock<Vec<char>> = OnceLock::new();
    let named = NAMED.get_or_init(|| {
        let safe = linter().rules().iter().filter_map(|r| {
            let fix = r.fix.as_ref().filter(|f| f.applicability == Applicability::Safe)?;
            Some(r.patterns.iter().map(String::as_str).chain([fix.replacement.as_str()]))
        });
        safe.flatten().flat_map(str::chars).collect()
    });
    text.chars()
        .filter(|&c| !named.contains(&c) && !named.contains(&kefu_lint::fold::fold_char(c)))
        .collect()
}

/// The options the reader targets use: the defaults (columns, fields and roles looked for).
pub fn options() -> Options {
    Options::default()
}

/// Targets `read_txt`, `read_csv`, `read_jsonl`, `read_xlsx`: read the bytes
/// as `format`, assert the reader's invariants, and check every reply.
pub fn read(data: &[u8], format: Format) {
    let name = match format {
        Format::Txt => "fuzz.txt",
        Format::Csv => "fuzz.csv",
        Format::Tsv => "fuzz.tsv",
        Format::Jsonl => "fuzz.jsonl",
        Format::Json => "fuzz.json",
        Format::Excel => "fuzz.xlsx",
    };
    let Ok(doc) = read::read_bytes(name.into(), None, data.to_vec(), format, &options()) else {
        return;
    };
    assert_document(&doc);
    assert_fix_splices(&doc);
    assert_byte_splices(&doc);
    for record in &doc.records {
        check(&record.text);
    }
}

/// What `--fix` relies on: every reply's raw range lies in the decoded text,
/// on char boundaries, in order and without overlapping the previous one (the
/// fixer splices replacements at these ranges); txt and jsonl ranges hold
/// exactly the reply (as a JSON string literal, for jsonl).
pub fn assert_document(doc: &Document) {
    let Some(decoded) = &doc.decoded else {
        assert!(
            doc.records.iter().all(|r| r.raw.is_none()),
            "raw ranges without decoded text"
        );
        return;
    };
    let text = &decoded.text;
    let mut end = 0;
    for record in &doc.records {
        let Some(raw) = record.raw.clone() else { continue };
        assert_range(&raw, text, || {
            format!("line {}: raw range in the decoded text", record.line)
        });
        assert!(
            raw.start >= end,
            "line {}: raw range {raw:?} overlaps or precedes the previous reply's (ending at {end})",
            record.line
        );
        end = raw.end;
        let field = &text[raw.clone()];
        match doc.format {
            Format::Txt => assert_eq!(field, record.text, "line {}: raw range is not the reply", record.line),
            Format::Jsonl | Format::Json => assert_eq!(
                serde_json::from_str::<String>(field).ok().as_ref(),
                Some(&record.text),
                "line {}: raw range is not the reply's JSON string",
                record.line
            ),
            _ => {}
        }
    }
}

/// What `--fix` does with a reply's raw range, checked by reading the result
/// back: the range is replaced by a new reply written the way the fixer
/// writes it (`quote_like` in tables, a JSON string in JSON Lines, as is in
/// text); the document must then read as before except for that one reply.
/// Only documents that read the same once re-encoded as UTF-8 (what the
/// fixer's splice works on) are checked, and only their first three replies.
pub fn assert_fix_splices(doc: &Document) {
    let Some(decoded) = &doc.decoded else { return };
    if !matches!(
        doc.format,
        Format::Txt | Format::Csv | Format::Tsv | Format::Jsonl | Format::Json
    ) {
        return;
    }
    let reread = |text: &str| read::read_bytes(doc.name.clone(), None, text.into(), doc.format, &options()).ok();
    let texts = |d: &Document| d.records.iter().map(|r| r.text.clone()).collect::<Vec<_>>();
    match reread(&decoded.text) {
        Some(again) if texts(&again) == texts(doc) => {}
        _ => return,
    }
    for (i, record) in doc.records.iter().enumerate().take(3) {
        let Some(raw) = record.raw.clone() else { continue };
        let reply = format!("您好{i}号");
        // The reply holds no line break: every format can write it.
        let Some(written) = doc.format.reader().rewrite(&decoded.text[raw.clone()], &reply) else {
            panic!("reply {i}: {reply:?} cannot be written");
        };
        let mut spliced = decoded.text.clone();
        spliced.replace_range(raw.clone(), &written);
        let after = reread(&spliced).map(|d| texts(&d));
        let mut expected = texts(doc);
        expected[i] = reply;
        assert_eq!(
            after,
            Some(expected),
            "reply {i} (line {}): writing a fix at its raw range {raw:?} ({:?}) does not change that reply alone",
            record.line,
            &decoded.text[raw.clone()]
        );
    }
}

/// What `--fix` writes, byte for byte: replacing each of the first three
/// replies' raw ranges with `您好` through the file's encoding
/// (`TextEncoding::splice`) gives bytes that read back as the replaced text
/// and differ from the file's own bytes only in the new text's bytes, even in
/// encodings where decoding and encoding again do not give the same bytes
/// (GB18030).
pub fn assert_byte_splices(doc: &Document) {
    let Some(decoded) = &doc.decoded else { return };
    let plain = read::encoding::TextEncoding {
        bom: false,
        ..decoded.encoding
    };
    for record in doc.records.iter().take(3) {
        let Some(raw) = record.raw.clone() else { continue };
        let written = decoded
            .encoding
            .splice(&doc.original, &decoded.text, [(raw.clone(), "您好")])
            .unwrap_or_else(|e| panic!("line {}: splicing at {raw:?} fails: {e:?}", record.line));
        let mut text = decoded.text.clone();
        text.replace_range(raw.clone(), "您好");
        assert!(
            decoded.encoding.reads_back(&written, &text),
            "line {}: the spliced bytes do not read back as the spliced text",
            record.line
        );
        let same_start = written.iter().zip(&doc.original).take_while(|(a, b)| a == b).count();
        let same_end = written
            .iter()
            .rev()
            .zip(doc.original.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        assert!(
            same_start + same_end + plain.encode("您好").len() >= written.len(),
            "line {}: splicing at {raw:?} changed bytes outside the new text",
            record.line
        );
    }
}

/// Renders an error the way the command line does (miette, graphical, no colour).
fn render(error: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, error)
        .expect("rendering an error into a String does not fail");
    out
}

/// Asserts that `r` is a range of `text` on char boundaries; `what` names it
/// in the message.
fn assert_range(r: &std::ops::Range<usize>, text: &str, what: impl Fn() -> String) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{}: {r:?} outside the text ({} bytes)",
        what(),
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{}: {r:?} not on char boundaries",
        what()
    );
}

/// Asserts that an error's span, if it has one, lies within `source` on char boundaries.
fn assert_span(span: Option<std::ops::Range<usize>>, source: &str, what: &str) {
    if let Some(r) = span {
        assert_range(&r, source, || format!("{what}: span"));
    }
}

/// Target `pack`: load an arbitrary pack. An error has a span inside the pack
/// and renders; a valid pack builds a linter, which checks the rules' own
/// examples with the span properties.
pub fn pack(text: &str) {
    match kefu_lint::load_packs(&[("fuzz.toml", text)]) {
        Err(e) => {
            assert_span(e.span(), text, "pack error");
            render(&e);
        }
        Ok(rules) => {
            let examples: Vec<String> = rules
                .iter()
                .flat_map(|r| {
                    let ex = &r.examples;
                    ex.bad
                        .iter()
                        .chain(&ex.ok)
                        .cloned()
                        .chain(ex.fixed.iter().map(|f| f.from.clone()))
                })
                .collect();
            let Ok(linter) = Linter::from_rules(rules) else { return };
            for reply in examples.iter().map(String::as_str).chain(["", "亲,您好", "你自己看吧"]) {
                assert_findings(reply, &linter.check(reply));
                linter.fix(reply, Applicability::Unsafe);
            }
        }
    }
}

/// Target `config`: parse an arbitrary `kefu-lint.toml` (extra packs relative
/// to a directory that does not exist). An error has a span inside the file
/// and renders; a valid configuration gives a linter that checks a reply.
pub fn config(text: &str) {
    use kefu_lint_cli::config::{Config, ConfigError};
    match Config::parse("fuzz.toml", text, Path::new("/nonexistent")) {
        Err(e) => {
            // The span points into the error's own excerpt of the text.
            if let ConfigError::Invalid { span, source_code, .. } = &e {
                let excerpt = source_code.text();
                assert_span(span.map(|s| s.offset()..s.offset() + s.len()), excerpt, "config error");
            }
            render(&e);
        }
        Ok(mut config) => {
            let Ok(linter) = config.linter_for(None, None) else {
                return;
            };
            for reply in ["亲,这个我不能给您改价哦", "你的订单{订单号}已经发货了,但是保证明天到"]
            {
                assert_findings(reply, &linter.check(reply));
            }
        }
    }
}

/// Target `render`: every output format over arbitrary findings, replies,
/// sheet names and paths. The input is split at `0xFE` bytes (never part of
/// UTF-8) into: finding positions (pairs of bytes, scaled into the reply),
/// path, sheet (none when empty), reply, message, rule name, suggestion,
/// replacement. Asserts that rendering never panics; that concise and
/// GitHub output is one line per finding, with no hidden character (control,
/// line separator, bidi override) in it and, for GitHub, nothing that ends
/// the annotation's properties early or starts a second command; that human
/// output has no hidden character but line breaks and a size bounded
/// independently of the reply's length; that JSON, JSON Lines and SARIF
/// parse, with one finding each and the spans as given.
pub fn render_findings(data: &[u8]) {
    use kefu_lint_cli::render::visible::visible;
    use kefu_lint_cli::render::{Columns, Format, Located, Renderer};

    // The oracle, stated here rather than taken from the renderer: what
    // would act on a terminal or a log instead of showing.
    fn is_hidden(c: char) -> bool {
        c.is_control()
            || ('\u{2028}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || ['\u{61c}', '\u{200e}', '\u{200f}'].contains(&c)
    }

    let mut parts = data.split(|&b| b == 0xfe);
    let mut next = || text(parts.next().unwrap_or_default()).into_owned();
    let positions = next().into_bytes();
    let (path, sheet, reply) = (next(), next(), next());
    let (message, name, suggestion, replacement) = (next(), next(), next(), next());
    let record = read::Record {
        line: positions.first().map_or(1, |&b| usize::from(b) * 1000 + 1),
        sheet: (!sheet.is_empty()).then(|| sheet.clone()),
        column: (!sheet.is_empty()).then(|| name.clone()),
        text: reply.clone(),
        column_offset: positions.get(1).map_or(0, |&b| usize::from(b)),
        context: vec![("分组".into(), sheet.clone())],
        ..read::Record::default()
    };
    let boundary = |b: u8| {
        let mut at = reply.len() * usize::from(b) / 255;
        while !reply.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut spans: Vec<std::ops::Range<usize>> = positions
        .chunks_exact(2)
        .take(64)
        .map(|p| {
            let (a, b) = (boundary(p[0]), boundary(p[1]));
            a.min(b)..a.max(b)
        })
        .collect();
    spans.sort_by_key(|s| s.start);
    let severities = [
        kefu_lint::Severity::Error,
        kefu_lint::Severity::Warning,
        kefu_lint::Severity::Info,
    ];
    let findings: Vec<Finding> = spans
        .iter()
        .enumerate()
        .map(|(i, span)| Finding {
            rule: format!("KF{i:03}{name}").into(),
            name: name.as_str().into(),
            category: "fuzz".into(),
            severity: severities[i % 3],
            message: message.as_str().into(),
            span: span.clone(),
            matched: reply[span.clone()].to_owned(),
            suggestions: vec![suggestion.clone()].into(),
            script: kefu_lint::Script::default(),
            fix: (i % 2 == 0).then(|| kefu_lint::Fix {
                edits: vec![kefu_lint::Edit {
                    range: span.clone(),
                    replacement: replacement.clone(),
                }],
                applicability: Applicability::Safe,
            }),
        })
        .collect();
    let rules = linter().rules();
    let render = |format: Format| {
        let mut renderer = Renderer::new(format);
        let mut out = Vec::new();
        renderer.begin(&mut out, rules).unwrap();
        // Line ends of the reply as line ends of the input, as in tables.
        let mut columns = Columns::new(&record, true);
        for (i, finding) in findings.iter().enumerate() {
            let (start, end) = columns.span(&finding.span);
            let at = Located {
                path: &path,
                file: None,
                record: &record,
                finding,
                fingerprint: i as u64,
                start,
                end,
            };
            renderer.finding(&mut out, &at, rules).unwrap();
        }
        renderer.end(&mut out).unwrap();
        String::from_utf8(out).expect("output is UTF-8")
    };
    let n = findings.len();
    fn one_line(format: Format, out: &str, n: usize) -> Vec<&str> {
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), n, "{format:?}: not one line per finding:\n{out}");
        for line in &lines {
            assert!(!line.chars().any(is_hidden), "{format:?}: hidden character in {line:?}");
        }
        lines
    }

    one_line(Format::Concise, &render(Format::Concise), n);
    for line in one_line(Format::Github, &render(Format::Github), n) {
        let rest = ["::error ", "::warning ", "::notice "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .unwrap_or_else(|| panic!("github line without a command prefix: {line:?}"));
        let (properties, _message) = rest
            .split_once("::")
            .unwrap_or_else(|| panic!("github line without a message: {line:?}"));
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').map_or(p, |(k, _)| k))
            .collect();
        // `endLine` only when the match goes on to a later line.
        assert!(
            keys == ["file", "line", "col", "endColumn", "title"]
                || keys == ["file", "line", "col", "endLine", "endColumn", "title"],
            "github properties {keys:?} of {line:?}"
        );
    }

    let human = render(Format::Human);
    assert!(
        !human.chars().any(|c| c != '\n' && is_hidden(c)),
        "human output has a hidden character:\n{human}"
    );
    let strings = path.len() + sheet.len() + message.len() + name.len() + suggestion.len() + replacement.len();
    let bound = n * (8 * strings + 4_096);
    assert!(
        human.len() <= bound,
        "human output of {n} findings is {} bytes for a reply of {} bytes (bound {bound})",
        human.len(),
        reply.len()
    );

    let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).expect("json parses");
    let json = json.as_array().expect("json is an array");
    assert_eq!(json.len(), n);
    for (value, finding) in json.iter().zip(&findings) {
        assert_eq!(value["start"], finding.span.start);
        assert_eq!(value["end"], finding.span.end);
        assert_eq!(value["matched"], finding.matched.as_str());
        assert_eq!(value["path"], path.as_str());
    }
    let jsonl = render(Format::Jsonl);
    assert_eq!(jsonl.lines().count(), n);
    for line in jsonl.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("a jsonl line parses");
    }
    let sarif: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).expect("sarif parses");
    let results = sarif["runs"][0]["results"].as_array().expect("sarif results");
    assert_eq!(results.len(), n);
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("a uri");
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/%".contains(&b)),
            "sarif uri {uri:?} has a character RFC 3986 does not allow in a path"
        );
    }
    assert!(!visible(&path).chars().any(is_hidden));
}
