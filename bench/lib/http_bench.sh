# shellcheck shell=bash disable=SC2034  # sourced: its variables are read by the sourcing script
# Shared plumbing of the HTTP benchmarks (sourced, not run): the 2022 list imported once into
# var/bench-data (or the catalog in BENCH_DATA_DIR, used as it is), `datamap serve` on a free loopback port, waiting until its background indexing
# has finished, the dataset names for random requests, and one summary line per wrk run.
# Expects BUILD_DIR; reads DURATION, CONNECTIONS, WRK_THREADS, BENCH_DATA_DIR from the environment.
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
DATA_DIR=${BENCH_DATA_DIR:-var/bench-data}
SAMPLE=data/sample/datago-list-2022.csv.xz
BIN="$BUILD_DIR/datamap"
OUT=$(mktemp -d)
SERVER_PID=""
URL=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$OUT"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is missing (make setup installs it)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "bench: $BIN is missing: run 'make build' first" >&2; exit 1; }
if [ -z "${BENCH_DATA_DIR:-}" ] && [ ! -f "$DATA_DIR/.sample-imported" ]; then  # a given dir is used as is
  echo "bench: importing $SAMPLE into $DATA_DIR (once)"
  "$BIN" import --data "$DATA_DIR" "$SAMPLE" >/dev/null
  touch "$DATA_DIR/.sample-imported"
fi

# start_command TIMEOUT_S CMD...: starts a server that prints its http://127.0.0.1:PORT URL and
# waits until it answers status_show; sets URL and SERVER_PID. Its output goes to SERVER_LOG
# (default $OUT/server.log; a caller running several servers gives each its own).
start_command() {
  local timeout=$1 log=${SERVER_LOG:-$OUT/server.log}
  shift
  "$@" > "$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 $((timeout * 20))); do
    URL=$(grep -so 'http://127.0.0.1:[0-9]*' "$log" | head -1 || true)
    [ -n "$URL" ] && curl -sf "$URL/api/3/action/status_show" >/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench: server did not start:"; cat "$log"; exit 1
}

# wrk from loopback is one anonymous client sending thousands of requests a second: the
# benchmarks measure the server, not its per-address rate limit, so they turn it off.
printf '[rate_limit]\nper_minute = 0\nexpensive_per_minute = 0\n' > "$OUT/bench.toml"

start_server() {  # $1 = server threads: `datamap serve` on a free port
  start_command 10 "$BIN" serve --data "$DATA_DIR" --port 0 --threads "$1" --config "$OUT/bench.toml"
}

# The server builds its search index and data map in the background after starting (the first
# start over a fresh catalog indexes all 61k datasets); measure only once it has gone quiet:
# less than 5% of a core over two seconds, or after 10 minutes.
wait_idle() {
  local ticks before after
  ticks=$(getconf CLK_TCK)
  for _ in $(seq 1 300); do
    before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
    sleep 2
    after=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
    [ $(( (after - before) * 100 / (2 * ticks) )) -lt 5 ] && return 0
  done
  echo "bench: server still busy after 10 minutes; measuring anyway" >&2
}

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# Every dataset name of the catalog, one per line, into $OUT/names.txt.
fetch_names() {
  curl -s "$URL/api/3/action/package_list" | tr ',' '\n' | sed 's/.*\[//; s/[]}"]//g' \
    | grep -E '^[a-z0-9_-]+$' > "$OUT/names.txt"
}

# random_requests FILE PREFIX: a wrk script asking for PREFIX + a random dataset name.
random_requests() {
  cat > "$1" <<LUA
local names = {}
for line in io.lines("$OUT/names.txt") do names[#names + 1] = line end
math.randomseed(42)
request = function() return wrk.format("GET", "$2" .. names[math.random(#names)]) end
LUA
}

# run LABEL SCRIPT_OR_PATH: one wrk run, then one summary line; the figures also stay in
# RUN_RPS, RUN_P50, RUN_P99 (wrk's units: 1.2ms, 850us) for a caller that tabulates them.
RUN_RPS="" RUN_P50="" RUN_P99=""
run() {
  local label=$1 target=$2 args=()
  if [[ $target == *.lua ]]; then args=(-s "$target" "$URL"); else args=("$URL$target"); fi
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "${args[@]}" > "$OUT/wrk.txt"
  local rps p50 p90 p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt")
  p90=$(awk '$1 == "90%" {print $2}' "$OUT/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")
  RUN_RPS=$rps RUN_P50=$p50 RUN_P99=$p99
  printf '%-40s %10s req/s   p50 %-9s p90 %-9s p99 %-9s non-2xx %s\n' "$label" "$rps" "$p50" "$p90" "$p99" "${non2xx:-0}"
}
