#!/usr/bin/env bash
# Handling benchmark: durable case actions (POST /api/v1/cases/{number}/actions with
# If-Match: accept, review opinion, recheck opinion, approve) against a raw SQLite loop
# updating a case row of the same width and adding an event row, one transaction each, on
# the same disk. See bench/README.md.
#
# Same requirements and settings as bench/submit/run.sh (see common.sh), plus:
#   CASES   how many submitted cases to prepare before measuring (default 3000); each
#           takes four actions. "starved" in the output means they ran out: raise it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
NAME=approve
CASES=${CASES:-3000}
# shellcheck source=../submit/common.sh
source "$repo/bench/submit/common.sh"

echo "shenpi: $SHENPI_BIN; data in $work ($(df -P "$work" | awk 'NR == 2 { print $1 }')); results in $OUT_DIR"
start_shenpi
# The staff of the item's department, one role each, trained, with their TOTP secrets.
make_staff bench

result=$(node "$here/actions.mjs" "$shenpi_url" "$ITEM" "$work/staff.json" "$CASES" "$DURATION" "$CONNECTIONS" "$HALF_SECONDS")
echo "$result" >"$OUT_DIR/actions.json"
max_rps=$(json_get "$result" 'j.max.rps')
max_p50=$(json_get "$result" 'j.max.p50')
max_p99=$(json_get "$result" 'j.max.p99')
half_rate=$(json_get "$result" 'j.half.rate')
half_rps=$(json_get "$result" 'j.half.rps')
half_p50=$(json_get "$result" 'j.half.p50')
half_p99=$(json_get "$result" 'j.half.p99')
errs=$(json_get "$result" 'j.max.errors + j.half.errors')
starved=$(json_get "$result" '(j.max.statuses.starved || 0) + (j.half.statuses.starved || 0)')
prepared=$(json_get "$result" 'j.prepared')

stop_shenpi
bytes=$(doc_bytes)
raw_baseline update "$bytes"

max_int=$(printf '%.0f' "$max_rps")
{
echo
echo "durable case actions (WAL, synchronous=FULL) on $(nproc) CPUs; $prepared cases prepared, case documents ~$bytes bytes"
printf '%-34s %10s %9s %9s\n' "" "actions/s" "p50 ms" "p99 ms"
printf '%-34s %10s %9s %9s\n' "shenpi, full load (-c$CONNECTIONS)" "$max_int" "$max_p50" "$max_p99"
printf '%-34s %10s %9s %9s\n' "shenpi, half load ($half_rate/s, open)" "$half_rps" "$half_p50" "$half_p99"
printf '%-34s %10s\n' "raw SQLite update, 1 thread" "$raw_1"
printf '%-34s %10s\n' "raw SQLite update, $WORKERS threads" "$raw_n"
echo "ratio shenpi/raw (best of the two): $(ratio "$max_rps" "$raw_best")   target >= 1.00"
echo "p99 at half load: $half_p99 ms   target < 50 ms"
if [[ "$errs" != 0 ]]; then
  echo "! failed actions: $errs; the first: $(json_get "$result" 'j.errors') (see $OUT_DIR)"
fi
if [[ "$starved" != 0 ]]; then echo "! ran out of cases $starved times: raise CASES"; fi
} | tee "$OUT_DIR/summary.txt"
