# The two commands a newcomer types: `make run` and `make test`. Everything else is a step of those.
BUILD_DIR ?= build
ASAN_DIR  ?= build-asan
TSAN_DIR  ?= build-tsan
FUZZ_SECONDS ?= 600
DATA_DIR  ?= var/data
PORT      ?= 8080
JOBS      ?= $(shell nproc)
SAMPLE    := data/sample/datago-list-2022.csv.xz

.PHONY: setup configure build run test test-release build-asan test-asan build-tsan test-tsan fuzz bench format clean

setup:
	@bash scripts/setup.sh

# ccache (scripts/setup.sh installs it) only speeds up rebuilds: it hashes the preprocessed source
# and every flag, so a hit is the object the compiler would have produced.
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DDATAMAP_WERROR=ON $(LAUNCHER) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# First start imports the bundled real sample (the full 2022 data.go.kr list); later starts reuse it.
run: build
	@bash scripts/run-demo.sh $(BUILD_DIR) $(DATA_DIR) $(PORT) $(SAMPLE)

# CI (.ci/run): the Release suite, then the whole suite again under ASan+UBSan with each libFuzzer
# target run briefly, then the concurrency tests under TSan. Each tree is its own build dir.
test: test-release test-asan test-tsan

# A tree without ctest cost data (a clean clone) first gets tests/ctest_costs/<tree>.txt, the
# seconds each test took in a run of that tree here: ctest starts the longest tests first, instead of in file order
# with the long ones (the browser tests, the kill -9 loop) last and alone on one core. Only the
# order matters; ctest replaces the file with its own figures after each run.
SEED_COSTS = mkdir -p $(1)/Testing/Temporary && { [ -f $(1)/Testing/Temporary/CTestCostData.txt ] || \
	cp tests/ctest_costs/$(2).txt $(1)/Testing/Temporary/CTestCostData.txt; }

# On failure the browser tests' failure summary (if they failed) is printed again last, where a
# truncated CI log still shows it.
test-release: build
	@$(call SEED_COSTS,$(BUILD_DIR),release)
	@cd $(BUILD_DIR) && rm -f e2e-report*.txt && { ctest --output-on-failure -j $(JOBS) || { \
	  for r in e2e-report-*.txt; do [ -f "$$r" ] && sed -n '/failing tests:/,$$p' "$$r"; done; exit 1; }; }

# One clang tree for ASan+UBSan and the fuzz targets (cmake/Sanitizers.cmake): the fuzzers need
# the same instrumented libraries, so a separate fuzz tree would compile everything a third time.
# Warnings are not errors here: gcc's -Werror build above is the one that polices them.
# bench/ is not built (its programs are not tests).
SANITIZER_TREE = CC=clang CXX=clang++ cmake -S . -B $(1) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DDATAMAP_WERROR=OFF $(LAUNCHER) $(2) >/dev/null
ASAN_TARGETS := datamap test_catalog test_search test_graph test_net test_harvest test_quality test_api test_datastore test_demand test_conformance test_formats \
	test_openapi fuzz_all

build-asan: setup
	@$(call SANITIZER_TREE,$(ASAN_DIR),-DDATAMAP_FUZZ=ON)
	@cmake --build $(ASAN_DIR) -j $(JOBS) --target $(ASAN_TARGETS)

# Not under ASan: the kill -9 loop (a SIGKILLed server writes no report; the Release run covers it,
# test_crash is not built here), the browser tests (their cost under ASan is not measured yet), and
# the five map tests over the whole real 61k list (minutes each under ASan; the same code paths run
# under ASan on smaller catalogs in the other map tests, and these five run in the Release suite),
# and the import of the whole 61k list twice (80 s under ASan, the longest test there; its nine
# sibling ImportDatagoStore tests run the same import code under ASan on small real files).
ASAN_SKIP := ^(CrashLoop\..*|test_crash_NOT_BUILT|e2e\..*|RealListMap\..*|ImportDatagoStore\.TheFull2022ListImportsAndReimportsWithoutChanges)$$

test-asan: build-asan
	@$(call SEED_COSTS,$(ASAN_DIR),asan)
	@cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS) -E '$(ASAN_SKIP)'

# TSan: the tests where threads share state (concurrent writers, store readers and writers,
# index and map swaps under searches, quotas, harvest jobs in a serving process). Their files make
# one binary in this tree, test_tsan (tests/CMakeLists.txt lists them), built with the server.
TSAN_TARGETS := datamap test_tsan
TSAN_TESTS := ^(BackgroundLoop|ConcurrentWriters|ConcurrentDataStore|SqliteStoreConcurrency|SearchCrash|HarvestService|HarvestApi|HttpQuota)\.|^SearchServiceTest\.(ReindexSwapsWhileSearchesRun|ConcurrentSearchesShareNoXapianObjects|EarlyStoppingKeepsTheBestPageBeforeAndAfterAParallelReindex|BackgroundIndexerPicksUpWrites)$$|^ServiceFixture\.(ReadersKeepWorkingWhileSnapshotsAreSwapped|BackgroundFollowerPicksUpNewDatasets)$$

build-tsan: setup
	@$(call SANITIZER_TREE,$(TSAN_DIR),-DDATAMAP_SANITIZE=thread)
	@cmake --build $(TSAN_DIR) -j $(JOBS) --target $(TSAN_TARGETS)

test-tsan: build-tsan
	@cd $(TSAN_DIR) && ctest --output-on-failure --no-tests=error -j $(JOBS) -R '$(TSAN_TESTS)'

# Every fuzz target for FUZZ_SECONDS (default 600) one after another; the corpus grows in
# $(ASAN_DIR)/fuzz/corpus, crashes are kept in fuzz/crashes/. Fails at the end if any target did.
fuzz: build-asan
	@failed=""; for f in $(ASAN_DIR)/fuzz/fuzz_*; do n=$${f##*/fuzz_}; \
	  echo "== fuzz_$$n for $(FUZZ_SECONDS) s"; \
	  fuzz/run.sh $$f $$n $(FUZZ_SECONDS) $(ASAN_DIR)/fuzz fuzz/crashes || failed="$$failed $$n"; \
	done; if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed (see fuzz/crashes/)"; exit 1; fi

# make bench BENCH_SCALES="61k 1000000": the summary table at each size (bench/summary.sh).
BENCH_SCALES ?= 61k
bench: build
	@BENCH_SCALES="$(BENCH_SCALES)" bash bench/run-all.sh $(BUILD_DIR)

format:
	@find catalog harvest search graph api app tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR)
