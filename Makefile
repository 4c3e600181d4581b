# The two commands a newcomer needs: `make run` and `make test` (see README.md).
.PHONY: run test build deps test-deps node-deps test-asan test-fuzz format bench clean

LISTEN ?= 127.0.0.1:8080
DATA ?= var
JOBS ?= 2
# ccache hits across clones in different folders (CI clones afresh each run).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

run: build
	./build/shenpi serve --listen $(LISTEN) --data $(DATA) --demo

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

node-deps: test-deps
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

# Every suite: unit, contract (SQLite, and PostgreSQL on a throwaway cluster), HTTP against
# the real binary, browser; then a sanitizer build of the fast suites; then every fuzz
# harness for a short time (FUZZ_SECONDS each).
test: build node-deps
	scripts/with-postgres.sh ctest --preset release -j $(JOBS)
	$(MAKE) test-asan
	$(MAKE) test-fuzz

test-asan: test-deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	scripts/with-postgres.sh ctest --preset asan -j $(JOBS)

# libFuzzer harnesses (clang-14, ASan + UBSan) over every parser of outside input, each
# for FUZZ_SECONDS from its committed seeds. Longer by hand: tests/fuzz/run.sh 3600.
FUZZ_SECONDS ?= 20
test-fuzz: test-deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	SHENPI_FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --preset fuzz

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h')

bench: build node-deps
	@scripts/install-deps.sh --bench
	bench/guide-page/run.sh
	bench/submit/run.sh
	bench/approve/run.sh

clean:
	rm -rf build build-asan build-debug build-fuzz
