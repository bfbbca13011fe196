#!/usr/bin/env bash
# Soak benchmark (not in CI): SOAK_MINUTES of mixed traffic over loopback against `datamap serve`
# holding the bundled 2022 data.go.kr list (61,359 datasets), to show that nothing grows or breaks
# over time: 0 5xx, p99 steady, RSS flat, file descriptors bounded, data dir growing only with the
# writes.
#   reads   wrk (bench/soak_wrk.lua): package_search, package_show, dataset and search pages,
#           datamap_related, home, organization_list; with a token (see the config below)
#   writes  WRITES_PER_SECOND package_create / package_patch / package_delete with a sysadmin token
#   harvest every HARVEST_EVERY seconds a job on a data.json source served from loopback (python's
#           http.server), alternating the two real CDC catalogs in tests/fixtures (1,141 / 1,359
#           datasets), so each run adds, updates and deletes
# Every SOAK_INTERVAL seconds one row: requests done, req/s, read and write 5xx, 429s, socket
# errors, p99 and p50 over the interval, server RSS, open fds (/proc/PID/fd), data dir size, load.
# Output: $SOAK_OUT/soak.csv, $SOAK_OUT/soak.md (summary, also printed), server log beside them.
# Requests go to 127.0.0.1 only and stop at the deadline.
#
# Usage: bench/soak.sh [BUILD_DIR]
#   SOAK_MINUTES=30 SOAK_INTERVAL=20 CONNECTIONS=8 SERVER_THREADS=2 WRITES_PER_SECOND=2
#   HARVEST_EVERY=300 SOAK_OUT=var/soak BENCH_DATA_DIR (a pristine catalog, copied; default
#   var/bench-data, imported once)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
SOAK_MINUTES=${SOAK_MINUTES:-30}
export SOAK_INTERVAL=${SOAK_INTERVAL:-20}
SERVER_THREADS=${SERVER_THREADS:-2}
WRITES_PER_SECOND=${WRITES_PER_SECOND:-2}
HARVEST_EVERY=${HARVEST_EVERY:-300}
SOAK_OUT=${SOAK_OUT:-var/soak}
CONNECTIONS=${CONNECTIONS:-8}
DURATION=${SOAK_INTERVAL}s
source bench/lib/http_bench.sh  # imports the pristine catalog once; start_command, wait_idle

# The soak writes, so it works on a copy of the pristine catalog.
mkdir -p "$SOAK_OUT"
SOAK_OUT=$(cd "$SOAK_OUT" && pwd)
SOAK_DATA="$SOAK_OUT/data"
rm -rf "$SOAK_DATA"
# Index the pristine catalog once, so that every soak starts from a built index.
[ -d "$DATA_DIR/index" ] || "$BIN" reindex --data "$DATA_DIR" > /dev/null
cp -a "$DATA_DIR" "$SOAK_DATA"

# Explicit limits: the soak measures the server, not its rate limiter. Quotas per token are off;
# API requests carry the token, but portal pages are always anonymous (charged to 127.0.0.1), so
# the anonymous rate limit is off too.
cat > "$SOAK_OUT/datamap.toml" <<'TOML'
[harvest]
allow_hosts = ["127.0.0.1"]
[quota]
per_second = 0
per_day = 0
[rate_limit]
per_minute = 0
expensive_per_minute = 0
TOML
TOKEN=$("$BIN" user add soak --sysadmin --data "$SOAK_DATA" | tail -1)

# The remote catalog the harvest source points at.
mkdir -p "$OUT/remote"
cp tests/fixtures/cdc-data.json.2024-09 "$OUT/remote/data.json"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$OUT/remote" > "$OUT/remote.log" 2>&1 &
REMOTE_PID=$!
BACKGROUND="$REMOTE_PID"
trap 'kill $BACKGROUND 2>/dev/null || true; cleanup' EXIT
REMOTE_PORT=""
for _ in $(seq 1 100); do
  REMOTE_PORT=$(grep -o 'port [0-9]*' "$OUT/remote.log" | head -1 | cut -d' ' -f2 || true)
  [ -n "$REMOTE_PORT" ] && break
  sleep 0.1
done
[ -n "$REMOTE_PORT" ] || { echo "soak: the fixture remote did not start"; cat "$OUT/remote.log"; exit 1; }

start_command 60 "$BIN" serve --data "$SOAK_DATA" --port 0 --threads "$SERVER_THREADS" \
  --config "$SOAK_OUT/datamap.toml"
echo "soak: server $URL (pid $SERVER_PID), waiting until its indexing is done"
wait_idle

