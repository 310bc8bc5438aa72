//! Session rules: checks over whole conversations of a chat log (质检) —
//! response times, the greeting, customers left unanswered, the farewell
//! after a deal, perfunctory answers.
//!
//! The rules are data (`rules/session.toml`, see [`SESSION_PACK`]), with
//! thresholds as settings ([`Thresholds`]) that `[session]` in
//! `kefu-lint.toml` changes ([`ThresholdChanges`]). A [`SessionChecker`]
//! takes one session's [`Message`]s and returns [`SessionFinding`]s, each a
//! plain [`Finding`] about one message (its span is the whole text of the
//! message) and that message's index. No I/O: the caller reads the log, and
//! maps each message's opaque [`Message::record`] back to its file and line.
//!
//! Time rules (first response, reply time, ignored customer) do nothing for
//! messages without a time. The ignored-customer rule also needs to know
//! when the session's agent wrote in other sessions: [`SessionChecker::check_in`]
//! takes that as an [`AgentActivity`] of the whole log, and
//! [`SessionChecker::check`], which sees one session alone, never fires it.
//!
//! # Example
//!
//! ```
//! use kefu_lint::session::{Message, SessionChecker, Speaker};
//!
//! let message = |speaker, seconds: i64, text: &str, record| Message {
//!     session: "s1".into(),
//!     speaker,
//!     time_ms: Some(seconds * 1000),
//!     text: text.into(),
//!     agent: Some("小美".into()),
//!     record,
//! };
//! let session = [
//!     message(Speaker::Customer, 1_700_000_000, "在吗", 0),
//!     message(Speaker::Agent, 1_700_000_030, "您好,我是客服小美,很高兴为您服务", 1),
//! ];
//! let findings = SessionChecker::builtin().check(&session);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(&*findings[0].finding.name, "slow-first-response");
//! assert_eq!(findings[0].message, 1);
//! assert_eq!(findings[0].wait_ms, Some(30_000));
//! assert!(findings[0].finding.message.starts_with("顾客的第一条消息等了30秒"));
//! ```

mod activity;
mod checks;
mod pack;
mod phrases;

use std::sync::{Arc, OnceLock};

pub use activity::{ActivityBuilder, AgentActivity};
pub use pack::{
    Check, Conversation, Conversations, EXAMPLE_AGENT, SESSION_PACK, SessionRule, ThresholdChanges, Thresholds, load,
};

use crate::script::Script;
use crate::{Finding, PackError};

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Speaker {
    /// The customer (buyer).
    Customer,
    /// The agent (客服), a person or a bot.
    Agent,
}

/// One message of a chat log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The session (conversation) id.
    pub session: String,
    /// Who wrote it.
    pub speaker: Speaker,
    /// When, in milliseconds since the Unix epoch (UTC); `None` when the
    /// log has no time. Waits are judged to the millisecond (10.9 s is
    /// within a 10 s threshold only if it is not more than 10 s).
    pub time_ms: Option<i64>,
    /// The text as written.
    pub text: String,
    /// The agent's name, when the log gives one.
    pub agent: Option<String>,
    /// Where the message came from: an opaque index the caller maps back to
    /// its file and line.
    pub record: usize,
}

/// A session rule's finding about one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionFinding {
    /// Index of the message in the slice given to [`SessionChecker::check`].
    pub message: usize,
    /// The finding: rule, severity and message (in the conversation's script),
    /// with `span` the whole text of the message (bytes) and no fix.
    pub finding: Finding,
    /// For the time rules, the milliseconds the customer waited.
    pub wait_ms: Option<i64>,
}

/// What is wrong with changes to the session rules' settings (`[session]`
/// in `kefu-lint.toml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeError {
    /// The key at fault: `ignored-run`, `closing-messages` or `ignore`.
    pub key: &'static str,
    /// What is wrong, naming the key.
    pub message: String,
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ChangeError {}

/// Checks sessions with the session rules.
#[derive(Clone, Debug)]
pub struct SessionChecker {
    rules: Vec<SessionRule>,
    thresholds: Thresholds,
}

