//! The checks the session rules run over one conversation in time order.
//!
//! A conversation is read as turns: runs of messages from one side. Each
//! check returns the messages it flags, with the wait in seconds, the
//! number of messages and of the agent's messages elsewhere where its
//! message says them.

use std::ops::Range;

use super::activity::AgentActivity;
use super::pack::{Check, RuleLists, Thresholds};
use super::phrases::{length, only_masked};
use super::{Message, Speaker};

/// One flagged message of a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Index of the flagged message in the conversation (time order).
    pub at: usize,
    /// Milliseconds the customer waited, for the time checks.
    pub wait: Option<i64>,
    /// How many customer messages, for the ignored-customer check.
    pub count: Option<usize>,
    /// How many messages the agent wrote in other sessions meanwhile, for
    /// the ignored-customer check.
    pub elsewhere: Option<usize>,
}

impl Hit {
    fn at(at: usize) -> Hit {
        Hit {
            at,
            wait: None,
            count: None,
            elsewhere: None,
        }
    }

    /// A hit at `at` for a customer who waited `wait` milliseconds.
    fn waited(at: usize, wait: i64) -> Hit {
        Hit {
            wait: Some(wait),
            ..Hit::at(at)
        }
    }
}

/// Messages in time order, grouped into turns: what the time checks and
/// the response times need (no text is read).
pub(crate) struct Timeline<'m> {
    messages: Vec<&'m Message>,
    turns: Vec<Turn>,
}

/// A conversation in time order: its timeline, and its texts folded.
pub(crate) struct Conversation<'m> {
    at: Timeline<'m>,
    folded: Vec<String>,
}

/// A run of messages from one side.
#[derive(Clone, Debug)]
struct Turn {
    speaker: Speaker,
    messages: Range<usize>,
}

impl<'m> Timeline<'m> {
    /// The turns of `messages`, already in time order.
    pub fn new(messages: Vec<&'m Message>) -> Timeline<'m> {
        let mut turns: Vec<Turn> = Vec::new();
        for (i, m) in messages.iter().enumerate() {
            match turns.last_mut() {
                Some(turn) if turn.speaker == m.speaker => turn.messages.end = i + 1,
                _ => turns.push(Turn {
                    speaker: m.speaker,
                    messages: i..i + 1,
                }),
            }
        }
        Timeline { messages, turns }
    }

    /// Milliseconds from message `from` to message `to`, when both have a time.
    fn wait(&self, from: usize, to: usize) -> Option<i64> {
        Some(self.messages[to].time_ms?.saturating_sub(self.messages[from].time_ms?))
    }

    /// The agent each message is counted for, in time order: its own agent
    /// field; else, for a customer's message, the agent who answered it (the
    /// first named message of the agent turn after its turn), for an
    /// agent's, the first named message of its own turn; else the last named
    /// message before it; else the first after it. Linear in the messages.
    pub fn counted_agents(&self) -> Vec<Option<&'m str>> {
        let named = |i: usize| self.messages[i].agent.as_deref();
        let in_turn: Vec<Option<&str>> = self.turns.iter().map(|t| t.messages.clone().find_map(named)).collect();
        let mut before = Vec::with_capacity(self.messages.len());
        let mut last = None;
        for i in 0..self.messages.len() {
            before.push(last);
            last = named(i).or(last);
        }
        let mut after = vec![None; self.messages.len()];
        let mut next = None;
        for i in (0..self.messages.len()).rev() {
            after[i] = next;
            next = named(i).or(next);
        }
        let mut agents = Vec::with_capacity(self.messages.len());
        for (t, turn) in self.turns.iter().enumerate() {
            let answer = match turn.speaker {
                Speaker::Customer => in_turn.get(t + 1).copied().flatten(),
                Speaker::Agent => in_turn[t],
            };
            agents.extend(
                turn.messages
                    .clone()
                    .map(|i| named(i).or(answer).or(before[i]).or(after[i])),
            );
        }
        agents
    }

    /// Agent turns with the customer turn right before each, in order.
    fn answers(&self) -> impl Iterator<Item = (&Turn, &Turn)> {
        self.turns
            .windows(2)
            .map(|w| (&w[0], &w[1]))
            .filter(|(c, a)| c.speaker == Speaker::Customer && a.speaker == Speaker::Agent)
    }

