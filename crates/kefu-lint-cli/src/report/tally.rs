//! What a report sums up as the conversations stream by. Memory is bounded
//! by the number of rules and agents and by `--worst`, never by the log:
//! counts, fixed histograms, and a heap of the worst sessions kept whole.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

use kefu_lint::Severity;
use kefu_lint::session::{Speaker, Thresholds};

use crate::session::Conversation;

/// Most data problems the report lists one by one (all are counted).
pub const LISTED_PROBLEMS: usize = 200;

/// The upper bounds (inclusive) of the response-time bins, in seconds; the
/// thresholds are added too, so that every bin lies wholly within or over
/// them. A last bin holds the longer waits.
const UPPERS: [i64; 9] = [5, 10, 20, 30, 60, 120, 300, 600, 1800];

/// Findings of one rule.
pub struct RuleCount {
    /// Rule name.
    pub name: Arc<str>,
    /// Its severity (as configured).
    pub severity: Severity,
    /// Findings.
    pub count: usize,
}

/// What one agent's sessions hold.
#[derive(Default)]
pub struct AgentRow {
    /// Sessions the agent answered.
    pub sessions: usize,
    /// The agent's messages.
    pub replies: usize,
    /// Findings in those sessions, by severity (info, warning, error).
    pub by_severity: [usize; 3],
    /// The agent's answers that have a response time.
    pub timed: usize,
    /// Answers slower than their threshold.
    pub slow: usize,
}

impl AgentRow {
    /// All findings.
    pub fn findings(&self) -> usize {
        self.by_severity.iter().sum()
    }
}

/// Response times in bins.
pub struct Histogram {
    /// The threshold the times are judged against, in seconds: a wait
    /// longer than this is slow.
    pub threshold: i64,
    /// The upper bound (inclusive) of each bin but the last, in seconds.
    pub uppers: Vec<i64>,
    /// Answers in each bin: one more bin than `uppers`, the waits over the last bound.
    pub counts: Vec<usize>,
    /// Answers over the threshold.
    pub over: usize,
}

impl Histogram {
    fn new(threshold: u32) -> Histogram {
        let threshold = i64::from(threshold);
        let mut uppers = UPPERS.to_vec();
        uppers.push(threshold);
        uppers.sort_unstable();
        uppers.dedup();
        let counts = vec![0; uppers.len() + 1];
        Histogram {
            threshold,
            uppers,
            counts,
            over: 0,
        }
    }

    /// Counts a wait of `ms` milliseconds (a negative one, a clock set
    /// back, in the first bin).
    fn add(&mut self, ms: i64) {
        self.counts[self.uppers.partition_point(|&upper| upper * 1000 < ms)] += 1;
        self.over += usize::from(self.is_slow(ms));
    }

    /// Whether a wait of `ms` milliseconds is over the threshold.
    pub fn is_slow(&self, ms: i64) -> bool {
        ms > self.threshold * 1000
    }

    /// Answers counted.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The first bin whose waits are all over the threshold.
    pub fn first_slow_bin(&self) -> usize {
        self.uppers.partition_point(|&upper| upper <= self.threshold)
    }
}

/// A session kept whole for the drill-down, with how bad it is.
pub struct Ranked {
    /// Errors, warnings, infos weighted 100, 10, 1.
    pub score: usize,
    /// Order of arrival: of equal scores, the earlier session ranks first.
    seq: usize,
    /// The session.
    pub conversation: Box<Conversation>,
}