impl SessionChecker {
    /// The built-in session rules with the pack's thresholds.
    ///
    /// # Panics
    /// Never in a released build: the built-in pack is validated by the test suite.
    pub fn builtin() -> SessionChecker {
        static BUILTIN: OnceLock<SessionChecker> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                SessionChecker::from_pack(SESSION_PACK.0, SESSION_PACK.1).expect("built-in session pack is valid")
            })
            .clone()
    }

    /// The session rules of pack `text` named `file`.
    ///
    /// # Errors
    /// The pack's problem, as [`load`] gives it.
    pub fn from_pack(file: &str, text: &str) -> Result<SessionChecker, PackError> {
        let (thresholds, rules) = load(file, text)?;
        Ok(SessionChecker { rules, thresholds })
    }

    /// This checker with `changes` laid over its thresholds, and without
    /// the rules they ignore.
    ///
    /// # Errors
    /// What is wrong with the resulting thresholds (`ignored-run` below 2,
    /// `closing-messages` of 0), or an ignored name that is no session
    /// rule's id or name (the message lists them), with the key at fault.
    pub fn with_changes(mut self, changes: &ThresholdChanges) -> Result<SessionChecker, ChangeError> {
        let thresholds = self.thresholds.with(changes);
        if let Some((key, problem)) = thresholds.problem() {
            return Err(ChangeError {
                key,
                message: problem.to_owned(),
            });
        }
        let named = |name: &str, rule: &SessionRule| *rule.id == *name || *rule.name == *name;
        if let Some(unknown) = changes.ignore.iter().find(|n| !self.rules.iter().any(|r| named(n, r))) {
            let rules: Vec<String> = self.rules.iter().map(|r| format!("{} {}", r.id, r.name)).collect();
            return Err(ChangeError {
                key: "ignore",
                message: format!("ignore: {unknown:?} is no session rule; they are {}", rules.join(", ")),
            });
        }
        self.rules.retain(|r| !changes.ignore.iter().any(|n| named(n, r)));
        self.thresholds = thresholds;
        Ok(self)
    }

    /// This checker with only the rules `keep` accepts, as `keep` leaves
    /// them (it may change a rule's severity).
    pub fn configured(mut self, keep: impl FnMut(&mut SessionRule) -> bool) -> SessionChecker {
        self.rules.retain_mut(keep);
        self
    }

    /// The rules.
    pub fn rules(&self) -> &[SessionRule] {
        &self.rules
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Checks one session alone, as [`SessionChecker::check_in`] does with
    /// no other session known: the ignored-customer rule never fires.
    pub fn check(&self, messages: &[Message]) -> Vec<SessionFinding> {
        self.check_in(messages, &AgentActivity::default())
    }

    /// Checks one session of a chat log whose agents wrote when `activity`
    /// says (the whole log's agent messages, this session's included).
    /// `messages` are put in time order first (a stable sort, when every
    /// message has a time; otherwise they are taken as given). Findings come
    /// in the order of the messages they point at, then of the rules.
    pub fn check_in(&self, messages: &[Message], activity: &AgentActivity) -> Vec<SessionFinding> {
        let order = time_order(messages);
        let conversation = checks::Conversation::new(order.iter().map(|&i| &messages[i]).collect());
        let around = Script::of_all(messages.iter().map(|m| m.text.as_str())).unwrap_or_default();
        let mut findings = Vec::new();
        for rule in &self.rules {
            for hit in conversation.run(rule.check, &rule.lists, &self.thresholds, activity) {
                let index = order[hit.at];
                let text = &messages[index].text;
                let script = Script::of(text).unwrap_or(around);
                let wait = hit.wait.map(seconds_text);
                let count = hit.count.map(|c| c.to_string());
                let elsewhere = hit.elsewhere.map(|c| c.to_string());
                let figures = Figures {
                    wait: wait.as_deref(),
                    count: count.as_deref(),
                    elsewhere: elsewhere.as_deref(),
                };
                let message = rule.message_with(&figures, &self.thresholds, script);
                findings.push(SessionFinding {
                    message: index,
                    finding: Finding {
                        rule: rule.id.clone(),
                        name: rule.name.clone(),
                        category: rule.category.clone(),
                        severity: rule.severity,
                        message: message.into(),
                        span: 0..text.len(),
                        matched: text.clone(),
                        suggestions: Arc::new([]),
                        script,
                        fix: None,
                    },
                    wait_ms: hit.wait,
                });
            }
        }
        let mut position = vec![0; messages.len()];
        for (at, &index) in order.iter().enumerate() {
            position[index] = at;
        }
        findings.sort_by_key(|f| (position[f.message], f.finding.rule.clone()));
        findings
    }
}

