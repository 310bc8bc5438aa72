//! When each agent of a chat log wrote: what the rule 接一问二照顾三 (KS006,
//! `customer-ignored`) needs to tell a customer left waiting while the agent
//! answered other customers from one left waiting by an agent away.

use std::collections::HashMap;

/// Every time each agent wrote in a chat log, by agent name: 4 bytes a
/// message, and some 100 bytes an agent besides its name (a log of many
/// agents with one message each, as when the agent field names something
/// else, costs about that a message). Built with [`AgentActivity::builder`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentActivity {
    by_agent: HashMap<Box<str>, Times>,
}

/// One agent's times in milliseconds since the Unix epoch.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Times {
    /// One message: its time, with no allocation.
    One(i64),
    /// Each time split into its epoch (the high bits: spans of 2³² ms, some
    /// 49.7 days) and its low 32 bits: the epochs in the order first seen,
    /// each with its times (sorted once built).
    Many(Vec<(i64, Vec<u32>)>),
}

/// Collects when agents wrote, in any order, into an [`AgentActivity`].
#[derive(Clone, Debug, Default)]
pub struct ActivityBuilder {
    by_agent: HashMap<Box<str>, Times>,
}

impl AgentActivity {
    /// A builder to record messages into.
    pub fn builder() -> ActivityBuilder {
        ActivityBuilder::default()
    }

    /// How many messages `agent` wrote strictly after `after_ms` and
    /// strictly before `before_ms` (milliseconds since the Unix epoch);
    /// 0 for an agent never seen.
    pub fn between(&self, agent: &str, after_ms: i64, before_ms: i64) -> usize {
        let epochs = match self.by_agent.get(agent) {
            None => return 0,
            Some(&Times::One(time)) => return usize::from(after_ms < time && time < before_ms),
            Some(Times::Many(epochs)) => epochs,
        };
        if after_ms >= before_ms {
            return 0;
        }
        let span = after_ms >> 32..=before_ms >> 32;
        epochs
            .iter()
            .filter(|(epoch, _)| span.contains(epoch))
            .map(|(epoch, times)| {
                // The window within this epoch, as low bits: after `low`
                // (none before the epoch: every time counts), before `high`.
                let low = (*epoch == after_ms >> 32).then_some(after_ms as u32);
                let high = (*epoch == before_ms >> 32).then_some(before_ms as u32);
                let from = low.map_or(0, |low| times.partition_point(|&t| t <= low));
                let to = high.map_or(times.len(), |high| times.partition_point(|&t| t < high));
                to.saturating_sub(from)
            })
            .sum()
    }
}

impl ActivityBuilder {
    /// Records a message `agent` wrote at `time_ms` (milliseconds since the Unix epoch).
    pub fn record(&mut self, agent: &str, time_ms: i64) {
        let Some(times) = self.by_agent.get_mut(agent) else {
            self.by_agent.insert(agent.into(), Times::One(time_ms));
            return;
        };
        if let Times::One(first) = *times {
            *times = Times::Many(Vec::new());
            times.push(first);
        }
        times.push(time_ms);
    }

    /// The activity recorded.
    pub fn build(mut self) -> AgentActivity {
        for times in self.by_agent.values_mut() {
            if let Times::Many(epochs) = times {
                epochs.shrink_to_fit();
                for (_, times) in epochs.iter_mut() {
                    times.sort_unstable();
                    times.shrink_to_fit();
                }
            }
        }
        AgentActivity {
            by_agent: self.by_agent,
        }
    }
}

impl Times {
    /// Adds `time_ms` to a [`Times::Many`] (nothing to a [`Times::One`]).
    fn push(&mut self, time_ms: i64) {
        let Times::Many(epochs) = self else {
            return;
        };
        // The low 32 bits, as the epoch's offset.
        let (epoch, low) = (time_ms >> 32, time_ms as u32);
        match epochs.iter_mut().find(|(e, _)| *e == epoch) {
            Some((_, times)) => times.push(low),
            None => epochs.push((epoch, vec![low])),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn activity(times: &[(&str, i64)]) -> AgentActivity {
        let mut builder = AgentActivity::builder();
        for &(agent, time) in times {
            builder.record(agent, time);
        }
        builder.build()
    }

    #[test]
    fn messages_strictly_inside_the_window_are_counted() {
        let activity = activity(&[
            ("小美", 50),
            ("小美", 10),
            ("小美", 30),
            ("小美", 30),
            ("小美", 70),
            ("阿强", 20),
        ]);
        assert_eq!(activity.between("小美", 10, 70), 3, "30, 30 and 50; not the ends");
        assert_eq!(activity.between("小美", 9, 71), 5);
        assert_eq!(activity.between("小美", 70, 10), 0, "an empty window");
        assert_eq!(activity.between("阿强", 10, 70), 1);
        assert_eq!(activity.between("无名", 0, 100), 0);
    }

    proptest! {
        /// Windows across epochs, before 1970 and around the extremes count
        /// what a plain list of the times counts.
        #[test]
        fn counts_what_a_plain_list_counts(
            times in proptest::collection::vec(prop_oneof![
                -(1i64 << 34)..(1i64 << 34),
                (1i64 << 32) - 50..(1i64 << 32) + 50,
                i64::MIN..i64::MIN + 50,
                i64::MAX - 50..=i64::MAX,
            ], 0..40),
            windows in proptest::collection::vec((any::<i64>(), any::<i64>()), 1..8),
            near in proptest::collection::vec((0usize..40, -3i64..3, 0i64..(1i64 << 33)), 1..8),
        ) {
            let built = activity(&times.iter().map(|&t| ("a", t)).collect::<Vec<_>>());
            let around: Vec<(i64, i64)> = near
                .iter()
                .filter_map(|&(i, shift, span)| {
                    let t = *times.get(i)?;
                    Some((t.saturating_add(shift), t.saturating_add(shift).saturating_add(span)))
                })
                .collect();
            for (after, before) in windows.into_iter().chain(around) {
                let expected = times.iter().filter(|&&t| after < t && t < before).count();
                prop_assert_eq!(built.between("a", after, before), expected, "({}, {})", after, before);
            }
        }
    }
}
