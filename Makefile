# Thin wrapper around CMake so that `make verify` and `make test` work from a fresh clone.
#   make verify   install missing packages (as root), build, run every claim (quick, --strict)
#   make verify-seeds  the catalogue under 20 seeds: lists claims whose verdict depends on it
#   make test     install, build, run all tests with ctest, then again under ASan+UBSan, then
#                 each fuzz target for FUZZ_SECONDS (20) from its seed corpus
#   make fuzz     the fuzz targets for longer (FUZZ_LONG seconds each, default 600)
#   make build    build/theorycheck
#   make figures  the full profile, for papers (results/full): every figure in
#                 FIGURE_FORMATS, then the documents' figures in results/full/figures/doc
#                 (docs/figures.md)
#   make bench    benchmarks -> bench/RESULTS.md
#   make bench-peers  kernels against PyTorch / scipy / numpy -> bench/PEERS.md (not in test)
#   make readme   the README claims table from `theorycheck list --format markdown`
#   make clean
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 20
FUZZ_LONG  ?= 600
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
ifeq ($(CI),true)
CMAKE_ARGS += -DTC_WERROR=ON
endif

.PHONY: all deps build build-asan build-fuzz verify verify-seeds test test-asan fuzz-test fuzz \
        figures bench bench-peers readme clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTC_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# libFuzzer targets (tests/fuzz): clang, every layer instrumented, ASan + UBSan.
build-fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTC_FUZZ=ON \
	  -DTC_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_ARGS) >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

fuzz-test: build-fuzz
	cd $(FUZZ_BUILD) && ctest -L fuzz --output-on-failure -j $(JOBS)

fuzz: FUZZ_SECONDS = $(FUZZ_LONG)
fuzz: fuzz-test

verify: build
	./$(BUILD)/theorycheck run --profile quick --strict --out results/latest

# Seed robustness: the catalogue under 20 run seeds; exits 1 listing any claim whose verdict
# depends on the seed (about 20 x the time of `make verify`).
verify-seeds: build
	./$(BUILD)/theorycheck sweep --all --seeds 20 --no-plots --out results/seeds

test: build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  THEORYCHECK_SANITIZED=1 ctest --output-on-failure -j $(JOBS)
	$(MAKE) fuzz-test

# The full profile trains the MLP collapse claims, perturbation_deep and double_descent (with
# their controls) on the shipped digits data (data/README.md) and runs max_margin on Soudry et
# al.'s Figure 1 set; then `report --doc-figures` composes the documents' figures from the CSVs
# (docs/figures.md). The run's exit status (1 when a verdict fails) is kept, after the figures
# are drawn.
DIGITS = data/optdigits.csv
FIGURE_FORMATS ?= pdf,svg,png
figures: build
	./$(BUILD)/theorycheck run --profile full --out results/full --figure-format $(FIGURE_FORMATS) \
	  --data neural_collapse_mlp=$(DIGITS) --data neural_collapse_mlp_decades=$(DIGITS) \
	  --data perturbation_deep=$(DIGITS) --data perturbation_deep_no_noise=$(DIGITS) \
	  --data double_descent=$(DIGITS) --data double_descent_ridge=$(DIGITS) \
	  --data max_margin=data/soudry_fig1.csv; status=$$?; \
	[ $$status -le 1 ] || exit $$status; \
	./$(BUILD)/theorycheck report results/full --doc-figures --figure-format $(FIGURE_FORMATS) \
	  || status=1; exit $$status

bench: build
	./$(BUILD)/tc_bench > bench/RESULTS.md.tmp
	bash bench/sweep.sh ./$(BUILD)/theorycheck >> bench/RESULTS.md.tmp
	mv bench/RESULTS.md.tmp bench/RESULTS.md
	@cat bench/RESULTS.md

# Peer benchmarks (issue #16): installs python3-torch/-scipy/-sklearn, times each kernel and its
# peer on identical inputs, one thread each, checks they agree -> bench/PEERS.md.
bench-peers: build
	bash bench/peers/deps.sh
	bash bench/peers/run.sh $(BUILD) bench/PEERS.md

# The README's claims block is the catalogue: regenerate it from the descriptors.
readme: build
	./$(BUILD)/theorycheck list --format markdown > README.claims.tmp
	awk 'FNR == NR { block = block $$0 "\n"; next } \
	     /<!-- claims-table/ { print; printf "%s", block; skip = 1; next } \
	     /<!-- \/claims-table -->/ { skip = 0 } !skip' README.claims.tmp README.md > README.md.tmp
	rm -f README.claims.tmp && mv README.md.tmp README.md

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) results
