#!/usr/bin/env python3
"""Python baselines for the kefu-lint benchmarks: the built-in rules' literal
patterns counted over the same bytes as the bare Aho-Corasick scan.

Usage: scripts/bench/python_baselines.py FILE [--patterns FILE] [--max-mb N] [--only re,ahocorasick,flashtext]

Patterns: one per line from --patterns, else exported from the Rust side with
`cargo run --release -p kefu-lint --example bare_scan -- --patterns` (each
rule's `patterns` field, already folded and Simplified; 234 of them today).

The file (or its first --max-mb megabytes, cut at a line end) is read and
decoded to one `str` before any timing; the timings cover matching only, and
MB/s is bytes of the UTF-8 input per second (MB = 10^6 bytes). Each matcher
scans the WHOLE text in one call (not line by line; no pattern contains a
newline, so the counts are the same):

  re           one `re` alternation of all patterns (re.escape, longest first,
               so the first alternative that matches is the longest: leftmost-
               longest), counted with `finditer` over the whole text
  ahocorasick  pyahocorasick `Automaton`, `iter_long` (leftmost-longest,
               non-overlapping) over the whole text; `iter` (overlapping) if
               the installed version has no `iter_long`
  flashtext    flashtext `KeywordProcessor(case_sensitive=True)`,
               `extract_keywords` over the whole text (its word-boundary
               rules differ for CJK, so its count differs; reported as is)

pyahocorasick and flashtext are installed with pip into target/bench/venv if
they cannot be imported; the script then re-runs itself with that venv's
Python. A baseline that cannot be installed is reported as unavailable.

The last line printed is `key=value` pairs for scripts.
"""

import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, "target", "bench", "venv")
PACKAGES = ["pyahocorasick", "flashtext"]


def have(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def ensure_packages():
    """Re-runs this script under target/bench/venv with the packages installed, if needed."""
    if have("ahocorasick") and have("flashtext"):
        return
    if os.environ.get("KEFU_BENCH_IN_VENV"):
        return  # already tried: go on with what there is
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        print(f"python_baselines: creating {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    for pkg in PACKAGES:
        module = "ahocorasick" if pkg == "pyahocorasick" else pkg
        probe = subprocess.run([py, "-c", f"import {module}"], capture_output=True)
        if probe.returncode != 0:
            print(f"python_baselines: pip install {pkg} into {VENV}", file=sys.stderr)
            r = subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", pkg])
            if r.returncode != 0:
                print(f"python_baselines: could not install {pkg}", file=sys.stderr)
    os.environ["KEFU_BENCH_IN_VENV"] = "1"
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


def load_patterns(path):
    if path:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    else:
        text = subprocess.run(
            ["cargo", "run", "--release", "-q", "-p", "kefu-lint", "--example", "bare_scan", "--", "--patterns"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    patterns = sorted({line for line in text.split("\n") if line})
    if not patterns:
        sys.exit("python_baselines: no patterns")
    return patterns


def read_text(path, max_mb):
    with open(path, "rb") as f:
        if max_mb:
            data = f.read(int(max_mb * 1_000_000))
            data += f.readline()
        else:
            data = f.read()
    return data


def version(dist):
    try:
        from importlib.metadata import version as v

        return v(dist)
    except Exception:
        return "?"


def compile_alternation(patterns):
    """One `re` alternation of the patterns, longest first (leftmost-longest)."""
    return re.compile("|".join(re.escape(p) for p in sorted(patterns, key=len, reverse=True)))


def bench_re(patterns, text):
    rx = compile_alternation(patterns)
    start = time.perf_counter()
    n = 0
    for _ in rx.finditer(text):
        n += 1
    return n, time.perf_counter() - start, "finditer, whole text"


def build_automaton(patterns):
    """A pyahocorasick `Automaton` of the patterns, each its own value."""
    import ahocorasick

    a = ahocorasick.Automaton()
    for p in patterns:
        a.add_word(p, p)
    a.make_automaton()
    return a


def bench_ahocorasick(patterns, text):
    a = build_automaton(patterns)
    how = "iter_long" if hasattr(a, "iter_long") else "iter"
    it = getattr(a, how)
    start = time.perf_counter()
    n = 0
    for _ in it(text):
        n += 1
    return n, time.perf_counter() - start, f"{how}, whole text, pyahocorasick {version('pyahocorasick')}"


def bench_flashtext(patterns, text):
    from flashtext import KeywordProcessor

    kp = KeywordProcessor(case_sensitive=True)
    for p in patterns:
        kp.add_keyword(p)
    start = time.perf_counter()
    n = len(kp.extract_keywords(text))
    return n, time.perf_counter() - start, f"extract_keywords, whole text, flashtext {version('flashtext')}"


BENCHES = {"re": bench_re, "ahocorasick": bench_ahocorasick, "flashtext": bench_flashtext}
MODULES = {"re": "re", "ahocorasick": "ahocorasick", "flashtext": "flashtext"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--patterns", help="file of patterns, one per line (default: export from bare_scan)")
    ap.add_argument("--max-mb", type=float, default=0, help="scan only the first N MB (default: all)")
    ap.add_argument("--only", default="re,ahocorasick,flashtext", help="comma-separated baselines to run")
    args = ap.parse_args()
    ensure_packages()

    patterns = load_patterns(args.patterns)
    t0 = time.perf_counter()
    data = read_text(args.file, args.max_mb)
    text = data.decode("utf-8")
    prep = time.perf_counter() - t0
    nbytes = len(data)
    print(
        f"python_baselines: {len(patterns)} patterns, {nbytes} bytes ({len(text)} characters) "
        f"read and decoded in {prep:.2f} s (not timed), Python {sys.version.split()[0]}",
        file=sys.stderr,
    )
    results = [f"bytes={nbytes}", f"patterns={len(patterns)}"]
    for name in args.only.split(","):
        if not have(MODULES[name]):
            print(f"{name:12s} unavailable (not installed)", file=sys.stderr)
            results.append(f"{name}_mb_per_s=n/a")
            continue
        n, secs, how = BENCHES[name](patterns, text)
        rate = nbytes / 1e6 / secs
        print(f"{name:12s} {rate:8.2f} MB/s  {n:9d} matches  {secs:7.2f} s  ({how})", file=sys.stderr)
        results += [f"{name}_mb_per_s={rate:.2f}", f"{name}_matches={n}", f"{name}_seconds={secs:.3f}"]
    print(" ".join(results))


if __name__ == "__main__":
    main()