/// The figures a session rule's message says, as text; `None` is written `?`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures<'a> {
    /// `{wait}`: the seconds the customer waited.
    pub wait: Option<&'a str>,
    /// `{count}`: how many customer messages went unanswered.
    pub count: Option<&'a str>,
    /// `{elsewhere}`: how many messages the agent wrote in other sessions meanwhile.
    pub elsewhere: Option<&'a str>,
}

impl<'a> Figures<'a> {
    /// Every figure written `text` (as `explain` shows a message: `N`).
    pub fn all(text: &'a str) -> Figures<'a> {
        Figures {
            wait: Some(text),
            count: Some(text),
            elsewhere: Some(text),
        }
    }
}

impl SessionRule {
    /// The message in `script`, `{wait}`, `{count}` and `{elsewhere}` filled
    /// from `figures`, `{limit}` with the threshold of the rule's check in
    /// `thresholds`.
    pub fn message_with(&self, figures: &Figures<'_>, thresholds: &Thresholds, script: Script) -> String {
        let limit = match self.check {
            Check::FirstResponse => Some(thresholds.first_response_seconds),
            Check::ReplyTime | Check::Ignored => Some(thresholds.reply_seconds),
            _ => None,
        }
        .map(|l| l.to_string());
        let mut message = self.message.clone();
        for (key, value) in [
            ("{wait}", figures.wait),
            ("{count}", figures.count),
            ("{elsewhere}", figures.elsewhere),
            ("{limit}", limit.as_deref()),
        ] {
            message = message.replace(key, value.unwrap_or("?"));
        }
        script.written(&message)
    }
}

/// The order the session rules judge `messages` in, as indices: a stable
/// sort by time when every message has one, else the order given.
pub fn time_order(messages: &[Message]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..messages.len()).collect();
    if messages.iter().all(|m| m.time_ms.is_some()) {
        order.sort_by_key(|&i| messages[i].time_ms);
    }
    order
}

/// `ms` milliseconds as messages say them, in seconds, exactly: `45`,
/// `10.999`, `60.05` (never rounded, so never to the threshold itself).
pub fn seconds_text(ms: i64) -> String {
    match ms % 1000 {
        0 => (ms / 1000).to_string(),
        rest => {
            let fraction = format!("{:03}", rest.abs());
            format!(
                "{}{}.{}",
                if ms < 0 { "-" } else { "" },
                (ms / 1000).abs(),
                fraction.trim_end_matches('0')
            )
        }
    }
}

/// The agent each of `messages` is counted for, in the order given
/// (messages are put in time order as [`SessionChecker::check`] does): its
/// own agent field; else, for a customer's message, the agent who answered
/// it (the first named message of the agent turn after it), for an agent's,
/// the first named message of its own turn; else the last named message
/// before it; else the first after it; `None` in a session naming no agent.
/// It is the agent a session rule's finding about the message concerns
/// (after a hand-over, the one who took over), and whose messages elsewhere
/// the ignored-customer rule counts.
pub fn counted_agents(messages: &[Message]) -> Vec<Option<&str>> {
    let order = time_order(messages);
    let timeline = checks::Timeline::new(order.iter().map(|&i| &messages[i]).collect());
    let mut agents = vec![None; messages.len()];
    for (&i, agent) in order.iter().zip(timeline.counted_agents()) {
        agents[i] = agent;
    }
    agents
}

