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
DATA_DIR=${2:?data dir}
SERVER=${3:-serve}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-8}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_THREADS=${SERVER_THREADS:-0}
OUT=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$OUT"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "bench: wrk is missing (make setup installs it)" >&2; exit 1; }

if [ "$SERVER" = map_serve ]; then
  "$BUILD_DIR/bench/map_serve" --data "$DATA_DIR" --threads "$SERVER_THREADS" --ids-out "$OUT/ids.txt" > "$OUT/server.log" 2>&1 &
else
  "$BUILD_DIR/datamap" serve --data "$DATA_DIR" --port 0 --threads "$SERVER_THREADS" > "$OUT/server.log" 2>&1 &
fi
SERVER_PID=$!
URL=""
for _ in $(seq 1 6000); do  # up to 10 minutes: map_serve prints its URL after the first build
  URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$OUT/server.log" | head -1 || true)
  [ -n "$URL" ] && curl -sf "$URL/api/3/action/datamap_stats" >/dev/null && break
  URL=""
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "bench: server not ready"; cat "$OUT/server.log"; exit 1; }
# Measure once the server has gone quiet (search indexing and the map build run in the
# background after `datamap serve` starts): under 5% of a core over two seconds.
ticks=$(getconf CLK_TCK)
for _ in $(seq 1 600); do
  before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  sleep 2
  after=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  [ $(( (after - before) * 100 / (2 * ticks) )) -lt 5 ] && break
done
if [ ! -s "$OUT/ids.txt" ]; then  # datamap serve: random dataset names from package_list
  curl -s "$URL/api/3/action/package_list" | tr ',' '\n' | sed 's/.*\[//; s/[]}"]//g' \
    | grep -E '^[a-z0-9_-]+$' | shuf -n 4096 --random-source=<(yes) > "$OUT/ids.txt"
fi
grep '^map_serve: first' "$OUT/server.log" || true
curl -s "$URL/api/3/action/datamap_stats" | head -c 600; echo
echo "bench: $(wc -l < "$OUT/ids.txt") sample datasets; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; server threads $SERVER_THREADS; $(uptime)"
for kind in neighbors related path; do
  printf '%-10s ' "$kind"
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s bench/map_wrk.lua "$URL" \
    -- "$kind" "$OUT/ids.txt" | tail -1
done
printf '%-10s ' status_show
wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "$URL/api/3/action/status_show" \
  | awk '$1 == "50%" {p50 = $2} $1 == "90%" {p90 = $2} $1 == "99%" {p99 = $2}
         /requests in/ {n = $1} END {printf "%s requests, p50 %s, p90 %s, p99 %s\n", n, p50, p90, p99}'
echo "server peak RSS: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$SERVER_PID/status")"
