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
# Then the supervision dashboard (GET /supervision, issue 5: under 200 ms at this size) is
# timed through a running `shenpi serve` as the supervision bureau: DASH_RUNS requests
# (default 20) after one warm-up; the median and the slowest are printed. Needs python3.
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
-- The dashboard's projection of open cases, as the case store keeps it (0012_rectification.sql).
INSERT INTO open_case_keys (case_number, department_code, due_on)
SELECT number, lead_department_code, due_on FROM cases;
INSERT INTO open_case_counts (department_code, due_on, n)
SELECT department_code, due_on, COUNT(*) FROM open_case_keys GROUP BY department_code, due_on;
COMMIT;
ANALYZE;
SQL
echo "generated in $(( $(date +%s) - started )) s; $(du -sh "$work" | cut -f1) on disk"
for run in "first 2026-10-12" "again 2026-10-12" "next 2026-10-13"; do
  set -- $run
  printf '%-6s ' "$1"
  "$SHENPI_BIN" supervise --at "$2" --data "$work" --batch 500 | tail -1
done

# ---- the supervision dashboard ------------------------------------------------------------
command -v python3 >/dev/null || { echo "dashboard: needs python3" >&2; exit 1; }
"$SHENPI_BIN" serve --listen 127.0.0.1:0 --data "$work" --demo --today 2026-10-13 \
  --supervise-every 0 --access-log "$work/access.log" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*listening on [^ :]*:\([0-9]*\).*/\1/p' "$work/serve.out" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "dashboard: serve did not start: $(cat "$work/serve.err")" >&2; exit 1; }
secret=$(printf 'bench supervisor passphrase\n' | "$SHENPI_BIN" staff add --username bench_sup \
  --name 监察员 --dept 445100-JCJ --role supervisor --password-stdin --data "$work" |
  sed -n 's/^totp-secret: //p')
"$SHENPI_BIN" staff train --username bench_sup --course 上岗培训 --valid-until 2099-12-31 \
  --data "$work" >/dev/null
python3 - "$port" "$secret" "${DASH_RUNS:-20}" <<'PY'
import base64, hashlib, hmac, http.client, json, statistics, struct, sys, time
port, secret, runs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
counter = struct.pack(">Q", int(time.time()) // 30)
mac = hmac.new(base64.b32decode(secret + "=" * (-len(secret) % 8)), counter, hashlib.sha1).digest()
o = mac[-1] & 0x0F
code = "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/api/v1/session", json.dumps({"login": "bench_sup",
          "password": "bench supervisor passphrase", "totp": code}),
          {"content-type": "application/json"})
r = c.getresponse()
body = r.read()
assert r.status == 200, body
cookie = r.getheader("set-cookie").split(";")[0]
times = []
for i in range(runs + 1):
    t = time.perf_counter()
    c.request("GET", "/supervision", headers={"cookie": cookie})
    r = c.getresponse()
    page = r.read()
    assert r.status == 200, page[:500]
    if i > 0:
        times.append((time.perf_counter() - t) * 1000)
red = page.decode().split("红灯 ")[1].split("<")[0] if "红灯 " in page.decode() else "?"
print("dashboard GET /supervision: median %.1f ms, slowest %.1f ms over %d requests (%s red)"
      % (statistics.median(times), max(times), runs, red))
PY
