//! The session rule pack (`rules/session.toml`): its thresholds, its rules
//! and their example conversations, loaded and validated.

use std::sync::Arc;

use serde::Deserialize;

use super::activity::AgentActivity;
use super::phrases::Phrases;
use super::{Message, Speaker};
use crate::PackError;
use crate::finding::Severity;
use crate::rule::Source;

/// The built-in session pack, `(file name, TOML text)`.
pub const SESSION_PACK: (&str, &str) = ("rules/session.toml", include_str!("../../../../rules/session.toml"));

/// The thresholds of the session rules (`[settings]` of the pack, changed
/// by `[session]` in `kefu-lint.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Thresholds {
    /// Seconds a customer's first message may wait for the first answer.
    pub first_response_seconds: u32,
    /// Seconds any later customer message may wait for an answer.
    pub reply_seconds: u32,
    /// Customer messages in a row, unanswered for longer than
    /// `reply_seconds`, that make a customer ignored (at least 2).
    pub ignored_run: u32,
    /// A question is detailed when it is longer than this, in characters
    /// (letters, digits and Han; code points).
    pub question_chars: u32,
    /// An answer is perfunctory when the agent's turn is at most this long,
    /// in characters (letters, digits and Han; code points).
    pub perfunctory_chars: u32,
    /// How many last messages of a session are searched for a closed deal.
    pub closing_messages: u32,
}

/// Changes to [`Thresholds`], as `[session]` in `kefu-lint.toml` gives them:
/// every key optional, the same names; and `ignore`, the session rules not
/// to run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ThresholdChanges {
    /// Session rules not to run, by id (`KS003`) or name (`no-greeting`).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// `first-response-seconds`.
    pub first_response_seconds: Option<u32>,
    /// `reply-seconds`.
    pub reply_seconds: Option<u32>,
    /// `ignored-run`.
    pub ignored_run: Option<u32>,
    /// `question-chars`.
    pub question_chars: Option<u32>,
    /// `perfunctory-chars`.
    pub perfunctory_chars: Option<u32>,
    /// `closing-messages`.
    pub closing_messages: Option<u32>,
}

impl Thresholds {
    /// These thresholds with `changes` laid over them.
    pub fn with(self, changes: &ThresholdChanges) -> Thresholds {
        Thresholds {
            first_response_seconds: changes.first_response_seconds.unwrap_or(self.first_response_seconds),
            reply_seconds: changes.reply_seconds.unwrap_or(self.reply_seconds),
            ignored_run: changes.ignored_run.unwrap_or(self.ignored_run),
            question_chars: changes.question_chars.unwrap_or(self.question_chars),
            perfunctory_chars: changes.perfunctory_chars.unwrap_or(self.perfunctory_chars),
            closing_messages: changes.closing_messages.unwrap_or(self.closing_messages),
        }
    }

    /// The value of the setting `key` (a key of `[session]`), if it is one.
    pub fn get(&self, key: &str) -> Option<u32> {
        Some(match key {
            "first-response-seconds" => self.first_response_seconds,
            "reply-seconds" => self.reply_seconds,
            "ignored-run" => self.ignored_run,
            "question-chars" => self.question_chars,
            "perfunctory-chars" => self.perfunctory_chars,
            "closing-messages" => self.closing_messages,
            _ => return None,
        })
    }

    /// What is wrong with these thresholds, if anything, as the key at
    /// fault and why: `ignored-run` below 2 or `closing-messages` of 0
    /// would flag every session or none.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        if self.ignored_run < 2 {
            Some(("ignored-run", "ignored-run must be at least 2"))
        } else if self.closing_messages == 0 {
            Some(("closing-messages", "closing-messages must be at least 1"))
        } else {
            None
        }
    }
}

/// What a session rule checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The first answer came later than `first-response-seconds` after the
    /// customer's first message.
    FirstResponse,
    /// A later answer came later than `reply-seconds` after the customer
    /// message it answers.
    ReplyTime,
    /// The agent's first turn lacks a `greeting` or an `introduction`.
    Greeting,
    /// The session ends on customer messages, one of which asks a
    /// `question` (or has a question mark), with no answer.
    Unanswered,
    /// A `deal` phrase in the last messages, no customer `question` after
    /// it, no `farewell` from the agent there, and the agent's last word not
    /// a question of their own (other than `anything-else`).
    Farewell,
    /// `ignored-run` customer messages in a row, unanswered for longer than `reply-seconds`.
    Ignored,
    /// A detailed `question` answered by a turn of at most `perfunctory-chars`
    /// characters: not a `holding` reply (or link, or card), nor a bare
    /// `yes-no` answer to a last question that is a closed one (a `closed`
    /// marker such as 吗, or no `open` question word).
    Perfunctory,
}