/// How long a customer waited for one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseTime {
    /// Index (in the slice given to [`response_times`]) of the agent's
    /// message that answered: the first of its turn.
    pub message: usize,
    /// Milliseconds from the first message of the customer's turn to that answer.
    pub millis: i64,
    /// Whether it answers the customer's first turn (the first response, of
    /// 欢迎语 A in `001_44afabb0f265c22c.txt`), rather than a later one.
    pub first: bool,
}

/// The response times of one session, in time order (messages are put in
/// time order as [`SessionChecker::check`] does): one for every agent turn
/// that answers a customer turn, when both have a time. They are the waits
/// the rules `slow-first-response` and `slow-reply` compare with their
/// thresholds, slow or not, for histograms and averages.
pub fn response_times(messages: &[Message]) -> Vec<ResponseTime> {
    let order = time_order(messages);
    checks::Timeline::new(order.iter().map(|&i| &messages[i]).collect())
        .answer_waits()
        .enumerate()
        .filter_map(|(n, (at, wait))| {
            Some(ResponseTime {
                message: order[at],
                millis: wait?,
                first: n == 0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(turns: &[&str]) -> Vec<Message> {
        let turns = turns.iter().map(|t| (*t).to_owned()).collect();
        Conversation {
            at: None,
            turns,
            elsewhere: Vec::new(),
        }
        .messages()
        .expect("turns")
    }

    fn flagged(findings: &[SessionFinding], name: &str) -> Vec<(usize, Option<i64>)> {
        findings
            .iter()
            .filter(|f| &*f.finding.name == name)
            .map(|f| (f.message, f.wait_ms.map(|ms| ms / 1000)))
            .collect()
    }

    #[test]
    fn out_of_order_messages_are_put_in_time_order() {
        let messages = session(&["agent@30: 您好,我是客服8号", "customer@0: 在吗"]);
        let findings = SessionChecker::builtin().check(&messages);
        assert_eq!(flagged(&findings, "slow-first-response"), [(0, Some(30))]);
        assert!(flagged(&findings, "customer-left-unanswered").is_empty());
    }

    #[test]
    fn every_slow_reply_is_one_finding_with_its_wait() {
        let messages = session(&[
            "customer@0: 在吗",
            "agent@5: 您好,我是客服8号",
            "customer@10: 有M码吗",
            "agent@100: 有的亲,M码有现货的",
            "customer@110: 什么时候发货",
            "customer@150: 在吗",
            "agent@400: 今天下午四点前发出",
        ]);
        let findings = SessionChecker::builtin().check(&messages);
        assert_eq!(flagged(&findings, "slow-reply"), [(3, Some(90)), (6, Some(290))]);
    }

    #[test]
    fn time_rules_do_nothing_when_a_time_is_missing() {
        let messages = session(&[
            "customer@0: 在吗",
            "agent: 您好,我是客服8号",
            "customer@10: 有M码吗",
            "agent@900: 有的亲",
        ]);
        let findings = SessionChecker::builtin().check(&messages);
        assert!(flagged(&findings, "slow-first-response").is_empty());
        // The second answer has both times.
        assert_eq!(flagged(&findings, "slow-reply"), [(3, Some(890))]);
    }

    #[test]
    fn thresholds_can_be_changed_and_are_checked() {
        let messages = session(&["customer@0: 在吗", "agent@8: 您好,我是客服8号"]);
        let changes = ThresholdChanges {
            first_response_seconds: Some(5),
            ..ThresholdChanges::default()
        };
        let checker = SessionChecker::builtin().with_changes(&changes).expect("valid");
        let findings = checker.check(&messages);
        assert_eq!(flagged(&findings, "slow-first-response"), [(1, Some(8))]);
        assert!(
            findings[0].finding.message.contains("超过了5秒"),
            "{}",
            findings[0].finding.message
        );
        assert!(SessionChecker::builtin().check(&messages).is_empty());
        let bad = ThresholdChanges {
            ignored_run: Some(1),
            ..ThresholdChanges::default()
        };
        let err = SessionChecker::builtin().with_changes(&bad).expect_err("refused");
        assert_eq!(
            (err.key, err.message.as_str()),
            ("ignored-run", "ignored-run must be at least 2")
        );
    }

    #[test]
    fn ignored_rules_do_not_run_and_unknown_names_are_errors() {
        let messages = session(&["customer: 在吗", "agent: 有什么可以帮您"]);
        let changes = ThresholdChanges {
            ignore: vec!["no-greeting".into()],
            ..ThresholdChanges::default()
        };
        assert_eq!(
            flagged(&SessionChecker::builtin().check(&messages), "no-greeting"),
            [(1, None)]
        );
        let checker = SessionChecker::builtin().with_changes(&changes).expect("valid");
        assert!(checker.check(&messages).is_empty());
        assert!(checker.rules().iter().all(|r| &*r.id != "KS003"));
        let unknown = ThresholdChanges {
            ignore: vec!["KS999".into()],
            ..ThresholdChanges::default()
        };
        let err = SessionChecker::builtin()
            .with_changes(&unknown)
            .expect_err("refused")
            .message;
        assert!(
            err.starts_with("ignore: \"KS999\" is no session rule; they are KS001 slow-first-response"),
            "{err}"
        );
    }

    #[test]
    fn response_times_are_the_waits_the_time_rules_judge() {
        let messages = session(&[
            "customer@0: 在吗",
            "agent@5: 您好,我是客服8号",
            "customer@10: 有M码吗",
            "customer@20: 在吗",
            "agent@100: 有的亲",
            "customer@110: 好的",
            "agent: 还有什么可以帮您",
        ]);
        let times = response_times(&messages);
        let as_tuples: Vec<(usize, i64, bool)> = times.iter().map(|t| (t.message, t.millis / 1000, t.first)).collect();
        // The third answer has no time: no figure, as the rules give none.
        assert_eq!(as_tuples, [(1, 5, true), (4, 90, false)]);
        let slow = SessionChecker::builtin().check(&messages);
        assert_eq!(flagged(&slow, "slow-reply"), [(4, Some(90))]);
    }

    #[test]
    fn response_times_follow_time_order_not_file_order() {
        let messages = session(&["agent@30: 您好,我是客服8号", "customer@0: 在吗"]);
        let times = response_times(&messages);
        assert_eq!(times.len(), 1);
        assert_eq!((times[0].message, times[0].millis, times[0].first), (0, 30_000, true));
    }

    #[test]
    fn waits_are_judged_and_said_to_the_millisecond() {
        let slow = session(&["customer@0: 在吗", "agent@10.999: 您好,我是客服8号"]);
        let findings = SessionChecker::builtin().check(&slow);
        assert_eq!(findings[0].wait_ms, Some(10_999));
        assert!(
            findings[0].finding.message.starts_with("顾客的第一条消息等了10.999秒"),
            "{}",
            findings[0].finding.message
        );
        let on_time = session(&["customer@0.5: 在吗", "agent@10.5: 您好,我是客服8号"]);
        assert!(
            SessionChecker::builtin().check(&on_time).is_empty(),
            "exactly 10 s is within 10 s"
        );
        let said: Vec<String> = [45_000, 10_999, 60_050, 10_900, -1_500].map(seconds_text).to_vec();
        assert_eq!(said, ["45", "10.999", "60.05", "10.9", "-1.5"]);
    }

    /// Whose activity counts is the agent who answered the waiting
    /// customer (after a hand-over, not the one before), else the last one
    /// who wrote; a session judged alone never has the rule fire.
    #[test]
    fn the_ignored_customer_waited_for_the_agent_who_answered() {
        let mut messages = session(&[
            "customer@0: 在吗",
            "agent@4: 您好,我是客服8号",
            "customer@10: 我想问下这个尺码",
            "customer@50: 有人吗",
            "customer@120: 还在吗",
            "agent@130: 您好,我是客服9号,您身高体重多少呢",
        ]);
        messages[1].agent = Some("8号".into());
        messages[5].agent = Some("9号".into());
        let busy = |agent: &str| {
            let mut activity = AgentActivity::builder();
            activity.record(agent, 60_000);
            activity.build()
        };
        let checker = SessionChecker::builtin();
        let ignored = |messages: &[Message], activity: &AgentActivity| {
            flagged(&checker.check_in(messages, activity), "customer-ignored")
        };
        assert_eq!(ignored(&messages, &busy("9号")), [(4, Some(120))]);
        assert!(ignored(&messages, &busy("8号")).is_empty(), "8号 handed over");
        assert!(flagged(&checker.check(&messages), "customer-ignored").is_empty());
        // The finding is 9号's, who took over: the customer's messages count for 9号.
        assert_eq!(
            counted_agents(&messages),
            [
                Some("8号"),
                Some("8号"),
                Some("9号"),
                Some("9号"),
                Some("9号"),
                Some("9号")
            ]
        );
        // No answer came: the agent who wrote last before the wait.
        messages.truncate(5);
        assert_eq!(ignored(&messages, &busy("8号")), [(4, Some(110))]);
        assert!(ignored(&messages, &busy("9号")).is_empty());
    }

    /// An unnamed message counts for the named agent of the turn that
    /// answers it (or of its own turn), else the last one named before,
    /// else the first after; in time order, not file order.
    #[test]
    fn messages_count_for_the_agent_who_answered_them() {
        let mut messages = session(&[
            "customer@0: 在吗",
            "agent@2: 自动回复:您好",
            "agent@3: 您好,我是小美",
            "customer@30: 能便宜吗",
            "agent@40: 亲,这个价已经最低了",
            "customer@50: 好吧",
        ]);
        for (i, agent) in [(1, None), (2, Some("小美")), (4, None)] {
            messages[i].agent = agent.map(str::to_owned);
        }
        assert_eq!(
            counted_agents(&messages),
            [
                Some("小美"),
                Some("小美"),
                Some("小美"),
                Some("小美"),
                Some("小美"),
                Some("小美")
            ]
        );
        messages[2].agent = None;
        messages[4].agent = Some("阿强".into());
        assert_eq!(
            counted_agents(&messages),
            [
                Some("阿强"),
                Some("阿强"),
                Some("阿强"),
                Some("阿强"),
                Some("阿强"),
                Some("阿强")
            ],
            "nobody named before: the first named after"
        );
        messages.swap(3, 5);
        messages[3].time_ms = Some(50_000);
        messages[5].time_ms = Some(30_000);
        assert_eq!(counted_agents(&messages)[5], Some("阿强"), "answered at 40 s, by time");
        assert!(counted_agents(&session(&["customer: 在吗"])) == [None]);
    }

    proptest::proptest! {
        /// The linear reading of `counted_agents` says what its definition
        /// says, message by message (read here the slow way).
        #[test]
        fn counted_agents_follow_their_definition(
            said in proptest::collection::vec((proptest::bool::ANY, proptest::option::of(0u8..3)), 0..30),
        ) {
            let messages: Vec<Message> = said
                .iter()
                .enumerate()
                .map(|(record, &(agent, name))| Message {
                    session: "s".into(),
                    speaker: if agent { Speaker::Agent } else { Speaker::Customer },
                    time_ms: None,
                    text: "好的".into(),
                    agent: name.map(|n| format!("a{n}")),
                    record,
                })
                .collect();
            let named = |i: usize| messages[i].agent.as_deref();
            let turn_of = |i: usize| (0..i).filter(|&j| messages[j].speaker != messages[j + 1].speaker).count();
            let expected: Vec<Option<&str>> = (0..messages.len())
                .map(|i| {
                    let answering = turn_of(i) + usize::from(messages[i].speaker == Speaker::Customer);
                    let answer = (0..messages.len())
                        .filter(|&j| turn_of(j) == answering && messages[j].speaker == Speaker::Agent)
                        .find_map(named);
                    named(i)
                        .or(answer)
                        .or_else(|| (0..i).rev().find_map(named))
                        .or_else(|| (i + 1..messages.len()).find_map(named))
                })
                .collect();
            proptest::prop_assert_eq!(counted_agents(&messages), expected);
        }
    }

    #[test]
    fn an_empty_session_has_no_findings() {
        assert!(SessionChecker::builtin().check(&[]).is_empty());
    }
}
