#!/usr/bin/env bash
# Several nodes on PostgreSQL against SQLite, in one run (docs/BENCHMARKS.md, "Several nodes on
# PostgreSQL", issue 20):
#   1. the 2022 data.go.kr list (61,359 datasets) imported into a fresh SQLite catalog and into a
#      throwaway PostgreSQL (Debian's server, initdb in a temp dir, loopback only, fsync on),
#      then each node's search index and map built by `datamap reindex`; all timed;
#   2. package_show (random names) and package_search (101 queries, 3 facets) with wrk:
#      SQLite one node, PostgreSQL one node, PostgreSQL two nodes (half the connections each,
#      two wrk processes at once; req/s summed, the worse node's p50/p99 reported), and last one
#      PostgreSQL node with twice the HTTP threads (a second node's gain or more threads?);
#   3. change-to-searchable: a create on a node, package_search polled (same node, other node);
#   4. 8 agency clients (8 organizations, an editor with an API token in each) writing
#      package_create / package_patch for WRITE_SECONDS, on one node and alternately on two;
#      then every acknowledged write is checked on every node (bench/nodes_client.py).
# The client (wrk, python) runs on the same cores as the servers.
#
# Usage: bash bench/bench_nodes.sh [BUILD_DIR]
#   DURATION=15s CONNECTIONS=32 (package_show; package_search uses SEARCH_CONNECTIONS=8)
#   WRITE_SECONDS=20 LATENCY_WRITES=50 DATAMAP_PG_BIN=/usr/lib/postgresql/N/bin BENCH_SAMPLE=FILE
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
DURATION=${DURATION:-15s}
SEARCH_CONNECTIONS=${SEARCH_CONNECTIONS:-8}
WRITE_SECONDS=${WRITE_SECONDS:-20}
LATENCY_WRITES=${LATENCY_WRITES:-50}
WORK=$(mktemp -d /tmp/bench-nodes-XXXXXX)
BENCH_DATA_DIR=$WORK/sqlite  # http_bench.sh imports nothing itself into a given dir
mkdir -p "$BENCH_DATA_DIR"
source bench/lib/http_bench.sh
SAMPLE=${BENCH_SAMPLE:-$SAMPLE}  # another list, e.g. a few rows to try the script quickly
# No background work but the one measured: no harvester, no link checker.
printf '[harvest]\nenabled = false\n[links]\nenabled = false\n' >> "$OUT/bench.toml"

