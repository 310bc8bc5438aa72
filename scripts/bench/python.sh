#!/usr/bin/env bash
# The Python package's benchmark: kefu_lint (Linter.check, check_many on 1
# and on all threads, single-call latency) beside pyahocorasick and `re`
# loops over the same replies, and the Spark QA job in local[2] beside
# `kefu-lint check`. Prints one Markdown table (also saved to
# target/bench/python.md); progress goes to stderr.
#
#   scripts/bench/python.sh [ARGS]   ARGS go to scripts/bench/python_bench.py
#                                    (--size-mb N, --calls N, --repeat N, --no-spark)
#
# Sets up target/bench/py-venv: the packages of
# crates/kefu-lint-py/requirements-test.txt, pyahocorasick, and kefu_lint
# built from crates/kefu-lint-py (a release build by maturin; set
# KEFU_BENCH_SKIP_INSTALL=1 to keep the one installed). Builds the release
# CLI (cargo build --release -p kefu-lint-cli) and exports the built-in
# rules' literal patterns with the bare_scan example. Needs cargo, python3
# with venv, Java 17 (for Spark).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=$ROOT/target/bench
VENV=$B/py-venv
mkdir -p "$B"
log() { printf '[python.sh %s] %s\n' "$(date +%T)" "$*" >&2; }

if [[ ! -x $VENV/bin/python ]]; then
  log "creating $VENV"
  python3 -m venv "$VENV"
fi
log "installing the test requirements and pyahocorasick into $VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r crates/kefu-lint-py/requirements-test.txt pyahocorasick==2.3.1 >&2
if [[ -z ${KEFU_BENCH_SKIP_INSTALL:-} ]] || ! "$VENV/bin/python" -c 'import kefu_lint' 2>/dev/null; then
  log "building and installing kefu_lint from crates/kefu-lint-py (release)"
  CARGO_TARGET_DIR=$ROOT/target/py-bench-build "$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps ./crates/kefu-lint-py >&2
fi

log "building the release CLI"
cargo build -q --release --locked -p kefu-lint-cli --bin kefu-lint >&2
log "exporting the built-in rules' patterns"
cargo run -q --locked -p kefu-lint --example bare_scan -- --patterns >"$B/patterns.txt"

"$VENV/bin/python" scripts/bench/python_bench.py --patterns "$B/patterns.txt" --kefu-lint "$ROOT/target/release/kefu-lint" "$@" |
  tee "$B/python.md"
log "saved target/bench/python.md"
