#!/usr/bin/env bash
# Runs every benchmark script in bench/ (bench_*.sh) in turn; each prints its figures and the
# command that produced them. Ends with the summary table (bench/summary.sh, docs/BENCHMARKS.md
# "Summary") at each of BENCH_SCALES (default 61k; e.g. BENCH_SCALES="61k 1000000").
# Usage: bench/run-all.sh BUILD_DIR
set -euo pipefail
BUILD_DIR=${1:-build}
cd "$(dirname "$0")/.."
for script in bench/bench_*.sh; do
  [ -e "$script" ] || continue
  echo "== $script"
  bash "$script" "$BUILD_DIR"
done
for scale in ${BENCH_SCALES:-61k}; do
  echo "== bench/summary.sh $scale"
  bash bench/summary.sh "$scale" "$BUILD_DIR"
done