impl Check {
    /// The settings (keys of `[session]` in `kefu-lint.toml`) this check reads.
    pub fn settings(self) -> &'static [&'static str] {
        match self {
            Check::FirstResponse => &["first-response-seconds"],
            Check::ReplyTime => &["reply-seconds"],
            Check::Ignored => &["reply-seconds", "ignored-run"],
            Check::Perfunctory => &["question-chars", "perfunctory-chars"],
            Check::Farewell => &["closing-messages"],
            Check::Greeting | Check::Unanswered => &[],
        }
    }

    /// The phrase lists this check reads, by key.
    fn lists(self) -> &'static [&'static str] {
        match self {
            Check::FirstResponse | Check::ReplyTime | Check::Ignored => &[],
            Check::Greeting => &["greeting", "introduction"],
            Check::Unanswered => &["question"],
            Check::Farewell => &["deal", "farewell", "question", "anything-else"],
            Check::Perfunctory => &["question", "open", "closed", "yes-no", "holding"],
        }
    }
}

/// A small conversation a session rule must flag (at message `at`) or leave alone.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    /// The message a `bad` conversation's finding points at (0-based).
    #[serde(default)]
    pub at: Option<usize>,
    /// The messages, each `customer@12: 文字` or `agent: 文字` (seconds after `@`, a
    /// fraction allowed as in `agent@10.5: 文字`, or no time).
    pub turns: Vec<String>,
    /// Seconds at which the conversation's agent wrote in other sessions.
    #[serde(default)]
    pub elsewhere: Vec<u32>,
}

/// The name of the agent who writes every `agent` turn of an example.
pub const EXAMPLE_AGENT: &str = "agent";

impl Conversation {
    /// The turns as messages of session `example`, record `i` for turn `i`;
    /// agent turns are [`EXAMPLE_AGENT`]'s.
    ///
    /// # Errors
    /// A turn not of the form `customer[@seconds]: text` or `agent[@seconds]: text`.
    pub fn messages(&self) -> Result<Vec<Message>, String> {
        self.turns
            .iter()
            .enumerate()
            .map(|(i, turn)| parse_turn(turn, i))
            .collect()
    }

    /// When the agent wrote, in this conversation and `elsewhere`.
    ///
    /// # Errors
    /// As [`Conversation::messages`].
    pub fn activity(&self) -> Result<AgentActivity, String> {
        let here = self.messages()?.into_iter().filter_map(|m| m.agent.and(m.time_ms));
        let mut activity = AgentActivity::builder();
        for time in here.chain(self.elsewhere.iter().map(|&s| i64::from(s) * 1000)) {
            activity.record(EXAMPLE_AGENT, time);
        }
        Ok(activity.build())
    }
}

fn parse_turn(turn: &str, record: usize) -> Result<Message, String> {
    let bad = || format!("turn {turn:?}: expected customer[@seconds]: text or agent[@seconds]: text");
    let (head, text) = turn.split_once(": ").ok_or_else(bad)?;
    let (role, time) = match head.split_once('@') {
        Some((role, time)) => {
            let seconds = time
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && s.abs() < 1e12)
                .ok_or_else(bad)?;
            // Milliseconds: within 1e15, an f64 holds them exactly.
            (role, Some((seconds * 1000.0).round() as i64))
        }
        None => (head, None),
    };
    let speaker = match role {
        "customer" => Speaker::Customer,
        "agent" => Speaker::Agent,
        _ => return Err(bad()),
    };
    Ok(Message {
        session: "example".into(),
        speaker,
        time_ms: time,
        text: text.to_owned(),
        agent: (speaker == Speaker::Agent).then(|| EXAMPLE_AGENT.to_owned()),
        record,
    })
}

/// The example conversations of a session rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversations {
    /// Conversations the rule must flag.
    #[serde(default)]
    pub bad: Vec<Conversation>,
    /// Conversations the rule must not flag.
    #[serde(default)]
    pub ok: Vec<Conversation>,
}

