//! Replays the fuzz seeds (`fuzz/seeds/`) and every saved fuzz regression
//! (`fuzz/regressions/TARGET/`) through the same code as the fuzz targets,
//! asserting the same properties: no panic, finding spans on char boundaries
//! with `reply[span] == matched`, safe fixes a fixed point, readers' raw
//! ranges usable by `--fix`, error spans inside the text.
//!
//! The targets' code is `fuzz/src/lib.rs`, included here as a module, so the
//! fuzzers and this test cannot drift apart. Fuzzing itself needs cargo-fuzz:
//! see docs/reliability.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use kefu_lint_cli::read::Format;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The files directly in `dir`, sorted; none if it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `run` on every seed of `seeds` and every regression of `target`;
/// fails naming each input that panicked.
fn replay(target: &str, seeds: &str, run: impl Fn(&Path, &[u8])) {
    let fuzz = Path::new(ROOT).join("fuzz");
    let seed_files = files_in(&fuzz.join("seeds").join(seeds));
    assert!(!seed_files.is_empty(), "no seeds in fuzz/seeds/{seeds}");
    let regressions = files_in(&fuzz.join("regressions").join(target));
    let mut failed = Vec::new();
    for path in seed_files.iter().chain(&regressions) {
        let data = std::fs::read(path).expect("readable input");
        if catch_unwind(AssertUnwindSafe(|| run(path, &data))).is_err() {
            failed.push(path.strip_prefix(&fuzz).unwrap_or(path).display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs failed (replay one with `cargo fuzz run -s none {target} fuzz/FILE`):\n  {}",
        failed.len(),
        seed_files.len() + regressions.len(),
        failed.join("\n  ")
    );
}

#[test]
fn check() {
    replay("check", "replies", |_, data| targets::check(&targets::text(data)));
}

#[test]
fn triggers() {
    replay("triggers", "replies", |_, data| targets::triggers(&targets::text(data)));
}

#[test]
fn fix() {
    replay("fix", "replies", |_, data| targets::fix(&targets::text(data)));
}

#[test]
fn fix_file() {
    replay("fix_file", "fix_file", |_, data| targets::fix_file(data));
}

#[test]
fn read_txt() {
    replay("read_txt", "read_txt", |_, data| targets::read(data, Format::Txt));
}

#[test]
fn read_csv() {
    replay("read_csv", "read_csv", |_, data| targets::read(data, Format::Csv));
}

#[test]
fn read_jsonl() {
    replay("read_jsonl", "read_jsonl", |_, data| targets::read(data, Format::Jsonl));
}

#[test]
fn read_json() {
    replay("read_json", "read_json", |_, data| targets::read(data, Format::Json));
}

/// Set in the child process that replays one workbook (see [`read_xlsx`]).
const REPLAY_ONE: &str = "KEFU_LINT_FUZZ_REPLAY_ONE";

/// Workbooks are replayed one per child process (this test binary again,
/// running only this test), limited to 1 GiB of address space and 30 s, so an
/// input that makes the workbook reader allocate or loop without bound fails
/// the test instead of exhausting the machine.
#[test]
fn read_xlsx() {
    if let Some(path) = std::env::var_os(REPLAY_ONE) {
        targets::read(&std::fs::read(path).expect("readable input"), Format::Excel);
        return;
    }
    replay("read_xlsx", "read_xlsx", |path, data| {
        if !cfg!(target_os = "linux") {
            return targets::read(data, Format::Excel);
        }
        let exe = std::env::current_exe().expect("the test binary");
        let mut child = std::process::Command::new("sh")
            .args([
                "-c",
                r#"ulimit -v 1048576 && exec "$0" --exact read_xlsx --test-threads=1 --nocapture"#,
            ])
            .arg(exe)
            .env(REPLAY_ONE, path)
            .env("RUST_BACKTRACE", "0")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("sh runs");
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("child status") {
                break Some(status);
            }
            if started.elapsed() > std::time::Duration::from_secs(30) {
                child.kill().expect("kill the child");
                child.wait().expect("child ends");
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("piped"), &mut stderr).expect("stderr");
        let tail = stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(4)
            .collect::<Vec<_>>()
            .join("\n");
        match status {
            Some(status) => assert!(status.success(), "{}: {status}\n{tail}", path.display()),
            None => panic!("{}: still running after 30 s\n{tail}", path.display()),
        }
    });
}

#[test]
fn pack() {
    replay("pack", "pack", |_, data| targets::pack(&targets::text(data)));
}

#[test]
fn config() {
    replay("config", "config", |_, data| targets::config(&targets::text(data)));
}

/// The helpers the targets share behave as the targets expect.
#[test]
fn helpers() {
    assert_eq!(targets::text(b"\xff\xe4\xbd\xa0"), "\u{fffd}你");
    assert_eq!(targets::options().role_field, None);
    let findings = targets::linter().check("你自己看吧");
    targets::assert_findings("你自己看吧", &findings);
    assert!(!findings.is_empty());
    let doc = kefu_lint_cli::read::read_bytes(
        "a.txt".into(),
        None,
        "你好\r\n\n亲\n".into(),
        Format::Txt,
        &targets::options(),
    )
    .map_err(|e| format!("{e:?}"))
    .expect("reads");
    targets::assert_document(&doc);
    assert_eq!(doc.records.len(), 2);
}

#[test]
fn render() {
    replay("render", "render", |_, data| targets::render_findings(data));
}
