#!/usr/bin/env bash
# package_search over loopback HTTP under concurrent load: the 101 relevance queries cycled, each
# with three facets (bench/search_wrk.lua), against `datamap serve` on a free port once it has
# gone idle; status_show last, as this machine's HTTP floor.
#
# Usage: bash bench/bench_search_http.sh BUILD_DIR
#   BENCH_DATA_DIR=DIR  another catalog (e.g. the 1M corpus, see docs/BENCHMARKS.md)
#   DURATION=20s CONNECTIONS=8 WRK_THREADS=1 SERVER_THREADS=0 (0: one per core)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?build dir}
CONNECTIONS=${CONNECTIONS:-8}
source bench/lib/http_bench.sh

start_server "${SERVER_THREADS:-0}"
wait_idle
# The first search reads the doc table (search/doc_table.h): not part of the measurement.
curl -sf "$URL/api/3/action/package_search?q=x&facet.field=%5B%22organization%22%5D" >/dev/null
echo "bench: $(curl -s "$URL/api/3/action/package_search?rows=0" | grep -o '"count":[0-9]*') datasets;" \
  "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; server threads ${SERVER_THREADS:-0}; $(uptime)"
run "package_search, 3 facets, 101 queries" bench/search_wrk.lua
run "status_show (HTTP floor)" /api/3/action/status_show
echo "server peak RSS: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$SERVER_PID/status")"
