//! Messages of a chat log grouped into sessions as they stream by: a
//! session is the run of consecutive messages with its id, so memory holds
//! one session, and of those ended a 64-bit hash of the id with the first
//! line (some 40 bytes a session: a million sessions take about 40 MB). A
//! session that comes back after another began is a data problem, once
//! per session id, naming the line it began on and the line it came back;
//! its messages from there on are a fragment of their own, never merged
//! with the earlier ones, and marked ([`Place::resumes`]) so that the
//! session rules can pass over it. When a first pass read the log
//! ([`SessionStarts`]), the first message of a session that comes back is
//! marked too ([`Place::returns`]), and the map is not built twice. When
//! many sessions come back, the log
//! is most likely ordered by time rather than by session: [`Grouper::notes`]
//! says how to sort it. A note counts the sessions whose messages go back
//! in time (judged in time order when all their messages have a time).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::cell::Parsed;
use super::sources::Place;
use crate::read::{Problem, RowError};

/// One session's messages in file order. The first one's
/// [`Place::resumes`] says whether it is a fragment of a session begun
/// earlier.
pub type Session = Vec<(Parsed, Place)>;

/// How many sessions must come back for [`Grouper::note`] to speak.
const MANY_SPLIT: usize = 3;

/// Messages, and bytes of their text, that one session holds at most:
/// past either, the messages read so far are checked and the session goes
/// on as a new part, which the session rules pass over like a session that
/// comes back. A real chat holds a few hundred messages; a log whose session
/// column never changes (a shop's name, a bot's one conversation id) would
/// otherwise be held whole.
const SESSION_MAX_MESSAGES: usize = 10_000;
const SESSION_MAX_BYTES: usize = 16 << 20;

/// A session's sheet and id, hashed (the same hash every run: `DefaultHasher::new` has fixed keys).
fn key(sheet: Option<&str>, session: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (sheet, session).hash(&mut hasher);
    hasher.finish()
}

/// Where a session began, whether it comes back later (when known
/// beforehand), and whether its coming back was said.
struct Begun {
    line: usize,
    returns: bool,
    split: bool,
}

impl Begun {
    /// A session begun at `line`, not known to come back.
    fn at(line: usize) -> Begun {
        Begun {
            line,
            returns: false,
            split: false,
        }
    }
}

/// The sessions of a log, as a first pass over it finds them: where each
/// began and whether it comes back, by [`key`] (some 40 bytes a session).
#[derive(Default)]
pub struct SessionStarts {
    begun: HashMap<u64, Begun>,
    current: Option<u64>,
}

impl SessionStarts {
    /// Notes a message of `session` on `sheet` at `line`, in file order.
    pub fn message(&mut self, sheet: Option<&str>, session: &str, line: usize) {
        let key = key(sheet, session);
        if self.current == Some(key) {
            return;
        }
        self.current = Some(key);
        self.begun
            .entry(key)
            .and_modify(|begun| begun.returns = true)
            .or_insert(Begun::at(line));
    }
}

/// Groups messages into sessions.
#[derive(Default)]
pub struct Grouper {
    current: Session,
    /// Bytes of the text of the messages of `current`.
    current_bytes: usize,
    /// Every session begun, by [`key`] of its sheet and id.
    begun: HashMap<u64, Begun>,
    /// How many sessions came back, and the first one's id and lines.
    split: usize,
    first_split: Option<(String, usize, usize)>,
    /// The latest time of the session being read, and whether one of its
    /// messages came earlier than a message above it.
    latest: Option<i64>,
    backwards: bool,
    /// How many sessions went back in time, and the first one's id and line.
    went_back: usize,
    first_back: Option<(String, usize)>,
}

impl Grouper {
    /// A grouper that knows the log's `sessions` from a first pass: the
    /// first message of a session that comes back is marked ([`Place::returns`]).
    pub fn knowing(sessions: SessionStarts) -> Grouper {
        Grouper {
            begun: sessions.begun,
            ..Grouper::default()
        }
    }

