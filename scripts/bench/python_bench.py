#!/usr/bin/env python3
"""The Python package's speed, side by side in one run on the same replies.

Usage: scripts/bench/python_bench.py --patterns FILE [--size-mb N] [--calls N]
           [--repeat N] [--kefu-lint BIN] [--no-spark]

Run it through scripts/bench/python.sh, which makes its virtual environment
(kefu_lint built from crates/kefu-lint-py, pyahocorasick, pyspark), the
pattern list and the release CLI, then calls this script.

The replies: the real ones in ../shared/corpus/*.txt, repeated and shuffled
by scripts/bench/make-corpus.py into target/bench/corpus-<N>mb.txt, one reply
per line; read into one list of `str` before any timing. MB is 10^6 bytes of
the replies' UTF-8 (line ends not counted). Each row goes over the whole list:

  Linter.check loop        for r in replies: linter.check(r)
  check_many, 1 thread     linter.check_many(replies, threads=1)
  check_many, all threads  linter.check_many(replies)  (one thread per core)
  pyahocorasick loop       for r in replies: iter_long(r)  (leftmost-longest)
  re alternation loop      for r in replies: rx.finditer(r)

Each row is the fastest of --repeat runs (default 3).

The two baselines match the literal patterns of the built-in rules (--patterns,
one per line, built as scripts/bench/python_baselines.py builds them) and do
nothing else; kefu-lint also folds, applies exceptions and builds findings.
Their counts are matches, kefu-lint's are findings.

Single-call latency: `linter.check` of one 40-character reply of the list,
--calls times, each call timed with time.perf_counter_ns (the timer's own
cost, measured the same way, is printed beside it).

Spark: the same replies as a JSON Lines chat log (session, role "agent",
content), checked by examples/python/spark_qa.py in local[2] in this process
(session start-up timed apart; the first run in the session, when the Python
workers start and the JVM is cold, and the fastest of --repeat more), beside
`kefu-lint check --statistics` of the same file (a new process each run, the
CLI's default threads: one per core).

Prints one Markdown table on standard output; progress goes to standard error.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(ROOT, "target", "bench")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))

import python_baselines  # noqa: E402

MB = 1_000_000


def log(msg):
    print(f"[python_bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_replies(size_mb):
    """The replies of make-corpus.py's SIZE_MB output, as a list of str."""
    path = os.path.join(BENCH, f"corpus-{size_mb:g}mb.txt")
    subprocess.run([sys.executable, os.path.join(HERE, "make-corpus.py"), path, str(size_mb)], check=True)
    with open(path, encoding="utf-8") as f:
        return path, f.read().splitlines()


