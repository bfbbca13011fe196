#!/usr/bin/env bash
# Import benchmark (docs/BENCHMARKS.md, "Import of the 2022 data.go.kr list"): the full 61,359-row
# list into a fresh catalog with batches of 2,000 and, side by side, one transaction per row;
# then the `datamap import` command itself, first run and re-run, under /usr/bin/time -v.
# Usage: bench/bench_import.sh BUILD_DIR
set -euo pipefail
BUILD_DIR=${1:-build}
cd "$(dirname "$0")/.."
SAMPLE=data/sample/datago-list-2022.csv.xz
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD_DIR/bench/bench_import" "$SAMPLE" --batch 2000
"$BUILD_DIR/bench/bench_import" "$SAMPLE" --batch 1
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
for run in first second; do
  echo "datamap import ($run run):"
  /usr/bin/time -v "$BUILD_DIR/datamap" import --no-index --data "$DATA" "$SAMPLE" 2>&1 |
    grep -E "added|Elapsed|Maximum resident|User time|System time"
done
