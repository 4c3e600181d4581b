#!/usr/bin/env bash
# Supervision benchmark (issue 5, "Speed"): one supervision pass (shenpi supervise --at)
# over TOTAL cases of which DUE are past their due date, on SQLite. Rows are generated
# with SQL straight into a scratch database (not through HTTP): every case is a realistic
# single-item document in review with one open review task; the DUE ones are due
# 2026-10-09, the others at the end of the year. Three passes are timed:
#   first   2026-10-12: finds every due case late, records its warnings (with their
#           audit entries and outbox events);
#   again   2026-10-12: the same day again (nothing left to examine);
#   next    2026-10-13: a day later (every due case examined again, days updated).
# The pass time printed is the pass alone ("pass N ms"), without opening the database.
# The target: the first pass under 1 s at 1,000,000 cases / 1% due, and the cost growing
# with DUE, not TOTAL: compare e.g. TOTAL=100000 DUE=10000 with the default.
#
#   SHENPI_BIN  the binary (default build/shenpi)
#   TOTAL       cases (default 1000000)
#   DUE         cases due (default TOTAL/100)
#   KEEP=1      keep the scratch directory
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
SHENPI_BIN=${SHENPI_BIN:-$repo/build/shenpi}
TOTAL=${TOTAL:-1000000}
DUE=${DUE:-$((TOTAL / 100))}
command -v sqlite3 >/dev/null || { echo "needs sqlite3 (Debian package sqlite3)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/shenpi-bench-supervise.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
"$SHENPI_BIN" migrate --data "$work" >/dev/null

# One document for every row: the store takes the number from the row.
doc='{"number":"","version":1,"state":"in_review","region_code":"445100","lead_department_code":"445100-SCJGJ","lead_department_name":"潮州市市场监督管理局","applicant_account_id":"00000000-0000-4000-8000-000000000001","applicant_kind":"organisation","applicant_name":"潮州市湘桥区好味道餐馆","applicant_id_masked":"914***********0X","channel":"online","data_json":"{\"applicant_name\":\"潮州市湘桥区好味道餐馆\",\"premises\":\"潮州市湘桥区太平路100号\",\"business_kind\":\"catering\",\"area\":\"120\"}","created_on":"2026-09-01","submitted_on":"2026-09-01","received_on":"2026-09-01","accepted_on":"2026-09-01","parts":[{"seq":0,"item_code":"445100-SCJGJ-XK-001","item_version_id":1,"item_name":"食品经营许可","department_code":"445100-SCJGJ","department_name":"潮州市市场监督管理局","result_name":"食品经营许可证","legal_limit_days":20,"promised_limit_days":15,"state":"review"}],"tasks":[{"id":1,"part_seq":-1,"stage":"acceptance","department_code":"445100-SCJGJ","state":"done","created_on":"2026-09-01","done_on":"2026-09-01"},{"id":2,"part_seq":0,"stage":"review","department_code":"445100-SCJGJ","state":"open","created_on":"2026-09-01"}],"next_task_id":3}'
every=$((TOTAL / (DUE > 0 ? DUE : 1)))
echo "generating $TOTAL cases ($DUE due) in $work ..."
started=$(date +%s)
sqlite3 "$work/shenpi.db" <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $TOTAL)
INSERT INTO cases (number, version, state, title, region_code, lead_department_code,
                   applicant_account_id, applicant_name, submitted_on, due_on, updated_on,
                   updated_at, created_at, doc)
SELECT printf('44510020260901%05d', i), 1, 'in_review', '食品经营许可', '445100', '445100-SCJGJ',
       '00000000-0000-4000-8000-000000000001', '潮州市湘桥区好味道餐馆', '2026-09-01',
       CASE WHEN i % $every = 0 AND i / $every <= $DUE THEN '2026-10-09' ELSE '2026-12-31' END,
       '2026-09-01', 0, 0, '$doc'
FROM n;
INSERT INTO case_tasks (case_number, task_id, part_seq, stage, department_code, state, created_on, due_on)
SELECT number, 2, 0, 'review', '445100-SCJGJ', 'open', '2026-09-01', due_on FROM cases;
COMMIT;
ANALYZE;
SQL
echo "generated in $(( $(date +%s) - started )) s; $(du -sh "$work" | cut -f1) on disk"
for run in "first 2026-10-12" "again 2026-10-12" "next 2026-10-13"; do
  set -- $run
  printf '%-6s ' "$1"
  "$SHENPI_BIN" supervise --at "$2" --data "$work" --batch 500 | tail -1
done
