//! `kefu-lint check --sessions`: chat logs checked as conversations. Each
//! session (the consecutive messages with one id) goes through the session
//! rules (`kefu_lint::session`), and every agent message through the reply
//! rules; the findings come out as any check's do, each on its message's
//! line, with the session id and the agent in its context. When the
//! ignored-customer rule runs, a first pass reads when each agent wrote
//! ([`activity`]).

mod activity;
mod cell;
mod group;
mod sources;
pub mod time;

use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use kefu_lint::session::{
    AgentActivity, Check, Message, ResponseTime, SessionChecker, Speaker, counted_agents, response_times, time_order,
};
use kefu_lint::{Finding, Linter, Script};

use self::activity::FirstPass;
pub use self::cell::Fields;
use self::cell::Reading;
use self::group::{Grouper, Session};
use self::sources::{Item, Source};
use crate::pipeline::{Done, Job, failed};
use crate::read::limits::MIB;
use crate::read::{self, Document, Options, Problem, ReadError, Record};

/// How to read and check chat logs as sessions.
pub struct Sessions {
    /// The field names.
    pub fields: Fields,
    /// `--timezone`, for times written without an offset.
    pub zone: TimeZone,
    /// The session rules, with the configuration's thresholds.
    pub checker: SessionChecker,
    /// Whether every session is also passed on whole, as a [`Conversation`]
    /// (for `kefu-lint report`).
    pub conversations: bool,
}

/// One session as a report shows it: every message, with its findings.
pub struct Conversation {
    /// The input's name, as findings name it.
    pub input: String,
    /// The session id.
    pub id: String,
    /// The messages in the order the session rules judged them: time
    /// order when every message has a time, else file order.
    pub messages: Vec<Said>,
    /// How long the customer waited for each answer (indices into `messages`).
    pub response_times: Vec<ResponseTime>,
    /// Whether `messages` are in another order than the log's.
    pub reordered: bool,
}

impl Conversation {
    /// How long the customer waited for each message, by its index in
    /// `messages`: `Some` for an answer whose wait is known.
    pub fn waits(&self) -> Vec<Option<&ResponseTime>> {
        let mut waits = vec![None; self.messages.len()];
        for time in &self.response_times {
            if let Some(wait) = waits.get_mut(time.message) {
                *wait = Some(time);
            }
        }
        waits
    }
}

/// One message of a [`Conversation`].
pub struct Said {
    /// Where it is: line (1-based) and workbook sheet.
    pub line: usize,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// Who wrote it.
    pub speaker: Speaker,
    /// The agent it is counted for (`kefu_lint::session::counted_agents`):
    /// its own agent field, else the agent who answered it.
    pub agent: Option<String>,
    /// When, in milliseconds since the Unix epoch.
    pub time_ms: Option<i64>,
    /// The text.
    pub text: String,
    /// The reply rules' findings, with their spans in `text`.
    pub findings: Vec<Finding>,
    /// The session rules' findings about this message.
    pub session_findings: Vec<Finding>,
}

