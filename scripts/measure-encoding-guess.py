#!/usr/bin/env python3
"""How often `kefu-lint check` reads a one-word file in the right encoding.

Usage: python3 scripts/measure-encoding-guess.py SEED KEFU_LINT [KEFU_LINT ...]
(from the repository root, with ../shared/seeds beside it)

Cuts 300 words of one to three Han characters at random (seeded) from the
guideline documents in ../shared/seeds: 150 without a Traditional-only
character, each saved alone as GBK, and 150 with one (a key of
crates/kefu-lint/data/fold-t2s.tsv), each saved alone as Big5. Each file is
checked, and the encoding named by the `read as …` note (UTF-8 when there
is none) is compared with the one it was saved in. Prints, per binary, how
many of each were read right.
"""

import glob
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def words(seed):
    seeds = "".join(
        open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(ROOT, "..", "shared", "seeds", "*.txt")))
    )
    traditional = set()
    with open(os.path.join(ROOT, "crates", "kefu-lint", "data", "fold-t2s.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                traditional.add(line.split("\t")[0])
    runs = re.findall(r"[\u4e00-\u9fff]+", seeds)
    rng = random.Random(seed)
    gbk, big5 = [], []
    while len(gbk) < 150 or len(big5) < 150:
        run = rng.choice(runs)
        n = rng.randint(1, 3)
        if len(run) < n:
            continue
        i = rng.randint(0, len(run) - n)
        word = run[i : i + n]
        into, encoding = (big5, "big5") if any(c in traditional for c in word) else (gbk, "gbk")
        try:
            if len(into) < 150:
                into.append((word + "\n").encode(encoding))
        except UnicodeEncodeError:
            pass
    return gbk, big5


def read_as(binary, data, path):
    with open(path, "wb") as f:
        f.write(data)
    note = subprocess.run([binary, "check", "--no-config", path], capture_output=True).stderr.decode("utf-8", "replace")
    found = re.search(r"read as (GB18030|Big5)", note)
    return found.group(1) if found else "UTF-8"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.split("\n\n")[1])
    gbk, big5 = words(int(sys.argv[1]))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "word.txt")
        for binary in sys.argv[2:]:
            right_gbk = sum(read_as(binary, w, path) == "GB18030" for w in gbk)
            right_big5 = sum(read_as(binary, w, path) == "Big5" for w in big5)
            print(f"{binary}: GBK {right_gbk}/150, Big5 {right_big5}/150, {right_gbk + right_big5}/300")


if __name__ == "__main__":
    main()
