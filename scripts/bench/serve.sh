#!/usr/bin/env bash
# Load benchmark of `kefu-lint serve` (not a timed test): builds the release
# binary, starts the service on a free loopback port, and drives it with wrk
# (Debian's, apt-get installed here if missing) from the same machine:
#
#   POST /v1/check  with a typical reply, at 1, 16 and 64 connections;
#   GET  /healthz   the trivial endpoint of the same service, as the floor;
#
# each for DURATION seconds (default 5) with 2 wrk threads (1 at 1 connection),
# then POST /v1/check at 16 connections for 30 s with the service's RSS read
# at its start and end (growth per request would show there). Prints one
# Markdown table on stdout (also saved to target/bench/serve.md); progress on stderr.
#
#   scripts/bench/serve.sh            # 5 s per row, then the 30 s RSS run
#   DURATION=2 RSS_SECONDS=5 scripts/bench/serve.sh   # a quick look at the harness
#
# The load generator shares the machine's cores with the service: on a
# 2-core machine the figures are those of both together.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/serve.sh
duration=${DURATION:-5}
rss_seconds=${RSS_SECONDS:-30}
out=target/bench
mkdir -p "$out"
export CARGO_TERM_COLOR=never

if ! command -v wrk > /dev/null; then
  echo "== installing wrk (apt-get install wrk)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }
fi
echo "== cargo build --release -p kefu-lint-cli" >&2
cargo build --release --locked -p kefu-lint-cli >&2
bin=${CARGO_TARGET_DIR:-target}/release/kefu-lint

log=$out/serve.log
start_service "$bin" "$log"
echo "== service at $address (pid $server)" >&2

# The request: a typical reply with two findings (我不能, 你).
lua=$out/serve-check.lua
cat > "$lua" << 'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "亲，这个我不能给你改价哦，您可以先拍下，我帮您备注一下，有问题随时联系我们"}'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests, errors))
end
LUA
floor_lua=$out/serve-floor.lua
sed -n '/^done/,$p' "$lua" > "$floor_lua"
# The answer is checked once by hand, so that the load is of real checks, not errors.
curl -fsS -H 'Content-Type: application/json' \
  --data '{"text": "亲，这个我不能给你改价哦，您可以先拍下，我帮您备注一下，有问题随时联系我们"}' \
  "$address/v1/check" | grep -q '"rule":"KF' || { echo "POST /v1/check found nothing" >&2; exit 1; }

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }

# run PATH SCRIPT CONNECTIONS SECONDS -> "req/s p50 p99 requests errors"
run() {
  local threads=$(($3 < 2 ? 1 : 2))
  wrk -t"$threads" -c"$3" -d"$4s" --latency -s "$2" "$address$1" | sed -n 's/^RESULT //p'
}

table=$out/serve.md
{
  echo "| endpoint | connections | requests/s | p50 ms | p99 ms | requests | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for c in 1 16 64; do
    for endpoint in "POST /v1/check" "GET /healthz"; do
      echo "== $endpoint, $c connections, $duration s" >&2
      if [ "$endpoint" = "GET /healthz" ]; then r=$(run /healthz "$floor_lua" "$c" "$duration"); else r=$(run /v1/check "$lua" "$c" "$duration"); fi
      read -r rps p50 p99 n errors <<< "$r"
      echo "| \`$endpoint\` | $c | $rps | $p50 | $p99 | $n | $errors |"
    done
  done
  echo
  echo "== RSS over $rss_seconds s of POST /v1/check at 16 connections" >&2
  before=$(rss_kib)
  r=$(run /v1/check "$lua" 16 "$rss_seconds")
  after=$(rss_kib)
  read -r rps p50 p99 n errors <<< "$r"
  echo "RSS of the service over a ${rss_seconds} s run of \`POST /v1/check\` at 16 connections ($n requests, $errors errors," \
    "$rps requests/s): $((before / 1024)) MiB at its start ($before KiB), $((after / 1024)) MiB at its end ($after KiB)."
} | tee "$table"