/// Reads the chat log at `path` and checks it session by session, passing
/// the results to `send`, which returns false when no more are wanted;
/// returns what `send` last said.
pub fn produce(
    path: &Path,
    options: &Options,
    sessions: &Sessions,
    linter: Arc<Linter>,
    send: &mut dyn FnMut(Job) -> bool,
) -> bool {
    let (name, is_stdin, format) = read::identify(path, options);
    let file = (!is_stdin).then(|| path.to_owned());
    if !send(Job::Done(Done::Started {
        name: name.clone(),
        note: None,
    })) {
        return false;
    }
    let reading = Reading {
        fields: &sessions.fields,
        zone: &sessions.zone,
        agents: options.agent_roles.as_ref(),
    };
    let mut needs_activity = sessions.checker.rules().iter().any(|r| r.check == Check::Ignored);
    // Standard input is read twice from a temporary file, unless it is too long to keep.
    let spooled = if is_stdin && needs_activity {
        match activity::spool_stdin(activity::SPOOL_MAX_BYTES) {
            Ok(spooled) if spooled.whole => Some(spooled),
            Ok(spooled) => {
                needs_activity = false;
                let note = format!(
                    "standard input is longer than {} MiB, more than is kept to read it twice: it is read once, and KS006 (customer-ignored) cannot tell a busy agent from an absent one; give the log as a file to have it read twice",
                    activity::SPOOL_MAX_BYTES / MIB
                );
                if !send(Job::Done(Done::Note {
                    name: name.clone(),
                    note,
                })) {
                    return false;
                }
                Some(spooled)
            }
            Err(e) => {
                let error = ReadError::Io(format!(
                    "standard input could not be kept in a temporary file to be read twice for KS006 ({e}): give the log as a file, set TMPDIR to a directory with room, or --ignore KS006 to read it once as it comes"
                ));
                return failed(name, error).into_iter().all(|done| send(Job::Done(done)));
            }
        }
    } else {
        None
    };
    let source = Source::of(path, spooled.as_ref());
    let mut first = if needs_activity {
        activity::read(source, format, options, &reading)
    } else {
        FirstPass::default()
    };
    let mut grouper = first.sessions.take().map_or_else(Grouper::default, Grouper::knowing);
    let mut problems: Vec<Problem> = Vec::new();
    let checked = |session: Session, problems: &mut Vec<Problem>| {
        let mut doc = Document::new(name.clone(), file.clone(), format);
        doc.problems = std::mem::take(problems);
        let (findings, replies, whole) = check(&session, &linter, sessions, &first.activity, &mut doc);
        let checked = Job::Done(Done::Checked {
            doc: Box::new(doc),
            findings,
            replies,
        });
        (
            whole.map(|whole| Job::Done(Done::Conversation(Box::new(whole)))),
            checked,
        )
    };
    let mut each = |item: Item| match item {
        Item::Note(note) => send(Job::Done(Done::Note {
            name: name.clone(),
            note,
        })),
        Item::Problem(problem) => {
            grouper.dropped();
            problems.push(problem);
            true
        }
        Item::Kept(problem) => {
            problems.push(problem);
            true
        }
        Item::Message(parsed, place) => {
            let (ended, problem) = grouper.push(parsed, place);
            let going = ended.is_none_or(|session| sent(checked(session, &mut problems), send));
            problems.extend(problem);
            going
        }
    };
    let result = sources::read(source, format, options, &reading, &mut each);
    let last = grouper.finish();
    for note in grouper.notes() {
        if !send(Job::Done(Done::Note {
            name: name.clone(),
            note,
        })) {
            return false;
        }
    }
    let going = match result {
        Ok(false) => return false,
        Ok(true) => true,
        Err(e) => {
            let going = last.is_none_or(|session| sent(checked(session, &mut problems), send));
            return going && failed(name.clone(), e).into_iter().all(|done| send(Job::Done(done)));
        }
    };
    going
        && match last {
            Some(session) => sent(checked(session, &mut problems), send),
            None if !problems.is_empty() => {
                let mut doc = Document::new(name.clone(), file.clone(), format);
                doc.problems = problems;
                send(Job::Done(Done::Checked {
                    doc: Box::new(doc),
                    findings: Vec::new(),
                    replies: 0,
                }))
            }
            None => true,
        }
}

/// Sends a session's whole conversation (when wanted), then its checked
/// records; returns what `send` last said.
fn sent((whole, checked): (Option<Job>, Job), send: &mut dyn FnMut(Job) -> bool) -> bool {
    whole.is_none_or(&mut *send) && send(checked)
}

