#!/usr/bin/env bash
# Every test of the project: the Rust workspace (unit, integration and doc
# tests, the README's and docs' examples, the fuzz regressions replayed), then
# the Python package (scripts/test-python.sh: mypy --strict, stubtest, pytest).
# Needs Rust, Python 3.9+ and PyPI; the Python tests' Spark job needs Java 17.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked
scripts/test-python.sh
