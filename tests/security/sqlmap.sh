#!/usr/bin/env bash
# SQL injection probe: Debian's sqlmap against every parameterised route of a fresh demo
# server, signed in as an applicant and as a trained staff member (all roles of
# 市场监督管理局), and fails on any finding. Long form, by hand (hours at level 5):
#
#   tests/security/sqlmap.sh [SHENPI_BIN]            # default build/shenpi
#
# Environment: SQLMAP_LEVEL (default 5), SQLMAP_RISK (default 3), SQLMAP_ROUTES (an
# extended regex: only routes whose "METHOD PATTERN" matches, e.g. '^GET /api/v1/items'),
# SQLMAP_OUT (kept output directory; default a temporary one, removed on success).
#
# What is probed, from `shenpi routes`: every route with a path parameter ({x} gets a
# sample value and sqlmap's injection mark), the query parameters the handlers read (a
# fixed list below, on GET routes), and the JSON bodies of the API's writes. sqlmap also
# tests the Cookie, User-Agent and Referer headers from level 2/3 on.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-${SHENPI_BIN:-$root/build/shenpi}}
level=${SQLMAP_LEVEL:-5}
risk=${SQLMAP_RISK:-3}
filter=${SQLMAP_ROUTES:-.}
command -v sqlmap >/dev/null || { echo "sqlmap: install the Debian package sqlmap" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "sqlmap: no server binary at $bin" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/shenpi-sqlmap.XXXXXX")
out=${SQLMAP_OUT:-$work/out}
mkdir -p "$out"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  [[ -n "${SQLMAP_OUT:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

# ---- a fresh server with demo data, an applicant and a trained staff member ---------------
data="$work/data"
"$bin" serve --listen 127.0.0.1:0 --data "$data" --demo >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 600); do
  port=$(grep -oE 'listening on [^ :]+:[0-9]+' "$work/server.out" 2>/dev/null | grep -oE '[0-9]+$' || true)
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "${port:-}" ]] || { echo "sqlmap: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
base="http://127.0.0.1:$port"

# The identity helpers (check digits, TOTP) in Python, which sqlmap already needs.
py() { python3 - "$@"; }
applicant_id=$(py <<'EOF'
body = "44510219850615" + "021"
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
print(body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11])
EOF
)
curl -fsS -o /dev/null -H 'content-type: application/json' "$base/api/v1/accounts" \
  -d "{\"kind\":\"person\",\"name\":\"测试\",\"id_number\":\"$applicant_id\",\"mobile\":\"13812345678\",\"password\":\"sqlmap applicant passphrase\"}"
roles=(clerk reviewer approver security_officer)
role_args=()
for r in "${roles[@]}"; do role_args+=(--role "$r"); done
secret=$(printf 'sqlmap staff passphrase\n' | "$bin" staff add --username sqlmap1 --name 测试员 \
  --dept 445100-SCJGJ "${role_args[@]}" --password-stdin --data "$data" 2>/dev/null | sed -n 's/^totp-secret: //p') || true
if [[ -z "$secret" ]]; then  # a role set the separation of duties refuses: fewer roles
  secret=$(printf 'sqlmap staff passphrase\n' | "$bin" staff add --username sqlmap1 --name 测试员 \
    --dept 445100-SCJGJ --role clerk --role security_officer --password-stdin --data "$data" | sed -n 's/^totp-secret: //p')
fi
"$bin" staff train --username sqlmap1 --course 上岗培训 --valid-until 2099-12-31 --data "$data" >/dev/null
# A TOTP code for the staff member's secret at this moment.
totp_now() {
  py "$secret" <<'EOF'
import base64, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000))
EOF
}

# Signs in; prints "cookie<TAB>csrf" (empty fields when refused).
sign_in() {
  local headers body
  headers=$(mktemp "$work/h.XXXXXX")
  body=$(curl -sS -D "$headers" -H 'content-type: application/json' "$base/api/v1/session" -d "$1") || true
  printf '%s\t%s\n' "$(grep -oiE 'shenpi_session=[0-9a-f]+' "$headers" | head -1)" \
    "$(printf '%s' "$body" | python3 -c 'import json, sys
try: print(json.load(sys.stdin)["csrf_token"])
except Exception: print("")')"
}

# A session is only good for probing while it lasts: sessions end after 30 idle minutes (a
# route that does not read the session, like the sign-in itself, is probed for longer than
# that), and the sign-out routes end them on purpose. So every route is probed with a
# session checked just before (renewed when it has ended) and checked again after: a route
# whose session ended while it was probed was probed signed out, and fails the run (unless
# it is a route that signs out).
alive() {  # alive COOKIE: the session answers GET /api/v1/session with 200
  [[ -n "$1" ]] && [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $1" "$base/api/v1/session")" == 200 ]]
}
applicant_cookie="" applicant_csrf="" staff_cookie="" staff_csrf=""
renew_applicant() {
  IFS=$'\t' read -r applicant_cookie applicant_csrf < <(sign_in \
    "{\"login\":\"$applicant_id\",\"password\":\"sqlmap applicant passphrase\",\"totp\":\"\"}")
  alive "$applicant_cookie" || { echo "sqlmap: the applicant cannot sign in" >&2; exit 1; }
}
renew_staff() {  # a TOTP step can be used once: a refusal waits for the next step
  for _ in 1 2 3; do
    IFS=$'\t' read -r staff_cookie staff_csrf < <(sign_in \
      "{\"login\":\"sqlmap1\",\"password\":\"sqlmap staff passphrase\",\"totp\":\"$(totp_now)\"}")
    alive "$staff_cookie" && return 0
    sleep $((31 - $(date +%s) % 30))
  done
  echo "sqlmap: the staff member cannot sign in" >&2
  exit 1
}
renew_applicant
renew_staff
signed_out_routes=()