# ---- a throwaway PostgreSQL (as tests/support/pg_cluster.cpp: as `postgres` when run as root)
PG_BIN=${DATAMAP_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$PG_BIN/initdb" ] || { echo "bench: no PostgreSQL server (scripts/setup.sh installs it)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_DIR=$WORK/pg
NODE_PIDS=()
finish() {
  for pid in "${NODE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1
  cleanup
  rm -rf "$WORK"
}
trap finish EXIT
mkdir -p "$PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres "$WORK" "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U datamap -E UTF8 --locale=C > "$PG_DIR/initdb.log"
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
  -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=200" start >/dev/null
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U datamap bench
PG_URL="postgresql://datamap@127.0.0.1:$PG_PORT/bench"
echo "bench: $($PG_BIN/postgres --version), fsync on; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# timed LABEL CMD...: runs CMD, prints wall and CPU seconds; the wall time also in TIMED_WALL.
timed() {
  local label=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/time.txt" "$@" > "$OUT/cmd.log" 2>&1 ||
    { cat "$OUT/cmd.log"; exit 1; }
  read -r TIMED_WALL user sys rss < "$OUT/time.txt"
  printf '%-44s %7.2f s wall  %6.2f s CPU  %5d MiB  (load %s)\n' "$label" "$TIMED_WALL" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" $((rss / 1024)) "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "== import of $SAMPLE, then each node's index and map"
timed "SQLite: datamap import --no-index" "$BIN" import --no-index --data "$WORK/sqlite" "$SAMPLE"
IMPORT_SQLITE=$TIMED_WALL
timed "PostgreSQL: datamap import --no-index" "$BIN" import --no-index --catalog "$PG_URL" \
  --data "$WORK/node1" "$SAMPLE"
IMPORT_PG=$TIMED_WALL
timed "SQLite: datamap reindex" "$BIN" reindex --data "$WORK/sqlite"
REINDEX_SQLITE=$TIMED_WALL
timed "PostgreSQL node 1: datamap reindex" "$BIN" reindex --catalog "$PG_URL" --data "$WORK/node1"
REINDEX_PG=$TIMED_WALL
timed "PostgreSQL node 2: datamap reindex" "$BIN" reindex --catalog "$PG_URL" --data "$WORK/node2"

# start_node NAME DATA_DIR [--catalog URL]: a server on a free port, idle before it returns;
# its URL and pid in NODE_URL and NODE_PID.
start_node() {
  local name=$1 dir=$2
  shift 2
  SERVER_LOG=$OUT/$name.log start_command 20 "$BIN" serve --data "$dir" --port 0 --config "$OUT/bench.toml" "$@"
  NODE_PIDS+=("$SERVER_PID")
  wait_idle
  NODE_URL=$URL NODE_PID=$SERVER_PID
  SERVER_PID=""  # stopped by stop_node or finish, not by http_bench.sh's cleanup
}
stop_node() { kill "$1"; wait "$1" 2>/dev/null || true; }

# agencies URL TOKENS_FILE CATALOG_ARGS...: 8 organizations, made by a sysadmin over HTTP, and
# an editor with an API token in each ("org token" lines into TOKENS_FILE).
agencies() {
  local url=$1 file=$2 admin
  shift 2
  admin=$("$BIN" user add bench-admin --sysadmin "$@" 2>>"$OUT/users.log" | tail -1)
  : > "$file"
  for i in 1 2 3 4 5 6 7 8; do
    curl -sf -H "Authorization: $admin" -H 'Content-Type: application/json' \
      -d "{\"name\":\"bench-agency-$i\",\"title\":\"Bench agency $i\"}" \
      "$url/api/3/action/organization_create" >/dev/null
    echo "bench-agency-$i $("$BIN" user add "bench-editor-$i" --org "bench-agency-$i" --role editor "$@" 2>>"$OUT/users.log" | tail -1)" >> "$file"
  done
}

# Sections' figures, for the table at the end: ROW[label]="…".
declare -A FIG

# reads KEY URL...: package_show and package_search with wrk on one node, or split over several.
reads() {
  local key=$1
  shift
  local urls=("$@")
  FIG[$key.show]=$(wrk_split "$CONNECTIONS" "$OUT/random_show.lua" "${urls[@]}")
  echo "  package_show (random)        ${FIG[$key.show]}"
  FIG[$key.search]=$(wrk_split "$SEARCH_CONNECTIONS" bench/search_wrk.lua "${urls[@]}")
  echo "  package_search (3 facets)    ${FIG[$key.search]}"
}

# wrk_split CONNECTIONS SCRIPT URL...: one wrk per URL at once, the connections shared among
# them; prints "RPS req/s p50 P50 p99 P99 non-2xx N" (req/s summed, the worst p50/p99).
wrk_split() {
  local conns=$1 script=$2
  shift 2
  local n=$# i=0 pids=()
  for url in "$@"; do
    wrk -t "$WRK_THREADS" -c $((conns / n)) -d "$DURATION" --latency -s "$script" "$url" > "$OUT/wrk.$i.txt" &
    pids+=($!)
    i=$((i + 1))
  done
  wait "${pids[@]}"
  cat "$OUT"/wrk.[0-9]*.txt | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec/ { rps += $2 }
    $1 == "50%" { v = ms($2); if (v > p50) p50 = v }
    $1 == "99%" { v = ms($2); if (v > p99) p99 = v }
    /Non-2xx/ { bad += $5 }
    END { printf "%.0f req/s  p50 %.2f ms  p99 %.2f ms  non-2xx %d\n", rps, p50, p99, bad }'
  rm -f "$OUT"/wrk.[0-9]*.txt
}

client() { python3 bench/nodes_client.py "$@"; }
WRITE_FAILED=0
# writes KEY TOKENS URL...: the 8 agency clients on these nodes; a 5xx or failed check is noted.
writes() {
  local key=$1 tokens=$2 out
  shift 2
  local urls
  urls=$(IFS=,; echo "$*")
  out=$(client writes "$WRITE_SECONDS" "$urls" "$tokens") || WRITE_FAILED=1
  echo "$out" | grep -v '^WRITES' | sed 's/^/  /'
  FIG[$key.writes]=$(echo "$out" | awk '/^WRITES/ {printf "%.1f writes/s  p50 %.1f ms  p99 %.1f ms  5xx %d  check problems %d", $2, $3, $4, $5, $6}')
}
latency() {  # latency KEY WRITE_URL READ_URL TOKEN ORG
  local key=$1 out
  out=$(client latency "$2" "$3" "$4" "$5" "$LATENCY_WRITES")
  echo "  ${out%%$'\n'*}"
  FIG[$key.latency]=$(echo "$out" | awk '/^LATENCY/ {printf "p50 %s ms  p99 %s ms  max %s ms", $2, $3, $4}')
}

echo "== SQLite, one node (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_node sqlite "$WORK/sqlite"
SQLITE_URL=$NODE_URL SQLITE_PID=$NODE_PID
URL=$SQLITE_URL fetch_names
random_requests "$OUT/random_show.lua" "/api/3/action/package_show?id="
curl -sf "$SQLITE_URL/api/3/action/package_search?q=x&facet.field=%5B%22organization%22%5D" >/dev/null
reads sqlite "$SQLITE_URL"
agencies "$SQLITE_URL" "$OUT/sqlite.tokens" --data "$WORK/sqlite"
read -r ORG TOKEN < "$OUT/sqlite.tokens"
latency sqlite.same "$SQLITE_URL" "$SQLITE_URL" "$TOKEN" "$ORG"
writes sqlite "$OUT/sqlite.tokens" "$SQLITE_URL"
stop_node "$SQLITE_PID"

echo "== PostgreSQL, one node (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_node node1 "$WORK/node1" --catalog "$PG_URL"
N1_URL=$NODE_URL
curl -sf "$N1_URL/api/3/action/package_search?q=x&facet.field=%5B%22organization%22%5D" >/dev/null
reads pg1 "$N1_URL"
agencies "$N1_URL" "$OUT/pg.tokens" --catalog "$PG_URL" --data "$WORK/node1"
read -r ORG TOKEN < "$OUT/pg.tokens"
latency pg1.same "$N1_URL" "$N1_URL" "$TOKEN" "$ORG"
writes pg1 "$OUT/pg.tokens" "$N1_URL"

echo "== PostgreSQL, two nodes (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_node node2 "$WORK/node2" --catalog "$PG_URL"
N2_URL=$NODE_URL
curl -sf "$N2_URL/api/3/action/package_search?q=x&facet.field=%5B%22organization%22%5D" >/dev/null
reads pg2 "$N1_URL" "$N2_URL"
latency pg2.cross "$N1_URL" "$N2_URL" "$TOKEN" "$ORG"
writes pg2 "$OUT/pg.tokens" "$N1_URL" "$N2_URL"
echo "  the nodes' logs: $(grep -h -ciE 'deadlock|serializ|could not' "$OUT"/node*.log | paste -sd+ | bc) lines naming a deadlock, serialization failure or 'could not'"
stop_node "$NODE_PID"

# Is a second node's read gain the second process or more threads waiting on PostgreSQL? Node 2
# alone with twice the HTTP worker threads.
THREADS2=$(( $(nproc) * 2 ))
echo "== PostgreSQL, one node with $THREADS2 HTTP threads (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_node node2b "$WORK/node2" --catalog "$PG_URL" --threads "$THREADS2"
reads pg1t "$NODE_URL"
echo "== end (load $(cut -d' ' -f1-3 /proc/loadavg))"

cores=$(nproc)
per_core() { awk -v c="$cores" '{printf "%.0f", $1 / c}' <<< "$1"; }
cat <<EOF

| (one run, $cores cores, wrk/python on the same cores) | SQLite, 1 node | PostgreSQL, 1 node | PostgreSQL, 2 nodes |
|---|---|---|---|
| import --no-index, $(basename "$SAMPLE") | ${IMPORT_SQLITE} s | ${IMPORT_PG} s | (the same catalog) |
| reindex (search index + map), per node | ${REINDEX_SQLITE} s | ${REINDEX_PG} s | each node its own |
| package_show, -c$CONNECTIONS | ${FIG[sqlite.show]} | ${FIG[pg1.show]} | ${FIG[pg2.show]} |
| package_show req/s per core | $(per_core "${FIG[sqlite.show]}") | $(per_core "${FIG[pg1.show]}") | $(per_core "${FIG[pg2.show]}") |
| package_search, -c$SEARCH_CONNECTIONS | ${FIG[sqlite.search]} | ${FIG[pg1.search]} | ${FIG[pg2.search]} |
| package_search req/s per core | $(per_core "${FIG[sqlite.search]}") | $(per_core "${FIG[pg1.search]}") | $(per_core "${FIG[pg2.search]}") |
| PostgreSQL, 1 node, $THREADS2 HTTP threads | | package_show ${FIG[pg1t.show]}; package_search ${FIG[pg1t.search]} | |
| change-to-searchable ($LATENCY_WRITES creates) | ${FIG[sqlite.same.latency]} (same node) | ${FIG[pg1.same.latency]} (same node) | ${FIG[pg2.cross.latency]} (write node 1, search node 2) |
| 8 agency clients, ${WRITE_SECONDS} s | ${FIG[sqlite.writes]} | ${FIG[pg1.writes]} | ${FIG[pg2.writes]} |
EOF
exit "$WRITE_FAILED"
