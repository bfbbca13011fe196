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
CONNECTIONS=${CONNECTIONS:-16}
source bench/lib/http_bench.sh

start_server 2
# Measure the steady state: search has caught up, the map is built, nothing runs in the background.
wait_idle

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
# A category and a type chosen (the 2022 list carries no file formats), second page.
transfer "search 데이터, 2 facets chosen, page 2" "/dataset?q=%EB%8D%B0%EC%9D%B4%ED%84%B0&groups=transport-logistics&type=file&page=2"
transfer "map /map (with the map library)" "/map"

# ---- (2) latency under load: random dataset pages vs package_show of the same datasets
fetch_names
random_requests "$OUT/page.lua" "/dataset/"
random_requests "$OUT/show.lua" "/api/3/action/package_show?id="
echo "== latency: $(wc -l < "$OUT/names.txt") datasets, random; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION, 2 server threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run "dataset page /dataset/{name}" "$OUT/page.lua"
run "package_show ?id={name}" "$OUT/show.lua"
run "dataset page /dataset/{name} (again)" "$OUT/page.lua"
