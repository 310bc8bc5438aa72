#!/usr/bin/env python3
"""Time and peak memory of the release kefu-lint on hostile inputs of size N,
2N, 4N and 8N: one long line with many matches (or none) in several output
formats, and a TSV whose unquoted fields hold stray quotes. Prints a Markdown
table; "growth" is the 8N time over the N time (linear is 8).

    cargo build --release -p kefu-lint-cli
    python3 scripts/bench/scaling.py [PATH-TO-kefu-lint]

Needs GNU time (/usr/bin/time). Inputs go to a temporary directory.
"""
import os
import subprocess
import sys
import tempfile

EXE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/kefu-lint")

# (name, how to write the input of size n, the arguments after `check --no-config`, sizes)
# One line stays under the 1 MiB a line may be (3 bytes a character).
LINE_SIZES = (10_000, 20_000, 40_000, 80_000)
CASES = [
    ("'但是'×N, --statistics", lambda n: "但是" * n + "\n", ["--statistics"], LINE_SIZES),
    ("'但是'×N, json", lambda n: "但是" * n + "\n", ["--format", "json"], LINE_SIZES),
    ("'但是'×N, human", lambda n: "但是" * n + "\n", [], LINE_SIZES),
    ("'保证金'×N (no finding)", lambda n: "保证金" * n + "\n", ["--statistics"], LINE_SIZES),
    ("'你好，'×N, sarif", lambda n: "你好，" * n + "\n", ["--format", "sarif"], LINE_SIZES),
    ("'你 你'×N, --diff", lambda n: "你 你" * n + "\n", ["--diff"], LINE_SIZES),
    (
        "TSV rows with a stray quote, N rows",
        lambda n: "分组\t短语\n" + '售前\t他说"好的,但是不能改价\n' * n,
        ["--statistics"],
        (500_000, 1_000_000, 2_000_000, 4_000_000),
    ),
]


def measure(path, args):
    """Seconds and peak RSS (MB) of one run."""
    r = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", EXE, "check", "--no-config", *args, path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds, kb = r.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024


def main():
    print("| input | N | 2N | 4N | 8N | growth (8N/N) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for name, make, args, sizes in CASES:
            ext = "tsv" if "TSV" in name else "txt"
            cells, times = [], []
            for n in sizes:
                path = os.path.join(d, f"in.{ext}")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(make(n))
                seconds, mb = measure(path, args)
                times.append(seconds)
                cells.append(f"{seconds:.2f} s, {mb:.0f} MB")
            growth = times[-1] / max(times[0], 0.01)
            print(f"| {name} (N = {sizes[0]:,}) | " + " | ".join(cells) + f" | {growth:.1f} |")


if __name__ == "__main__":
    main()
