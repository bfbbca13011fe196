#!/usr/bin/env bash
# `datamap serve`'s memory with search and the map loaded (issue 21 item 4): its RSS split from
# /proc/PID/status (VmRSS = RssAnon, the heap, + RssFile, mapped files: the catalog's SQLite map)
# sampled every second from start to stop, reported once the server is idle (search index's doc
# table read, map built) and after DURATION of package_search (three facets, bench/search_wrk.lua),
# datamap_related / datamap_neighbors (bench/map_wrk.lua) and package_show of random datasets at
# the same time.
#
# Usage: BENCH_DATA_DIR=DIR bash bench/bench_serve_memory.sh BUILD_DIR
#   DURATION=30s CONNECTIONS=4 (each of the two wrk runs) SERVER_THREADS=0 (0: one per core)
#   SAMPLES=FILE keeps the per-second samples (elapsed s, VmRSS, RssAnon, RssFile, VmHWM in MB,
#   the server's CPU seconds, the load average)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?build dir}
CONNECTIONS=${CONNECTIONS:-4}
DURATION=${DURATION:-30s}
source bench/lib/http_bench.sh
SAMPLES=${SAMPLES:-$OUT/samples.txt}
: > "$SAMPLES"

status_mb() { awk -v k="$1:" '$1 == k { printf "%d", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
split() { echo "VmRSS $(status_mb VmRSS) MB (anon $(status_mb RssAnon), file $(status_mb RssFile)), peak $(status_mb VmHWM) MB"; }
sample_forever() {
  local t0 ticks
  t0=$(date +%s) ticks=$(getconf CLK_TCK)
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    echo "$(($(date +%s) - t0)) $(status_mb VmRSS) $(status_mb RssAnon) $(status_mb RssFile)" \
      "$(status_mb VmHWM) $(awk -v t="$ticks" '{printf "%.1f", ($14 + $15) / t}' "/proc/$SERVER_PID/stat")" \
      "$(cut -d' ' -f1 /proc/loadavg)" >> "$SAMPLES" 2>/dev/null || true
    sleep 1
  done
}

SECONDS=0
start_server "${SERVER_THREADS:-0}"
sample_forever &
SAMPLER=$!
wait_idle
echo "bench: idle after ${SECONDS} s: $(split); $(uptime)"

# Map and show traffic need dataset ids: the first 8,000 in the default order (newest first).
: > "$OUT/ids.txt"
for start in 0 1000 2000 3000 4000 5000 6000 7000; do
  curl -sf "$URL/api/3/action/package_search?rows=1000&start=$start&fl=id" \
    | grep -o '"id":"[^"]*"' | cut -d'"' -f4 >> "$OUT/ids.txt" || true  # a small catalog runs out
done
curl -sf "$URL/api/3/action/package_search?q=x&facet.field=%5B%22organization%22%5D" >/dev/null
cp "$OUT/ids.txt" "$OUT/names.txt"
random_requests "$OUT/random_show.lua" "/api/3/action/package_show?id="
echo "bench: $(wc -l < "$OUT/ids.txt") ids; package_search and datamap_related (wrk -c$CONNECTIONS each), datamap_neighbors and package_show (-c1 each), $DURATION"
wrk -t1 -c "$CONNECTIONS" -d "$DURATION" --latency -s bench/map_wrk.lua "$URL" -- related "$OUT/ids.txt" \
  > "$OUT/map_related.txt" &
MAP1=$!
wrk -t1 -c 1 -d "$DURATION" --latency -s bench/map_wrk.lua "$URL" -- neighbors "$OUT/ids.txt" \
  > "$OUT/map_neighbors.txt" &
MAP2=$!
wrk -t1 -c 1 -d "$DURATION" --latency -s "$OUT/random_show.lua" "$URL" > "$OUT/show.txt" &
SHOW=$!
run "package_search, 3 facets (with map load)" bench/search_wrk.lua
wait "$MAP1" "$MAP2" "$SHOW"
echo "map related:   $(tail -1 "$OUT/map_related.txt")"
echo "map neighbors: $(tail -1 "$OUT/map_neighbors.txt")"
echo "package_show:  $(awk '/^Requests\/sec/ {print $2 " req/s"}' "$OUT/show.txt")"
echo "bench: after traffic: $(split); $(uptime)"
awk '{ if ($2 > r) r = $2; if ($3 > a) a = $3; if ($4 > f) f = $4 }
     END { printf "bench: sampled maxima: VmRSS %d MB, RssAnon %d MB, RssFile %d MB\n", r, a, f }' "$SAMPLES"
kill "$SAMPLER" 2>/dev/null || true
