//! A first pass over a chat log for the ignored-customer rule (KS006): when
//! each agent wrote, across every session of the log, so that a customer
//! left waiting while the agent answered others can be told from one left
//! waiting by an agent away; and which sessions come back after another
//! began, whose other fragments may hold the agent's answer. Standard
//! input, which cannot be read twice, is kept in a temporary file first, up
//! to [`SPOOL_MAX_BYTES`].

use std::fs::File;
use std::io::{self, Read};

use kefu_lint::session::{AgentActivity, Speaker};

use super::cell::Reading;
use super::group::SessionStarts;
use super::is_system;
use super::sources::{self, Item, Source};
use crate::read::limits::MIB;
use crate::read::{Format, Options};

/// Messages read before the pass gives up on a log none of whose agent
/// messages so far has both an agent name and a time (the log most likely
/// has no such field, and the rule cannot fire on it).
const LOOK: usize = 1000;

/// What the first pass learns of a log.
#[derive(Default)]
pub struct FirstPass {
    /// When each agent wrote: every agent message with an agent name and a
    /// time, the platform's own messages (系统) left out.
    pub activity: AgentActivity,
    /// Where each session began and whether it comes back; `None` when the
    /// pass stopped early.
    pub sessions: Option<SessionStarts>,
}

/// The first pass over the log at `source`. Stops (and gives nothing) when
/// none of the first [`LOOK`] messages is an agent's with a name and a
/// time; a log that cannot be read gives what was read (the check's own
/// pass says why).
pub fn read(source: Source<'_>, format: Format, options: &Options, reading: &Reading<'_>) -> FirstPass {
    let mut activity = AgentActivity::builder();
    let mut sessions = SessionStarts::default();
    let (mut seen, mut recorded) = (0usize, false);
    let mut each = |item: Item| {
        let Item::Message(parsed, place) = item else {
            return true;
        };
        seen += 1;
        sessions.message(place.sheet.as_deref(), &parsed.session, place.line);
        if let (Speaker::Agent, Some(agent), Some(time)) = (parsed.speaker, &parsed.agent, parsed.time_ms)
            && !is_system(&parsed.role)
        {
            activity.record(agent, time);
            recorded = true;
        }
        recorded || seen < LOOK
    };
    // A log that cannot be read is said by the check's own pass.
    let whole = sources::read(source, format, options, reading, &mut each);
    if !recorded {
        return FirstPass::default();
    }
    FirstPass {
        activity: activity.build(),
        // A log read only in part: the sessions after are not known.
        sessions: matches!(whole, Ok(true)).then_some(sessions),
    }
}

/// Bytes of standard input kept for the first pass at most (256 MiB):
/// past them the log is read once, as it comes, without the first pass,
/// so that an endless or huge stream never fills the disk.
pub const SPOOL_MAX_BYTES: u64 = 256 * MIB;

/// Standard input's first bytes, kept in a temporary file that has no name
/// (so that nothing is left behind, even when the process is killed).
#[derive(Debug)]
pub struct Spooled {
    /// The bytes kept.
    pub file: File,
    /// Whether they are all of standard input; if not, the rest is still
    /// to be read from it.
    pub whole: bool,
}

/// Standard input copied into a [`Spooled`] file, up to `limit` bytes and one
/// more (which tells that there is more).
///
/// # Errors
/// Standard input cannot be read, or the file cannot be written.
pub fn spool_stdin(limit: u64) -> io::Result<Spooled> {
    let mut file = tempfile::tempfile()?;
    let copied = io::copy(&mut io::stdin().lock().take(limit + 1), &mut file)?;
    Ok(Spooled {
        file,
        whole: copied <= limit,
    })
}
