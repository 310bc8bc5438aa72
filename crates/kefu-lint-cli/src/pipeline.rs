//! The checking pipeline: one thread reads inputs into pieces, worker
//! threads parse and check them, and the caller consumes the results in
//! input order. Memory stays bounded: a few pieces (about a megabyte each)
//! per thread are in flight at a time.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use kefu_lint::{Finding, Linter, Script};

use encoding_rs::Encoding;

use crate::console::say;
use crate::read::encoding::script_around;
use crate::read::reader::{Carry, keep_findings};
use crate::read::stream::{Piece, pieces};
use crate::read::{self, Document, Format, Options, ReadError};

/// One thread per core, unless `--threads` says otherwise.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Jobs (pieces of about a quarter megabyte, or slices of workbook rows)
/// read but not yet consumed, at most, whatever the number of threads.
const IN_FLIGHT: usize = 16;

/// Rows of a document read whole checked in one job, at most; and their
/// text, at most about a quarter megabyte, as a piece of a text input (the
/// findings of a job are held until it is consumed, so a slice is bounded
/// by its text).
const SLICE_ROWS: usize = 4096;
const SLICE_BYTES: usize = 1 << 18;

/// `doc` (read whole: a workbook, or an input being fixed) in slices to
/// check one job at a time, so that the findings of a large document are
/// not all held at once. The first slice keeps the row problems; there is
/// always at least one.
pub fn slices(mut doc: Document) -> impl Iterator<Item = Document> {
    let (name, path, format) = (doc.name.clone(), doc.path.clone(), doc.format);
    let mut records = std::mem::take(&mut doc.records).into_iter().peekable();
    let mut first = Some(doc);
    std::iter::from_fn(move || {
        let mut part = match first.take() {
            Some(doc) => doc,
            None if records.peek().is_none() => return None,
            None => Document::new(name.clone(), path.clone(), format),
        };
        let mut bytes = 0;
        while part.records.len() < SLICE_ROWS && bytes < SLICE_BYTES {
            let Some(record) = records.next() else { break };
            bytes += record.text.len();
            part.records.push(record);
        }
        Some(part)
    })
}

/// Worker threads per core at most: more only add pieces in memory.
const THREADS_PER_CORE: usize = 4;

/// `asked` worker threads, at least one and at most [`THREADS_PER_CORE`]
/// per core, with a note saying so when that is not what was asked.
fn clamp_threads(asked: usize) -> (usize, Option<String>) {
    let cores = default_threads();
    let most = cores.saturating_mul(THREADS_PER_CORE);
    let threads = asked.clamp(1, most);
    let note = (threads != asked).then(|| {
        format!("--threads {asked}: using {threads} (at least 1, at most {THREADS_PER_CORE} per core; this machine has {cores})")
    });
    (threads, note)
}

/// Work for a worker thread.
pub enum Job {
    /// Nothing to do but pass a result on in order.
    Done(Done),
    /// An input read whole (workbooks, JSON documents, and inputs being fixed).
    Whole {
        /// The result of fixing it, if it was.
        fixed: Option<Done>,
        /// The input.
        doc: Box<Document>,
        /// Its rules.
        linter: Arc<Linter>,
        /// Whether to check its replies (not for `--diff`, which still
        /// tells the rows and notes of its reading).
        check: bool,
        /// The encoding a text input was decoded from.
        encoding: Option<&'static Encoding>,
    },
    /// A piece of a text input.
    Piece {
        /// The input it belongs to.
        meta: Arc<Meta>,
        /// The text.
        piece: Piece,
        /// What the first piece tells the others (a table's header), for every piece but the first.
        carry: Carry,
        /// Its rules.
        linter: Arc<Linter>,
    },
}

/// What the pieces of one input share.
pub struct Meta {
    name: String,
    path: Option<PathBuf>,
    format: Format,
    options: Options,
}

/// A result, consumed in input order.
pub enum Done {
    /// An input could not be read.
    Failed {
        /// Input name.
        name: String,
        /// Why.
        why: String,
    },
    /// An input was skipped (binary).
    Skipped {
        /// Input name.
        name: String,
        /// Why.
        why: String,
    },
    /// Something to say about an input being read (its encoding, found
    /// past its start).
    Note {
        /// Input name.
        name: String,
        /// What.
        note: String,
    },
    /// An input's fixes were not attempted (too large to read whole); it is
    /// checked as it is, as a separate input.
    NotFixed {
        /// Input name.
        name: String,
        /// Why.
        why: String,
    },
    /// An input was opened.
    Started {
        /// Input name.
        name: String,
        /// A note on its encoding.
        note: Option<String>,
    },
    /// An input was fixed.
    Fixed {
        /// Input name.
        name: String,
        /// Fixes applied (for `--diff`, shown).
        applied: usize,
        /// Replies they changed.
        replies: usize,
        /// The diff, for `--diff`.
        diff: Option<String>,
        /// Why the fixes could not be written.
        error: Option<String>,
        /// A workbook's replies for `--output`.
        rows: Vec<crate::output::Row>,
        /// What the input tells of its senders, when its replies are not
        /// checked after (`--diff`).
        roles: Option<crate::read::role::RoleSummary>,
    },
    /// A session read as a conversation, whole (`kefu-lint report`); its
    /// findings come again in the [`Done::Checked`] that follows.
    Conversation(Box<crate::session::Conversation>),
    /// Replies checked: the records of `doc` that have findings, in order.
    Checked {
        /// The records with findings (and row problems).
        doc: Box<Document>,
        /// Findings per record.
        findings: Vec<Vec<Finding>>,
        /// How many replies were checked.
        replies: usize,
    },
}