    /// Every agent turn that answers a customer turn, in order: the index
    /// of the agent's first message, and the milliseconds since the customer
    /// turn's first message when both have a time. (Turns alternate, so the
    /// first of these answers the first customer turn.)
    pub fn answer_waits(&self) -> impl Iterator<Item = (usize, Option<i64>)> + '_ {
        self.answers().map(|(asked, answered)| {
            let (from, to) = (asked.messages.start, answered.messages.start);
            (to, self.wait(from, to))
        })
    }
}

impl<'m> Conversation<'m> {
    /// The conversation of `messages`, already in time order.
    pub fn new(messages: Vec<&'m Message>) -> Conversation<'m> {
        let folded = messages.iter().map(|m| super::phrases::folded(&m.text)).collect();
        Conversation {
            at: Timeline::new(messages),
            folded,
        }
    }

    /// Runs `check` with the phrase lists `lists` and `limits`; the
    /// ignored-customer check reads what the agents did elsewhere in `activity`.
    pub fn run(&self, check: Check, lists: &RuleLists, limits: &Thresholds, activity: &AgentActivity) -> Vec<Hit> {
        match check {
            Check::FirstResponse => self.first_response(limits).into_iter().collect(),
            Check::ReplyTime => self.reply_time(limits),
            Check::Greeting => self.greeting(lists).into_iter().collect(),
            Check::Unanswered => self.unanswered(lists).into_iter().collect(),
            Check::Farewell => self.farewell(lists, limits).into_iter().collect(),
            Check::Ignored => self.ignored(limits, activity),
            Check::Perfunctory => self.perfunctory(lists, limits),
        }
    }

    /// The first answer, if slow.
    fn first_response(&self, limits: &Thresholds) -> Option<Hit> {
        let (to, wait) = self.at.answer_waits().next()?;
        let wait = wait?;
        (wait > millis(limits.first_response_seconds)).then_some(Hit::waited(to, wait))
    }

    /// Every later answer that came slower than `reply-seconds` after the
    /// customer turn it answers (the first answer is the first-response check's).
    fn reply_time(&self, limits: &Thresholds) -> Vec<Hit> {
        self.at
            .answer_waits()
            .skip(1)
            .filter_map(|(to, wait)| {
                let wait = wait?;
                (wait > millis(limits.reply_seconds)).then_some(Hit::waited(to, wait))
            })
            .collect()
    }

    /// The agent's first turn, when it lacks a greeting or a self-introduction.
    fn greeting(&self, lists: &RuleLists) -> Option<Hit> {
        let turn = self.at.turns.iter().find(|t| t.speaker == Speaker::Agent)?;
        let text: String = self.folded[turn.messages.clone()].concat();
        let greets = lists.greeting.any_in(&text) && lists.introduction.any_in(&text);
        (!greets).then_some(Hit::at(turn.messages.start))
    }

    /// Whether message `i` asks something: a question mark or a `question` phrase.
    fn asks(&self, lists: &RuleLists, i: usize) -> bool {
        self.folded[i].contains(['?', '？']) || lists.question.any_in(&self.folded[i])
    }

    /// The first question of a closing customer turn (no answer came after it).
    fn unanswered(&self, lists: &RuleLists) -> Option<Hit> {
        let last = self.at.turns.last().filter(|t| t.speaker == Speaker::Customer)?;
        last.messages.clone().find(|&i| self.asks(lists, i)).map(Hit::at)
    }

    /// The last customer `deal` message among the closing messages that asks
    /// nothing (谢谢,明天能到吗? goes on), when no customer question follows
    /// it and no agent message there is a
    /// `farewell`: flags the agent's last message after it, or the deal
    /// message itself when nobody answered.
    fn farewell(&self, lists: &RuleLists, limits: &Thresholds) -> Option<Hit> {
        let end = self.at.messages.len();
        let window = end.saturating_sub(limits.closing_messages as usize)..end;
        let is_agent = |i: &usize| self.at.messages[*i].speaker == Speaker::Agent;
        let deal = window
            .clone()
            .rev()
            .find(|&i| !is_agent(&i) && lists.deal.any_in(&self.folded[i]) && !self.asks(lists, i))?;
        let asked_after = (deal + 1..end).any(|i| !is_agent(&i) && self.asks(lists, i));
        if asked_after
            || window
                .clone()
                .filter(is_agent)
                .any(|i| lists.farewell.any_in(&self.folded[i]))
        {
            return None;
        }
        let last_agent = (deal..end).rev().find(is_agent);
        let still_at_work =
            last_agent.is_some_and(|i| self.asks(lists, i) && !lists.anything_else.any_in(&self.folded[i]));
        (!still_at_work).then_some(Hit::at(last_agent.unwrap_or(deal)))
    }

    /// Customer turns of at least `ignored-run` messages whose first message
    /// waited longer than `reply-seconds` (for the answer, or to the turn's
    /// last message when none came) while the agent the turn's last message
    /// is counted for ([`Timeline::counted_agents`]) wrote in other sessions,
    /// strictly after the first message and before the answer (接一问二照顾三:
    /// busy, not away): flags the turn's last message. With no agent named,
    /// the check cannot tell.
    fn ignored(&self, limits: &Thresholds, activity: &AgentActivity) -> Vec<Hit> {
        let turns = &self.at.turns;
        let agents = self.at.counted_agents();
        turns
            .iter()
            .enumerate()
            .filter(|(_, t)| t.speaker == Speaker::Customer && t.messages.len() >= limits.ignored_run as usize)
            .filter_map(|(n, turn)| {
                let answer = turns.get(n + 1);
                let end = answer.map_or(turn.messages.end - 1, |next| next.messages.start);
                let wait = self.at.wait(turn.messages.start, end)?;
                if wait <= millis(limits.reply_seconds) {
                    return None;
                }
                let agent = agents[turn.messages.end - 1]?;
                let (from, to) = (
                    self.at.messages[turn.messages.start].time_ms?,
                    self.at.messages[end].time_ms?,
                );
                let elsewhere = activity.between(agent, from, to);
                (elsewhere > 0).then_some(Hit {
                    at: turn.messages.end - 1,
                    wait: Some(wait),
                    count: Some(turn.messages.len()),
                    elsewhere: Some(elsewhere),
                })
            })
            .collect()
    }

    /// Agent turns of at most `perfunctory-chars` characters answering a
    /// customer turn with a detailed question: not a holding reply (a link,
    /// a card), nor one masked by the export (`[姓名x]`: what was written
    /// cannot be told), nor a bare yes or no when the last question asked is a
    /// closed one (是开票信息吗, 就是维修?; 什么 before 吗 means "anything").
    fn perfunctory(&self, lists: &RuleLists, limits: &Thresholds) -> Vec<Hit> {
        let detailed = |i: usize| length(&self.folded[i]) > limits.question_chars as usize && self.asks(lists, i);
        self.at
            .answers()
            .filter(|(asked, answered)| {
                let questions: Vec<&str> = asked
                    .messages
                    .clone()
                    .filter(|&i| detailed(i))
                    .map(|i| self.folded[i].as_str())
                    .collect();
                let answer: String = self.folded[answered.messages.clone()].concat();
                let last = questions
                    .iter()
                    .flat_map(|text| clauses(text))
                    .filter(|clause| clause.contains(['?', '？']) || lists.question.any_in(clause))
                    .last();
                let closed = last.is_some_and(|clause| lists.closed.any_in(clause) || !lists.open.any_in(clause));
                let a_yes_or_no_will_do = closed && lists.yes_no.only_in(&answer);
                !questions.is_empty()
                    && length(&answer) <= limits.perfunctory_chars as usize
                    && !lists.holding.any_in(&answer)
                    && !only_masked(&answer)
                    && !a_yes_or_no_will_do
            })
            .map(|(_, answered)| Hit::at(answered.messages.start))
            .collect()
    }
}

/// `seconds` in milliseconds.
fn millis(seconds: u32) -> i64 {
    i64::from(seconds) * 1000
}

/// The clauses of `text`, each with the punctuation or space that ends it.
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive([',', '，', '。', '?', '？', '!', '！', ';', '；', ' ', '\n'])
}
