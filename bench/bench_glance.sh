#!/usr/bin/env bash
# The map at a glance (issue 19): how long datamap_overview takes to compute (the first ask of a
# catalog revision) and to answer once cached, how large its answers are, and the first render
# and page weight of /map in this machine's Chromium (bench/glance_render.mjs).
#
# Usage: bench/bench_glance.sh BUILD_DIR [DATA_DIR] [serve|map_serve]
#   serve:     the real `datamap serve` over the bundled 2022 list (61,359 datasets; imported once
#              into var/bench-data when no DATA_DIR is given); waits until indexing is done
#   map_serve: build/bench/map_serve, the same routes and pages with only the catalog and the
#              map (for the 1M catalog, which `datamap serve` would spend a quarter of an hour
#              indexing while being measured):
#     build/bench/gen_corpus --rows 1000000 --format datago-csv --seed 42 --out /tmp/g1m.csv
#     build/datamap import --no-index --data /tmp/g1m /tmp/g1m.csv
#     bash bench/bench_glance.sh build /tmp/g1m map_serve
#   RUNS=7 (page loads)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?build dir}
[ -n "${2:-}" ] && export BENCH_DATA_DIR=$2
SERVER=${3:-serve}
RUNS=${RUNS:-7}
source bench/lib/http_bench.sh

if [ "$SERVER" = map_serve ]; then
  # The pages' scripts and styles: map_serve runs from build/bench, the web root is build/web.
  DATAMAP_WEB_ROOT="$BUILD_DIR/web/static" start_command 1800 "$BUILD_DIR/bench/map_serve" --data "$DATA_DIR"
  grep '^map_serve: first' "$OUT/server.log" || true
else
  start_server 0
  wait_idle
fi
echo "bench: $URL over $DATA_DIR; $(uptime)"

# ask LABEL QUERY: one datamap_overview request, its time and size.
ask() {
  local out
  out=$(curl -s -o "$OUT/answer.json" -w '%{time_total} %{size_download}' "$URL/api/3/action/datamap_overview?$2")
  grep -q '"success": *true' "$OUT/answer.json" || { echo "bench: $2 failed: $(head -c 300 "$OUT/answer.json")"; exit 1; }
  printf '%-58s %8.1f ms %9d bytes\n' "$1" "$(echo "$out" | awk '{print $1 * 1000}')" "$(echo "$out" | awk '{print $2}')"
}

# The first ask computes the glance for this catalog revision (its "seconds" field is the
# computation alone); every later one serialises part of the cached glance.
ask "levels=category, first ask (computes the glance)" "levels=category"
{ grep -o '"datasets": *[0-9]*\|"seconds": *[0-9.]*' "$OUT/answer.json" || true; } | head -2 | tr '\n' ' '; echo
for i in 1 2 3 4 5; do ask "levels=category, cached ($i)" "levels=category"; done
# The first key of an answer (grep sees SIGPIPE when head has its line: not a failure).
first_key() { { grep -o "\"key\": *\"$1:[^\"]*\"" "$OUT/answer.json" || true; } | head -1 | sed "s/.*$1://; s/\"//"; }
CATEGORY=$(first_key category)
ask "levels=category,agency&category=$CATEGORY" "levels=category,agency&category=$CATEGORY"
AGENCY=$(first_key agency)
ask "levels=category,agency,dataset (… agency=$AGENCY, limit 300)" \
  "levels=category,agency,dataset&category=$CATEGORY&agency=$AGENCY&limit=300"
ask "levels=category,agency (every cell)" "levels=category,agency"
ask "levels=agency (the search box's list)" "levels=agency"
ask "relations=category&terms=3000 (the relation view)" "relations=category&terms=3000"
ask "relations=agency&terms=3000" "relations=agency&terms=3000"
ask "term=법정동코드" "term=%EB%B2%95%EC%A0%95%EB%8F%99%EC%BD%94%EB%93%9C"

node bench/glance_render.mjs "$URL" "$RUNS"
echo "server peak RSS: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$SERVER_PID/status")"