def timed(fn):
    """(result, seconds) of fn()."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def best_of(repeat, fn):
    """(result, fewest seconds) of `repeat` runs of fn()."""
    runs = [timed(fn) for _ in range(repeat)]
    return runs[0][0], min(secs for _, secs in runs)


def check_loop(linter, replies):
    n = 0
    for r in replies:
        n += len(linter.check(r))
    return n


def check_many(linter, replies, threads):
    return sum(map(len, linter.check_many(replies, threads=threads)))


def ahocorasick_loop(automaton, replies):
    it = automaton.iter_long
    n = 0
    for r in replies:
        for _ in it(r):
            n += 1
    return n


def re_loop(rx, replies):
    finditer = rx.finditer
    n = 0
    for r in replies:
        for _ in finditer(r):
            n += 1
    return n


def latency(linter, reply, calls):
    """(p50, p99, timer p50) in nanoseconds of `linter.check(reply)` over `calls` calls."""
    clock = time.perf_counter_ns
    check = linter.check
    for _ in range(min(calls, 10_000)):  # warm up
        check(reply)
    samples = []
    for _ in range(calls):
        t0 = clock()
        check(reply)
        samples.append(clock() - t0)
    empty = []
    for _ in range(calls):
        t0 = clock()
        empty.append(clock() - t0)
    q = statistics.quantiles(samples, n=100)
    return q[49], q[98], statistics.median(empty)


def write_chat_log(replies, path):
    with open(path, "w", encoding="utf-8") as f:
        for i, r in enumerate(replies):
            f.write(json.dumps({"session": f"s{i // 10}", "role": "agent", "content": r}, ensure_ascii=False))
            f.write("\n")


def spark_rows(replies, kefu_lint_bin, repeat):
    """Times the Spark job in local[2] (its first run in a new session, then the
    best of `repeat` more) and the CLI (best of `repeat`) on the same chat
    log; table rows."""
    import spark_qa
    from pyspark.sql import SparkSession

    chat = os.path.join(BENCH, "python-bench-chat.jsonl")
    out = os.path.join(BENCH, "python-bench-findings.parquet")
    write_chat_log(replies, chat)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    log("Spark: starting a local[2] session")
    spark, startup = timed(
        lambda: SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false").getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    log(f"Spark: job over {chat}")
    _, cold = timed(lambda: spark_qa.run(spark, chat, out, overwrite=True))
    _, warm = best_of(repeat, lambda: spark_qa.run(spark, chat, out, overwrite=True))
    spark_findings = spark.read.parquet(out).count()
    spark.stop()
    log(f"CLI: {kefu_lint_bin} check --statistics --format json")
    proc, cli = best_of(
        repeat,
        lambda: subprocess.run(
            [kefu_lint_bin, "check", "--no-config", "--agent-role", "agent", "--statistics", "--format", "json", chat],
            capture_output=True,
            text=True,
        )
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"python_bench: kefu-lint check failed: {proc.stderr.strip()}")
    cli_findings = json.loads(proc.stdout)["totals"]["findings"]
    return [
        ("Spark job, local[2], first run in a new session (examples/python/spark_qa.py)", cold, spark_findings),
        ("Spark job, local[2], again in the same session", warm, spark_findings),
        (f"Spark session start-up (in neither row above): {startup:.1f} s", None, None),
        (f"`kefu-lint check` of the same chat log ({os.cpu_count()} threads, process start included)", cli, cli_findings),
    ], os.path.getsize(chat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patterns", required=True, help="the built-in rules' literal patterns, one per line")
    ap.add_argument("--size-mb", type=float, default=10, help="MB of replies (default 10)")
    ap.add_argument("--calls", type=int, default=200_000, help="calls for the latency percentiles")
    ap.add_argument("--kefu-lint", default=os.path.join(ROOT, "target", "release", "kefu-lint"), help="CLI binary")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each row; the fastest counts (default 3)")
    ap.add_argument("--no-spark", action="store_true", help="leave out the Spark and CLI rows")
    args = ap.parse_args()

    import kefu_lint

    corpus, replies = load_replies(args.size_mb)
    nbytes = sum(len(r.encode("utf-8")) for r in replies)
    patterns = python_baselines.load_patterns(args.patterns)
    linter = kefu_lint.Linter()
    automaton = python_baselines.build_automaton(patterns)
    rx = python_baselines.compile_alternation(patterns)
    cores = os.cpu_count()
    log(f"{len(replies)} replies, {nbytes} bytes, {len(patterns)} patterns, {cores} cores")

    runs = [
        ("`Linter.check` in a Python loop", lambda: check_loop(linter, replies)),
        ("`Linter.check_many`, 1 thread", lambda: check_many(linter, replies, 1)),
        (f"`Linter.check_many`, all threads ({cores})", lambda: check_many(linter, replies, None)),
        ("pyahocorasick `iter_long` loop (matches only)", lambda: ahocorasick_loop(automaton, replies)),
        ("`re` alternation `finditer` loop (matches only)", lambda: re_loop(rx, replies)),
    ]
    results = []
    for name, fn in runs:
        log(name)
        count, secs = best_of(args.repeat, fn)
        results.append((name, secs, count))
    base = next(secs for name, secs, _ in results if name.startswith("pyahocorasick"))

    reply40 = next((r for r in replies if len(r) == 40), None)
    if reply40 is None:
        sys.exit("python_bench: no 40-character reply in the corpus")
    log(f"latency: {args.calls} calls of check on a 40-character reply")
    p50, p99, timer = latency(linter, reply40, args.calls)

    spark = []
    if not args.no_spark:
        spark, chat_bytes = spark_rows(replies, args.kefu_lint, args.repeat)

    load = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
    print(f"Replies: {len(replies)} ({nbytes / MB:.1f} MB) from {os.path.relpath(corpus, ROOT)}; "
          f"{len(patterns)} patterns for the baselines. kefu-lint {python_baselines.version('kefu-lint')}, "
          f"Python {platform.python_version()}, pyahocorasick {python_baselines.version('pyahocorasick')}, "
          f"pyspark {python_baselines.version('pyspark')}, "
          f"{cores} cores, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, load {load}.")
    print()
    print("| run | replies/s | MB/s | × pyahocorasick | findings / matches | seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, secs, count in results:
        print(f"| {name} | {len(replies) / secs:,.0f} | {nbytes / MB / secs:.1f} | "
              f"{base / secs:.2f} | {count:,} | {secs:.2f} |")
    for name, secs, count in spark:
        if secs is None:
            print(f"| {name} | | | | | |")
        else:
            print(f"| {name} | {len(replies) / secs:,.0f} | {nbytes / MB / secs:.1f} | "
                  f"{base / secs:.2f} | {count:,} | {secs:.2f} |")
    print()
    print(f"Single `Linter.check` of a 40-character reply ({len(reply40.encode('utf-8'))} bytes), "
          f"{args.calls:,} calls: p50 {p50 / 1000:.2f} µs, p99 {p99 / 1000:.2f} µs "
          f"(the timer alone: {timer / 1000:.2f} µs, included).")
    if spark:
        print(f"The Spark and CLI rows read the same replies as a {chat_bytes / MB:.1f} MB JSON Lines chat log; "
              "MB/s counts the replies' bytes as above.")


if __name__ == "__main__":
    main()
