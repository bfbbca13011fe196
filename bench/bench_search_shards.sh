#!/usr/bin/env bash
# package_search over loopback HTTP: the local index against the same catalog written as N shards
# (`datamap reindex --shards N`) that real xapian-tcpsrv processes serve on loopback and
# `datamap serve` searches as one database ([search] remote_shards, docs/DEPLOY.md). Same queries
# as bench_search_http.sh (the 101 relevance queries, three facets), same catalog, same run.
#
# Usage: bash bench/bench_search_shards.sh BUILD_DIR
#   SHARDS=2 DURATION=20s CONNECTIONS=8 WRK_THREADS=1 SERVER_THREADS=0 BENCH_DATA_DIR=DIR
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?build dir}
CONNECTIONS=${CONNECTIONS:-8}
SHARDS=${SHARDS:-2}
source bench/lib/http_bench.sh
command -v xapian-tcpsrv >/dev/null || { echo "bench: xapian-tcpsrv is missing (make setup installs xapian-tools)" >&2; exit 1; }

SHARD_PIDS=()
stop_shards() {
  for pid in "${SHARD_PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  SHARD_PIDS=()
}
trap 'stop_shards; cleanup' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

warm() {  # the first search reads the doc table (local) or opens the connections (shards)
  curl -sf "$URL/api/3/action/package_search?q=x&facet.field=%5B%22organization%22%5D" >/dev/null
}

# 1. The local index.
start_server "${SERVER_THREADS:-0}"
wait_idle
warm
echo "bench: $(curl -s "$URL/api/3/action/package_search?rows=0" | grep -o '"count":[0-9]*') datasets;" \
  "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; server threads ${SERVER_THREADS:-0}; $(uptime)"
run "local index" bench/search_wrk.lua
stop_server

# 2. The same catalog as shards on loopback xapian-tcpsrv processes (each in its own process
# group: it forks a child per connection).
"$BIN" reindex --data "$DATA_DIR" --shards "$SHARDS" --shards-dir "$OUT/shards" >/dev/null
addresses=""
for k in $(seq 0 $((SHARDS - 1))); do
  port=$(free_port)
  setsid xapian-tcpsrv --quiet --port "$port" --interface 127.0.0.1 "$OUT/shards/shard-$k/current" &
  SHARD_PIDS+=($!)
  addresses+="${addresses:+, }\"127.0.0.1:$port\""
done
sleep 1
cp "$OUT/bench.toml" "$OUT/shards.toml"
printf '[search]\nremote_shards = [%s]\n' "$addresses" >> "$OUT/shards.toml"
start_command 10 "$BIN" serve --data "$DATA_DIR" --port 0 --threads "${SERVER_THREADS:-0}" --config "$OUT/shards.toml"
wait_idle
warm
run "$SHARDS loopback shards (xapian-tcpsrv)" bench/search_wrk.lua
stop_server
echo "bench: done; $(uptime)"