# ---- targets -------------------------------------------------------------------------------
# Query parameters the handlers read (grep query_param src/), with harmless sample values.
# Each value carries the mark: with a mark in the path, sqlmap tests only marked places.
query='q=1*&page=1*&dept=445100-SCJGJ*&department=445100-SCJGJ*&state=submitted*&from=2026-01-01*&to=2026-12-31*&kind=person*&audience=person*&theme=1*&sort=1*&order=1*&action=1*&number=1*&code=1*&year=2026*&month=1*&status=1*&rule=1*&days=1*'
sample_path() {  # "/a/{b}/c" -> "/a/1*/c": each parameter a sample and the injection mark
  sed -E 's/\{[a-z_]+\.\.\.\}/x.css*/g; s/\{[a-z_]+\}/1*/g' <<<"$1"
}
json_body() {  # a plausible JSON body for an API write, each value tested by sqlmap
  case "$1" in
    */session) echo '{"login":"1","password":"1","totp":"1"}' ;;
    */accounts) echo '{"kind":"person","name":"1","id_number":"1","mobile":"1","password":"1"}' ;;
    */applications) echo '{"item":"445100-SCJGJ-XK-001","data":{"applicant_name":"1"},"submit":false}' ;;
    */actions) echo '{"action":"accept","opinion":"1","item":"1"}' ;;
    */draft) echo '{"data":{"applicant_name":"1"}}' ;;
    */track) echo '{"number":"1","code":"1"}' ;;
    *) echo '{"id":"1","text":"1","reason":"1"}' ;;
  esac
}

run_sqlmap() {  # label, then sqlmap arguments
  local label=$1; shift
  echo "sqlmap: $label"
  sqlmap --batch --flush-session --disable-coloring --level "$level" --risk "$risk" \
    --output-dir "$out" --skip-static --timeout 10 --retries 1 \
    --ignore-code 400,401,403,404,405,409,411,412,413,429 "$@" >>"$out/sqlmap.log" 2>&1 || true
}

mapfile -t routes < <("$bin" routes --data "$data" | grep -E "$filter" | grep -E '^(GET|POST|PUT|DELETE) ')
for line in "${routes[@]}"; do
  read -r method pattern access <<<"$line"
  case "$pattern" in /static/*|/healthz|/metrics) continue ;; esac
  for who in applicant staff; do
    if [[ "$access" == public && "$who" == staff ]]; then continue; fi
    if [[ "$who" == applicant ]]; then
      alive "$applicant_cookie" || renew_applicant
      cookie=$applicant_cookie; csrf=$applicant_csrf
    else
      alive "$staff_cookie" || renew_staff
      cookie=$staff_cookie; csrf=$staff_csrf
    fi
    path=$(sample_path "$pattern")
    if [[ "$method" == GET ]]; then
      run_sqlmap "$who $method $pattern" -u "$base$path?$query" --cookie "$cookie"
    elif [[ "$pattern" == /api/* ]]; then
      run_sqlmap "$who $method $pattern" -u "$base$path" --method "$method" --cookie "$cookie" \
        -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' --data "$(json_body "$pattern")"
    else  # an HTML form post: its token travels in the form
      run_sqlmap "$who $method $pattern" -u "$base$path" --method "$method" --cookie "$cookie" \
        --data "csrf_token=$csrf&q=1&name=1&reason=1&opinion=1&text=1"
    fi
    if [[ "$access" != public ]] && ! alive "$cookie"; then
      case "$method $pattern" in
        "DELETE /api/v1/session"|"POST /logout"|*/sessions/*) ;;  # they sign out: expected
        *) signed_out_routes+=("$who $method $pattern") ;;
      esac
    fi
  done
done

# ---- verdict -------------------------------------------------------------------------------
# sqlmap writes a non-empty "log" per host only for confirmed injection points.
findings=$(find "$out" -name log -size +0 2>/dev/null || true)
if [[ -n "$findings" ]] || grep -qE 'is vulnerable|identified the following injection point' "$out/sqlmap.log"; then
  echo "sqlmap: INJECTION FOUND; details in $out (kept)" >&2
  grep -hE -A8 'identified the following injection point' "$out/sqlmap.log" >&2 || true
  trap - EXIT
  kill "$server_pid" 2>/dev/null || true
  exit 1
fi
if ((${#signed_out_routes[@]} > 0)); then
  echo "sqlmap: the session ended while these were probed (so they were probed signed out):" >&2
  printf '  %s\n' "${signed_out_routes[@]}" >&2
  exit 1
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "sqlmap: the server died during the scan" >&2
  cat "$work/server.err" >&2
  exit 1
fi
echo "sqlmap: no injection found in ${#routes[@]} routes (level $level, risk $risk)"
