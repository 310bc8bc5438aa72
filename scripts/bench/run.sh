#!/usr/bin/env bash
# THE benchmark command for kefu-lint: builds release binaries, makes the
# inputs, measures the library, the CLI, the bare Aho-Corasick floor and the
# Python baselines, and prints one Markdown table (also saved to
# target/bench/results.md). Progress goes to stderr, the table to stdout.
#
#   scripts/bench/run.sh           full run (~100 MB and ~1 GB inputs; under ~10 min on 2 cores)
#   scripts/bench/run.sh --quick   small inputs, one repetition: for checking the harness
#
# Inputs are built from ../shared/corpus/*.txt (scripts/bench/make-corpus.py)
# under target/bench/, which git ignores. MB = 10^6 bytes throughout.
# Needs: cargo, python3 (with venv; pyahocorasick and flashtext are pip-installed
# into target/bench/venv on first use), GNU time (apt-get install time, done here
# if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=$ROOT/target/bench
RAW=$B/raw.txt
mkdir -p "$B"
: >"$RAW"
export CARGO_TERM_COLOR=never

QUICK=0
case "${1:-}" in
  --quick) QUICK=1 ;;
  "") ;;
  -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac
if ((QUICK)); then
  SIZE_MB=10 BIG_MB=50 FILES=20 REPS=1 STARTUP_RUNS=50 CALLS=100000 CRITERION_ARGS=(--quick)
else
  SIZE_MB=100 BIG_MB=1000 FILES=100 REPS=3 STARTUP_RUNS=200 CALLS=200000 CRITERION_ARGS=()
fi

START=$EPOCHREALTIME
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
put() { printf '%s=%s\n' "$1" "$2" >>"$RAW"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }
# put_kv PREFIX "k=v k=v ..."
put_kv() {
  local kv
  for kv in $2; do put "$1${kv%%=*}" "${kv#*=}"; done
}

# --- tools -----------------------------------------------------------------
if ! /usr/bin/time -v true >/dev/null 2>&1; then
  log "installing GNU time (apt-get install -y time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y time >&2 || { apt-get update >&2 && apt-get install -y time >&2; }
fi

# --- build -----------------------------------------------------------------
log "building release binaries"
cargo build --release --locked -p kefu-lint-cli --bin kefu-lint >&2
cargo build --release --locked -p kefu-lint --example bare_scan >&2
cargo bench --locked -p kefu-lint --bench check --no-run >&2
put build_seconds "$(elapsed "$START" "$EPOCHREALTIME")"
KL=$ROOT/target/release/kefu-lint
SCAN=$ROOT/target/release/examples/bare_scan

put quick "$QUICK"
put date "$(date -u '+%Y-%m-%d %H:%M UTC')"
put commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- crates rules Cargo.lock 2>/dev/null || echo ' + uncommitted changes')"
put cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
put cores "$(nproc)"
put rustc "$(rustc -V)"
put python "$(python3 -V 2>&1)"
put load_start "$(cut -d' ' -f1-3 /proc/loadavg)"

# --- inputs ----------------------------------------------------------------
log "making inputs: ${SIZE_MB} MB (and ${FILES} files), ${BIG_MB} MB"
FILE=$B/corpus-${SIZE_MB}mb.txt
DIR=$B/files-${SIZE_MB}mb
BIG=$B/corpus-${BIG_MB}mb.txt
python3 scripts/bench/make-corpus.py "$FILE" "$SIZE_MB" --split-dir "$DIR" --files "$FILES"
python3 scripts/bench/make-corpus.py "$BIG" "$BIG_MB"
put size_mb "$SIZE_MB"
put big_mb "$BIG_MB"
put files "$(find "$DIR" -name '*.txt' | wc -l)"
put file_bytes "$(stat -c %s "$FILE")"
put dir_bytes "$(find "$DIR" -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')"
put big_bytes "$(stat -c %s "$BIG")"
put file_lines "$(wc -l <"$FILE")"
"$SCAN" --patterns >"$B/patterns.txt"

HAS_THREADS=0
if "$KL" check --help 2>/dev/null | grep -q -- '--threads'; then HAS_THREADS=1; fi
# KEFU_BENCH_NO_THREADS=1 pretends the flag is missing (to test that path).
[[ -z ${KEFU_BENCH_NO_THREADS:-} ]] || HAS_THREADS=0
put has_threads "$HAS_THREADS"
log "kefu-lint check --threads: $( ((HAS_THREADS)) && echo supported || echo 'not supported (rows marked n/a)')"

# --- library (criterion + single-call percentiles) -------------------------
log "library: cargo bench -p kefu-lint --bench check"
rm -rf "$B/criterion"
CRITERION_HOME=$B/criterion KEFU_BENCH_CORPUS=$FILE KEFU_BENCH_SUMMARY=$B/lib-summary.txt KEFU_BENCH_CALLS=$CALLS \
  cargo bench --locked -p kefu-lint --bench check -- "${CRITERION_ARGS[@]}" >"$B/lib-bench.txt" 2>&1 || {
  cat "$B/lib-bench.txt" >&2
  exit 1
}
grep -E '^(slice|check/|  *time|  *thrpt|timer|typical|real)' "$B/lib-bench.txt" >&2 || true