impl Done {
    /// The input it is about.
    pub fn name(&self) -> &str {
        match self {
            Done::Failed { name, .. }
            | Done::Skipped { name, .. }
            | Done::Note { name, .. }
            | Done::NotFixed { name, .. }
            | Done::Started { name, .. }
            | Done::Fixed { name, .. } => name,
            Done::Checked { doc, .. } => &doc.name,
            Done::Conversation(conversation) => &conversation.input,
        }
    }
}

/// Reads the input at `path` into jobs passed to `send`, which returns
/// false when no more are wanted; returns what `send` last said.
pub fn produce(path: &Path, options: &Options, linter: Arc<Linter>, send: &mut dyn FnMut(Job) -> bool) -> bool {
    let (name, is_stdin, format) = read::identify(path, options);
    let format_reader = format.reader();
    if !format_reader.streams() {
        return match read::read(path, options) {
            Ok(mut doc) => {
                let decoded = doc.decoded.take();
                let encoding = decoded.as_ref().map(|d| d.encoding.encoding);
                let note = decoded.and_then(|d| d.note);
                doc.original = Vec::new();
                if !send(Job::Done(Done::Started {
                    name: name.clone(),
                    note,
                })) {
                    return false;
                }
                slices(doc).all(|part| {
                    send(Job::Whole {
                        fixed: None,
                        doc: Box::new(part),
                        linter: linter.clone(),
                        check: true,
                        encoding,
                    })
                })
            }
            Err(e) => failed(name, e).into_iter().all(|done| send(Job::Done(done))),
        };
    }
    let reader: Box<dyn io::Read + Send> = if is_stdin {
        Box::new(io::stdin())
    } else {
        match std::fs::File::open(path) {
            Ok(file) => Box::new(file),
            Err(e) => {
                return send(Job::Done(Done::Failed {
                    name,
                    why: e.to_string(),
                }));
            }
        }
    };
    let mut pieces = match pieces(reader, options, format_reader.quoted_by()) {
        Ok(p) => p,
        Err(e) => return failed(name, e).into_iter().all(|done| send(Job::Done(done))),
    };
    if !send(Job::Done(Done::Started {
        name: name.clone(),
        note: pieces.take_note(),
    })) {
        return false;
    }
    let meta = Arc::new(Meta {
        name: name.clone(),
        path: (!is_stdin).then(|| path.to_owned()),
        format,
        options: options.clone(),
    });
    let mut carry: Carry = None;
    let mut first = true;
    while let Some(piece) = pieces.next() {
        let piece = match piece {
            Ok(piece) => piece,
            Err(e) => return failed(name, e).into_iter().all(|done| send(Job::Done(done))),
        };
        // An all-ASCII start gave way to another encoding in this piece.
        if let Some(note) = pieces.take_note()
            && !send(Job::Done(Done::Note {
                name: name.clone(),
                note,
            }))
        {
            return false;
        }
        let this_carry = carry.clone();
        if first {
            match format_reader.carry(&piece.text, options) {
                Ok(c) => carry = c,
                // Said when the first piece is read.
                Err(_) => {
                    return send(Job::Piece {
                        meta,
                        piece,
                        carry: None,
                        linter,
                    });
                }
            }
        }
        first = false;
        if !send(Job::Piece {
            meta: meta.clone(),
            piece,
            carry: this_carry,
            linter: linter.clone(),
        }) {
            return false;
        }
    }
    true
}

/// The results for an input that could not be read from some point on: the
/// note on how it was being read (the encoding detected), if the error
/// carries one, then the [`failure`].
pub fn failed(name: String, error: ReadError) -> Vec<Done> {
    let note = error.note().map(|note| Done::Note {
        name: name.clone(),
        note: note.to_owned(),
    });
    let other_workbook = matches!(error, ReadError::Binary { skip: false, .. })
        .then(|| other_workbook(&name))
        .flatten()
        .map(|kind| Done::Note {
            name: name.clone(),
            note: format!("{kind}: kefu-lint reads .xlsx and .xls workbooks; save it as .xlsx or .csv and check that"),
        });
    note.into_iter()
        .chain(other_workbook)
        .chain([failure(name, error)])
        .collect()
}

/// The kind of spreadsheet kefu-lint does not read that the input `name`
/// is named as, by its extension (an OpenDocument `.ods`, Apple Numbers,
/// WPS), if it is one.
fn other_workbook(name: &str) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "ods" | "ots" | "fods" => "an OpenDocument spreadsheet (LibreOffice, WPS)",
        "numbers" => "an Apple Numbers spreadsheet",
        "et" | "ett" => "a WPS spreadsheet",
        _ => return None,
    })
}

