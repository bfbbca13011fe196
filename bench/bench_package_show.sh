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
source bench/lib/http_bench.sh

start_server 2
wait_idle
fetch_names
echo "bench: $(wc -l < "$OUT/names.txt") dataset names; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
random_requests "$OUT/random_show.lua" "/api/3/action/package_show?id="

run "package_show (random), 2 threads" "$OUT/random_show.lua"
run "status_show, 2 threads" "/api/3/action/status_show"
stop_server
start_server 1
wait_idle
run "package_show (random), 1 thread" "$OUT/random_show.lua"
stop_server
