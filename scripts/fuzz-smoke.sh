#!/usr/bin/env bash
# Fuzz smoke test for CI: builds every fuzz target (cargo-fuzz / libFuzzer, on
# the stable toolchain) and runs each for a few seconds from its seeds, after
# replaying its saved regressions. Exits non-zero on the first crash, panic,
# failed property or hang (an input taking over 10 s).
#
#   scripts/fuzz-smoke.sh              # 5 s per target
#   FUZZ_SMOKE_SECONDS=30 scripts/fuzz-smoke.sh
#
# The targets are built unoptimised (--dev): on this 2-core machine the whole
# script took 3 min 42 s from a cold fuzz/target (3 min 2 s of it the build),
# with one core busy fuzzing; an optimised build takes 6-12 minutes, and 5 s
# per target is about smoke, not throughput. No sanitizer (-s none): the
# project forbids unsafe code, and -s address needs a nightly-only flag (see
# docs/reliability.md). Long runs: fuzz/run.sh TARGET SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SMOKE_SECONDS:-5}
targets=(check fix read_txt read_csv read_jsonl read_xlsx pack config)
start=$(date +%s)

if ! command -v cargo-fuzz > /dev/null; then
  echo "== installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

echo "== cargo fuzz build -s none --dev"
# cargo-fuzz passes -Ccodegen-units=1; flags in RUSTFLAGS come after its own,
# so these win: parallel code generation and no debug info, for a quick build.
# --no-trace-compares: less instrumentation to compile (it helps long runs
# find magic values, not a 5 s smoke run).
(cd fuzz && RUSTFLAGS="${RUSTFLAGS:-} -Ccodegen-units=16 -Cdebuginfo=0" cargo fuzz build -s none --dev --no-trace-compares)
bin=fuzz/target/x86_64-unknown-linux-gnu/debug

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
  case "$t" in
    check | fix) seeds=replies ;;
    *) seeds=$t ;;
  esac
  if [ -d "fuzz/regressions/$t" ] && [ -n "$(ls -A "fuzz/regressions/$t")" ]; then
    echo "== $t: replaying fuzz/regressions/$t"
    "$bin/$t" -runs=0 "fuzz/regressions/$t" > "$work/$t.replay.log" 2>&1 || {
      cat "$work/$t.replay.log"
      echo "FAILED: $t crashes on a saved regression" >&2
      exit 1
    }
  fi
  echo "== $t: fuzzing ${seconds}s"
  mkdir -p "$work/corpus-$t" "$work/artifacts-$t"
  if ! "$bin/$t" "$work/corpus-$t" "fuzz/seeds/$seeds" \
    -dict="fuzz/dicts/$seeds.dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts-$t/" -print_final_stats=1 > "$work/$t.log" 2>&1; then
    tail -n 60 "$work/$t.log"
    mkdir -p fuzz/artifacts/"$t"
    cp "$work/artifacts-$t"/* fuzz/artifacts/"$t"/ 2> /dev/null || true
    echo "FAILED: fuzz target $t crashed; the input is in fuzz/artifacts/$t/ (minimize with" \
      "cargo fuzz tmin -s none $t FILE, then save it under fuzz/regressions/$t/)" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$work/$t.log" | tail -n 1 || true
done
echo "fuzz smoke passed: ${#targets[@]} targets, ${seconds}s each, $(($(date +%s) - start))s in all"
