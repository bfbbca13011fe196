#!/usr/bin/env bash
# The real ckanapi client against datamap: `action` calls, `dump` of a site imported from the
# 2022 data.go.kr list, `load` of that dump into a second, empty site, the two dumps compared
# (bench/ckanapi_compare.py: ids, names, owners, groups, extras, resources, memberships), then a
# multipart upload (`resource_create ... upload@FILE`) and `datastore_search` on it. Prints one
# timing line per step; exits 1 when anything failed or differs.
#
# Usage: bench/ckanapi_check.sh CKANAPI_CHECKOUT [ROWS|all] [BUILD_DIR]
#   CKANAPI_CHECKOUT: a checkout of github.com/ckan/ckanapi (not installed; run from there with
#   Debian's python3 and its packages: apt-get install python3-requests python3-docopt
#   python3-simplejson python3-slugify python3-setuptools). ROWS: the first ROWS datasets of the
#   list (default 2000), or all 61,359. PROCESSES (default 4): ckanapi's -p.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n '2,13p' "$0"; exit 2; }
CKANAPI_DIR=$(realpath "$1")
ROWS=${2:-2000}
BUILD_DIR=${3:-build}
PROCESSES=${PROCESSES:-4}
BIN="$BUILD_DIR/datamap"
LIST=data/sample/datago-list-2022.csv.xz
UPLOAD=data/sample/datafiles/datago-std-parking-15012896.csv
PY=/usr/bin/python3
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$BIN" ] || { echo "ckanapi_check: $BIN is missing: run 'make build' first" >&2; exit 1; }
[ -f "$CKANAPI_DIR/ckanapi/cli/main.py" ] || { echo "ckanapi_check: no ckanapi in $CKANAPI_DIR" >&2; exit 1; }
$PY -c 'import requests, docopt, simplejson, slugify' 2>/dev/null || {
  echo "ckanapi_check: apt-get install python3-requests python3-docopt python3-simplejson python3-slugify" >&2
  exit 1
}

# ckanapi as its console script (pyproject: ckanapi = ckanapi.cli.main:main) on PATH: its dump
# and load workers start `ckanapi` again. version.py asks importlib.metadata for the version.
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$CKANAPI_DIR/pyproject.toml")
mkdir -p "$WORK/py/ckanapi-$VERSION.dist-info" "$WORK/bin"
printf 'Metadata-Version: 2.1\nName: ckanapi\nVersion: %s\n' "$VERSION" \
  > "$WORK/py/ckanapi-$VERSION.dist-info/METADATA"
cat > "$WORK/bin/ckanapi" <<EOF
#!/bin/sh
PYTHONPATH="$CKANAPI_DIR:$WORK/py" exec $PY -c 'import sys; from ckanapi.cli.main import main; sys.exit(main())' "\$@"
EOF
chmod +x "$WORK/bin/ckanapi"
export PATH="$WORK/bin:$PATH"

now() { date +%s.%N; }
took() { printf '%-44s %6.1f s\n' "$1" "$(echo "$(now) - $2" | bc)"; }

# The source site: the list (or its head) imported, a sysadmin to dump with, and members of two
# agencies so memberships travel too.
if [ "$ROWS" = all ]; then
  cp "$LIST" "$WORK/list.csv.xz"
  SOURCE_LIST="$WORK/list.csv.xz"
else
  xz -dc "$LIST" | awk -v n=$((ROWS + 1)) 'NR <= n' > "$WORK/list.csv"  # no SIGPIPE
  SOURCE_LIST="$WORK/list.csv"
fi
t=$(now)
"$BIN" import --data "$WORK/src" "$SOURCE_LIST" > "$WORK/import.log" 2>&1
took "import ($ROWS rows)" "$t"
SRC_TOKEN=$("$BIN" user add dumper --sysadmin --data "$WORK/src" 2>/dev/null | tail -1)
DST_TOKEN=$("$BIN" user add loader --sysadmin --data "$WORK/dst" 2>/dev/null | tail -1)
printf '[rate_limit]\nper_minute = 0\nexpensive_per_minute = 0\n' > "$WORK/serve.toml"

