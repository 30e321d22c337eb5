#!/usr/bin/env bash
# Fuzzes for a total of SECONDS (default 3600) at the lowest priority. The fuzzer stops at
# a hang or memory finding (exit 3, the input is in fuzz/crashes/); this starts it again
# with the next seed for the time left. Usage: fuzz/run-for.sh [SECONDS] [FIRST_SEED]
set -u
cd "$(dirname "$0")/.."
cargo build --release --locked --example fuzz || exit 1
exe="${CARGO_TARGET_DIR:-target}/release/examples/fuzz"
total=${1:-3600}
seed=${2:-10}
start=$(date +%s)
while true; do
  left=$(( total - ($(date +%s) - start) ))
  [ "$left" -le 5 ] && break
  echo "== $(date -u +%T) seed $seed for $left s"
  nice -n 19 "$exe" --seconds "$left" --seed "$seed"
  rc=$?
  echo "== $(date -u +%T) exit $rc"
  [ "$rc" -ne 3 ] && exit "$rc"
  seed=$((seed + 1))
done
