#!/usr/bin/env bash
# The CKAN client round trip (ckanapi dump + load through the create actions) of the whole 2022
# data.go.kr list: bench/bench_round_trip.cpp. Usage: bench/bench_round_trip.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
cmake --build "$BUILD_DIR" --target bench_round_trip datamap >/dev/null
echo "bench: round trip on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD_DIR/bench/bench_round_trip"
