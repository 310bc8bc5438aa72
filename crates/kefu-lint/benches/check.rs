//! Library benchmarks for `Linter::check` (criterion), run by
//! `scripts/bench/run.sh` or `cargo bench -p kefu-lint --bench check`.
//!
//! - `check/one_reply`: one typical ~30-character reply, warm (the linter and
//!   its lazily loaded tables built beforehand).
//! - `check/corpus_2mb`: every reply of a ~2 MB slice of real replies, one
//!   `check` call per non-empty line, single thread; throughput in bytes of
//!   the slice (newlines included, as in a file).
//!
//! After criterion, a custom section times ≥100k individual `check` calls with
//! `Instant` around each and prints p50/p90/p99/p99.9/max: for the typical
//! reply, and for the real replies of the slice taken in turn. The timer's own
//! cost (two `Instant::now()` calls) is measured and printed, not subtracted.
//!
//! Environment:
//! - `KEFU_BENCH_CORPUS=FILE`: the slice is the first 2 MB of lines of FILE
//!   (run.sh passes its generated corpus); default: `../shared/corpus/*.txt`
//!   beside the repository, repeated to 2 MB, else `examples/replies.txt`.
//! - `KEFU_BENCH_SLICE_MB=N`: slice size (default 2).
//! - `KEFU_BENCH_CALLS=N`: individually timed calls per percentile run
//!   (default 200000; 0 skips the section).
//! - `KEFU_BENCH_SUMMARY=FILE`: also write the section's figures and the
//!   slice's size there as `key=value` lines, for scripts.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use kefu_lint::Linter;

/// A typical reply: courteous, no findings expected.
const TYPICAL: &str = "亲,您好,您的订单已经发货了,预计明天送达,请注意查收哦";

