#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time:  run.sh FUZZER NAME SECONDS WORK_DIR [CRASH_DIR]
# The corpus grows in WORK_DIR/corpus/NAME (kept between runs); the seeds are read from
# fuzz/seeds/NAME (hand-written) and WORK_DIR/seeds/NAME (cut from tests/fixtures by
# make_seeds.py). A crash, leak, UB report, timeout or out-of-memory is written to
# CRASH_DIR/NAME-<kind>-<sha1> (default WORK_DIR/crashes) and the run exits non-zero; reproduce
# with `FUZZER CRASH_FILE`.
set -euo pipefail
fuzzer=$1 name=$2 seconds=$3 work=$4 crashes=${5:-$4/crashes}
here=$(cd "$(dirname "$0")" && pwd)

corpus=$work/corpus/$name
mkdir -p "$corpus" "$crashes"
inputs=("$corpus")
for d in "$here/seeds/$name" "$work/seeds/$name"; do
  if [ -d "$d" ]; then inputs+=("$d"); fi
done
options=()
if [ -f "$here/dict/$name.dict" ]; then options+=("-dict=$here/dict/$name.dict"); fi
if [ -n "${FUZZ_SEED:-}" ]; then options+=("-seed=$FUZZ_SEED"); fi

# Leaks inside uninstrumented Debian libraries only (each entry says why).
export LSAN_OPTIONS="suppressions=$here/../sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# -timeout: one input taking longer is a hang. -rss_limit_mb: a parser that allocates without
# bound is a finding too. -max_len: big enough for whole small catalogs, small enough to mutate.
exec "$fuzzer" "${options[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/$name-" "${inputs[@]}"
