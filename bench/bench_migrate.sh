#!/usr/bin/env bash
# Migration benchmark (docs/BENCHMARKS.md, "datamap migrate: COPY instead of INSERT"): the real
# 61,359-row 2022 data.go.kr list imported into a SQLite catalog, then `datamap migrate --to` into
# a fresh database of a throwaway PostgreSQL cluster, once per binary given, under /usr/bin/time -v
# (the client's CPU; the server's work shows in the wall time). Give the binary before a change
# as the baseline to see both in the same run.
# Usage: bench/bench_migrate.sh BUILD_DIR [BASELINE_DATAMAP_BINARY]
set -euo pipefail
BUILD_DIR=$(realpath "${1:-build}")
BASELINE=${2:-}
cd "$(dirname "$0")/.."
SAMPLE=data/sample/datago-list-2022.csv.xz
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d)
AS=()
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS=(runuser -u postgres --); fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# As the tests' cluster (tests/support/pg_cluster.cpp): trust on loopback, C locale, no fsync.
"${AS[@]}" "$PGBIN/initdb" -D "$WORK/pg" -A trust -U datamap -E UTF8 --locale=C -N >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -w -l "$WORK/pg.log" \
  -o "-h 127.0.0.1 -p $PORT -k $WORK -F" start >/dev/null
DATA=$WORK/data
mkdir -p "$DATA"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD_DIR/datamap" import --no-index --data "$DATA" "$SAMPLE" | tail -1
n=0
for bin in ${BASELINE:+"$BASELINE"} "$BUILD_DIR/datamap"; do
  n=$((n + 1))
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U datamap "m$n"
  echo "migrate with $bin:"
  /usr/bin/time -v "$bin" migrate --to "postgresql://datamap@127.0.0.1:$PORT/m$n" --data "$DATA" \
    2>&1 >"$WORK/out$n" | grep -E "Elapsed|Maximum resident|User time|System time"
  tail -1 "$WORK/out$n"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
