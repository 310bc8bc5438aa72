//! Standard output and standard error connected to pipes whose readers are
//! gone (`kefu-lint check … | head -5`, `… 2>&1 | head -1`): no command
//! panics (exit 101), and a check whose output nobody reads still exits
//! with the status its findings give, so that `set -o pipefail` fails. Output
//! that cannot be written (a full disk) is an error, exit 2.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{ExitStatus, Stdio};

use support::command;

/// The writing end of a pipe whose reading end is already closed.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

/// Runs `kefu-lint` in `dir` with both standard output and standard error
/// on closed pipes.
fn run_unheard(dir: &Path, args: &[&str]) -> ExitStatus {
    command(dir, args)
        .stdin(Stdio::null())
        .stdout(closed_pipe())
        .stderr(closed_pipe())
        .status()
        .unwrap()
}

/// A directory with a reply file holding `n` replies with findings (KF011
/// and KF001, warnings and errors), a bad configuration and a bad eval set.
fn inputs(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("r.txt"), "你这个我不能改\n".repeat(n)).unwrap();
    fs::write(dir.path().join("bad.toml"), "select = [\"butt\"]\n").unwrap();
    fs::write(dir.path().join("cases.jsonl"), "{\n").unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    dir
}

#[test]
fn no_command_panics_when_both_streams_are_closed_pipes() {
    let dir = inputs(50);
    let d = dir.path();
    // (arguments, the exit status they give when heard)
    let cases: [(&[&str], i32); 14] = [
        (&["check", "--no-config", "r.txt"], 1),
        (&["check", "--no-config", "--format", "concise", "r.txt"], 1),
        (&["check", "--no-config", "--format", "sarif", "r.txt"], 1),
        (&["check", "--no-config", "--statistics", "r.txt"], 1),
        (&["check", "--no-config", "--diff", "r.txt"], 1),
        (&["check", "--no-config", "missing.txt"], 2),
        (&["check", "--config", "bad.toml", "r.txt"], 2),
        (&["check", "--no-such-option"], 2),
        (&["check", "--help"], 0),
        (&["rules"], 0),
        (&["explain", "KF001"], 0),
        (&["explain", "KF999"], 2),
        (&["eval", "cases.jsonl"], 2),
        (&["eval", "missing.jsonl"], 2),
    ];
    for (args, heard) in cases {
        let status = run_unheard(d, args);
        assert_eq!(
            status.code(),
            Some(heard),
            "kefu-lint {args:?} with closed pipes: {status}"
        );
    }
    // init writes its file and says so to nobody.
    let status = run_unheard(&d.join("empty"), &["init"]);
    assert_eq!(status.code(), Some(0));
    assert!(d.join("empty/kefu-lint.toml").is_file());
}

#[test]
fn a_check_read_by_head_exits_with_the_status_of_its_findings() {
    // Enough findings that most are written after the reader has gone.
    let dir = inputs(20_000);
    for format in ["concise", "human", "json", "github"] {
        let mut child = command(dir.path(), &["check", "--no-config", "--format", format, "r.txt"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: one line, then the pipe is closed.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        let out = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "--format {format}: {said}");
        // The check ran to its end: the summary counts every reply.
        assert!(
            said.contains("in 20000 replies from 1 input"),
            "--format {format}: {said}"
        );
    }
}

#[test]
fn unread_output_exits_0_only_when_no_finding_reaches_fail_on() {
    let dir = inputs(3);
    let d = dir.path();
    // Errors (KF001) reach --fail-on error; infos alone do not.
    assert_eq!(
        run_unheard(d, &["check", "--no-config", "--fail-on", "error", "r.txt"]).code(),
        Some(1)
    );
    assert_eq!(
        run_unheard(
            d,
            &[
                "check",
                "--no-config",
                "--select",
                "KF011",
                "--fail-on",
                "error",
                "r.txt"
            ]
        )
        .code(),
        Some(0)
    );
    // --fix with nobody reading still fixes the file, and exits 1 for what is left.
    let status = run_unheard(d, &["check", "--no-config", "--fix", "r.txt"]);
    assert_eq!(status.code(), Some(1));
    assert!(fs::read_to_string(d.join("r.txt")).unwrap().starts_with("您"));
}

#[test]
fn output_that_cannot_be_written_is_an_error_unlike_a_closed_pipe() {
    let dir = inputs(3);
    for args in [
        &["rules"][..],
        &["explain", "KF001"],
        &["check", "--no-config", "r.txt"],
    ] {
        let out = command(dir.path(), args)
            .stdin(Stdio::null())
            .stdout(fs::File::options().write(true).open("/dev/full").unwrap())
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        assert!(
            said.contains("error: writing output: No space left on device"),
            "{said}"
        );
    }
}
