//! Messages of a chat log grouped into sessions as they stream by: a
//! session is the run of consecutive messages with its id, so memory holds
//! one session, and of those ended a 64-bit hash of the id with the first
//! line (some 40 bytes a session: a million sessions take about 40 MB). A
//! session that comes back after another began is a data problem naming
//! both lines; its messages from there on are checked as a session of
//! their own, never merged with the earlier ones.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::cell::Parsed;
use super::sources::Place;
use crate::read::{Problem, RowError};

/// One session's messages in file order.
pub type Session = Vec<(Parsed, Place)>;

/// A session's sheet and id, hashed (the same hash every run: `DefaultHasher::new` has fixed keys).
fn key(sheet: Option<&str>, session: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (sheet, session).hash(&mut hasher);
    hasher.finish()
}

/// Groups messages into sessions.
#[derive(Default)]
pub struct Grouper {
    current: Session,
    /// The first line of every session begun, by [`key`] of its sheet and id.
    begun: HashMap<u64, usize>,
}

impl Grouper {
    /// Adds a message. Returns the session it ends, if it begins another,
    /// and the problem when its session began earlier in the file.
    pub fn push(&mut self, parsed: Parsed, place: Place) -> (Option<Session>, Option<Problem>) {
        let same = self
            .current
            .first()
            .is_some_and(|(p, at)| p.session == parsed.session && at.sheet == place.sheet);
        if same {
            self.current.push((parsed, place));
            return (None, None);
        }
        let key = key(place.sheet.as_deref(), &parsed.session);
        let problem = match self.begun.get(&key) {
            Some(&first) => Some(Problem {
                line: place.line,
                sheet: place.sheet.clone(),
                kind: RowError::Session(format!(
                    "session {:?} began at line {first} and comes back here after other sessions; the messages from here on are checked as a session of their own",
                    parsed.session
                )),
            }),
            None => {
                self.begun.insert(key, place.line);
                None
            }
        };
        let ended = std::mem::replace(&mut self.current, vec![(parsed, place)]);
        ((!ended.is_empty()).then_some(ended), problem)
    }

    /// The last session, if any.
    pub fn finish(&mut self) -> Option<Session> {
        let last = std::mem::take(&mut self.current);
        (!last.is_empty()).then_some(last)
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
            time: None,
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
        assert_eq!(problems[0].line, 4);
        assert!(
            problems[0]
                .kind
                .to_string()
                .starts_with("session \"a\" began at line 1 and comes back here")
        );
    }
}
