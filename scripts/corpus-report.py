#!/usr/bin/env python3
"""Runs kefu-lint over every file in ../shared/corpus and reports findings per
rule and file, with the false-positive rate measured from a review file.

Usage (from the repository root):
    cargo build --release -p kefu-lint-cli
    python3 scripts/corpus-report.py                 # table (docs/accuracy.md)
    python3 scripts/corpus-report.py --show KF008    # every finding of a rule, for review
    python3 scripts/corpus-report.py --todo          # findings that still need a verdict

The review file (docs/corpus-review.tsv) holds one verdict per reviewed
finding: rule, file, line, matched text, TP or FP, and a note. It names corpus
lines by number and never copies them. Every finding of a rule with fewer than
30 findings is reviewed; of larger rules, at least 30 (every k-th finding).
"""
import argparse
import collections
import csv
import json
import pathlib
import subprocess

BIN = pathlib.Path("target/release/kefu-lint")
REVIEW = pathlib.Path("docs/corpus-review.tsv")
SAMPLE = 30


def findings(path: pathlib.Path):
    out = subprocess.run([BIN, "check", "--format", "json", "--fail-on", "error", path],
                         capture_output=True, check=False)
    if out.returncode == 2:
        raise SystemExit(out.stderr.decode())
    return json.loads(out.stdout)


def load_review():
    verdicts = {}
    if REVIEW.exists():
        rows = (r for r in REVIEW.read_text(encoding="utf-8").splitlines() if r and not r.startswith("#"))
        for rule, file, line, matched, verdict, note in csv.reader(rows, delimiter="\t"):
            verdicts[(rule, file, int(line), matched)] = (verdict, note)
    return verdicts


def required(items):
    """The findings of one rule that must be reviewed: all, or every k-th."""
    if len(items) < SAMPLE:
        return items
    step = len(items) // SAMPLE
    return items[::step]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--show", action="append", default=[])
    ap.add_argument("--todo", action="store_true")
    args = ap.parse_args()
    files = sorted(pathlib.Path(args.corpus).glob("*.txt"))
    by_rule = collections.defaultdict(list)
    lines = {}
    for f in files:
        text = f.read_text(encoding="utf-8").split("\n")
        lines[f.name] = sum(1 for t in text if t.strip())
        for item in findings(f):
            key = (item["rule"], f.name, item["line"], item["matched"])
            by_rule[(item["rule"], item["name"], item["severity"])].append((key, text[item["line"] - 1]))
            if item["rule"] in args.show:
                print(f"{item['rule']}\t{f.name}:{item['line']}\t[{item['matched']}]\t{text[item['line'] - 1][:120]}")
    if args.show:
        return
    verdicts = load_review()
    if args.todo:
        for items in by_rule.values():
            for key, reply in required(items):
                if key not in verdicts:
                    print("\t".join(map(str, key)) + "\t?\t" + reply[:100])
        return
    names = [f.name for f in files]
    print("| rule | severity | " + " | ".join(names) + " | total | reviewed | FP | FP rate |")
    print("|---|---|" + "---:|" * (len(names) + 4))
    print("| replies | | " + " | ".join(str(lines[n]) for n in names) + f" | {sum(lines.values())} | | | |")
    for (rule, name, sev), items in sorted(by_rule.items()):
        counts = collections.Counter(key[1] for key, _ in items)
        judged = [verdicts[key][0] for key, _ in items if key in verdicts]
        fp = judged.count("FP")
        rate = f"{fp / len(judged):.1%}" if judged else "n/a"
        missing = sum(1 for key, _ in required(items) if key not in verdicts)
        flag = f" ({missing} to review)" if missing else ""
        cells = " | ".join(str(counts.get(n, 0)) for n in names)
        print(f"| {rule} {name} | {sev} | {cells} | {len(items)} | {len(judged)}{flag} | {fp} | {rate} |")


if __name__ == "__main__":
    main()
