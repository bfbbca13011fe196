#!/usr/bin/env bash
# Import at scale (docs/BENCHMARKS.md, "Import at a million rows"): `datamap import --no-index` of
# the real 61k list, of a 61k generated list and of the 1M generated list, each into a fresh data
# directory, with the CPU seconds, peak RSS and bytes written (/proc/PID/io write_bytes, through
# bench/lib/measure.py) and the final database size; beside each, `sqlite3 .import` of the same
# CSV file, the physical baseline. Usage: bench/bench_import_scale.sh BUILD_DIR [ROWS...]
set -euo pipefail
BUILD_DIR=$(realpath "${1:-build}")
shift || true
ROWS=("${@:-61359 1000000}")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
MEASURE="python3 bench/lib/measure.py"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
xz -dc data/sample/datago-list-2022.csv.xz >"$WORK/real-61k.csv"
files=("$WORK/real-61k.csv")
for rows in ${ROWS[@]}; do
  "$BUILD_DIR/bench/gen_corpus" --rows "$rows" --format datago-csv --seed 42 \
    --out "$WORK/gen-$rows.csv" >/dev/null
  files+=("$WORK/gen-$rows.csv")
done
for csv in "${files[@]}"; do
  name=$(basename "$csv" .csv)
  $MEASURE "datamap import $name" -- "$BUILD_DIR/datamap" import --no-index \
    --data "$WORK/d-$name" "$csv" | grep -E "cpu=|added"
  echo "  database: $(du -cb "$WORK/d-$name"/catalog.db* | tail -1 | cut -f1) bytes"
  rm -rf "$WORK/d-$name"
  $MEASURE "sqlite3 .import $name" -- sqlite3 "$WORK/s.db" ".mode csv" ".import $csv t"
  echo "  database: $(du -b "$WORK/s.db" | cut -f1) bytes"
  rm -f "$WORK/s.db"
done