# start NAME: `datamap serve` on a free port, once its search index has caught up; sets URL.
start() {
  "$BIN" serve --data "$WORK/$1" --port 0 --config "$WORK/serve.toml" > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  URL=""
  for _ in $(seq 1 1200); do
    URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/$1.log" | head -1 || true)
    if [ -n "$URL" ] && $PY - "$URL" 2>/dev/null <<'EOF'; then return 0; fi
import json, sys, urllib.request
s = json.load(urllib.request.urlopen(sys.argv[1] + "/api/3/action/status_show"))["result"]
sys.exit(0 if s["search_revision"] >= s["revision"] else 1)
EOF
    sleep 0.5
  done
  echo "ckanapi_check: $1 did not start:"; cat "$WORK/$1.log"; exit 1
}
start src
SRC=$URL
ORGS=$(curl -s "$SRC/api/3/action/organization_list?limit=2" | $PY -c 'import json,sys; print(" ".join(json.load(sys.stdin)["result"]))')
set -- $ORGS
"$BIN" user add agency-editor --org "$1" --role editor --data "$WORK/src" > /dev/null 2>&1
"$BIN" user add agency-admin --org "$2" --role admin --data "$WORK/src" > /dev/null 2>&1
start dst
DST=$URL
FAILED=0
fail() { echo "FAILED: $*"; FAILED=1; }

# action: package_search and package_show as a user types them.
t=$(now)
COUNT=$(ckanapi action package_search q=교통 rows:5 -r "$SRC" -j | $PY -c 'import json,sys; print(json.load(sys.stdin)["count"])')
took "action package_search q=교통 ($COUNT found)" "$t"
[ "$COUNT" -gt 0 ] || fail "package_search found nothing"
FIRST=$(curl -s "$SRC/api/3/action/package_list?limit=1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["result"][0])')
t=$(now)
ckanapi action package_show id="$FIRST" -r "$SRC" -j | $PY -c 'import json,sys; assert json.load(sys.stdin)["name"] == sys.argv[1]' "$FIRST" \
  || fail "package_show $FIRST"
took "action package_show id=$FIRST" "$t"

# dump the source, load into the empty target (users, organizations with their members,
# groups, datasets: the order their references need), dump the target.
mkdir -p "$WORK/before" "$WORK/after"
dump_all() {  # SITE TOKEN DIR
  local kind flags
  for kind in users organizations groups datasets; do
    flags=""
    [ "$kind" = organizations ] && flags="--include-users"
    t=$(now)
    ckanapi dump "$kind" --all $flags -p "$PROCESSES" -q -O "$3/$kind.jsonl" -r "$1" -a "$2"
    took "dump $kind --all ($(wc -l < "$3/$kind.jsonl")) from $(basename "$3")" "$t"
  done
}
dump_all "$SRC" "$SRC_TOKEN" "$WORK/before"
for kind in users organizations groups datasets; do
  t=$(now)
  ckanapi load "$kind" -I "$WORK/before/$kind.jsonl" -p "$PROCESSES" -q -l "$WORK/load-$kind.log" \
    -r "$DST" -a "$DST_TOKEN"
  ERRORS=$($PY -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)[3]))' "$WORK/load-$kind.log")
  took "load $kind ($ERRORS errors)" "$t"
  if [ "$ERRORS" -gt 0 ]; then
    fail "load $kind"
    grep -v ',null,' "$WORK/load-$kind.log" | head -3
  fi
done
dump_all "$DST" "$DST_TOKEN" "$WORK/after"
$PY bench/ckanapi_compare.py "$WORK/before" "$WORK/after" dumper,loader || fail "the dumps differ"

# A multipart upload into the target, loaded into the DataStore, then searched there.
t=$(now)
RID=$(ckanapi action resource_create package_id="$FIRST" name=ckanapi-upload format=CSV \
  "upload@$UPLOAD" -r "$DST" -a "$DST_TOKEN" -j | $PY -c 'import json,sys; print(json.load(sys.stdin)["id"])')
took "action resource_create upload@$(basename "$UPLOAD")" "$t"
t=$(now)
TOTAL=0
for _ in $(seq 1 240); do
  TOTAL=$(ckanapi action datastore_search resource_id="$RID" limit:1 -r "$DST" -a "$DST_TOKEN" -j 2>/dev/null \
    | $PY -c 'import json,sys; print(json.load(sys.stdin).get("total", 0))' 2>/dev/null || echo 0)
  [ "$TOTAL" -gt 0 ] && break
  sleep 0.5
done
took "action datastore_search ($TOTAL rows)" "$t"
[ "$TOTAL" -gt 0 ] || fail "datastore_search on the upload"

[ "$FAILED" = 0 ] && echo "ckanapi $VERSION: every step passed" || echo "ckanapi $VERSION: FAILED"
exit "$FAILED"
