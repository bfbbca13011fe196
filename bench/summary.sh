#!/usr/bin/env bash
# One benchmark table (issue 21, item 6): every headline figure of one catalog size measured in
# one run and one scratch directory, each beside its physical baseline where there is one, and
# the issue's target. Prints a markdown table on stdout (progress on stderr); writes nothing to
# docs/ (paste the table into docs/BENCHMARKS.md's Summary).
#
#   bash bench/summary.sh SCALE [BUILD_DIR]
#     SCALE: 61k (the real 2022 list, data/sample/datago-list-2022.csv.xz) or a row count for
#            `gen_corpus --rows N --format datago-csv --seed 42` (e.g. 200000, 1000000)
#     DURATION=15s per wrk or in-process run; BENCH_TMP=/tmp (the scratch directory's parent;
#     1M needs ~20 GB there); BENCH_HARVEST=0 skips the harvest figure.
#
# In order: `datamap import --no-index` and `sqlite3 .import` of the same CSV (CPU, wall, peak
# RSS, bytes written: bench/lib/measure.py); bench_harvest of the same CSV served over loopback;
# `datamap reindex`; search_bench latency in process, datamap and its SQLite FTS5 baseline over the
# same catalog (search_bench latency --fts); then `datamap serve` (bench/lib/http_bench.sh): its
# RSS once idle, the map's first full build (datamap_stats), package_search with three facets
# (bench/search_wrk.lua, 4 connections), package_show of random names (32 connections) beside
# status_show (the HTTP floor), and its RSS after the measures.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:?usage: bench/summary.sh 61k|ROWS [BUILD_DIR]}
BUILD_DIR=$(realpath "${2:-build}")
DURATION=${DURATION:-15s}
WORK=$(mktemp -d -p "${BENCH_TMP:-/tmp}" datamap-summary.XXXXXX)
export BENCH_DATA_DIR="$WORK/data"
source bench/lib/http_bench.sh  # sets its own EXIT trap (server, $OUT); extended below
trap 'cleanup; rm -rf "$WORK"' EXIT
MEASURE=(python3 bench/lib/measure.py)
for program in bench/gen_corpus bench/search_bench bench/bench_harvest; do
  [ -x "$BUILD_DIR/$program" ] || {
    echo "bench: $BUILD_DIR/$program is missing: cmake --build $BUILD_DIR --target $(basename $program)" >&2
    exit 1
  }
done
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing" >&2; exit 1; }
say() { echo "summary: $*" >&2; }
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# field LINE KEY: the value of KEY=… in a measure.py line.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
# cost LINE: "CPU s cpu (wall s wall), RSS MiB" of a measure.py line.
cost() {
  printf '%s s CPU (%s s wall), %s MiB RSS' "$(field "$1" cpu)" "$(field "$1" wall)" \
    "$(field "$1" rss_mib)"
}
# ms WRK_TIME: wrk's 850.00us / 1.20ms / 1.01s as milliseconds.
ms() {
  awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[0-9]s$/) v *= 1000;
                        printf "%.1f", v }'
}

CSV="$WORK/catalog.csv"
if [ "$SCALE" = 61k ]; then
  xz -dc data/sample/datago-list-2022.csv.xz >"$CSV"
  INPUT="the real 2022 data.go.kr list"
else
  say "generating $SCALE rows"
  "$BUILD_DIR/bench/gen_corpus" --rows "$SCALE" --format datago-csv --seed 42 --out "$CSV" >/dev/null
  INPUT="gen_corpus --rows $SCALE --format datago-csv --seed 42"
fi
CSV_MB=$(mib "$(stat -c %s "$CSV")")

say "import"
"${MEASURE[@]}" import -- "$BIN" import --no-index --data "$DATA_DIR" "$CSV" >"$WORK/import.log" 2>&1
IMPORT=$(grep '^import cpu=' "$WORK/import.log")
DATASETS=$(sed -n 's/^ *added \([0-9]*\),.*/\1/p' "$WORK/import.log" | tail -1)
DB_BYTES=$(du -cb "$DATA_DIR"/catalog.db* | tail -1 | cut -f1)
"${MEASURE[@]}" sqlite3 -- sqlite3 "$WORK/baseline.db" ".mode csv" ".import $CSV t" >"$WORK/sqlite.log" 2>&1
SQLITE=$(grep '^sqlite3 cpu=' "$WORK/sqlite.log")
SQLITE_BYTES=$(stat -c %s "$WORK/baseline.db")
rm -f "$WORK/baseline.db"
per_dataset() { awk -v c="$(field "$1" cpu)" -v n="$DATASETS" 'BEGIN { printf "%.0f", c * 1e6 / n }'; }

