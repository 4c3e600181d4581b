#!/usr/bin/env bash
# Runs every libFuzzer harness of the fuzz build for a fixed time each and fails on any
# crash, sanitizer report, timeout or out-of-memory.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]
#
# SECONDS per harness (default $SHENPI_FUZZ_SECONDS, else 20: what CI runs; longer by
# hand, e.g. 3600). Harnesses default to every *_fuzz binary in $SHENPI_FUZZ_BIN_DIR
# (default build-fuzz, made by
# `cmake --preset fuzz && cmake --build --preset fuzz`). Each run first replays the
# committed seeds (tests/fuzz/corpus/<name>/) and the regression inputs
# (tests/fuzz/regressions/<name>/); new inputs go to a scratch corpus, so the committed
# one only changes when someone copies interesting inputs back by hand. A crashing input
# is kept in $SHENPI_FUZZ_OUT (default: a temporary directory, printed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
seconds=${1:-${SHENPI_FUZZ_SECONDS:-20}}
# A single input running longer than this many seconds counts as a hang. On a machine busy
# with other work (or a run under `nice`) ASan's allocator can stall a harmless input for
# seconds: replay a reported timeout input alone before believing it, and raise this for
# long runs beside other work.
unit_timeout=${SHENPI_FUZZ_TIMEOUT:-10}
shift || true
bin_dir=${SHENPI_FUZZ_BIN_DIR:-$here/../../build-fuzz}
out=${SHENPI_FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/shenpi-fuzz.XXXXXX")}
mkdir -p "$out"

harnesses=("$@")
if (( ${#harnesses[@]} == 0 )); then
  for src in "$here"/*_fuzz.cpp; do harnesses+=("$(basename "$src" .cpp)"); done
fi

failed=()
for name in "${harnesses[@]}"; do
  exe="$bin_dir/$name"
  if [[ ! -x "$exe" ]]; then
    echo "fuzz: $exe is missing (build it: cmake --preset fuzz && cmake --build --preset fuzz)" >&2
    exit 2
  fi
  scratch="$out/$name/corpus"
  mkdir -p "$scratch" "$out/$name/artifacts"
  seeds=()
  for d in "$here/corpus/$name" "$here/regressions/$name"; do [[ -d "$d" ]] && seeds+=("$d"); done
  log="$out/$name/log.txt"
  # -timeout: an input taking SHENPI_FUZZ_TIMEOUT s is a hang; -rss_limit_mb keeps two parallel CI
  # jobs within memory; -max_len bounds inputs to what the routes accept in spirit.
  # Leak checking is on (ASan's default); UBSan halts on the first report.
  if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
     "$exe" -max_total_time="$seconds" -timeout="$unit_timeout" -rss_limit_mb=2048 -max_len=8192 \
            -print_final_stats=1 -artifact_prefix="$out/$name/artifacts/" \
            "$scratch" "${seeds[@]}" >"$log" 2>&1; then
    execs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz: $name ok (${seconds}s, $execs runs)"
  else
    echo "fuzz: $name FAILED; log and crashing input in $out/$name" >&2
    tail -n 60 "$log" >&2
    failed+=("$name")
  fi
done

if (( ${#failed[@]} > 0 )); then
  echo "fuzz: failures in ${failed[*]}" >&2
  exit 1
fi
# Keep nothing behind on success unless asked to.
[[ -n "${SHENPI_FUZZ_OUT:-}" ]] || rm -rf "$out"