api() {  # api ACTION JSON: prints "STATUS BODY" (STATUS 000: no answer)
  local reply
  reply=$(curl -s -m 60 -w '\n%{http_code}' -H "Authorization: $TOKEN" \
    -H 'Content-Type: application/json' -d "$2" "$URL/api/3/action/$1" || true)
  echo "${reply##*$'\n'} ${reply%$'\n'*}"
}
api organization_create '{"name": "soak-writes", "title": "Soak writes"}' >/dev/null
api organization_create '{"name": "soak-harvest", "title": "Soak harvest"}' >/dev/null
api harvest_source_create "{\"name\": \"soak-cdc\", \"url\": \"http://127.0.0.1:$REMOTE_PORT/data.json\",
  \"source_type\": \"datajson\", \"owner_org\": \"soak-harvest\", \"frequency\": \"MANUAL\"}" \
  | grep -q '^200 ' || { echo "soak: harvest_source_create failed"; exit 1; }
curl -s "$URL/api/3/action/package_list" | jq -r '.result[]' | shuf -n 20000 --random-source=<(yes) \
  > "$OUT/names.txt"
export SOAK_NAMES="$OUT/names.txt" SOAK_TOKEN="$TOKEN"
END=$(($(date +%s) + SOAK_MINUTES * 60))

# Writes: create, patch one created before, delete an older one; each line "epoch op status".
writer() {
  local i=0 created=() op name status
  while [ "$(date +%s)" -lt "$END" ]; do
    i=$((i + 1))
    case $((i % 5)) in
      0 | 1 | 2) op=create; name="soak-w-$i"
        status=$(api package_create "{\"name\": \"$name\", \"title\": \"소크 시험 데이터 $i\",
          \"notes\": \"soak write $i\", \"owner_org\": \"soak-writes\", \"tags\": [{\"name\": \"soak\"}],
          \"resources\": [{\"url\": \"https://example.org/$i.csv\", \"format\": \"CSV\"}]}" | cut -d' ' -f1)
        [ "$status" = 200 ] && created+=("$name") ;;
      3) op=patch; name=soak-w-1
        [ ${#created[@]} = 0 ] || name=${created[$((RANDOM % ${#created[@]}))]}
        status=$(api package_patch "{\"id\": \"$name\", \"notes\": \"patched at $i\"}" | cut -d' ' -f1) ;;
      4) op=delete; name=${created[0]:-none}
        status=$(api package_delete "{\"id\": \"$name\"}" | cut -d' ' -f1)
        created=("${created[@]:1}") ;;
    esac
    echo "$(date +%s) $op $status" >> "$SOAK_OUT/writes.log"
    sleep "$(awk -v r="$WRITES_PER_SECOND" 'BEGIN {printf "%.3f", 1 / r}')"
  done
}

# Harvests: every HARVEST_EVERY s, the other CDC catalog and a new job; its end is logged.
harvester() {
  local n=0 job status
  while [ "$(date +%s)" -lt "$END" ]; do
    n=$((n + 1))
    cp "tests/fixtures/cdc-data.json.$([ $((n % 2)) = 1 ] && echo 2024-09 || echo 2025-09)" \
      "$OUT/remote/data.json.tmp" && mv "$OUT/remote/data.json.tmp" "$OUT/remote/data.json"
    job=$(api harvest_job_create '{"source_id": "soak-cdc"}' | cut -d' ' -f2- | jq -r '.result.id // empty')
    local started; started=$(date +%s)
    while [ -n "$job" ]; do
      status=$(api harvest_job_show "{\"id\": \"$job\"}" | cut -d' ' -f2-)
      case $(echo "$status" | jq -r '.result.status') in
        New | Running) sleep 5 ;;
        *) echo "$(date +%s) job $n $(echo "$status" | jq -c '.result | {status, stats, seconds: (now | floor)}')" \
             | sed "s/\"seconds\":[0-9]*/\"seconds\":$(($(date +%s) - started))/" >> "$SOAK_OUT/harvests.log"
           break ;;
      esac
      [ "$(date +%s)" -lt "$END" ] || break
    done
    local next=$((started + HARVEST_EVERY))
    while [ "$(date +%s)" -lt "$next" ] && [ "$(date +%s)" -lt "$END" ]; do sleep 1; done
  done
}

: > "$SOAK_OUT/writes.log"
: > "$SOAK_OUT/harvests.log"
writer & BACKGROUND="$BACKGROUND $!"
harvester & BACKGROUND="$BACKGROUND $!"

to_ms() { awk '{v = $1; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.1f", v}'; }
echo "minute,requests,req_per_s,read_5xx,read_429,socket_errors,p50_ms,p99_ms,writes,write_5xx,rss_mb,fds,data_mb,load1" \
  > "$SOAK_OUT/soak.csv"
