#!/usr/bin/env python3
"""Runs kefu-lint over every file in ../shared/corpus and prints findings per
rule and file. With --show RULE, prints every finding of that rule (reply and
matched text) for review.

Usage (from the repository root):
    cargo build --release -p kefu-lint-cli
    python3 scripts/corpus-report.py [--corpus ../shared/corpus] [--show KF008]
"""
import argparse
import collections
import json
import pathlib
import subprocess

BIN = pathlib.Path("target/release/kefu-lint")


def findings(path: pathlib.Path):
    out = subprocess.run([BIN, "check", "--format", "json", "--fail-on", "error", path],
                         capture_output=True, check=False)
    if out.returncode == 2:
        raise SystemExit(out.stderr.decode())
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--show", action="append", default=[])
    args = ap.parse_args()
    files = sorted(pathlib.Path(args.corpus).glob("*.txt"))
    table = collections.defaultdict(collections.Counter)
    lines = {}
    for f in files:
        text = f.read_text(encoding="utf-8").split("\n")
        lines[f.name] = sum(1 for t in text if t.strip())
        for item in findings(f):
            table[(item["rule"], item["name"], item["severity"])][f.name] += 1
            if item["rule"] in args.show:
                reply = text[item["line"] - 1]
                print(f"{item['rule']}\t{f.name}:{item['line']}\t[{item['matched']}]\t{reply[:120]}")
    if args.show:
        return
    names = [f.name for f in files]
    print("| rule | severity | " + " | ".join(names) + " | total |")
    print("|---|---|" + "---:|" * (len(names) + 1))
    print("| replies | | " + " | ".join(str(lines[n]) for n in names) + f" | {sum(lines.values())} |")
    for (rule, name, sev), counts in sorted(table.items()):
        cells = " | ".join(str(counts.get(n, 0)) for n in names)
        print(f"| {rule} {name} | {sev} | {cells} | {sum(counts.values())} |")


if __name__ == "__main__":
    main()
