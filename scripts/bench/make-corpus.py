#!/usr/bin/env python3
"""Builds a benchmark input of about SIZE_MB megabytes (10^6 bytes).

Usage: scripts/bench/make-corpus.py OUT SIZE_MB [--seed N] [--split-dir DIR --files N]

The replies are the real ones in ../shared/corpus/*.txt (relative to the
repository root; they are read, never copied into the repository). Every
non-empty line is one reply. The pool of replies is repeated until the output
reaches SIZE_MB, each repetition shuffled with a fixed seed, one reply per line,
UTF-8 with LF line endings. The output is deterministic for a given corpus,
size and seed.

With --split-dir DIR --files N, OUT (which must already exist, or is made
first) is also cut at line boundaries into N files of about equal size,
DIR/part-000.txt ... , for the many-files benchmark.

Outputs belong under target/bench/ (ignored by git).
"""

import argparse
import glob
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")


def load_replies(corpus_dir):
    files = sorted(glob.glob(os.path.join(corpus_dir, "*.txt")))
    if not files:
        sys.exit(f"make-corpus: no *.txt under {os.path.normpath(corpus_dir)}")
    replies = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip("\r\n").lstrip("\ufeff")
                if line.strip():
                    replies.append(line.encode("utf-8") + b"\n")
    return files, replies


def make(out, size_mb, seed, corpus_dir):
    files, replies = load_replies(corpus_dir)
    target = int(size_mb * 1_000_000)
    rng = random.Random(seed)
    os.makedirs(os.path.dirname(os.path.abspath(out)) or ".", exist_ok=True)
    written = lines = rounds = 0
    tmp = out + ".tmp"
    with open(tmp, "wb", buffering=1 << 20) as f:
        order = list(replies)
        while written < target:
            rng.shuffle(order)
            rounds += 1
            chunk = []
            for r in order:
                chunk.append(r)
                written += len(r)
                lines += 1
                if written >= target:
                    break
            f.write(b"".join(chunk))
    os.replace(tmp, out)
    print(
        f"make-corpus: {out}: {written} bytes, {lines} replies "
        f"({len(replies)} distinct lines from {len(files)} files, {rounds} shuffled rounds, seed {seed})",
        file=sys.stderr,
    )


def split(src, out_dir, n):
    size = os.path.getsize(src)
    per = max(1, size // n)
    os.makedirs(out_dir, exist_ok=True)
    for old in glob.glob(os.path.join(out_dir, "part-*.txt")):
        os.remove(old)
    part = 0
    with open(src, "rb") as f:
        while True:
            block = f.read(per)
            if not block:
                break
            if part < n - 1:
                block += f.readline()  # finish the line
            else:
                block += f.read()  # last file takes the rest
            with open(os.path.join(out_dir, f"part-{part:03d}.txt"), "wb") as o:
                o.write(block)
            part += 1
    print(f"make-corpus: {out_dir}: {part} files of about {per} bytes", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("size_mb", type=float)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--corpus", default=CORPUS, help="directory of *.txt replies (default ../shared/corpus)")
    ap.add_argument("--split-dir", help="also cut OUT into --files files in this directory")
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--force", action="store_true", help="rebuild OUT even if it has the right size")
    args = ap.parse_args()
    target = int(args.size_mb * 1_000_000)
    # Reuse an existing output of the right size (the same inputs give the same bytes).
    if args.force or not os.path.exists(args.out) or not (target <= os.path.getsize(args.out) < target + 4096):
        make(args.out, args.size_mb, args.seed, args.corpus)
    else:
        print(f"make-corpus: {args.out}: up to date ({os.path.getsize(args.out)} bytes)", file=sys.stderr)
    if args.split_dir:
        split(args.out, args.split_dir, args.files)


if __name__ == "__main__":
    main()
