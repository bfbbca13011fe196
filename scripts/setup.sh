#!/usr/bin/env bash
# Installs what the project needs and is missing: Debian packages, then npm packages when
# package-lock.json exists. libcurl comes as libcurl4-gnutls-dev because libraptor2-dev depends
# on that flavour and it conflicts with libcurl4-openssl-dev (asking for both makes apt loop).
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  build-essential cmake pkg-config xz-utils
  libcurl4-gnutls-dev libpistache-dev rapidjson-dev libxapian-dev libboost-graph-dev
  libgtest-dev libgmock-dev libsqlite3-dev libicu-dev libraptor2-dev libxml2-dev libssl-dev
  libcli11-dev libtoml11-dev libspdlog-dev zlib1g-dev liblzma-dev wrk
  # The DataStore: CSV parsing, XLSX/XLS reading (GDAL/OGR), XLSX writing, zip archives, and
  # abseil's flat hash tables for the loader's profile (distinct values of every column).
  libcsv-dev libgdal-dev libxlsxwriter-dev libarchive-dev libabsl-dev
  python3-networkx  # the graph tests read the map's GraphML export with networkx's reader
  # The sanitizer and fuzzing trees (cmake/Sanitizers.cmake): clang with its sanitizer and
  # libFuzzer runtimes; python3 cuts the fuzz seeds from tests/fixtures. ccache speeds rebuilds.
  clang libclang-rt-14-dev python3 ccache
  lld  # links faster than GNU ld (CMakeLists.txt, DATAMAP_LLD)
  # The catalog on PostgreSQL: libpq to build against, and the server the tests start a
  # throwaway cluster of (tests/support/pg_cluster.h, as the package's `postgres` user).
  libpq-dev postgresql
  # Search beyond one node: xapian-tcpsrv serves index shards that `datamap serve` searches as
  # one database ([search] remote_shards, docs/DEPLOY.md); the shard tests start it.
  xapian-tools
)
# Browser tests need Debian's Chromium and Node; installed only when the e2e suite exists.
# fonts-nanum gives headless Chromium Hangul glyphs (screenshots would show boxes without it).
if [ -f package.json ]; then DEB_PACKAGES+=(chromium nodejs fonts-nanum); fi

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # One apt-get for all of them: each call reads the package lists again (~1.2 CPU s, ~6 s here)
  # and runs dpkg's triggers (ldconfig, man-db) again; a fresh machine misses ~40 packages. The
  # one-at-a-time loop was for a libcurl flavour conflict that libcurl4-gnutls-dev has removed.
  # If apt cannot resolve them together, one at a time (the old way) still gets a working machine.
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "setup: one apt-get failed; installing one package at a time"
    for p in "${missing[@]}"; do
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null
    done
  fi
fi

# A symlinked node_modules is another checkout's install (worktrees share one): `npm ci` would
# empty it through the link, under whoever else is using it, so it is left alone.
if [ -f package-lock.json ] && [ ! -L node_modules ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
