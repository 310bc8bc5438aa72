#!/usr/bin/env bash
# Fuzz smoke test for CI (.ci/run calls it after the tests): builds every
# fuzz target (cargo-fuzz / libFuzzer, on the stable toolchain), replays its
# saved regressions, then fuzzes it from its seeds for a fixed number of
# executions with a fixed random seed, a few seconds each. Exits non-zero on
# the first crash, panic, failed property or hang (an input taking over 10 s).
#
#   scripts/fuzz-smoke.sh                      # the counts below, seed 1
#   FUZZ_SMOKE_RUNS=100000 FUZZ_SMOKE_SEED=7 scripts/fuzz-smoke.sh
#
# A count rather than a time limit, and a fixed seed, so that a run does the
# same mutations however loaded the machine is, rather than exploring further
# when it happens to be fast. It is not bit-for-bit repeatable: the code under
# test hashes with per-process random keys (std's HashMap), so coverage, and
# with it which inputs libFuzzer keeps to mutate further, varies a little from
# run to run (see docs/reliability.md). A crash it reports is a real one; its
# input is kept.
#
# The targets are built unoptimised (--dev): on this 2-core machine the whole
# script took 3 min 42 s from a cold fuzz/target (3 min 2 s of it the build),
# with one core busy fuzzing; an optimised build takes 6-12 minutes, and a
# few seconds per target is about smoke, not throughput. No sanitizer (-s none): the
# project forbids unsafe code, and -s address needs a nightly-only flag (see
# docs/reliability.md). Long runs: fuzz/run.sh TARGET SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${FUZZ_SMOKE_SEED:-1}
targets=(check triggers fix fix_file read_txt read_csv read_jsonl read_json read_xlsx pack config render serve_request)
# Executions per target (its seeds included: check and fix have 1,005 seeds,
# the others 3 to 24), each about 5 s of the unoptimised build on this
# machine; pack and config are slowest (each input builds a linter);
# serve_request sends each input through the server's whole router.
declare -A runs=([check]=2500 [triggers]=2500 [fix]=2500 [fix_file]=1500 [read_txt]=2500 [read_csv]=800 [read_jsonl]=1200 [read_json]=800
  [read_xlsx]=700 [pack]=150 [config]=150 [render]=300 [serve_request]=600)
start=$(date +%s)

# (cargo finds subcommands in ~/.cargo/bin even when it is not on PATH.)
if ! cargo fuzz --version > /dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

echo "== cargo fuzz build -s none --dev"
# cargo-fuzz passes -Ccodegen-units=1; flags in RUSTFLAGS come after its own,
# so these win: parallel code generation and no debug info, for a quick build.
# --no-trace-compares: less instrumentation to compile (it helps long runs
# find magic values, not a smoke run of seconds).
# The fuzz crate always builds into fuzz/target (not CARGO_TARGET_DIR).
(cd fuzz && env -u CARGO_TARGET_DIR RUSTFLAGS="${RUSTFLAGS:-} -Ccodegen-units=16 -Cdebuginfo=0" \
  cargo fuzz build -s none --dev --no-trace-compares)
bin=fuzz/target/x86_64-unknown-linux-gnu/debug

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
  case "$t" in
    check | triggers | fix) seeds=replies dict=replies ;;
    fix_file) seeds=fix_file dict=replies ;;
    read_json) seeds=read_json dict=read_jsonl ;; # the same JSON and reply tokens
    *) seeds=$t dict=$t ;;
  esac
  if [ -d "fuzz/regressions/$t" ] && [ -n "$(ls -A "fuzz/regressions/$t")" ]; then
    echo "== $t: replaying fuzz/regressions/$t"
    "$bin/$t" -runs=0 "fuzz/regressions/$t" > "$work/$t.replay.log" 2>&1 || {
      cat "$work/$t.replay.log"
      echo "FAILED: $t crashes on a saved regression" >&2
      exit 1
    }
  fi
  n=${FUZZ_SMOKE_RUNS:-${runs[$t]}}
  echo "== $t: fuzzing, $n executions, seed $seed"
  mkdir -p "$work/corpus-$t" "$work/artifacts-$t"
  t0=$(date +%s)
  if ! "$bin/$t" "$work/corpus-$t" "fuzz/seeds/$seeds" \
    -dict="fuzz/dicts/$dict.dict" -seed="$seed" -runs="$n" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts-$t/" -print_final_stats=1 > "$work/$t.log" 2>&1; then
    tail -n 60 "$work/$t.log"
    mkdir -p fuzz/artifacts/"$t"
    cp "$work/artifacts-$t"/* fuzz/artifacts/"$t"/ 2> /dev/null || true
    echo "FAILED: fuzz target $t crashed; the input is in fuzz/artifacts/$t/ (minimize with" \
      "cargo fuzz tmin -s none $t FILE, then save it under fuzz/regressions/$t/)" >&2
    exit 1
  fi
  echo "   $(grep -E '^#[0-9]+' "$work/$t.log" | tail -n 1 | sed 's/ *lim:.*//'), $(($(date +%s) - t0)) s"
done
echo "fuzz smoke passed: ${#targets[@]} targets, seed $seed, $(($(date +%s) - start)) s in all"
