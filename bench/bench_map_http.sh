#!/usr/bin/env bash
# Latency of the data map actions over loopback HTTP under load (wrk + bench/map_wrk.lua):
# datamap_neighbors (depth 1, limit 50), datamap_related (limit 10) and datamap_path between
# random datasets, one run each, against a server started here on a free port.
#
# Usage: bench/bench_map_http.sh BUILD_DIR DATA_DIR [serve|map_serve]
#   serve:     the real `datamap serve` (search index, harvester and all); waits until it is idle
#   map_serve: build/bench/map_serve, the same API with only the catalog and the map (1M catalogs)
#   DURATION=20s CONNECTIONS=8 WRK_THREADS=1 SERVER_THREADS=0 (0: one per core)
# A status_show run (no catalog or map work: the HTTP floor on this machine) comes last, for
# comparison: a tail it shares is the machine's, not the map's.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?build dir}
BENCH_DATA_DIR=${2:?data dir}
SERVER=${3:-serve}
CONNECTIONS=${CONNECTIONS:-8}
SERVER_THREADS=${SERVER_THREADS:-0}
source bench/lib/http_bench.sh

if [ "$SERVER" = map_serve ]; then
  # map_serve prints its URL only after the first map build: up to 10 minutes at 1M.
  start_command 600 "$BUILD_DIR/bench/map_serve" --data "$DATA_DIR" --threads "$SERVER_THREADS" \
    --ids-out "$OUT/ids.txt"
else
  start_server "$SERVER_THREADS"
fi
wait_idle
if [ ! -s "$OUT/ids.txt" ]; then  # datamap serve: random dataset names from package_list
  fetch_names
  shuf -n 4096 --random-source=<(yes) "$OUT/names.txt" > "$OUT/ids.txt"
fi
grep '^map_serve: first' "$OUT/server.log" || true
curl -s "$URL/api/3/action/datamap_stats" | head -c 600; echo
echo "bench: $(wc -l < "$OUT/ids.txt") sample datasets; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; server threads $SERVER_THREADS; $(uptime)"
for kind in neighbors related path; do
  printf '%-10s ' "$kind"
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s bench/map_wrk.lua "$URL" \
    -- "$kind" "$OUT/ids.txt" | tail -1
done
run "status_show (HTTP floor)" /api/3/action/status_show
echo "server peak RSS: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$SERVER_PID/status")"
