# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# Shared by bench/submit/run.sh and bench/approve/run.sh (sourced, not run): settings, the
# server's start and stop, and the raw SQLite baseline. Expects $repo and $NAME set.

SHENPI_BIN=${SHENPI_BIN:-$repo/build/shenpi}
DURATION=${DURATION:-10}          # seconds of the full-load run
WARMUP=${WARMUP:-3}               # seconds of warm-up before it (not measured)
HALF_SECONDS=${HALF_SECONDS:-10}  # seconds of the half-load run
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}             # wrk threads
WORKERS=${WORKERS:-32}            # the server's worker threads (its default), and the baseline's threads
RAW_SECONDS=${RAW_SECONDS:-5}
ITEM=${ITEM:-445100-ZFCXJSJ-XK-003}  # 商品房预售许可: no required upload, no patterned text
SCHEMA=${SCHEMA:-$repo/src/store/migrations/sqlite/0007_cases.sql}
OUT_DIR=${OUT_DIR:-$repo/bench/out/$NAME-$(date +%Y%m%d-%H%M%S)}

die() { echo "$NAME/run.sh: $*" >&2; exit 1; }
[[ -x "$SHENPI_BIN" ]] || die "no shenpi binary at $SHENPI_BIN (run 'make build' or set SHENPI_BIN)"
[[ -f "$SCHEMA" ]] || die "no cases schema at $SCHEMA"
for tool in wrk node curl g++ sqlite3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/install-deps.sh --bench"
done

# The server's data directory and the baseline's database live side by side in one
# directory, so both write to the same disk (BENCH_TMP chooses which; default TMPDIR).
work=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/shenpi-$NAME.XXXXXX")
mkdir -p "$OUT_DIR"
shenpi_pid=""

stop_shenpi() {  # TERM, wait up to 10 s, then KILL
  local pid=$shenpi_pid
  shenpi_pid=""
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_shenpi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Durable by default: the SQLite adapter opens the database in WAL with synchronous=FULL.
start_shenpi() {
  mkdir -p "$work/data"
  "$SHENPI_BIN" serve --listen 127.0.0.1:0 --data "$work/data" --demo --workers "$WORKERS" \
    >"$work/shenpi.out" 2>"$work/shenpi.err" &
  shenpi_pid=$!
  local port=""
  for _ in $(seq 600); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/shenpi.out" | head -1)
    [[ -n "$port" ]] && break
    kill -0 "$shenpi_pid" 2>/dev/null || die "shenpi exited: $(tail -5 "$work/shenpi.err")"
    sleep 0.1
  done
  [[ -n "$port" ]] || die "shenpi did not report its port within 60 s"
  shenpi_url="http://127.0.0.1:$port"
}

# make_staff PREFIX: the item's department ($ITEM) and, in it, a trained clerk, two reviewers
# and an approver (usernames PREFIX_clerk …), with their TOTP secrets, written to
# $work/staff.json as {"clerk":{"login","password","totp_secret"},…}. Needs a running server.
make_staff() {
  local prefix=$1 dept spec key user role password out secret
  dept=$(curl -fsS "$shenpi_url/api/v1/items/$ITEM" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
    const j=JSON.parse(s); console.log(typeof j.department === "string" ? j.department : j.department.code);});') ||
    die "item $ITEM not found"
  local staff_json="{" sep=""
  for spec in clerk:clerk:clerk reviewer1:rev1:reviewer reviewer2:rev2:reviewer approver:appr:approver; do
    IFS=: read -r key user role <<<"$spec"
    user="${prefix}_$user"
    password="bench staff passphrase $user"
    out=$(printf '%s\n' "$password" | "$SHENPI_BIN" staff add --username "$user" --name "压测$key" --dept "$dept" \
      --role "$role" --password-stdin --data "$work/data") || die "staff add $user failed: $out"
    secret=$(sed -n 's/^totp-secret: \([A-Z2-7]*\)$/\1/p' <<<"$out")
    [[ -n "$secret" ]] || die "no TOTP secret for $user: $out"
    "$SHENPI_BIN" staff train --username "$user" --course 上岗培训 --valid-until 2099-12-31 --data "$work/data" >/dev/null
    staff_json+="$sep\"$key\":{\"login\":\"$user\",\"password\":\"$password\",\"totp_secret\":\"$secret\"}"
    sep=","
  done
  echo "$staff_json}" >"$work/staff.json"
}

# The average width of a stored case document, so that the baseline writes rows as wide.
doc_bytes() {
  local n
  n=$(sqlite3 "$work/data/shenpi.db" "SELECT CAST(avg(length(doc)) AS INTEGER) FROM cases" 2>/dev/null || true)
  echo "${n:-2000}"
}

# raw_baseline MODE DOC_BYTES: runs raw_sqlite with 1 and with $WORKERS threads (server
# stopped) and sets raw_1, raw_n and raw_best (the higher, which the ratio is taken against).
raw_baseline() {
  local mode=$1 bytes=$2
  g++ -O2 -std=c++20 "$repo/bench/submit/raw_sqlite.cpp" -lsqlite3 -pthread -o "$work/raw_sqlite" ||
    die "cannot build raw_sqlite (needs libsqlite3-dev)"
  local out
  for t in 1 "$WORKERS"; do
    rm -f "$work/raw.db" "$work/raw.db-wal" "$work/raw.db-shm"
    out=$("$work/raw_sqlite" --db "$work/raw.db" --schema "$SCHEMA" --mode "$mode" --threads "$t" \
      --seconds "$RAW_SECONDS" --doc-bytes "$bytes")
    echo "$out" >>"$OUT_DIR/raw.txt"
    if [[ "$t" == 1 ]]; then raw_1=$(sed -n 's/.*ops_per_s=\([0-9]*\).*/\1/p' <<<"$out")
    else raw_n=$(sed -n 's/.*ops_per_s=\([0-9]*\).*/\1/p' <<<"$out"); fi
  done
  raw_best=$(( raw_1 > raw_n ? raw_1 : raw_n ))
}

json_get() {  # json_get JSON EXPR: evaluates EXPR on the parsed JSON (as j) with node
  node -e 'const j = JSON.parse(process.argv[1]); const v = eval(process.argv[2]); console.log(typeof v === "number" ? (Number.isInteger(v) ? v : v.toFixed(2)) : JSON.stringify(v));' "$1" "$2"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