impl Ranked {
    fn key(&self) -> (usize, Reverse<usize>) {
        (self.score, Reverse(self.seq))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// Everything the report shows.
pub struct Tally {
    /// Inputs named or found.
    pub inputs: usize,
    /// Inputs that could not be read.
    pub unreadable: usize,
    /// Sessions read.
    pub sessions: usize,
    /// Sessions with at least one finding.
    pub sessions_with_findings: usize,
    /// Messages read.
    pub messages: usize,
    /// Agent messages (each checked by the reply rules).
    pub replies: usize,
    /// Findings by severity (info, warning, error).
    pub by_severity: [usize; 3],
    /// Findings per rule id.
    pub by_rule: BTreeMap<Arc<str>, RuleCount>,
    /// Per agent name ("" for messages counted for no agent).
    pub agents: BTreeMap<String, AgentRow>,
    /// First responses.
    pub first: Histogram,
    /// Later answers.
    pub later: Histogram,
    /// Notes about the inputs (`input: note`: a log that seems ordered by
    /// time, a delimiter sniffed), the first [`LISTED_PROBLEMS`].
    pub notes: Vec<String>,
    /// Data problems (`input:line: what`), the first [`LISTED_PROBLEMS`].
    pub problems: Vec<String>,
    /// All data problems.
    pub problem_count: usize,
    /// The worst sessions, at most `keep`, as a min-heap on score.
    worst: BinaryHeap<Reverse<Ranked>>,
    /// How many of the worst sessions are kept (`--worst`).
    keep: usize,
    /// Sessions with findings counted so far: the order of arrival.
    seq: usize,
}

impl Tally {
    /// An empty tally keeping the `keep` worst sessions whole, judging
    /// response times by `thresholds`.
    pub fn new(keep: usize, thresholds: Thresholds) -> Tally {
        Tally {
            inputs: 0,
            unreadable: 0,
            sessions: 0,
            sessions_with_findings: 0,
            messages: 0,
            replies: 0,
            by_severity: [0; 3],
            by_rule: BTreeMap::new(),
            agents: BTreeMap::new(),
            first: Histogram::new(thresholds.first_response_seconds),
            later: Histogram::new(thresholds.reply_seconds),
            notes: Vec::new(),
            problems: Vec::new(),
            problem_count: 0,
            worst: BinaryHeap::new(),
            keep,
            seq: 0,
        }
    }

    /// Counts a data problem, listing it while the list is short.
    pub fn problem(&mut self, text: String) {
        self.problem_count += 1;
        if self.problems.len() < LISTED_PROBLEMS {
            self.problems.push(text);
        }
    }

    /// Keeps a note, while the list is short.
    pub fn note(&mut self, text: String) {
        if self.notes.len() < LISTED_PROBLEMS {
            self.notes.push(text);
        }
    }

    /// Counts one session, keeping it whole if it is among the worst. Each
    /// message counts for its agent ([`crate::session::Said::agent`]: a
    /// session handed from one agent to another counts for both), as
    /// `check --sessions --statistics --by agent` counts it.
    pub fn add(&mut self, conversation: Box<Conversation>) {
        self.sessions += 1;
        let mut by_severity = [0; 3];
        let mut seen: Vec<&str> = Vec::new();
        let waits = conversation.waits();
        for (said, wait) in conversation.messages.iter().zip(&waits) {
            self.messages += 1;
            let name = said.agent.as_deref().unwrap_or_default();
            let agent = self.agents.entry(name.to_owned()).or_default();
            if !seen.contains(&name) {
                seen.push(name);
                agent.sessions += 1;
            }
            if said.speaker == Speaker::Agent {
                self.replies += 1;
                agent.replies += 1;
            }
            for finding in said.findings.iter().chain(&said.session_findings) {
                by_severity[finding.severity as usize] += 1;
                agent.by_severity[finding.severity as usize] += 1;
                self.by_rule
                    .entry(finding.rule.clone())
                    .or_insert_with(|| RuleCount {
                        name: finding.name.clone(),
                        severity: finding.severity,
                        count: 0,
                    })
                    .count += 1;
            }
            if let Some(time) = wait {
                let histogram = if time.first { &mut self.first } else { &mut self.later };
                histogram.add(time.millis);
                agent.timed += 1;
                agent.slow += usize::from(histogram.is_slow(time.millis));
            }
        }
        for (total, own) in self.by_severity.iter_mut().zip(by_severity) {
            *total += own;
        }
        let [info, warning, error] = by_severity;
        if info + warning + error == 0 {
            return;
        }
        self.sessions_with_findings += 1;
        let ranked = Ranked {
            score: error * 100 + warning * 10 + info,
            seq: self.seq,
            conversation,
        };
        self.seq += 1;
        if self.worst.len() < self.keep {
            self.worst.push(Reverse(ranked));
        } else if self.worst.peek().is_some_and(|Reverse(least)| ranked > *least) {
            self.worst.pop();
            self.worst.push(Reverse(ranked));
        }
    }

    /// The worst sessions kept, worst first.
    pub fn worst(&mut self) -> Vec<Ranked> {
        let mut worst: Vec<Ranked> = std::mem::take(&mut self.worst)
            .into_iter()
            .map(|Reverse(r)| r)
            .collect();
        worst.sort_by(|a, b| b.cmp(a));
        worst
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thresholds() -> Thresholds {
        kefu_lint::session::SessionChecker::builtin().thresholds()
    }

    #[test]
    fn a_wait_at_the_threshold_is_within_it_and_a_millisecond_more_is_over() {
        let mut h = Histogram::new(60);
        for ms in [0, 59_000, 60_000, 60_001, 7_200_000, -3_000] {
            h.add(ms);
        }
        assert_eq!(h.total(), 6);
        assert_eq!(h.over, 2);
        let slow = h.first_slow_bin();
        assert_eq!(h.uppers[slow - 1], 60, "the last bin within ends at the threshold");
        assert_eq!(h.counts[..slow].iter().sum::<usize>(), 4, "-3, 0, 59 and 60 s");
        assert_eq!(h.counts[slow], 1, "60.001 s opens the first slow bin");
        assert_eq!(h.counts.last(), Some(&1), "7200 s is past every bound");
        assert_eq!(h.counts[0], 2, "0 and the negative wait");
    }

    #[test]
    fn a_threshold_between_the_usual_bounds_becomes_one() {
        let h = Histogram::new(45);
        assert!(h.uppers.contains(&45));
        assert_eq!(h.uppers[h.first_slow_bin() - 1], 45);
    }

    fn conversation(id: &str, severities: &[Severity]) -> Box<Conversation> {
        let finding = |severity: Severity| kefu_lint::Finding {
            rule: "KF001".into(),
            name: "no-refusal".into(),
            category: "tone".into(),
            severity,
            message: "m".into(),
            span: 0..3,
            matched: "不能".into(),
            suggestions: Arc::new([]),
            script: kefu_lint::Script::Simplified,
            fix: None,
        };
        Box::new(Conversation {
            input: "log.jsonl".into(),
            id: id.into(),
            messages: vec![crate::session::Said {
                line: 1,
                sheet: None,
                speaker: Speaker::Agent,
                agent: Some("小美".into()),
                time_ms: None,
                text: "不能".into(),
                findings: severities.iter().map(|&s| finding(s)).collect(),
                session_findings: Vec::new(),
            }],
            response_times: Vec::new(),
            reordered: false,
        })
    }

    #[test]
    fn the_worst_sessions_are_kept_worst_first_and_earlier_first_on_a_tie() {
        use Severity::*;
        let mut tally = Tally::new(3, thresholds());
        for (id, findings) in [
            ("a", &[Info][..]),
            ("b", &[Error]),
            ("c", &[]),
            ("d", &[Warning, Warning]),
            ("e", &[Error]),
            ("f", &[Info, Info]),
        ] {
            tally.add(conversation(id, findings));
        }
        let ids: Vec<String> = tally.worst().iter().map(|r| r.conversation.id.clone()).collect();
        assert_eq!(ids, ["b", "e", "d"]);
        assert_eq!(tally.sessions, 6);
        assert_eq!(tally.sessions_with_findings, 5);
        assert_eq!(tally.by_severity, [3, 2, 2]);
        assert_eq!(tally.agents["小美"].findings(), 7);
        assert_eq!(tally.by_rule["KF001"].count, 7);
    }

    #[test]
    fn problems_are_all_counted_and_the_first_listed() {
        let mut tally = Tally::new(1, thresholds());
        for n in 0..LISTED_PROBLEMS + 5 {
            tally.problem(format!("log.jsonl:{n}: bad time"));
        }
        assert_eq!(tally.problem_count, LISTED_PROBLEMS + 5);
        assert_eq!(tally.problems.len(), LISTED_PROBLEMS);
        assert_eq!(tally.problems[0], "log.jsonl:0: bad time");
    }
}
