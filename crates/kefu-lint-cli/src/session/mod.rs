//! `kefu-lint check --sessions`: chat logs checked as conversations. Each
//! session (the consecutive messages with one id) goes through the session
//! rules (`kefu_lint::session`), and every agent message through the reply
//! rules; the findings come out as any check's do, each on its message's
//! line, with the session id and the agent in its context.

mod cell;
mod group;
mod sources;
pub mod time;

use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use kefu_lint::session::{Message, SessionChecker, Speaker};
use kefu_lint::{Finding, Linter, Script};

pub use self::cell::Fields;
use self::cell::Reading;
use self::group::{Grouper, Session};
use self::sources::Item;
use crate::pipeline::{Done, Job, failure};
use crate::read::{self, Document, Options, Problem, Record};

/// How to read and check chat logs as sessions.
pub struct Sessions {
    /// The field names.
    pub fields: Fields,
    /// `--timezone`, for times written without an offset.
    pub zone: TimeZone,
    /// The session rules, with the configuration's thresholds.
    pub checker: SessionChecker,
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
    let mut grouper = Grouper::default();
    let mut problems: Vec<Problem> = Vec::new();
    let checked = |session: Session, problems: &mut Vec<Problem>| {
        let mut doc = Document::new(name.clone(), file.clone(), format);
        doc.problems = std::mem::take(problems);
        let (findings, replies) = check(&session, &linter, &sessions.checker, &mut doc);
        Job::Done(Done::Checked {
            doc: Box::new(doc),
            findings,
            replies,
        })
    };
    let mut each = |item: Item| match item {
        Item::Note(note) => send(Job::Done(Done::Note {
            name: name.clone(),
            note,
        })),
        Item::Problem(problem) => {
            problems.push(problem);
            true
        }
        Item::Message(parsed, place) => {
            let (ended, problem) = grouper.push(parsed, place);
            let going = ended.is_none_or(|session| send(checked(session, &mut problems)));
            problems.extend(problem);
            going
        }
    };
    let result = sources::read(path, format, options, &reading, &mut each);
    let last = grouper.finish();
    let going = match result {
        Ok(false) => return false,
        Ok(true) => true,
        Err(e) => {
            let going = last.is_none_or(|session| send(checked(session, &mut problems)));
            return going && send(Job::Done(failure(name.clone(), e)));
        }
    };
    going
        && match last {
            Some(session) => send(checked(session, &mut problems)),
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

/// Checks one session: the session rules over it, the reply rules over its
/// agent messages. Adds the messages with findings to `doc` as records and
/// returns their findings and how many agent messages were checked.
fn check(
    session: &Session,
    linter: &Linter,
    checker: &SessionChecker,
    doc: &mut Document,
) -> (Vec<Vec<Finding>>, usize) {
    let messages: Vec<Message> = session
        .iter()
        .enumerate()
        .map(|(record, (m, _))| Message {
            session: m.session.clone(),
            speaker: m.speaker,
            time: m.time,
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
    // The agent of a customer's message is the one who answered the session.
    let agent = messages.iter().find_map(|m| m.agent.clone());
    for f in checker.check(&messages) {
        let mut finding = f.finding;
        let who = messages[f.message].agent.as_ref().or(agent.as_ref());
        finding.message = said_where(&finding.message, finding.script, &messages[f.message].session, who).into();
        found[f.message].push(finding);
    }
    let replies = messages.iter().filter(|m| m.speaker == Speaker::Agent).count();
    let mut findings = Vec::new();
    for ((parsed, place), mut list) in session.iter().zip(found) {
        if list.is_empty() {
            continue;
        }
        list.sort_by_key(|f| f.span.start);
        let mut context = vec![
            ("session".to_owned(), parsed.session.clone()),
            ("role".to_owned(), parsed.role.clone()),
        ];
        if let Some(name) = parsed.agent.as_ref().or(agent.as_ref()) {
            context.push(("agent".to_owned(), name.clone()));
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
    (findings, replies)
}

/// A session finding's message with the session and agent it is about.
fn said_where(message: &str, script: Script, session: &str, agent: Option<&String>) -> String {
    let (session_word, agent_word) = match script {
        Script::Simplified => ("会话", "客服"),
        Script::Traditional => ("會話", "客服"),
    };
    match agent {
        Some(agent) => format!("{message}({session_word} {session},{agent_word} {agent})"),
        None => format!("{message}({session_word} {session})"),
    }
}
