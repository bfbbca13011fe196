#!/usr/bin/env bash
# Screenshots of home, search, dataset and map pages (desktop and phone) into docs/screenshots/.
# Start the server first (`make run`, which serves the bundled 2022 list on :8080), then:
#   bash scripts/screenshots.sh [BASE_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/screenshots.mjs "${1:-http://127.0.0.1:8080}"
