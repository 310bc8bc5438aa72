#!/usr/bin/env python3
"""Turns the figures scripts/bench/run.sh collected into its Markdown table.

Usage: scripts/bench/report.py RAW_TXT CRITERION_DIR LIB_SUMMARY_TXT

RAW_TXT and LIB_SUMMARY_TXT are `key=value` lines; CRITERION_DIR holds
criterion's check/*/new/estimates.json (medians, in nanoseconds).
MB = 10^6 bytes.
"""

import json
import os
import sys


def read_kv(path):
    d = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    d[k] = v
    return d


def num(d, k):
    try:
        return float(d[k])
    except (KeyError, ValueError):
        return None


def median_ns(crit, name):
    try:
        with open(os.path.join(crit, "check", name, "new", "estimates.json")) as f:
            return json.load(f)["median"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None


def f(x, digits=1, unit=""):
    if x is None:
        return "n/a"
    return f"{x:,.{digits}f}{unit}"


def us(ns):
    return None if ns is None else ns / 1000


def main():
    raw, crit, summary = sys.argv[1:4]
    r = read_kv(raw)
    s = read_kv(summary)
    out = []
    w = out.append

    size, big = r.get("size_mb", "?"), r.get("big_mb", "?")
    quick = r.get("quick") == "1"
    has_threads = r.get("has_threads") == "1"

    def rate(key, bytes_key):
        secs, n = num(r, f"{key}_seconds"), num(r, bytes_key)
        return None if not secs or n is None else n / 1e6 / secs

    def rss_mb(key):
        kb = num(r, f"{key}_rss_kb")
        return None if kb is None else kb * 1024 / 1e6

    def status_note(key):
        st = r.get(f"{key}_status")
        return "" if st in ("0", "1", None) else f" **exit {st}: {r.get(f'{key}_summary', '')}**"

    w(f"## kefu-lint benchmarks{' (--quick: small inputs, NOT the reference figures)' if quick else ''}")
    w("")
    w(
        f"{r.get('date', '?')}, commit {r.get('commit', '?')}; {r.get('cpu', '?')}, {r.get('cores', '?')} cores; "
        f"{r.get('rustc', '?')}; {r.get('python', '?')}. Load average at start {r.get('load_start', '?')}, "
        f"at end {r.get('load_end', '?')} (other work on the machine skews the figures, the 2-thread ones most). "
        f"Whole run {f(num(r, 'total_seconds'), 0)} s, of which building {f(num(r, 'build_seconds'), 0)} s. MB = 10^6 bytes."
    )
    w("")
    w(
        f"Inputs: real replies from `../shared/corpus/*.txt`, repeated and shuffled (fixed seed) to "
        f"{f(num(r, 'file_bytes'), 0)} bytes ({f(num(r, 'file_lines'), 0)} replies, one per line); "
        f"the same bytes cut into {r.get('files', '?')} files; and {f(num(r, 'big_bytes'), 0)} bytes for memory."
    )
    w("")
    w("| measurement | result | notes |")
    w("|---|---|---|")

    # Library.
    slice_bytes, slice_replies = num(s, "slice_bytes"), num(s, "slice_replies")
    one = median_ns(crit, "one_reply")
    corpus = median_ns(crit, "corpus_2mb")
    lib_mbs = lib_rps = None
    if corpus and slice_bytes:
        lib_mbs = slice_bytes / 1e6 / (corpus / 1e9)
        lib_rps = slice_replies / (corpus / 1e9)
    w("| **library** (`cargo bench -p kefu-lint --bench check`) | | |")
    w(f"| one reply, criterion median | {f(us(one), 2, ' µs')} | “亲,您好,您的订单已经发货了,预计明天送达,请注意查收哦” (28 chars), warm |")
    w(
        f"| one reply, p50 / p99 | {f(us(num(s, 'typical_p50_ns')), 2)} / {f(us(num(s, 'typical_p99_ns')), 2)} µs | "
        f"{f(num(s, 'typical_calls'), 0)} individually timed calls; p99.9 {f(us(num(s, 'typical_p999_ns')), 2)} µs; "
        f"timer cost {f(us(num(s, 'timer_p50_ns')), 2)} µs included |"
    )
    w(
        f"| real replies in turn, p50 / p99 | {f(us(num(s, 'corpus_p50_ns')), 2)} / {f(us(num(s, 'corpus_p99_ns')), 2)} µs | "
        f"{f(num(s, 'corpus_calls'), 0)} timed calls over the slice's replies; p99.9 {f(us(num(s, 'corpus_p999_ns')), 2)} µs, "
        f"max {f(us(num(s, 'corpus_max_ns')), 0)} µs |"
    )
    w(
        f"| throughput, 1 thread | {f(lib_mbs)} MB/s, {f(lib_rps, 0)} replies/s | criterion median over "
        f"{f(slice_bytes, 0)} bytes ({f(slice_replies, 0)} replies), one `check` per reply |"
    )

    # CLI.
    cmd = "`kefu-lint check --no-config --statistics`"
    w(f"| **CLI end to end** ({cmd}, best of {'1' if quick else '3'}) | | |")

    def cli_row(label, key, bytes_key, threads_label, same_key=None):
        if f"{key}_seconds" not in r:
            w(f"| {label}, {threads_label} | n/a | `--threads` not supported by this build |")
            return
        t = r.get(f"{key}_threads")
        flag = f"--threads {t}" if t != "default" else "no `--threads` flag"
        if t == "default":
            threads_label = "default threads"
        same = ""
        if same_key and same_key in r:
            same = "; statistics identical to 1 thread" if r[same_key] == "yes" else "; **statistics differ from 1 thread**"
        w(
            f"| {label}, {threads_label} | {f(num(r, f'{key}_seconds'), 2)} s, {f(rate(key, bytes_key))} MB/s | "
            f"{flag}; CPU {f(num(r, f'{key}_cpu_seconds'), 2)} s (user + system); peak RSS {f(rss_mb(key), 0)} MB{same}{status_note(key)} |"
        )

    cli_row(f"one {size} MB file", "cli_t1", "file_bytes", "1 thread")
    cli_row(f"one {size} MB file", "cli_t2", "file_bytes", "2 threads", "cli_t2_same")
    same_dir = "" if r.get("dir_t1_same", "yes") == "yes" else " (**statistics differ from the one-file run**)"
    cli_row(f"{r.get('files', '?')} files, {size} MB in all{same_dir}", "dir_t1", "dir_bytes", "1 thread")
    cli_row(f"{r.get('files', '?')} files, {size} MB in all", "dir_t2", "dir_bytes", "2 threads", "dir_t2_same")
    runs = num(r, "startup_runs")
    st = num(r, "startup_seconds")
    sp = num(r, "spawn_seconds")
    w(
        f"| start-up: `echo 您好 \\| kefu-lint check --no-config` | {f(st / runs * 1000 if st and runs else None, 2)} ms mean | "
        f"whole process, {f(runs, 0)} runs in a shell loop; the same loop with `/bin/true`: "
        f"{f(sp / runs * 1000 if sp and runs else None, 2)} ms; peak RSS {f(num(r, 'startup_rss_kb') and num(r, 'startup_rss_kb') * 1024 / 1e6, 1)} MB |"
    )
    big_t = r.get("big_threads", "?")
    big_flag = f"--threads {big_t}" if big_t != "default" else "default threads"
    rss_100 = "cli_t2" if big_t == "2" and "cli_t2_rss_kb" in r else "cli_t1"
    w(
        f"| peak RSS, {size} MB file | {f(rss_mb(rss_100), 0)} MB | `/usr/bin/time -v`, {big_flag}; "
        f"1 thread: {f(rss_mb('cli_t1'), 0)} MB |"
    )
    w(
        f"| peak RSS, {big} MB file | {f(rss_mb('big'), 0)} MB | {big_flag}, one run: "
        f"{f(num(r, 'big_seconds'), 1)} s, {f(rate('big', 'big_bytes'))} MB/s{status_note('big')} |"
    )

    # Floor and baselines.
    w(f"| **floor and baselines** (the same {size} MB, the built-in rules' {r.get('bare_patterns', '?')} literal patterns) | | |")
    w(
        f"| bare Aho-Corasick scan | {f(num(r, 'bare_mb_per_s'))} MB/s | `bare_scan` example: one automaton, leftmost-longest, "
        f"default kind ({r.get('bare_kind', '?')}), `find_iter` over 8 MiB chunks; {r.get('bare_matches', '?')} matches; best of {'1' if quick else '3'} |"
    )
    w(
        f"| bare Aho-Corasick scan, DFA kind | {f(num(r, 'bare_dfa_mb_per_s'))} MB/s | for reference (`--kind dfa`; the linter's own automaton is a DFA) |"
    )
    w(
        f"| Python `re` alternation | {f(num(r, 'py_re_mb_per_s'))} MB/s | escaped, longest first, `finditer` over the whole decoded text; "
        f"{r.get('py_re_matches', '?')} matches |"
    )
    w(
        f"| pyahocorasick | {f(num(r, 'py_ahocorasick_mb_per_s'))} MB/s | `Automaton.iter_long` over the whole text; "
        f"{r.get('py_ahocorasick_matches', '?')} matches |"
    )
    w(
        f"| flashtext | {f(num(r, 'py_flashtext_mb_per_s'))} MB/s | `KeywordProcessor.extract_keywords`, whole text; "
        f"{r.get('py_flashtext_matches', '?')} matches (its word boundaries differ) |"
    )

    # Ratios.
    t1 = rate("cli_t1", "file_bytes")
    t2 = rate("cli_t2", "file_bytes")
    d1 = rate("dir_t1", "dir_bytes")
    d2 = rate("dir_t2", "dir_bytes")

    def ratio(a, b):
        return None if a is None or not b else a / b

    w("")
    w("| ratio | value | target | met |")
    w("|---|---|---|---|")
    t1_note = "" if has_threads else " (no `--threads`: default)"
    rows = [
        (f"CLI 1 thread{t1_note} / bare Aho-Corasick", ratio(t1, num(r, "bare_mb_per_s")), 0.5),
        (f"CLI 1 thread{t1_note} / Python `re`", ratio(t1, num(r, "py_re_mb_per_s")), 3),
        (f"CLI 1 thread{t1_note} / pyahocorasick", ratio(t1, num(r, "py_ahocorasick_mb_per_s")), 3),
        ("CLI 2 threads / 1 thread, one file", ratio(t2, t1), 1.7),
        ("CLI 2 threads / 1 thread, many files", ratio(d2, d1), 1.7),
        ("library 1 thread / bare Aho-Corasick (no target)", ratio(lib_mbs, num(r, "bare_mb_per_s")), None),
        ("CLI 1 thread / library 1 thread (no target)", ratio(t1, lib_mbs), None),
    ]
    for label, value, target in rows:
        if target is None:
            w(f"| {label} | {f(value, 2)} | | |")
        else:
            met = "n/a" if value is None else ("yes" if value >= target else "**no**")
            w(f"| {label} | {f(value, 2)} | ≥ {target} | {met} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