/// One validated session rule.
#[derive(Clone, Debug)]
pub struct SessionRule {
    /// Stable id, such as `KS001`.
    pub id: Arc<str>,
    /// Kebab-case name.
    pub name: Arc<str>,
    /// What the rule checks.
    pub check: Check,
    /// Family of problem.
    pub category: Arc<str>,
    /// How serious a finding is.
    pub severity: Severity,
    /// One-line English summary.
    pub summary: String,
    /// Short name in Chinese, as a QA (质检) report labels the rule (首次响应慢);
    /// empty when the pack gives none (`title` in a `[[rule]]`).
    pub title: String,
    /// What is wrong, in Simplified Chinese; may hold `{wait}`, `{limit}`, `{count}` and `{elsewhere}`.
    pub message: String,
    /// Guideline the rule comes from.
    pub source: Source,
    /// The rule's own example conversations.
    pub examples: Conversations,
    pub(crate) lists: RuleLists,
}

/// The phrase lists of one rule, folded (those its check does not read are empty).
#[derive(Clone, Debug, Default)]
pub(crate) struct RuleLists {
    pub greeting: Phrases,
    pub introduction: Phrases,
    pub deal: Phrases,
    pub farewell: Phrases,
    pub question: Phrases,
    pub anything_else: Phrases,
    pub open: Phrases,
    pub closed: Phrases,
    pub yes_no: Phrases,
    pub holding: Phrases,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a session pack: [pack], [settings], then [[rule]] tables"
)]
struct PackFile {
    #[serde(rename = "pack")]
    _header: PackMeta,
    settings: Thresholds,
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by serde to validate the pack header
struct PackMeta {
    name: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleSpec {
    id: String,
    name: String,
    check: Check,
    category: String,
    severity: Severity,
    summary: String,
    #[serde(default)]
    title: String,
    message: String,
    #[serde(default)]
    greeting: Vec<String>,
    #[serde(default)]
    introduction: Vec<String>,
    #[serde(default)]
    deal: Vec<String>,
    #[serde(default)]
    farewell: Vec<String>,
    #[serde(default)]
    question: Vec<String>,
    #[serde(default)]
    anything_else: Vec<String>,
    #[serde(default)]
    open: Vec<String>,
    #[serde(default)]
    closed: Vec<String>,
    #[serde(default)]
    yes_no: Vec<String>,
    #[serde(default)]
    holding: Vec<String>,
    source: Source,
    #[serde(default)]
    examples: Conversations,
}

impl RuleSpec {
    /// The lists by key, as the pack names them.
    fn lists(&self) -> [(&'static str, &Vec<String>); 10] {
        [
            ("greeting", &self.greeting),
            ("introduction", &self.introduction),
            ("deal", &self.deal),
            ("farewell", &self.farewell),
            ("question", &self.question),
            ("anything-else", &self.anything_else),
            ("open", &self.open),
            ("closed", &self.closed),
            ("yes-no", &self.yes_no),
            ("holding", &self.holding),
        ]
    }
}

/// Loads and validates the session pack `text` named `file`.
///
/// # Errors
/// A [`PackError`] naming the file, the rule and (for TOML errors) the span:
/// unknown keys, a bad id or name, a duplicate id, a phrase list the rule's
/// check does not read (or one it needs left empty), bad thresholds.
pub fn load(file: &str, text: &str) -> Result<(Thresholds, Vec<SessionRule>), PackError> {
    let parsed: PackFile =
        toml::from_str(text).map_err(|e| PackError::new(file, text, None, e.message().to_owned(), e.span()))?;
    if let Some((_, problem)) = parsed.settings.problem() {
        return Err(PackError::new(file, text, None, format!("[settings]: {problem}"), None));
    }
    let mut rules: Vec<SessionRule> = Vec::new();
    for spec in parsed.rule {
        let err = |message: String| PackError::new(file, text, Some(&spec.id), message, None);
        if !crate::pack::is_id(&spec.id) || !crate::pack::is_kebab(&spec.name) {
            return Err(err(
                "id must be letters and digits (KS001), name kebab-case (slow-reply)".into(),
            ));
        }
        if rules.iter().any(|r| *r.id == *spec.id || *r.name == *spec.name) {
            return Err(err(format!("duplicate rule id or name {} / {}", spec.id, spec.name)));
        }
        let needed = spec.check.lists();
        for (key, list) in spec.lists() {
            match (needed.contains(&key), list.iter().all(String::is_empty)) {
                (true, true) => return Err(err(format!("check {:?} needs phrases in {key}", spec.check))),
                (false, false) => return Err(err(format!("check {:?} does not read {key}", spec.check))),
                _ => {}
            }
        }
        let lists = RuleLists {
            greeting: Phrases::new(&spec.greeting),
            introduction: Phrases::new(&spec.introduction),
            deal: Phrases::new(&spec.deal),
            farewell: Phrases::new(&spec.farewell),
            question: Phrases::new(&spec.question),
            anything_else: Phrases::new(&spec.anything_else),
            open: Phrases::new(&spec.open),
            closed: Phrases::new(&spec.closed),
            yes_no: Phrases::new(&spec.yes_no),
            holding: Phrases::new(&spec.holding),
        };
        for (kind, examples) in [("bad", &spec.examples.bad), ("ok", &spec.examples.ok)] {
            for example in examples {
                example.messages().map_err(|e| err(format!("examples.{kind}: {e}")))?;
                if (kind == "bad") != example.at.is_some_and(|at| at < example.turns.len()) {
                    return Err(err(format!(
                        "examples.{kind}: a bad conversation names the message flagged (at, a turn's index); an ok one does not"
                    )));
                }
            }
        }
        rules.push(SessionRule {
            id: spec.id.into(),
            name: spec.name.into(),
            check: spec.check,
            category: spec.category.into(),
            severity: spec.severity,
            summary: spec.summary,
            title: spec.title,
            message: spec.message,
            source: spec.source.with_known_title(),
            examples: spec.examples,
            lists,
        });
    }
    Ok((parsed.settings, rules))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "[pack]\nname = \"s\"\ndescription = \"d\"\n[settings]\nfirst-response-seconds = 10\nreply-seconds = 60\nignored-run = 3\nquestion-chars = 12\nperfunctory-chars = 3\nclosing-messages = 4\n";

    fn rule(body: &str) -> String {
        format!(
            "{HEADER}[[rule]]\nid = \"KS900\"\nname = \"r\"\ncategory = \"c\"\nseverity = \"info\"\nsummary = \"s\"\nmessage = \"m\"\nsource = {{ seed = \"x.txt\", passage = \"p\" }}\n{body}"
        )
    }

    #[test]
    fn the_builtin_pack_loads() {
        let (thresholds, rules) = load(SESSION_PACK.0, SESSION_PACK.1).expect("valid");
        assert_eq!(thresholds.first_response_seconds, 10);
        assert_eq!(thresholds.reply_seconds, 60);
        assert!(rules.len() >= 7);
    }

    #[test]
    fn a_list_the_check_does_not_read_is_an_error() {
        let err = load("s.toml", &rule("check = \"reply-time\"\ndeal = [\"付款\"]\n")).expect_err("refused");
        assert!(err.to_string().contains("does not read deal"), "{err}");
        assert_eq!(err.rule.as_deref(), Some("KS900"));
    }

    #[test]
    fn a_list_the_check_needs_is_required() {
        let err = load("s.toml", &rule("check = \"greeting\"\ngreeting = [\"您好\"]\n")).expect_err("refused");
        assert!(err.to_string().contains("needs phrases in introduction"), "{err}");
    }

    #[test]
    fn unknown_keys_and_bad_turns_are_errors() {
        let err = load("s.toml", &rule("check = \"reply-time\"\npatterns = [\"x\"]\n")).expect_err("refused");
        assert!(err.to_string().contains("unknown field `patterns`"), "{err}");
        assert!(err.span().is_some());
        let bad_turn = "check = \"reply-time\"\n[[rule.examples.bad]]\nat = 0\nturns = [\"buyer: 在吗\"]\n";
        let err = load("s.toml", &rule(bad_turn)).expect_err("refused");
        assert!(err.to_string().contains("examples.bad: turn \"buyer: 在吗\""), "{err}");
    }

    #[test]
    fn thresholds_are_checked() {
        let text = rule("check = \"reply-time\"\n").replace("ignored-run = 3", "ignored-run = 1");
        let err = load("s.toml", &text).expect_err("refused");
        assert!(err.to_string().contains("ignored-run must be at least 2"), "{err}");
    }
}
