# The two commands a newcomer types: `make run` and `make test`. Everything else is a step of those.
BUILD_DIR ?= build
DATA_DIR  ?= var/data
PORT      ?= 8080
JOBS      ?= $(shell nproc)
SAMPLE    := data/sample/datago-list-2022.csv.xz

.PHONY: setup configure build run test bench format clean

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DDATAMAP_WERROR=ON >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# First start imports the bundled real sample (the full 2022 data.go.kr list); later starts reuse it.
run: build
	@bash scripts/run-demo.sh $(BUILD_DIR) $(DATA_DIR) $(PORT) $(SAMPLE)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run-all.sh $(BUILD_DIR)

format:
	@find catalog harvest search graph api app tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR)