# --- bare Aho-Corasick floor -----------------------------------------------
log "bare Aho-Corasick scan (best of $REPS)"
put_kv bare_ "$("$SCAN" "$FILE" --repeat "$REPS" 2>/dev/null | tail -1)"
put_kv bare_dfa_ "$("$SCAN" "$FILE" --repeat "$REPS" --kind dfa 2>/dev/null | tail -1)"

# --- Python baselines ------------------------------------------------------
log "Python baselines (re, pyahocorasick, flashtext) over the ${SIZE_MB} MB file"
put_kv py_ "$(python3 scripts/bench/python_baselines.py "$FILE" --patterns "$B/patterns.txt" | tail -1)"

# --- CLI -------------------------------------------------------------------
# cli KEY THREADS PATH...: best wall time of $REPS runs (or RUNS=n) and that run's
# CPU time (user + system), peak RSS over the runs.
# THREADS is 1, 2, or "default" (no --threads flag).
cli() {
  local key=$1 threads=$2
  shift 2
  local targs=() best="" cpu="" rss=0 status=0 t0 t1 wall r c i
  [[ $threads == default ]] || targs=(--threads "$threads")
  for ((i = 1; i <= ${RUNS:-$REPS}; i++)); do
    t0=$EPOCHREALTIME
    set +e
    /usr/bin/time -v -o "$B/time.txt" "$KL" check --no-config --statistics "${targs[@]}" "$@" >"$B/$key.out" 2>"$B/$key.err"
    status=$?
    set -e
    t1=$EPOCHREALTIME
    wall=$(elapsed "$t0" "$t1")
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$B/time.txt")
    c=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$B/time.txt")
    ((r > rss)) && rss=$r
    if [[ -z $best ]] || awk -v w="$wall" -v b="$best" 'BEGIN { exit !(w < b) }'; then best=$wall cpu=$c; fi
    log "  $key run $i: ${wall} s wall, ${c} s CPU, ${r} KB, exit $status"
  done
  put "${key}_cpu_seconds" "$cpu"
  ((status <= 1)) || log "warning: $key exited $status: $(tail -1 "$B/$key.err")"
  put "${key}_seconds" "$best"
  put "${key}_rss_kb" "$rss"
  put "${key}_status" "$status"
  put "${key}_threads" "$threads"
  put "${key}_summary" "$(tail -1 "$B/$key.err")"
}

# same KEY FILE FILE: whether two runs printed the same statistics.
same() { if cmp -s "$2" "$3"; then put "$1" yes; else put "$1" no; fi; }

T1=1
((HAS_THREADS)) || T1=default
log "CLI, one ${SIZE_MB} MB file (best of $REPS)"
cli cli_t1 "$T1" "$FILE"
if ((HAS_THREADS)); then
  cli cli_t2 2 "$FILE"
  same cli_t2_same "$B/cli_t1.out" "$B/cli_t2.out"
fi
log "CLI, the same bytes in ${FILES} files in a directory (best of $REPS)"
cli dir_t1 "$T1" "$DIR"
if ((HAS_THREADS)); then
  cli dir_t2 2 "$DIR"
  same dir_t2_same "$B/dir_t1.out" "$B/dir_t2.out"
fi
same dir_t1_same "$B/cli_t1.out" "$B/dir_t1.out"

log "CLI start-up: echo 您好 | kefu-lint check --no-config, $STARTUP_RUNS runs"
printf '您好\n' | "$KL" check --no-config >/dev/null 2>&1 || true
t0=$EPOCHREALTIME
for ((i = 0; i < STARTUP_RUNS; i++)); do printf '您好\n' | "$KL" check --no-config >/dev/null 2>&1 || true; done
t1=$EPOCHREALTIME
put startup_seconds "$(elapsed "$t0" "$t1")"
t0=$EPOCHREALTIME
for ((i = 0; i < STARTUP_RUNS; i++)); do printf '您好\n' | /bin/true >/dev/null 2>&1 || true; done
t1=$EPOCHREALTIME
put spawn_seconds "$(elapsed "$t0" "$t1")"
put startup_runs "$STARTUP_RUNS"
printf '您好\n' | /usr/bin/time -v -o "$B/time.txt" "$KL" check --no-config >/dev/null 2>&1 || true
put startup_rss_kb "$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$B/time.txt")"

TBIG=$T1
((HAS_THREADS)) && TBIG=2
log "CLI, ${BIG_MB} MB file, threads $TBIG, one run (peak RSS)"
RUNS=1 cli big "$TBIG" "$BIG"

put load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
put total_seconds "$(elapsed "$START" "$EPOCHREALTIME")"

python3 scripts/bench/report.py "$RAW" "$B/criterion" "$B/lib-summary.txt" | tee "$B/results.md"
log "saved target/bench/results.md (raw figures: target/bench/raw.txt)"