HARVEST="not measured (BENCH_HARVEST=0)"
if [ "${BENCH_HARVEST:-1}" != 0 ]; then
  say "harvest (bench_harvest --datago-csv)"
  (cd "$WORK" && "$BUILD_DIR/bench/bench_harvest" --datago-csv "$CSV") >"$WORK/harvest.log" 2>&1
  HARVEST=$(sed -n 's/^harvest + search index caught up: *\(.*\)$/\1/p' "$WORK/harvest.log" | tr -s ' ')
  HARVEST="${HARVEST:-see harvest.log}; peak RSS $(sed -n 's/^peak RSS of the harvesting process: \([0-9.]* MB\).*/\1/p' "$WORK/harvest.log")"
fi

say "reindex"
"${MEASURE[@]}" reindex -- "$BIN" reindex --data "$DATA_DIR" >"$WORK/reindex.log" 2>&1
REINDEX=$(grep '^reindex cpu=' "$WORK/reindex.log")

say "search in process: datamap, then the SQLite FTS5 baseline"
seconds=${DURATION%s}
for engine in datamap fts5; do
  flag=()
  [ "$engine" = fts5 ] && flag=(--fts)
  "$BUILD_DIR/bench/search_bench" latency --data "$DATA_DIR" --threads 4 --seconds "$seconds" \
    "${flag[@]}" >"$WORK/latency-$engine.log" 2>&1
done
inproc() { sed -n 's/^searches [0-9]* *throughput \([0-9]*\/s\) *p50 \([0-9.]* ms\).*p99 \([0-9.]* ms\).*/\1, p50 \2, p99 \3/p' "$WORK/latency-$1.log"; }

say "serve"
SECONDS=0
start_server 0
wait_idle
READY_S=$SECONDS
rss() { awk -v k="$1:" '$1 == k { printf "%.0f MiB", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
RSS_IDLE=$(rss VmRSS)
STATS=$(curl -sf "$URL/api/3/action/datamap_stats")
json() { python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["result"].get(sys.argv[1])))' "$1" <<<"$STATS"; }
MAP="$(json extract_seconds | xargs printf '%.1f') s read + $(json build_seconds | xargs printf '%.1f') s build (builds: $(json builds), incremental: $(json incremental))"

say "package_search over HTTP"
curl -sf "$URL/api/3/action/package_search?q=x&facet.field=%5B%22organization%22%5D" >/dev/null
CONNECTIONS=4
run "package_search, 3 facets" bench/search_wrk.lua >&2
SEARCH="$RUN_RPS/s, p50 $(ms "$RUN_P50") ms, p99 $(ms "$RUN_P99") ms"
say "package_show over HTTP"
fetch_names
random_requests "$OUT/random_show.lua" "/api/3/action/package_show?id="
CONNECTIONS=32
run "package_show (random)" "$OUT/random_show.lua" >&2
SHOW="$RUN_RPS/s, p50 $(ms "$RUN_P50") ms, p99 $(ms "$RUN_P99") ms"
run "status_show (HTTP floor)" /api/3/action/status_show >&2
FLOOR="status_show $RUN_RPS/s, p99 $(ms "$RUN_P99") ms"
RSS_AFTER="$(rss VmRSS) (peak $(rss VmHWM))"
stop_server

cat <<TABLE
**$DATASETS datasets** ($INPUT, $CSV_MB MB of CSV); $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load average $LOAD_START at the start and $(cut -d' ' -f1-3 /proc/loadavg) at the end; wrk and in-process runs $DURATION each. Command: \`bash bench/summary.sh $SCALE\`.

| figure | datamap | baseline (same run) | target (issue 21, at 1M) |
|---|---|---|---|
| import (\`datamap import --no-index\`) | $(cost "$IMPORT"); $(per_dataset "$IMPORT") µs CPU/dataset | \`sqlite3 .import\`: $(cost "$SQLITE"); $(per_dataset "$SQLITE") µs CPU/row | µs/dataset at 1M ≤ 1.5 × at 61k |
| import: bytes written / database | $(mib "$(field "$IMPORT" write_bytes)") MB / $(mib "$DB_BYTES") MB | $(mib "$(field "$SQLITE" write_bytes)") MB / $(mib "$SQLITE_BYTES") MB | ≤ 3 × |
| harvest end to end (bench_harvest, CSV over loopback, + search index) | $HARVEST | — | ≥ 5,000/s |
| \`datamap reindex\` (search index + map) | $(cost "$REINDEX") | — | ≤ 120 s, ≤ 2 GB |
| search in process, 4 threads (search_bench latency) | $(inproc datamap) (3 facets) | SQLite FTS5 trigram, bm25: $(inproc fts5) (no facets) | — |
| package_search over HTTP, 3 facets, 4 connections | $SEARCH | — | ≥ 1,000/s, p99 ≤ 20 ms |
| package_show over HTTP, random names, 32 connections | $SHOW | $FLOOR | — |
| map: first full build at server start (datamap_stats) | $MAP | — | ≤ 60 s, ≤ 2 GB |
| \`datamap serve\`: ready (indexed, map built, idle) | ${READY_S} s, RSS $RSS_IDLE | — | ≤ 2 GB |
| \`datamap serve\`: RSS after the measures | $RSS_AFTER | — | ≤ 2 GB |
TABLE
