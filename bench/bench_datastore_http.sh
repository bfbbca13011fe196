#!/usr/bin/env bash
# datastore_search over loopback HTTP with concurrent clients (wrk) on a table of ROWS generated
# rows of the parking file's shape (bench/bench_load.cpp generates and loads it): a filter on one
# column the loader indexed, a filter on one it did not, and `q` full text (rare and common
# words). Beside each, the same SQL straight through SQLite (Python's sqlite3 module, one client,
# no HTTP) on the same database in the same run: the floor the server adds its work to.
#
# Usage: bash bench/bench_datastore_http.sh BUILD_DIR
#   ROWS=1000000 GEN_DIR=/tmp/bench-load (the generated CSV is kept there and reused)
#   DURATION=20s CONNECTIONS=8 WRK_THREADS=1 SERVER_THREADS=0 (0: one per core)
#   KEEP_DATA=DIR: the served data dir is DIR and is kept; a second run with the same DIR (e.g.
#   another build's binaries: before and after on one table) skips the load.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?build dir}
ROWS=${ROWS:-1000000}
GEN_DIR=${GEN_DIR:-/tmp/bench-load}
CONNECTIONS=${CONNECTIONS:-8}
if [ -n "${KEEP_DATA:-}" ]; then
  BENCH_DATA_DIR=$KEEP_DATA
  mkdir -p "$BENCH_DATA_DIR"
else
  BENCH_DATA_DIR=$(mktemp -d)
fi
source bench/lib/http_bench.sh
trap 'cleanup; [ -n "${KEEP_DATA:-}" ] || rm -rf "$BENCH_DATA_DIR"' EXIT

if [ -f "$DATA_DIR/.bench-datastore" ]; then  # KEEP_DATA of an earlier run: loaded already
  read -r TOKEN RID < "$DATA_DIR/.bench-datastore"
  start_server "${SERVER_THREADS:-0}"
else
TOKEN=$("$BIN" user add bench --sysadmin --data "$DATA_DIR" | tail -1)
start_server "${SERVER_THREADS:-0}"
action() {  # action NAME JSON: POST as the sysadmin, prints the response
  curl -sf -H "Authorization: $TOKEN" -H 'Content-Type: application/json' \
    -d "$2" "$URL/api/3/action/$1"
}
action organization_create '{"name": "bench"}' >/dev/null
RID=$(action package_create '{"name": "bench-parking", "title": "bench", "owner_org": "bench", "resources":
        [{"name": "parking", "url": "http://example.com/parking.csv", "format": "CSV"}]}' |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["result"]["resources"][0]["id"])')
stop_server

mkdir -p "$GEN_DIR"
"$BUILD_DIR/bench/bench_load" --rows "$ROWS" --dir "$GEN_DIR" --reuse \
  --into "$DATA_DIR/datastore.db" --resource-id "$RID"
echo "$TOKEN $RID" > "$DATA_DIR/.bench-datastore"
start_server "${SERVER_THREADS:-0}"
fi

# The queries: a filter on one column of each kind a user filters on (a code, a category with a
# common value, a name, an address, a number), sorts, and `q` full text; values taken from the
# table's first row. Each line says whether the column has a B-tree index.
python3 - "$DATA_DIR/datastore.db" "$RID" > "$OUT/queries.txt" <<'PY'
import json, sqlite3, sys, urllib.parse
db, rid = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
indexes = c.execute("SELECT indexes FROM _ds_tables WHERE resource_id = ?", (rid,)).fetchone()[0]
indexed = set(indexes.split("\x1f"))
def first(col):
    # ORDER BY _id: the first row's value, not the column index's smallest
    return c.execute(f'SELECT "{col}" FROM "{rid}" WHERE "{col}" IS NOT NULL ORDER BY _id LIMIT 1'
                     ).fetchone()[0]
base = "/api/3/action/datastore_search?resource_id=" + rid + "&limit=10&"
def enc(**kw):
    return base + urllib.parse.urlencode(kw)
def tag(col):
    return col + ("(indexed)" if col in indexed else "(unindexed)")
for kind, col in (("code", "제공기관코드"), ("category", "주차장구분"), ("name", "주차장명"),
                  ("address", "소재지도로명주소"), ("number", "주차구획수"), ("date", "데이터기준일자")):
    print("filter-" + kind, tag(col), enc(filters=json.dumps({col: str(first(col))}, ensure_ascii=False)))
print("filter-category-estimated", tag("주차장구분"), enc(
    filters=json.dumps({"주차장구분": first("주차장구분")}, ensure_ascii=False), total_estimation_threshold=1000))
print("sort", tag("주차구획수") + "-desc", enc(sort="주차구획수 desc"))
print("filter+sort", tag("제공기관코드") + "+" + tag("주차구획수"),
      enc(filters=json.dumps({"제공기관코드": str(first("제공기관코드"))}, ensure_ascii=False), sort="주차구획수 desc"))
# The shapes of issue 13's second round: a common category sorted by a number, two columns with
# and without a sort (the contains-filter is measured in SQLite below).
two = json.dumps({"제공기관코드": str(first("제공기관코드")), "주차장구분": first("주차장구분")},
                 ensure_ascii=False)
print("filter-category+sort", tag("주차장구분") + "+" + tag("주차구획수"),
      enc(filters=json.dumps({"주차장구분": first("주차장구분")}, ensure_ascii=False), sort="주차구획수 desc"))
