#!/usr/bin/env bash
# Runs one fuzz target for a while on one core, after building it if needed.
#
#   fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# TARGET: check triggers fix fix_file read_txt read_csv read_jsonl read_json read_xlsx pack config serve_request.
# The corpus grows in fuzz/corpus/TARGET (ignored by git), starting from the
# committed seeds in fuzz/seeds/; crashes and hangs go to fuzz/artifacts/TARGET/.
# libFuzzer runs in fork mode with one job, so it keeps going after a crash
# (each one is saved) and uses a single core. The log is fuzz/logs/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS] [libFuzzer flags]}
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))

case "$target" in
  check | triggers | fix) seeds=replies dict=replies ;;
  fix_file) seeds=fix_file dict=replies ;;
  read_json) seeds=read_json dict=read_jsonl ;; # the same JSON and reply tokens
  *) seeds=$target dict=$target ;;
esac
[ -d "seeds/$seeds" ] || { echo "no seeds for target $target" >&2; exit 2; }

if [ -z "${SKIP_BUILD:-}" ]; then   # SKIP_BUILD=1: run the binary already built
  if ! command -v cargo-fuzz > /dev/null; then
    cargo install --locked cargo-fuzz
  fi
  # -s none: no sanitizer, so no nightly-only flag; see docs/reliability.md.
  cargo fuzz build -s none "$target"
fi

mkdir -p "corpus/$target" "artifacts/$target" logs
bin=target/x86_64-unknown-linux-gnu/release/$target
dict=dicts/$dict.dict
set -x
"$bin" "corpus/$target" "seeds/$seeds" \
  -dict="$dict" \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" \
  -artifact_prefix="artifacts/$target/" \
  -print_final_stats=1 \
  "$@" 2>&1 | tee "logs/$target.log"
