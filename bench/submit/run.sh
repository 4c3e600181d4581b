#!/usr/bin/env bash
# Submission benchmark: durable online submissions (POST /api/v1/applications, SQLite in
# WAL with synchronous=FULL) against a raw SQLite loop writing the same rows one
# transaction each on the same disk. See bench/README.md.
#
# Builds nothing of Shenpi: expects build/shenpi (make build) or SHENPI_BIN; builds the
# baseline (raw_sqlite.cpp) with g++. Needs wrk, node, curl, g++, sqlite3 and libsqlite3-dev.
#
# Environment (defaults in common.sh):
#   SHENPI_BIN    the shenpi binary             ITEM       the item applied for
#   DURATION      seconds at full load (10)     WARMUP     seconds of warm-up (3)
#   HALF_SECONDS  seconds at half load (10)     RAW_SECONDS  seconds of each baseline run (5)
#   CONNECTIONS   wrk connections (64)          THREADS    wrk threads (2)
#   WORKERS       server worker threads = baseline threads (8)
#   BENCH_TMP     where the data goes (one disk for both)   OUT_DIR  where results are kept
#   DATA_JSON     form data to submit, when the generated data does not fit ITEM
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
NAME=submit
# shellcheck source=common.sh
source "$here/common.sh"

echo "shenpi: $SHENPI_BIN; data in $work ($(df -P "$work" | awk 'NR == 2 { print $1 }')); results in $OUT_DIR"
start_shenpi
node "$here/client.mjs" setup "$shenpi_url" "$ITEM" "$work" | tee "$OUT_DIR/setup.txt"
# shellcheck disable=SC1091
source "$work/session.env"
export COOKIE CSRF BODY_FILE="$work/body.json"

# 1. Full load: wrk, every request a new application with its own Idempotency-Key.
if [[ "$WARMUP" != 0 ]]; then
  RUN_ID=warm wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$here/submit.lua" "$shenpi_url" >/dev/null
fi
RUN_ID=max wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$here/submit.lua" "$shenpi_url" \
  | tee "$OUT_DIR/wrk-max.txt"
max_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$OUT_DIR/wrk-max.txt")
max_errs=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$OUT_DIR/wrk-max.txt")
wrk_ms() { awk -v q="$1" '$1 == q { v = $2; n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }' "$OUT_DIR/wrk-max.txt"; }
max_p50=$(wrk_ms 50%)
max_p99=$(wrk_ms 99%)
[[ "${max_rps:-0}" -gt 0 ]] || die "no request succeeded at full load (see $OUT_DIR/wrk-max.txt)"

# 2. Half the full-load rate, open loop, each latency counted from when the request was due.
half_rate=$(( max_rps / 2 > 0 ? max_rps / 2 : 1 ))
half=$(node "$here/client.mjs" load "$shenpi_url" "$HALF_SECONDS" "$half_rate" $((CONNECTIONS * 4)) "$BODY_FILE")
echo "$half" >"$OUT_DIR/half.json"
half_rps=$(json_get "$half" 'j.rps')
half_p50=$(json_get "$half" 'j.p50')
half_p99=$(json_get "$half" 'j.p99')
half_errs=$(json_get "$half" 'j.errors')

stop_shenpi  # the baseline runs alone on the machine
bytes=$(doc_bytes)
cases=$(sqlite3 "$work/data/shenpi.db" "SELECT count(*) FROM cases" 2>/dev/null || echo "?")

# 3. The baseline: the same rows, one durable transaction each, no grouping.
raw_baseline insert "$bytes"

{
echo
echo "durable submissions (WAL, synchronous=FULL) on $(nproc) CPUs; $cases cases stored, case documents ~$bytes bytes"
printf '%-34s %10s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms"
printf '%-34s %10s %9s %9s\n' "shenpi, full load (wrk -c$CONNECTIONS)" "$max_rps" "$max_p50" "$max_p99"
printf '%-34s %10s %9s %9s\n' "shenpi, half load ($half_rate/s, open)" "$half_rps" "$half_p50" "$half_p99"
printf '%-34s %10s\n' "raw SQLite, 1 thread" "$raw_1"
printf '%-34s %10s\n' "raw SQLite, $WORKERS threads" "$raw_n"
echo "ratio shenpi/raw (best of the two): $(ratio "$max_rps" "$raw_best")   target >= 1.00"
echo "p99 at half load: $half_p99 ms   target < 50 ms"
if (( max_errs > 0 || half_errs > 0 )); then
  echo "! errors or non-2xx responses: full load $max_errs, half load $half_errs (see $OUT_DIR)"
fi
} | tee "$OUT_DIR/summary.txt"