/// The replies of the benchmark slice and its size in bytes.
struct Slice {
    replies: Vec<String>,
    bytes: usize,
    source: String,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Text to cut the slice from, and where it came from.
fn slice_source() -> (String, String) {
    if let Ok(path) = std::env::var("KEFU_BENCH_CORPUS") {
        let text = std::fs::read(&path).unwrap_or_else(|e| {
            eprintln!("KEFU_BENCH_CORPUS={path}: {e}");
            std::process::exit(2)
        });
        return (String::from_utf8_lossy(&text).into_owned(), path);
    }
    let dir = repo_root().join("../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut text = String::new();
    for f in &files {
        if let Ok(t) = std::fs::read_to_string(f) {
            text.push_str(&t);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
    }
    if !text.trim().is_empty() {
        return (text, format!("{}/*.txt", dir.display()));
    }
    let example = repo_root().join("examples/replies.txt");
    let text = std::fs::read_to_string(&example).unwrap_or_else(|_| format!("{TYPICAL}\n"));
    (text, example.display().to_string())
}

/// The first `limit` bytes of lines of the source, repeated if it is shorter.
fn load_slice(limit: usize) -> Slice {
    let (text, source) = slice_source();
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}'))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let (mut replies, mut bytes) = (Vec::new(), 0);
    'fill: loop {
        for line in &lines {
            if bytes >= limit {
                break 'fill;
            }
            bytes += line.len() + 1;
            replies.push((*line).to_owned());
        }
        if lines.is_empty() {
            break;
        }
    }
    Slice { replies, bytes, source }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn criterion_benches(c: &mut Criterion, linter: &Linter, slice: &Slice) {
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    group.bench_function("one_reply", |b| b.iter(|| linter.check(black_box(TYPICAL))));

    // One iteration is the whole slice (hundreds of ms): few, flat samples.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(slice.bytes as u64));
    group.bench_function("corpus_2mb", |b| {
        b.iter(|| {
            let mut findings = 0;
            for reply in &slice.replies {
                findings += linter.check(black_box(reply)).len();
            }
            findings
        });
    });
    group.finish();
}

/// p-th percentile (0..=100) of sorted nanoseconds.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    let i = ((sorted.len() as f64 - 1.0) * p / 100.0).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times `calls` individual calls of `f(i)`; returns sorted nanoseconds.
fn time_calls(calls: usize, mut f: impl FnMut(usize)) -> Vec<u64> {
    let mut ns = Vec::with_capacity(calls);
    for i in 0..calls {
        let start = Instant::now();
        f(i);
        ns.push(start.elapsed().as_nanos() as u64);
    }
    ns.sort_unstable();
    ns
}

/// Prints and records the distribution of `ns` under `key`.
fn report(summary: &mut String, key: &str, label: &str, ns: &[u64]) {
    let mean = ns.iter().sum::<u64>() as f64 / ns.len() as f64;
    let [p50, p90, p99, p999] = [50.0, 90.0, 99.0, 99.9].map(|p| percentile(ns, p));
    let max = ns.last().copied().unwrap_or(0);
    let us = |n: u64| n as f64 / 1000.0;
    println!(
        "{label:<38} n={:<7} p50 {:>8.2} µs  p90 {:>8.2} µs  p99 {:>8.2} µs  p99.9 {:>8.2} µs  max {:>9.2} µs  mean {:>8.2} µs",
        ns.len(),
        us(p50),
        us(p90),
        us(p99),
        us(p999),
        us(max),
        mean / 1000.0
    );
    for (name, v) in [("p50", p50), ("p90", p90), ("p99", p99), ("p999", p999), ("max", max)] {
        let _ = writeln!(summary, "{key}_{name}_ns={v}");
    }
    let _ = writeln!(summary, "{key}_mean_ns={mean:.0}");
    let _ = writeln!(summary, "{key}_calls={}", ns.len());
}

fn percentiles(linter: &Linter, slice: &Slice, calls: usize, summary: &mut String) {
    println!("\nsingle-call latency, each call timed with Instant (timer cost included, not subtracted):");
    let overhead = time_calls(calls, |_| {
        black_box(());
    });
    report(summary, "timer", "timer alone (Instant::now twice)", &overhead);

    // Warm: caches, branch predictors, allocator.
    for _ in 0..calls / 10 {
        black_box(linter.check(black_box(TYPICAL)));
    }
    let typical = time_calls(calls, |_| {
        black_box(linter.check(black_box(TYPICAL)));
    });
    report(
        summary,
        "typical",
        &format!("typical reply ({} chars)", TYPICAL.chars().count()),
        &typical,
    );

    if !slice.replies.is_empty() {
        let n = slice.replies.len();
        let corpus = time_calls(calls.max(n), |i| {
            black_box(linter.check(black_box(&slice.replies[i % n])));
        });
        report(summary, "corpus", "real replies of the slice, in turn", &corpus);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let listing = args.iter().any(|a| a == "--list" || a == "--test");
    let slice = load_slice(env_usize("KEFU_BENCH_SLICE_MB", 2) * 1_000_000);
    let linter = Linter::builtin();
    // Build anything loaded on first use before measuring.
    for reply in slice.replies.iter().take(1000) {
        black_box(linter.check(reply));
    }
    black_box(linter.check("我們保證明天到貨"));
    if !listing {
        println!(
            "slice: {} bytes, {} replies from {}",
            slice.bytes,
            slice.replies.len(),
            slice.source
        );
    }

    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c, &linter, &slice);
    c.final_summary();

    let calls = env_usize("KEFU_BENCH_CALLS", 200_000);
    if listing || calls == 0 {
        return;
    }
    let mut summary = format!("slice_bytes={}\nslice_replies={}\n", slice.bytes, slice.replies.len());
    percentiles(&linter, &slice, calls, &mut summary);
    if let Ok(path) = std::env::var("KEFU_BENCH_SUMMARY")
        && let Err(e) = std::fs::write(&path, summary)
    {
        eprintln!("KEFU_BENCH_SUMMARY={path}: {e}");
    }
}
