#!/usr/bin/env bash
# The portal's pages against `datamap serve` holding the full 2022 data.go.kr list (61,359
# datasets, imported once into BENCH_DATA_DIR): (1) bytes transferred for the home, search and
# map pages with every asset they load; (2) dataset-page latency under load with wrk, side by side
# in one session with package_show on the same random datasets (the page calls package_show and
# datamap_related and renders HTML, so the difference is what the page adds).
#
# Usage: bench/bench_portal_pages.sh [BUILD_DIR]
#   DURATION=20s CONNECTIONS=16 WRK_THREADS=1 BENCH_DATA_DIR=var/bench-data
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-1}
DATA_DIR=${BENCH_DATA_DIR:-var/bench-data}
SAMPLE=data/sample/datago-list-2022.csv.xz
BIN="$BUILD_DIR/datamap"
OUT=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$OUT"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is missing (make setup installs it)" >&2; exit 1; }
if [ ! -f "$DATA_DIR/.sample-imported" ]; then
  echo "bench: importing $SAMPLE into $DATA_DIR (once)"
  "$BIN" import --data "$DATA_DIR" "$SAMPLE" >/dev/null
  touch "$DATA_DIR/.sample-imported"
fi

"$BIN" serve --data "$DATA_DIR" --port 0 --threads 2 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 1 600); do
  URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$OUT/server.log" || true)
  [ -n "$URL" ] && curl -sf "$URL/api/3/action/status_show" >/dev/null && break
  sleep 0.1
done
[ -n "$URL" ] || { echo "bench: server did not start:"; cat "$OUT/server.log"; exit 1; }
# Wait until search has caught up and the map is built, so every run measures the steady state.
for _ in $(seq 1 600); do
  count=$(curl -s "$URL/api/3/action/package_search?rows=0" | grep -o '"count":[0-9]*' | head -1 | cut -d: -f2)
  curl -sf "$URL/api/3/action/datamap_stats" >/dev/null && [ "${count:-0}" -ge 61000 ] && break
  sleep 0.5
done

# ---- (1) transfer sizes: the page plus every stylesheet and script it links (headers included)
transfer() {  # $1 = label, $2 = path
  local page="$URL$2" total=0 size
  size=$(curl -s -o "$OUT/page.html" -w '%{size_download} %{size_header}' "$page" | awk '{print $1 + $2}')
  total=$size
  local assets
  assets=$(grep -oE '(href|src)="/static/[^"]+"' "$OUT/page.html" | sed -E 's/^(href|src)="//; s/"$//' | sed 's/&amp;/\&/g')
  for a in $assets; do
    size=$(curl -s -o /dev/null -w '%{size_download} %{size_header}' "$URL$a" | awk '{print $1 + $2}')
    total=$((total + size))
  done
  printf '%-40s %8d bytes  (%s KB; %d assets)\n' "$1" "$total" "$(awk -v t="$total" 'BEGIN {printf "%.1f", t / 1024}')" \
    "$(echo "$assets" | grep -c . || true)"
}
echo "== transfer sizes (uncompressed, headers included, first visit: nothing cached)"
transfer "home /" "/"
transfer "search /dataset?q=주차장" "/dataset?q=%EC%A3%BC%EC%B0%A8%EC%9E%A5"
transfer "search, 3 facets, page 2" "/dataset?q=%EB%8D%B0%EC%9D%B4%ED%84%B0&groups=%EA%B5%90%ED%86%B5%EB%AC%BC%EB%A5%98&res_format=CSV&page=2"
transfer "map /map (with the map library)" "/map"

# ---- (2) latency under load: random dataset pages vs package_show of the same datasets
curl -s "$URL/api/3/action/package_list" | tr ',' '\n' | sed 's/.*\[//; s/[]}"]//g' \
  | grep -E '^[a-z0-9_-]+$' > "$OUT/names.txt"
for kind in page show; do
  if [ $kind = page ]; then prefix="/dataset/"; else prefix="/api/3/action/package_show?id="; fi
  cat > "$OUT/$kind.lua" <<LUA
local names = {}
for line in io.lines("$OUT/names.txt") do names[#names + 1] = line end
math.randomseed(42)
request = function() return wrk.format("GET", "$prefix" .. names[math.random(#names)]) end
LUA
done
run() {  # $1 = label, $2 = lua script
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$2" "$URL" > "$OUT/wrk.txt"
  local rps p50 p90 p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt")
  p90=$(awk '$1 == "90%" {print $2}' "$OUT/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")
  printf '%-44s %9s req/s   p50 %-9s p90 %-9s p99 %-9s non-2xx %s\n' "$1" "$rps" "$p50" "$p90" "$p99" "${non2xx:-0}"
}
echo "== latency: $(wc -l < "$OUT/names.txt") datasets, random; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION, 2 server threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run "dataset page /dataset/{name}" "$OUT/page.lua"
run "package_show ?id={name}" "$OUT/show.lua"
run "dataset page /dataset/{name} (again)" "$OUT/page.lua"
