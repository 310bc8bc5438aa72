#!/usr/bin/env python3
"""Draws the sample of session-rule findings judged by hand in docs/sessions.md.

Usage: scripts/session-sample.py LOG FINDINGS SEED > sample.txt
  LOG       the chat log checked (JSON Lines with session, role, content)
  FINDINGS  `kefu-lint check --sessions --format jsonl LOG` output
  SEED      the random seed (docs/session-review.tsv says which)

Prints, for up to 40 findings of each session rule, the finding's line and
the messages of its session around it (the line marked >>).
"""
import collections
import json
import random
import sys

log_path, findings_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
messages = [json.loads(line) for line in open(log_path, encoding="utf-8")]
lines_of = collections.defaultdict(list)
for i, m in enumerate(messages):
    lines_of[m["session"]].append(i)
by_rule = collections.defaultdict(list)
for line in open(findings_path, encoding="utf-8"):
    f = json.loads(line)
    if f["rule"].startswith("KS"):
        by_rule[f["rule"]].append(f)
print({rule: len(found) for rule, found in sorted(by_rule.items())})
random.seed(seed)
for rule in ["KS003", "KS005", "KS007", "KS004"]:
    found = by_rule[rule]
    for f in sorted(random.sample(found, min(40, len(found))), key=lambda f: f["line"]):
        at = f["line"] - 1
        session = lines_of[messages[at]["session"]]
        if rule == "KS003":
            shown = [i for i in session if i <= at][:4]
        elif rule == "KS007":
            shown = [i for i in session if at - 2 <= i <= at]
        else:
            shown = [i for i in session if i >= session[-1] - 4]
        print(f"=== {rule} line {f['line']}")
        for i in shown:
            mark = ">>" if i == at else "  "
            print(f"{mark}{i + 1} {messages[i]['role'][:4]}: {messages[i]['content'][:120]}")
