#!/usr/bin/env bash
# Runs every benchmark script in bench/ (bench_*.sh) in turn; each prints its figures and the
# command that produced them. Usage: bench/run-all.sh BUILD_DIR
set -euo pipefail
BUILD_DIR=${1:-build}
cd "$(dirname "$0")/.."
for script in bench/bench_*.sh; do
  [ -e "$script" ] || continue
  echo "== $script"
  bash "$script" "$BUILD_DIR"
done
