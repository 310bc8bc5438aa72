//! What the end-to-end tests share: running the `kefu-lint` binary.

// Each test crate includes this module and uses part of it.
#![allow(dead_code)]

use std::io::{self, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Output, Stdio};

/// The repository root, where the bundled examples and evaluation sets are.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// `kefu-lint` with `args`, to run in `dir`, without colour.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kefu-lint"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    command
}

/// Runs `kefu-lint` in `dir` with `args` and `stdin` (empty when `None`),
/// and waits for it.
pub fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let input = stdin.unwrap_or_default().to_owned();
    run_fed(dir, args, move |pipe| pipe.write_all(input.as_bytes()))
}

/// Runs `kefu-lint` in `dir` with `args` while `feed` writes its standard
/// input from another thread (so that input of any size streams in), and
/// waits for both.
pub fn run_fed(
    dir: &Path,
    args: &[&str],
    feed: impl FnOnce(&mut ChildStdin) -> io::Result<()> + Send + 'static,
) -> Output {
    let mut child = command(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu-lint starts");
    let mut pipe = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || feed(&mut pipe));
    let out = child.wait_with_output().expect("kefu-lint finishes");
    writer.join().expect("writer thread").expect("standard input written");
    out
}

/// Standard output, which must be UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout")
}

/// Standard error, which must be UTF-8.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 stderr")
}