    /// Adds a message. Returns the session it ends, if it begins another,
    /// and the problem when its session began earlier in the file and has
    /// not come back before.
    pub fn push(&mut self, parsed: Parsed, mut place: Place) -> (Option<Session>, Option<Problem>) {
        let same = self
            .current
            .first()
            .is_some_and(|(p, at)| p.session == parsed.session && at.sheet == place.sheet);
        if same && (self.current.len() >= SESSION_MAX_MESSAGES || self.current_bytes >= SESSION_MAX_BYTES) {
            return self.cut(parsed, place);
        }
        if same {
            if let (Some(latest), Some(time)) = (self.latest, parsed.time_ms)
                && time < latest
                && !self.backwards
            {
                self.backwards = true;
                self.went_back += 1;
                self.first_back
                    .get_or_insert_with(|| (parsed.session.clone(), place.line));
            }
            self.latest = self.latest.max(parsed.time_ms);
            self.current_bytes += parsed.text.len();
            self.current.push((parsed, place));
            return (None, None);
        }
        (self.latest, self.backwards) = (parsed.time_ms, false);
        let key = key(place.sheet.as_deref(), &parsed.session);
        let mut problem = None;
        match self.begun.get_mut(&key) {
            // Known from a first pass, and beginning here.
            Some(begun) if begun.line == place.line => place.returns = begun.returns,
            Some(begun) => {
                place.resumes = Some(begun.line);
                if !begun.split {
                    begun.split = true;
                    self.split += 1;
                    self.first_split
                        .get_or_insert_with(|| (parsed.session.clone(), begun.line, place.line));
                    problem = Some(Problem {
                        line: place.line,
                        sheet: place.sheet.clone(),
                        kind: RowError::Session(format!(
                            "session {:?} began at line {} and comes back here after other sessions; its messages from here on are not joined to the earlier ones (later returns are not named again)",
                            parsed.session, begun.line
                        )),
                    });
                }
            }
            None => {
                self.begun.insert(key, Begun::at(place.line));
            }
        }
        self.current_bytes = parsed.text.len();
        let ended = std::mem::replace(&mut self.current, vec![(parsed, place)]);
        ((!ended.is_empty()).then_some(ended), problem)
    }

    /// Ends the part of the session being read that is as long as one may
    /// be, and begins its next part with `parsed`: a fragment, as a session
    /// that comes back is. The first cut of a session is a problem.
    fn cut(&mut self, parsed: Parsed, mut place: Place) -> (Option<Session>, Option<Problem>) {
        let (began, first_cut) = match self.current.first() {
            Some((_, first)) => (first.resumes.unwrap_or(first.line), first.resumes.is_none()),
            None => (place.line, false),
        };
        let problem = first_cut.then(|| Problem {
            line: place.line,
            sheet: place.sheet.clone(),
            kind: RowError::Session(format!(
                "session {:?} (from line {began}) holds more than {SESSION_MAX_MESSAGES} messages or {} MiB of text: it is checked in parts, each for its replies, and the session rules judge its first part only (is the session column a session id?)",
                parsed.session,
                SESSION_MAX_BYTES >> 20
            )),
        });
        // The part goes on past its last message: the rules that judge how a
        // session ends pass over it.
        self.dropped();
        place.resumes = Some(began);
        self.current_bytes = parsed.text.len();
        let ended = std::mem::replace(&mut self.current, vec![(parsed, place)]);
        (Some(ended), problem)
    }

    /// Marks the session being read as having lost a record (see [`Place::dropped`]).
    pub fn dropped(&mut self) {
        if let Some((_, place)) = self.current.first_mut() {
            place.dropped = true;
        }
    }

    /// The last session, if any.
    pub fn finish(&mut self) -> Option<Session> {
        let last = std::mem::take(&mut self.current);
        (!last.is_empty()).then_some(last)
    }

    /// What to say of the log as a whole: when at least [`MANY_SPLIT`]
    /// sessions came back, that it seems ordered by time and how to sort it;
    /// when sessions went back in time, how many and that they are judged in
    /// time order.
    pub fn notes(&self) -> Vec<String> {
        let back = self.first_back.as_ref().map(|(id, line)| {
            let sessions = if self.went_back == 1 { "session has" } else { "sessions have" };
            format!(
                "{} {sessions} a message earlier than one above it (the first, {id:?}, at line {line}): a session whose messages all have a time is judged in the order of its times, not of its lines",
                self.went_back
            )
        });
        self.split_note().into_iter().chain(back).collect()
    }

    /// When at least [`MANY_SPLIT`] sessions came back: one note saying the
    /// log seems ordered by time, and how to sort it.
    fn split_note(&self) -> Option<String> {
        let (id, began, back) = self.first_split.as_ref().filter(|_| self.split >= MANY_SPLIT)?;
        Some(format!(
            "{} sessions come back after other sessions (the first, {id:?}, began at line {began} and came back at line {back}): the log seems ordered by time, not by session. Sort it by session, keeping the time order within each: a stable sort on the session column (in Excel: Data › Sort by the session column, then the time column; for JSON Lines: jq -s -c 'sort_by(.session)[]' keeps the order within each)",
            self.split
        ))
    }
}

#[cfg(test)]
mod tests {
    use kefu_lint::session::Speaker;

    use super::*;

    fn message(session: &str, line: usize) -> (Parsed, Place) {
        let parsed = Parsed {
            session: session.into(),
            role: "customer".into(),
            speaker: Speaker::Customer,
            time_ms: None,
            text: "在吗".into(),
            agent: None,
        };
        let place = Place {
            line,
            ..Place::default()
        };
        (parsed, place)
    }

