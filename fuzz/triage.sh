#!/usr/bin/env bash
# Groups the crash files of fuzz runs by where they panic.
#
#   fuzz/triage.sh [TARGET...]      # default: every target with artifacts
#
# Replays each file of fuzz/artifacts/TARGET/ with the built target and prints,
# per target, how many files panic at each location, with the smallest file.
set -uo pipefail
cd "$(dirname "$0")"
bin=target/x86_64-unknown-linux-gnu/release
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls artifacts 2> /dev/null))
for t in "${targets[@]}"; do
  [ -d "artifacts/$t" ] || continue
  echo "== $t: $(ls "artifacts/$t" | wc -l) files"
  for f in $(ls -S -r "artifacts/$t"); do
    where=$("$bin/$t" "artifacts/$t/$f" 2>&1 | grep -m1 -E "panicked at|ERROR: libFuzzer|timeout" |
      sed -E 's/.*panicked at ([^ ]+):.*/\1/; s/^==[0-9]+== //')
    echo "${where:-no crash on replay}	$f"
  done | sort -t$'\t' -k1,1 -s | awk -F'\t' '{n[$1]++; if (!($1 in s)) s[$1]=$2} END {for (k in n) printf "  %5d  %s  (smallest: %s)\n", n[k], k, s[k]}'
done
