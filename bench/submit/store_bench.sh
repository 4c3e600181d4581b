#!/usr/bin/env bash
# Group commit alone, without HTTP: store_bench (N threads calling Database::write) beside
# raw_sqlite (the same rows, one transaction each), on the same disk. See bench/README.md.
#
# Links store_bench against the static libraries of a build directory (BUILD_DIR, default
# build/, i.e. `make build`; any preset's directory works). Environment: THREADS (8),
# SECONDS_EACH (5), DOC_BYTES (3000), MODE (insert | update), RATE (0 = closed loop; else
# also an open-loop run of store_bench at RATE writes/s), BENCH_TMP (where the databases go).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$repo/build}
THREADS=${THREADS:-8}
SECONDS_EACH=${SECONDS_EACH:-5}
DOC_BYTES=${DOC_BYTES:-3000}
MODE=${MODE:-insert}
RATE=${RATE:-0}
SCHEMA=$repo/src/store/migrations/sqlite/0007_cases.sql
for lib in shenpi_store shenpi_app shenpi_core shenpi_resources; do
  [[ -f "$BUILD_DIR/lib$lib.a" ]] || { echo "store_bench.sh: no $BUILD_DIR/lib$lib.a (make build, or set BUILD_DIR)" >&2; exit 1; }
done
work=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/shenpi-store-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
g++ -O2 -std=c++20 "$here/raw_sqlite.cpp" -lsqlite3 -pthread -o "$work/raw_sqlite"
g++ -O2 -std=c++20 -I"$repo/src" "$here/store_bench.cpp" "$BUILD_DIR/libshenpi_store.a" \
  "$BUILD_DIR/libshenpi_app.a" "$BUILD_DIR/libshenpi_core.a" "$BUILD_DIR/libshenpi_resources.a" \
  -lsqlite3 -lpq -lboost_json -pthread -o "$work/store_bench"
common=(--schema "$SCHEMA" --mode "$MODE" --seconds "$SECONDS_EACH" --doc-bytes "$DOC_BYTES")
"$work/raw_sqlite" --db "$work/raw1.db" --threads 1 "${common[@]}"
"$work/raw_sqlite" --db "$work/rawn.db" --threads "$THREADS" "${common[@]}"
"$work/store_bench" --db "$work/store1.db" --threads 1 "${common[@]}"
"$work/store_bench" --db "$work/storen.db" --threads "$THREADS" "${common[@]}"
if [[ "$RATE" != 0 ]]; then
  "$work/store_bench" --db "$work/storer.db" --threads "$((THREADS * 4))" --rate "$RATE" "${common[@]}"
fi