/// The result for an input that could not be read: skipped (a binary file
/// under `--binary skip`) or failed.
fn failure(name: String, error: ReadError) -> Done {
    let why = error.to_string();
    if error.skipped() {
        Done::Skipped { name, why }
    } else {
        Done::Failed { name, why }
    }
}

/// Does a job: parses a piece, checks replies.
fn work(job: Job) -> Vec<Done> {
    match job {
        Job::Done(done) => vec![done],
        Job::Whole {
            fixed,
            doc,
            linter,
            check,
            encoding,
        } => {
            let mut out: Vec<Done> = fixed.into_iter().collect();
            out.push(if check {
                checked(doc, &linter, encoding)
            } else {
                read_only(doc)
            });
            out
        }
        Job::Piece {
            meta,
            piece,
            mut carry,
            linter,
        } => {
            let mut doc = Box::new(Document::new(meta.name.clone(), meta.path.clone(), meta.format));
            let script = OnceCell::new();
            let around = || *script.get_or_init(|| script_around(piece.encoding, || Script::of(&piece.text)));
            let check = |reply: &str| linter.check_in(reply, around);
            match meta.format.reader().read_checked(
                &piece.text,
                piece.first_line,
                &mut carry,
                &meta.options,
                &mut doc,
                &check,
            ) {
                Ok((findings, replies)) => vec![Done::Checked { doc, findings, replies }],
                Err(e) => failed(meta.name.clone(), e),
            }
        }
    }
}

/// What reading `doc` met (its rows that could not be read, its notes),
/// with no reply checked: what `--diff` tells besides its diff. Its senders
/// were told with its fixes.
fn read_only(mut doc: Box<Document>) -> Done {
    doc.records = Vec::new();
    doc.roles = None;
    Done::Checked {
        doc,
        findings: Vec::new(),
        replies: 0,
    }
}

/// Checks the replies of `doc`, keeping the records that have findings. A
/// reply written the same in both scripts is answered in the script of the
/// document's replies checked with it ([`Linter::check_in`]), as its
/// `encoding` decides ([`script_around`]).
fn checked(mut doc: Box<Document>, linter: &Linter, encoding: Option<&'static Encoding>) -> Done {
    let of_text = || Script::of_all(doc.records.iter().map(|r| r.text.as_str()));
    let around = match encoding {
        Some(encoding) => script_around(encoding, of_text),
        None => of_text(),
    };
    let (findings, replies) = keep_findings(&mut doc, &|reply| linter.check_in(reply, || around));
    Done::Checked { doc, findings, replies }
}

/// Runs `produce` and the checking on `threads` threads (clamped to what
/// [`clamp_threads`] allows), with at most [`IN_FLIGHT`] jobs in memory, and
/// passes every result to `consume` in input order. Stops early when
/// `consume` fails.
pub fn run(
    threads: usize,
    produce: impl FnOnce(&mut dyn FnMut(Job) -> bool) + Send,
    mut consume: impl FnMut(Done) -> io::Result<()>,
) -> io::Result<()> {
    let (threads, note) = clamp_threads(threads);
    if let Some(note) = note {
        say!("note: {note}");
    }
    if threads <= 1 {
        let mut result = Ok(());
        produce(&mut |job| {
            for done in work(job) {
                if let Err(e) = consume(done) {
                    result = Err(e);
                    return false;
                }
            }
            true
        });
        return result;
    }
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Job)>(threads * 2);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Vec<Done>)>(threads * 2);
    std::thread::scope(|s| {
        let stop = &stop;
        let job_rx = &job_rx;
        // One token per job not yet consumed: the producer waits for one
        // before each job, so at most IN_FLIGHT jobs (and their results)
        // are in memory, however many threads there are. Dropped on an early
        // return, which stops the producer.
        let (token_tx, token_rx) = mpsc::sync_channel::<()>(IN_FLIGHT);
        s.spawn(move || {
            let mut seq = 0;
            produce(&mut |job| {
                let sent =
                    !stop.load(Ordering::Relaxed) && token_tx.send(()).is_ok() && job_tx.send((seq, job)).is_ok();
                seq += 1;
                sent
            });
        });
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            s.spawn(move || {
                loop {
                    let next = job_rx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
                    let Ok((seq, job)) = next else { break };
                    // After the consumer stopped, keep draining so the producer is never stuck.
                    if !stop.load(Ordering::Relaxed) && done_tx.send((seq, work(job))).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (seq, dones) in done_rx {
            pending.insert(seq, dones);
            while let Some(dones) = pending.remove(&next) {
                next += 1;
                // Its token was sent before the job was.
                let _ = token_rx.recv();
                for done in dones {
                    if let Err(e) = consume(done) {
                        stop.store(true, Ordering::Relaxed);
                        return Err(e);
                    }
                }
            }
        }
        Ok(())
    })
}
