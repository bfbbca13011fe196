#!/usr/bin/env bash
# `make run`: serves the catalog at http://localhost:PORT. The first start imports the bundled
# real sample (the 2022 data.go.kr list) and creates a sysadmin "admin" whose API token is kept
# in DATA_DIR/admin-token (mode 600); later starts reuse both.
# Usage: scripts/run-demo.sh BUILD_DIR DATA_DIR PORT SAMPLE
set -euo pipefail
BUILD_DIR=${1:-build}
DATA_DIR=${2:-var/data}
PORT=${3:-8080}
SAMPLE=${4:-data/sample/datago-list-2022.csv.xz}
BIN="$BUILD_DIR/datamap"

[ -x "$BIN" ] || { echo "run: $BIN is missing: run 'make build' first" >&2; exit 1; }
mkdir -p "$DATA_DIR"

# The marker is written only after a successful import, so an interrupted first start imports
# again next time (the import is idempotent by source key).
if [ ! -f "$DATA_DIR/catalog.db" ] || [ ! -f "$DATA_DIR/.sample-imported" ]; then
  echo "run: first start: importing $SAMPLE into $DATA_DIR"
  "$BIN" import --data "$DATA_DIR" "$SAMPLE"
  touch "$DATA_DIR/.sample-imported"
else
  echo "run: reusing the catalog in $DATA_DIR (delete the directory to start over)"
fi

# The bundled real data files go into the DataStore under their catalog entries (목록키), once:
# a newcomer finds rows to query without preparing anything. Its own marker, so a data dir made
# before this step gets the files on its next start.
DATAFILES="$(dirname "$SAMPLE")/datafiles"
if [ ! -f "$DATA_DIR/.sample-attached" ] && [ -d "$DATAFILES" ]; then
  echo "run: attaching the bundled data files (전국주차장정보표준데이터, 전국도시공원정보표준데이터)"
  # The marker keeps the parking resource's id for the hints below.
  if parking=$("$BIN" attach --data "$DATA_DIR" 15012896 "$DATAFILES/datago-std-parking-15012896.csv") &&
    echo "$parking" &&
    "$BIN" attach --data "$DATA_DIR" 15012890 "$DATAFILES/datago-std-citypark-15012890.csv"; then
    echo "$parking" | sed -n 's/.* as resource \([0-9a-f-]*\)$/\1/p' > "$DATA_DIR/.sample-attached"
  else
    echo "${parking:-}"
    echo "run: attaching the data files failed (above); serving without their rows, retried next start" >&2
  fi
fi
PARKING_RESOURCE=$(cat "$DATA_DIR/.sample-attached" 2>/dev/null || true)

TOKEN_FILE="$DATA_DIR/admin-token"
if [ ! -s "$TOKEN_FILE" ]; then
  (umask 077 && "$BIN" user add admin --sysadmin --data "$DATA_DIR" > "$TOKEN_FILE.tmp")
  mv "$TOKEN_FILE.tmp" "$TOKEN_FILE"
fi
chmod 600 "$TOKEN_FILE"

echo
echo "  datamap:      http://localhost:$PORT/"
echo "  API:          http://localhost:$PORT/api/3/action/package_show?id=15000000"
echo "  admin token:  $(cat "$TOKEN_FILE")   (saved in $TOKEN_FILE)"
if [ -n "$PARKING_RESOURCE" ]; then
  echo "  rows:         http://localhost:$PORT/api/3/action/datastore_search?resource_id=$PARKING_RESOURCE&limit=5"
  echo "  load job:     http://localhost:$PORT/api/3/action/datastore_job_status?resource_id=$PARKING_RESOURCE"
fi
echo "  try:          curl -H \"Authorization: \$(cat $TOKEN_FILE)\" http://localhost:$PORT/api/3/action/user_show"
echo
exec "$BIN" serve --data "$DATA_DIR" --port "$PORT" --host 127.0.0.1