/// Checks one session: the session rules over it (the agents of its log
/// wrote when `activity` says), the reply rules over its agent messages.
/// Adds the messages with findings to `doc` as records and returns their
/// findings, how many agent messages were checked, and the whole
/// conversation when `sessions` wants it.
fn check(
    session: &Session,
    linter: &Linter,
    sessions: &Sessions,
    activity: &AgentActivity,
    doc: &mut Document,
) -> (Vec<Vec<Finding>>, usize, Option<Conversation>) {
    // What the session rules pass over, said on its first record (which
    // may be the platform's).
    let Some((_, place)) = session.first() else {
        return (Vec::new(), 0, None);
    };
    // A fragment of a session begun earlier in the file (said as a data
    // problem) is no conversation to judge: only the reply rules run on it.
    let fragment = place.resumes.is_some();
    // A record of it lost: how it ends is not known.
    let dropped = place.dropped;
    // It comes back later: the agent's messages there are not others'.
    let comes_back = place.returns;
    // The platform's own messages (系统: a rating prompt, an order notice)
    // are neither side of the conversation.
    let owned: Session;
    let session = if session.iter().any(|(m, _)| is_system(&m.role)) {
        owned = session.iter().filter(|(m, _)| !is_system(&m.role)).cloned().collect();
        &owned
    } else {
        session
    };
    let messages: Vec<Message> = session
        .iter()
        .enumerate()
        .map(|(record, (m, _))| Message {
            session: m.session.clone(),
            speaker: m.speaker,
            time_ms: m.time_ms,
            text: m.text.clone(),
            agent: m.agent.clone(),
            record,
        })
        .collect();
    let around = Script::of_all(messages.iter().map(|m| m.text.as_str()));
    let mut found: Vec<Vec<Finding>> = messages
        .iter()
        .map(|m| match m.speaker {
            Speaker::Agent => linter.check_in(&m.text, || around),
            Speaker::Customer => Vec::new(),
        })
        .collect();
    let agents = counted_agents(&messages);
    let agent_of = |i: usize| agents[i];
    let mut by_session_rules: Vec<Vec<Finding>> = vec![Vec::new(); messages.len()];
    let passed_over = |check: Check| {
        fragment
            || (dropped && matches!(check, Check::Unanswered | Check::Farewell))
            || (comes_back && check == Check::Ignored)
    };
    let judged = if fragment || dropped || comes_back {
        let checker = sessions.checker.clone().configured(|rule| !passed_over(rule.check));
        checker.check_in(&messages, activity)
    } else {
        sessions.checker.check_in(&messages, activity)
    };
    for f in judged {
        let mut finding = f.finding;
        let who = agent_of(f.message);
        finding.message = said_where(&finding.message, finding.script, &messages[f.message].session, who).into();
        by_session_rules[f.message].push(finding);
    }
    let whole = sessions.conversations.then(|| {
        let said = |i: usize| Said {
            line: session[i].1.line,
            sheet: session[i].1.sheet.clone(),
            speaker: messages[i].speaker,
            agent: agent_of(i).map(str::to_owned),
            time_ms: messages[i].time_ms,
            text: messages[i].text.clone(),
            findings: found[i].clone(),
            session_findings: by_session_rules[i].clone(),
        };
        let order = time_order(&messages);
        let mut at = vec![0; order.len()];
        for (n, &i) in order.iter().enumerate() {
            at[i] = n;
        }
        let mut response_times = response_times(&messages);
        for time in &mut response_times {
            time.message = at[time.message];
        }
        Conversation {
            input: doc.name.clone(),
            id: messages.first().map(|m| m.session.clone()).unwrap_or_default(),
            response_times,
            reordered: order.iter().enumerate().any(|(n, &i)| n != i),
            messages: order.iter().map(|&i| said(i)).collect(),
        }
    });
    for (list, more) in found.iter_mut().zip(by_session_rules) {
        list.extend(more);
    }
    let replies = messages.iter().filter(|m| m.speaker == Speaker::Agent).count();
    let mut findings = Vec::new();
    for (i, ((parsed, place), mut list)) in session.iter().zip(found).enumerate() {
        if list.is_empty() {
            continue;
        }
        list.sort_by_key(|f| f.span.start);
        let mut context = vec![
            ("session".to_owned(), parsed.session.clone()),
            ("role".to_owned(), parsed.role.clone()),
        ];
        if let Some(name) = agent_of(i) {
            context.push(("agent".to_owned(), name.to_owned()));
        }
        doc.records.push(Record {
            line: place.line,
            sheet: place.sheet.clone(),
            column: place.column.clone(),
            text: parsed.text.clone(),
            column_offset: place.column_offset,
            context,
            raw: None,
            escapes: place.escapes.clone(),
        });
        findings.push(list);
    }
    (findings, replies, whole)
}

/// Whether `role` is the platform's, not a person's: 系统 (系统消息,
/// 系统通知), system, sys, 平台通知, notice.
fn is_system(role: &str) -> bool {
    let role = role.trim().to_lowercase();
    role.starts_with("系统")
        || role == "平台通知"
        || ["system", "sys", "notice", "system_message"].contains(&role.as_str())
}

/// A session finding's message with the session and agent it is about.
fn said_where(message: &str, script: Script, session: &str, agent: Option<&str>) -> String {
    let (session_word, agent_word) = match script {
        Script::Simplified => ("会话", "客服"),
        Script::Traditional => ("會話", "客服"),
    };
    let session = cut(session, NAME_CHARS);
    match agent {
        Some(agent) => format!(
            "{message}({session_word} {session},{agent_word} {})",
            cut(agent, NAME_CHARS)
        ),
        None => format!("{message}({session_word} {session})"),
    }
}

/// Characters of a session id or an agent name that messages and reports
/// show: ids and names are whatever a log holds, a long one is cut.
pub const NAME_CHARS: usize = 48;

/// `text` cut to its first `most` characters and `…`, when longer.
pub fn cut(text: &str, most: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(most) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}