START=$(date +%s)
writes_seen=0
echo "soak: $SOAK_MINUTES min, $SOAK_INTERVAL s samples, wrk -c$CONNECTIONS, $SERVER_THREADS server threads, $(nproc) cores"
while [ "$(date +%s)" -lt "$END" ]; do
  wrk -t 1 -c "$CONNECTIONS" -d "$DURATION" --latency -s bench/soak_wrk.lua "$URL" > "$OUT/wrk.txt" 2>&1 || true
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "soak: the server died"; tail -50 "$OUT/server.log"; exit 1; }
  requests=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt" | to_ms)
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt" | to_ms)
  read_5xx=$(awk '/^soak:/ {print $3}' "$OUT/wrk.txt")
  read_429=$(awk '/^soak:/ {print $5}' "$OUT/wrk.txt")
  sockets=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' "$OUT/wrk.txt")
  writes_now=$(wc -l < "$SOAK_OUT/writes.log")
  write_5xx=$(tail -n +$((writes_seen + 1)) "$SOAK_OUT/writes.log" | awk '$3 >= 500 || $3 == "000" {n++} END {print n + 0}')
  rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
  fds=$(ls "/proc/$SERVER_PID/fd" | wc -l)
  data=$(du -sm "$SOAK_DATA" | cut -f1)
  printf '%.1f,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$(awk -v s=$(($(date +%s) - START)) 'BEGIN {print s / 60}')" \
    "${requests:-0}" "${rps:-0}" "${read_5xx:-?}" "${read_429:-?}" "${sockets:-0}" "$p50" "$p99" \
    "$((writes_now - writes_seen))" "$write_5xx" "$rss" "$fds" "$data" "$(cut -d' ' -f1 /proc/loadavg)" \
    | tee -a "$SOAK_OUT/soak.csv"
  writes_seen=$writes_now
done
for pid in $BACKGROUND; do [ "$pid" = "$REMOTE_PID" ] || wait "$pid" 2>/dev/null || true; done
# Memory once the traffic has stopped: what a long run leaves behind.
sleep "$SOAK_INTERVAL"
IDLE_RSS=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
cp "$OUT/server.log" "$SOAK_OUT/server.log"

# ---- the summary
python3 - "$SOAK_OUT" "$SOAK_MINUTES" "$CONNECTIONS" "$SERVER_THREADS" "$IDLE_RSS" <<'PY' | tee "$SOAK_OUT/soak.md"
import csv, collections, json, os, statistics, sys
out, minutes, conns, threads, idle_rss = sys.argv[1:6]
rows = list(csv.DictReader(open(f"{out}/soak.csv")))
num = lambda k: [float(r[k]) for r in rows if r[k] not in ("", "?")]
writes = [l.split() for l in open(f"{out}/writes.log") if l.strip()]
by = collections.Counter(f"{w[1]} {w[2]}" for w in writes)
harvests = [json.loads(l.split(" ", 3)[3]) for l in open(f"{out}/harvests.log") if l.strip()]
rss, fds, data, p99 = num("rss_mb"), num("fds"), num("data_mb"), num("p99_ms")
print(f"### Soak: {minutes} min of mixed traffic ({len(rows)} samples)\n")
print(f"- reads: {int(sum(num('requests'))):,} requests, {int(sum(num('read_5xx')))} 5xx, "
      f"{int(sum(num('read_429')))} 429, {int(sum(num('socket_errors')))} socket errors; "
      f"req/s median {statistics.median(num('req_per_s')):.0f}")
print(f"- writes: {len(writes)} ({', '.join(f'{k}: {v}' for k, v in sorted(by.items()))}); "
      f"5xx or no answer: {int(sum(num('write_5xx')))}")
print(f"- harvests: {len(harvests)} jobs: " + "; ".join(
    f"{h['status']} +{h['stats'].get('added', 0)}/~{h['stats'].get('updated', 0)}/-{h['stats'].get('deleted', 0)}"
    f" in {h['seconds']} s" for h in harvests))
print(f"- p99 per sample interval: min {min(p99):.1f} ms, median {statistics.median(p99):.1f} ms, max {max(p99):.1f} ms")
third = max(1, len(rss) // 3)
print(f"- server RSS: first {rss[0]:.0f} MB, max {max(rss):.0f} MB, last {rss[-1]:.0f} MB "
      f"(median of the first third {statistics.median(rss[:third]):.0f}, of the last third {statistics.median(rss[-third:]):.0f}); "
      f"{idle_rss} MB {os.environ.get('SOAK_INTERVAL', '20')} s after the traffic stopped")
print(f"- open fds: min {min(fds):.0f}, max {max(fds):.0f}, last {fds[-1]:.0f}")
print(f"- data dir: {data[0]:.0f} MB -> {data[-1]:.0f} MB")
print(f"- wrk -c{conns}, {threads} server threads; load average (1 min) median {statistics.median(num('load1')):.1f}\n")
print("| minute | req/s | 5xx | p50 ms | p99 ms | writes | RSS MB | fds | data MB | load |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
step = max(1, len(rows) // 15)
for r in rows[::step] + ([rows[-1]] if (len(rows) - 1) % step else []):
    print(f"| {r['minute']} | {r['req_per_s']} | {int(float(r['read_5xx'] or 0)) + int(r['write_5xx'])} | {r['p50_ms']} | {r['p99_ms']} "
          f"| {r['writes']} | {r['rss_mb']} | {r['fds']} | {r['data_mb']} | {r['load1']} |")
PY