print("filter2", tag("제공기관코드") + "+" + tag("주차장구분"), enc(filters=two))
print("filter2+sort", tag("제공기관코드") + "+" + tag("주차장구분") + "+" + tag("주차구획수"),
      enc(filters=two, sort="주차구획수 desc"))
# The same pair of fields with another common code: its first request is a count nothing kept,
# after the requests above asked for a two-column index on the pair (docs/DATASTORE.md).
other = c.execute('SELECT "제공기관코드" FROM "' + rid + '" WHERE "제공기관코드" != ? '
                  'GROUP BY 1 ORDER BY count(*) DESC LIMIT 1', (first("제공기관코드"),)).fetchone()[0]
print("filter2-other-code", tag("제공기관코드") + "+" + tag("주차장구분"), enc(filters=json.dumps(
    {"제공기관코드": str(other), "주차장구분": first("주차장구분")}, ensure_ascii=False)))
# A filter on one field of that pair again: it must still read its own index, not the pair's.
print("filter-category-again", tag("주차장구분"),
      enc(filters=json.dumps({"주차장구분": first("주차장구분")}, ensure_ascii=False)))
for word in ("율하", "수성구", "주차장"):
    print("q", word, enc(q=word))
# CKAN's total_estimation_threshold: the common word's total estimated past 1,000 matches.
print("q-estimated", "주차장", enc(q="주차장", total_estimation_threshold=1000))
PY

echo "bench: $ROWS rows; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION;" \
  "server threads ${SERVER_THREADS:-0}; $(uptime)"
echo "indexed fields: $(sqlite3 "$DATA_DIR/datastore.db" "SELECT replace(indexes, char(31), ', ') FROM _ds_tables")"
while read -r kind what path; do
  # The first request of each query is timed alone: nothing is kept for it yet (a counted total
  # is kept per table state and query, docs/DATASTORE.md "Storage"); wrk's repeats then hit it.
  first=$(curl -sf -o "$OUT/first.json" -w '%{time_total}' "$URL$path")
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d.get("result") or d; print("  matches:", r.get("total", r.get("matchCount")), "(estimated)" if r.get("total_was_estimated") else "", "first request:", round(float(sys.argv[2]) * 1000, 1), "ms")' "$OUT/first.json" "$first"
  run "datastore_search $kind $what" "$path"
done < "$OUT/queries.txt"
run "status_show (HTTP floor)" /api/3/action/status_show

echo "the same SQL through SQLite directly (one client, no HTTP):"
python3 - "$DATA_DIR/datastore.db" "$RID" "$OUT/queries.txt" <<'PY'
import json, sqlite3, sys, time, urllib.parse
db, rid, queries = sys.argv[1:4]
c = sqlite3.connect(db)
fts = '"_ds_fts_' + rid + '"'
def bigrams(w):
    return '"' + " ".join(w[i:i + 2] for i in range(len(w) - 1)) + '"'
for line in open(queries):
    kind, what, path = line.split(" ", 2)
    if kind.endswith("-estimated") or "sort" in kind:
        continue  # the server's own sampling, sorts: the HTTP figures only
    qs = urllib.parse.parse_qs(urllib.parse.urlparse(path.strip()).query)
    if kind == "q":
        where, args = f"_id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)", [bigrams(what)]
    else:
        items = json.loads(qs["filters"][0]).items()
        where, args = " AND ".join(f'"{col}" = ?' for col, _ in items), [v for _, v in items]
        plan = c.execute(f'EXPLAIN QUERY PLAN SELECT count(*) FROM "{rid}" WHERE {where}', args)
        print(f"  plan of {what}: {' / '.join(r[3] for r in plan)}")
    times, start = [], time.perf_counter()
    while len(times) < 200 and (len(times) < 5 or time.perf_counter() - start < 5):
        t = time.perf_counter()
        c.execute(f'SELECT * FROM "{rid}" WHERE {where} ORDER BY _id LIMIT 10', args).fetchall()
        c.execute(f'SELECT count(*) FROM "{rid}" WHERE {where}', args).fetchone()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p = lambda f: times[min(len(times) - 1, int(f * len(times)))]
    print(f"  sqlite3 {kind} {what:<20} p50 {p(0.5):.2f}ms p99 {p(0.99):.2f}ms ({len(times)} runs)")
# A contains-filter (the automatic Open API's cond[…::LIKE]) on a Korean word: the LIKE alone
# (a scan: the SQL before the change) and narrowed by the full-text index first (after).
like = "CAST(\"소재지도로명주소\" AS TEXT) LIKE '%수성구%'"
for name, where, args in (
        ("scan", like, []),
        ("narrowed", f"_id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?) AND {like}",
         [bigrams("수성구")])):
    times = []
    while len(times) < 20:
        t = time.perf_counter()
        c.execute(f'SELECT * FROM "{rid}" WHERE {where} ORDER BY _id LIMIT 10', args).fetchall()
        n = c.execute(f'SELECT count(*) FROM "{rid}" WHERE {where}', args).fetchone()[0]
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"  sqlite3 contains 수성구 ({name}, {n} rows) p50 {times[10]:.1f}ms max {times[-1]:.1f}ms")
PY
echo "server peak RSS: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$SERVER_PID/status")"
