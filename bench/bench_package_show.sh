#!/usr/bin/env bash
# package_show throughput and latency on loopback with wrk, against `datamap serve` holding the
# full 2022 data.go.kr list (61,359 datasets; imported once into BENCH_DATA_DIR). Each request
# asks for a random dataset by name, so the whole catalog is exercised, not one cached row.
# Runs, side by side in one session: package_show with 2 and 1 server threads, status_show.
#
# Usage: bench/bench_package_show.sh [BUILD_DIR]
#   DURATION=20s CONNECTIONS=32 WRK_THREADS=1 BENCH_DATA_DIR=var/bench-data
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
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

start_server() {  # $1 = server threads
  "$BIN" serve --data "$DATA_DIR" --port 0 --threads "$1" > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$OUT/server.log" || true)
    [ -n "$URL" ] && curl -sf "$URL/api/3/action/status_show" >/dev/null && return 0
    sleep 0.05
  done
  echo "bench: server did not start:"; cat "$OUT/server.log"; exit 1
}
# The server builds its search index and data map in the background after starting (the first
# start over a fresh catalog indexes all 61k datasets); measure only once it has gone quiet:
# less than 5% of a core over two seconds, or after 10 minutes.
wait_idle() {
  local ticks=$(getconf CLK_TCK) before after
  for _ in $(seq 1 300); do
    before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
    sleep 2
    after=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
    [ $(( (after - before) * 100 / (2 * ticks) )) -lt 5 ] && return 0
  done
  echo "bench: server still busy after 10 minutes; measuring anyway" >&2
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# run LABEL SCRIPT_OR_PATH: one wrk run, then one summary line.
run() {
  local label=$1 target=$2 args=()
  if [[ $target == *.lua ]]; then args=(-s "$target" "$URL"); else args=("$URL$target"); fi
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "${args[@]}" > "$OUT/wrk.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")
  printf '%-34s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

start_server 2
wait_idle
curl -s "$URL/api/3/action/package_list" | tr ',' '\n' | sed 's/.*\[//; s/[]}"]//g' \
  | grep -E '^[a-z0-9_-]+$' > "$OUT/names.txt"
echo "bench: $(wc -l < "$OUT/names.txt") dataset names; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores"
cat > "$OUT/random_show.lua" <<LUA
local names = {}
for line in io.lines("$OUT/names.txt") do names[#names + 1] = line end
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/3/action/package_show?id=" .. names[math.random(#names)])
end
LUA

run "package_show (random), 2 threads" "$OUT/random_show.lua"
run "status_show, 2 threads" "/api/3/action/status_show"
stop_server
start_server 1
wait_idle
run "package_show (random), 1 thread" "$OUT/random_show.lua"
stop_server
