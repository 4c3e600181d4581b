#!/usr/bin/env bash
# Soak: a mixed load (public page views, applications, staff actions on them) at a share
# of its measured maximum for a long time, to show that latency and memory stay flat and
# that no request fails. See bench/README.md ("soak").
#
# Builds nothing: expects build/shenpi (make build) or SHENPI_BIN. Needs node and curl
# (plus what bench/submit/common.sh checks for).
#
# Environment:
#   SHENPI_BIN      the shenpi binary (build/shenpi)
#   DURATION        seconds of the open-loop soak (600)
#   SAMPLE_SECONDS  a row of figures every this many seconds (10)
#   SHARE           percent of the measured maximum to run at (80)
#   RATE            a fixed rate in req/s instead (to compare two builds at the same load)
#   PROBE_SECONDS   seconds of the closed-loop run that measures the maximum (90: long enough
#                   to include the supervision job's pass and the growth of the tables, so
#                   that the maximum is one the server sustains, not its first 20 s)
#   CONNECTIONS     client connections (64)          WORKERS  server worker threads (8)
#   PREPARE         cases submitted before measuring (200)
#   DRAIN_SECONDS   how long answers still due at the end are waited for (120)
#   KEEP_DATA       1 keeps the server's data directory (printed at the end) for a look
#   MIX             percent public views, applications, staff actions ("80,12,8")
#   ITEM            the item applied for (bench/submit/common.sh)
#   BENCH_TMP       where the data directory goes    OUT_DIR  where results are kept
# Exit status: 0 when every response was the expected one, 1 when any request failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck disable=SC2034  # NAME is read by common.sh
NAME=soak
export DURATION=${DURATION:-600} SAMPLE_SECONDS=${SAMPLE_SECONDS:-10} SHARE=${SHARE:-80}
export PROBE_SECONDS=${PROBE_SECONDS:-90} CONNECTIONS=${CONNECTIONS:-64} PREPARE=${PREPARE:-200}
export MIX=${MIX:-80,12,8}
# shellcheck source-path=SCRIPTDIR source=../submit/common.sh
source "$repo/bench/submit/common.sh"
if [[ "${KEEP_DATA:-0}" == 1 ]]; then
  trap stop_shenpi EXIT  # common.sh's cleanup would also delete the data directory
fi

echo "shenpi: $SHENPI_BIN; data in $work ($(df -P "$work" | awk 'NR == 2 { print $1 }')); results in $OUT_DIR"
start_shenpi
# Trained staff of the item's department (as in bench/approve): the clerk accepts, two
# reviewers give opinion and recheck, the approver decides.
make_staff soak

status=0
node "$here/soak.mjs" "$shenpi_url" "$ITEM" "$work/staff.json" "$shenpi_pid" "$OUT_DIR" | tee "$OUT_DIR/table.txt" ||
  status=1
[[ -f "$OUT_DIR/result.json" ]] || die "the load client stopped early (see above)"
kill -0 "$shenpi_pid" 2>/dev/null || { echo "! the server died during the soak: $(tail -5 "$work/shenpi.err")"; status=1; }
cp "$work/shenpi.out" "$OUT_DIR/server.out"
cp "$work/shenpi.err" "$OUT_DIR/server.err"
cases=$(sqlite3 "$work/data/shenpi.db" "SELECT count(*) FROM cases" 2>/dev/null || echo "?")
echo
node "$here/report.mjs" "$OUT_DIR" || status=1
echo "$cases cases in the database at the end; table, chart (soak.svg) and raw figures in $OUT_DIR"
if [[ "${KEEP_DATA:-0}" == 1 ]]; then echo "data kept in $work/data"; fi
exit "$status"
