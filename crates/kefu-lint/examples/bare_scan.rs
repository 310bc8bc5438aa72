//! The bare-scan floor for the benchmarks (`scripts/bench/run.sh`): the literal
//! patterns of the built-in rules in ONE Aho-Corasick automaton
//! (leftmost-longest, default kind selection), counted over a file's bytes with
//! `find_iter` — no folding, no rules, no findings. Whatever the linter does on
//! top of this is what it costs to be a linter.
//!
//! Run: `cargo run --release -p kefu-lint --example bare_scan -- FILE [--repeat N] [--chunk-mb N]`
//! (`--kind dfa|nfa` forces an automaton kind instead of the default
//! selection, which picks a contiguous NFA for this many patterns)
//! or `... -- --patterns` to print the patterns, one per line (for the Python
//! baselines).
//!
//! The file is read in large chunks cut after the last newline, so no match
//! straddles two chunks (no pattern contains a newline). MB are 10^6 bytes.
//! The last line printed is `key=value` pairs for scripts.

use std::error::Error;
use std::fs::File;
use std::io::{self, Read, Write};
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// The `patterns` of every built-in rule (already folded, Simplified), sorted
/// and without duplicates.
fn patterns() -> Result<Vec<String>, Box<dyn Error>> {
    let rules = kefu_lint::load_packs(kefu_lint::BUILTIN)?;
    let mut patterns: Vec<String> = rules.into_iter().flat_map(|r| r.patterns).collect();
    patterns.sort();
    patterns.dedup();
    Ok(patterns)
}

/// Counts leftmost-longest matches in `path`, reading `chunk` bytes at a time.
fn scan(ac: &AhoCorasick, path: &str, chunk: usize) -> io::Result<(u64, u64)> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; chunk];
    // buf[..carry] holds the unfinished last line of the previous chunk.
    let mut carry = 0;
    let (mut bytes, mut matches) = (0u64, 0u64);
    loop {
        if carry == buf.len() {
            // One line longer than the chunk: grow rather than cut it.
            buf.resize(buf.len() * 2, 0);
        }
        let n = file.read(&mut buf[carry..])?;
        if n == 0 {
            matches += ac.find_iter(&buf[..carry]).count() as u64;
            break;
        }
        bytes += n as u64;
        let filled = carry + n;
        let cut = buf[..filled].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        matches += ac.find_iter(&buf[..cut]).count() as u64;
        buf.copy_within(cut..filled, 0);
        carry = filled - cut;
    }
    Ok((bytes, matches))
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut path = None;
    let mut repeat = 1usize;
    let mut chunk_mb = 8usize;
    let mut print_patterns = false;
    let mut kind = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--patterns" => print_patterns = true,
            "--repeat" => repeat = args.next().ok_or("--repeat N")?.parse()?,
            "--chunk-mb" => chunk_mb = args.next().ok_or("--chunk-mb N")?.parse()?,
            "--kind" => {
                kind = match args.next().as_deref() {
                    Some("default") => None,
                    Some("dfa") => Some(AhoCorasickKind::DFA),
                    Some("nfa") => Some(AhoCorasickKind::ContiguousNFA),
                    Some("noncontiguous") => Some(AhoCorasickKind::NoncontiguousNFA),
                    _ => return Err("--kind default|dfa|nfa|noncontiguous".into()),
                }
            }
            "-h" | "--help" => {
                println!(
                    "usage: bare_scan FILE [--repeat N] [--chunk-mb N] [--kind default|dfa|nfa] | bare_scan --patterns"
                );
                return Ok(());
            }
            _ if path.is_none() && !arg.starts_with("--") => path = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}").into()),
        }
    }
    let patterns = patterns()?;
    if print_patterns {
        let mut out = io::stdout().lock();
        for p in &patterns {
            writeln!(out, "{p}")?;
        }
        return Ok(());
    }
    let path = path
        .ok_or("usage: bare_scan FILE [--repeat N] [--chunk-mb N] [--kind default|dfa|nfa] | bare_scan --patterns")?;

    let built = Instant::now();
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(kind)
        .build(&patterns)?;
    let build_secs = built.elapsed().as_secs_f64();

    let mut best = f64::INFINITY;
    let (mut bytes, mut matches) = (0, 0);
    for run in 1..=repeat.max(1) {
        let start = Instant::now();
        (bytes, matches) = scan(&ac, &path, chunk_mb.max(1) << 20)?;
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        eprintln!(
            "bare_scan run {run}: {bytes} bytes, {matches} matches, {secs:.3} s, {:.1} MB/s",
            bytes as f64 / 1e6 / secs
        );
    }
    println!(
        "patterns={} kind={:?} build_seconds={build_secs:.6} bytes={bytes} matches={matches} seconds={best:.4} mb_per_s={:.1}",
        patterns.len(),
        ac.kind(),
        bytes as f64 / 1e6 / best
    );
    Ok(())
}
