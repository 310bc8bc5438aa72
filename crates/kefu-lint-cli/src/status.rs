//! Exit statuses. Every subcommand exits with one of three, as the README's
//! table says for each.

use std::process::ExitCode;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 0: nothing to report (or the command did what it was asked).
    Success,
    /// 1: what the command looks for was found: findings at or above
    /// `--fail-on`, fixes `--diff` would make, scores below `eval`'s targets.
    Failure,
    /// 2: the command could not do all it was asked: a usage error, a bad
    /// configuration, an input (or a row of one) that could not be read, a
    /// file that could not be written.
    Error,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(match status {
            Status::Success => 0,
            Status::Failure => 1,
            Status::Error => 2,
        })
    }
}
