//! Scaling of the output paths: one reply with many findings, at N and 8N
//! repeats. What rendering adds to the run (the CPU time of the format less
//! that of `--statistics`, which checks the same reply and renders nothing)
//! and the size of the output must grow about linearly: a ratio under 20
//! where linear growth gives 8 and quadratic growth 64. CPU time (user and
//! system, as bash's `time` reports it) rather than wall time, so that other
//! work on the machine does not count.
//!
//! Timing tests are slow, so they are ignored by `cargo test`; `.ci/run`
//! runs them with `cargo test -- --ignored scaling`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

const N: usize = 2_000;
const RATIO: f64 = 20.0;
/// A floor under the time at N, so that timer noise on a tiny time cannot
/// make a large ratio.
const FLOOR: Duration = Duration::from_millis(50);

/// The least CPU time of two runs of `kefu-lint check --no-config ARGS
/// file` in `dir`, and the bytes it wrote to standard output.
fn time(dir: &Path, args: &[&str], file: &str) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..2 {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(r#"TIMEFORMAT="%3U %3S"; time ("$0" "$@" 2> /dev/null | wc -c)"#)
            .arg(env!("CARGO_BIN_EXE_kefu-lint"))
            .args(["check", "--no-config"])
            .args(args)
            .arg(file)
            .current_dir(dir)
            .output()
            .expect("bash runs");
        let err = String::from_utf8_lossy(&out.stderr);
        let cpu: f64 = err
            .lines()
            .last()
            .unwrap_or_default()
            .split(' ')
            .map(|t| {
                t.parse::<f64>()
                    .unwrap_or_else(|_| panic!("no CPU times from bash: {err}"))
            })
            .sum();
        best = best.min(Duration::from_secs_f64(cpu));
        bytes = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a byte count");
    }
    (best, bytes)
}

#[test]
#[ignore = "timing; run by .ci/run with --ignored scaling"]
fn scaling_of_every_output_format_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    for (name, n) in [("small.txt", N), ("large.txt", 8 * N)] {
        std::fs::write(dir.path().join(name), format!("{}\n", "你好，".repeat(n))).unwrap();
    }
    let (base_small, _) = time(dir.path(), &["--statistics"], "small.txt");
    let (base_large, _) = time(dir.path(), &["--statistics"], "large.txt");
    let mut report = Vec::new();
    for format in ["human", "concise", "json", "jsonl", "sarif", "github"] {
        let (small, small_bytes) = time(dir.path(), &["--format", format], "small.txt");
        let (large, large_bytes) = time(dir.path(), &["--format", format], "large.txt");
        let added_small = small.saturating_sub(base_small).max(FLOOR);
        let added_large = large.saturating_sub(base_large);
        let ratio = added_large.as_secs_f64() / added_small.as_secs_f64();
        let bytes_ratio = large_bytes as f64 / small_bytes.max(1) as f64;
        report.push(format!(
            "{format}: {small:.2?} → {large:.2?} (rendering {added_small:.2?} → {added_large:.2?}, ×{ratio:.1}), \
             {small_bytes} → {large_bytes} bytes (×{bytes_ratio:.1})"
        ));
        assert!(
            ratio < RATIO && bytes_ratio < RATIO,
            "{format} grows faster than linearly from N = {N} to 8N (statistics alone: {base_small:.2?} → \
             {base_large:.2?}):\n{}",
            report.join("\n")
        );
    }
    eprintln!("{}", report.join("\n"));
}

/// A `.json` export on one line with one distinct buyer per message: each
/// message's position was once counted from the start of the line.
fn one_line_export(messages: usize) -> String {
    let mut json = String::from("[");
    for i in 0..messages {
        json.push_str(&format!(
            r#"{{"sender":"tb{i}","text":"在吗"}},{{"sender":"店:小美","text":"你好"}},"#
        ));
    }
    json.push_str(r#"{"sender":"店:小美","text":"您好"}]"#);
    json
}

#[test]
#[ignore = "timing; run by .ci/run with --ignored scaling"]
fn scaling_of_a_one_line_json_export_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    for (name, n) in [("small.json", 2 * N), ("large.json", 16 * N)] {
        std::fs::write(dir.path().join(name), one_line_export(n)).unwrap();
    }
    let (small, _) = time(dir.path(), &["--statistics"], "small.json");
    let (large, _) = time(dir.path(), &["--statistics"], "large.json");
    let ratio = large.as_secs_f64() / small.max(FLOOR).as_secs_f64();
    assert!(
        ratio < RATIO,
        "{small:.2?} → {large:.2?} (×{ratio:.1}) from 2N to 16N messages"
    );
}
