#!/usr/bin/env bash
# Learns related words from a catalog's own text (issue 18, paraphrase): fastText word vectors
# (Debian package `fasttext`) trained on the titles and descriptions as the search analyser reads
# them, and for each word its nearest title-vocabulary words (bench/search_bench.cpp related).
# Writes data/search/related.txt (search/synonyms.h load_related), which is shipped: the server
# needs no fastText.
#   scripts/learn_related.sh DATA_DIR [BUILD_DIR] [OUT]
# Training threads race (fastText's Hogwild): a rerun gives a similar, not identical, file.
set -euo pipefail
data=${1:?data dir}
build=${2:-build}
out=${3:-data/search/related.txt}
min_cosine=${MIN_COSINE:-0.8}
per_word=${PER_WORD:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/search_bench" corpus --data "$data" --out "$work/corpus.txt"
fasttext skipgram -input "$work/corpus.txt" -output "$work/vectors" -dim 50 -epoch 5 \
  -minCount 2 -minn 2 -maxn 3 -thread 2 -verbose 0
"$build/bench/search_bench" related --vectors "$work/vectors.vec" --out "$out" \
  --min-cosine "$min_cosine" --per-word "$per_word"