    #[test]
    fn consecutive_messages_of_one_id_are_a_session_and_a_return_is_a_problem() {
        let mut grouper = Grouper::default();
        let mut ended = Vec::new();
        let mut problems = Vec::new();
        for (session, line) in [("a", 1), ("a", 2), ("b", 3), ("a", 4), ("a", 5)] {
            let (parsed, place) = message(session, line);
            let (done, problem) = grouper.push(parsed, place);
            ended.extend(done.map(|s| s.iter().map(|(_, p)| p.line).collect::<Vec<_>>()));
            problems.extend(problem);
        }
        ended.extend(
            grouper
                .finish()
                .map(|s| s.iter().map(|(_, p)| p.line).collect::<Vec<_>>()),
        );
        assert_eq!(ended, [vec![1, 2], vec![3], vec![4, 5]]);
        assert_eq!(problems.len(), 1);
        assert!(grouper.notes().is_empty(), "one split session is no pattern");
        assert_eq!(problems[0].line, 4);
        assert!(
            problems[0]
                .kind
                .to_string()
                .starts_with("session \"a\" began at line 1 and comes back here")
        );
    }

    #[test]
    fn a_grouper_knowing_the_sessions_marks_the_first_part_of_one_that_comes_back() {
        let log = [("a", 1), ("a", 2), ("b", 3), ("a", 4), ("c", 5)];
        let mut known = SessionStarts::default();
        for (session, line) in log {
            known.message(None, session, line);
        }
        let mut grouper = Grouper::knowing(known);
        let mut sessions = Vec::new();
        let mut problems = Vec::new();
        for (session, line) in log {
            let (parsed, place) = message(session, line);
            let (done, problem) = grouper.push(parsed, place);
            sessions.extend(done);
            problems.extend(problem);
        }
        sessions.extend(grouper.finish());
        let marks: Vec<(usize, bool, Option<usize>)> = sessions
            .iter()
            .map(|s| (s[0].1.line, s[0].1.returns, s[0].1.resumes))
            .collect();
        assert_eq!(
            marks,
            [(1, true, None), (3, false, None), (4, false, Some(1)), (5, false, None)]
        );
        assert_eq!(problems.iter().map(|p| p.line).collect::<Vec<_>>(), [4]);
    }

    #[test]
    fn interleaved_sessions_are_named_once_each_marked_and_noted() {
        let mut grouper = Grouper::default();
        let mut sessions = Vec::new();
        let mut problems = Vec::new();
        // Three conversations written in time order: a b c a b c a b c.
        for (i, session) in ["a", "b", "c"].repeat(3).into_iter().enumerate() {
            let (parsed, place) = message(session, i + 1);
            let (done, problem) = grouper.push(parsed, place);
            sessions.extend(done);
            problems.extend(problem);
        }
        sessions.extend(grouper.finish());
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6], "one problem per session, where it first came back");
        assert!(
            problems[1]
                .kind
                .to_string()
                .starts_with("session \"b\" began at line 2 and comes back here")
        );
        let resumes: Vec<Option<usize>> = sessions.iter().map(|s| s[0].1.resumes).collect();
        assert_eq!(
            resumes,
            [None, None, None, Some(1), Some(2), Some(3), Some(1), Some(2), Some(3)]
        );
        let note = grouper.notes().pop().expect("a note for many split sessions");
        assert!(note.starts_with("3 sessions come back after other sessions (the first, \"a\", began at line 1 and came back at line 4): the log seems ordered by time, not by session. Sort it by session"), "{note}");
    }

    #[test]
    fn sessions_going_back_in_time_are_counted_once_each_in_a_note() {
        let mut grouper = Grouper::default();
        // a: 10, 5 (back), 3 (back again, not counted again); b: 1, 2; c: 7, 6 (back).
        for (session, line, time) in [
            ("a", 1, 10),
            ("a", 2, 5),
            ("a", 3, 3),
            ("b", 4, 1),
            ("b", 5, 2),
            ("c", 6, 7),
            ("c", 7, 6),
        ] {
            let (mut parsed, place) = message(session, line);
            parsed.time_ms = Some(time);
            let (_, problem) = grouper.push(parsed, place);
            assert!(problem.is_none());
        }
        assert_eq!(
            grouper.notes(),
            [
                "2 sessions have a message earlier than one above it (the first, \"a\", at line 2): a session whose messages all have a time is judged in the order of its times, not of its lines"
            ]
        );
        // A message without a time, between two in order, is no going back.
        let mut grouper = Grouper::default();
        for (line, time) in [(1, Some(1)), (2, None), (3, Some(2))] {
            let (mut parsed, place) = message("a", line);
            parsed.time_ms = time;
            grouper.push(parsed, place);
        }
        assert!(grouper.notes().is_empty());
    }
}
