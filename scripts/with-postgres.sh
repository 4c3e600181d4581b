#!/usr/bin/env bash
# Runs CMD with SHENPI_TEST_PG_URL pointing at a PostgreSQL server, for the store
# contract tests:
#
#   scripts/with-postgres.sh build/contract_tests
#
# When SHENPI_TEST_PG_URL is already set, or PostgreSQL 15 is not installed, CMD just
# runs as it is. Otherwise a throwaway cluster is made in a temporary directory (never
# the system's default cluster), listening on 127.0.0.1 only at the first free port from
# 54329 up with trust authentication, and is stopped and deleted when CMD ends. The exit
# code is CMD's.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ -n "${SHENPI_TEST_PG_URL:-}" || ! -x "$PG_BIN/initdb" ]]; then
  exec "$@"
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/shenpi-pg-XXXXXX")
data="$dir/data"
started=""

cleanup() {
  if [[ -n "$started" ]]; then
    as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 ||
      as_owner "$PG_BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
fi
chmod 700 "$dir"

if ! as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    >"$dir/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=""
for candidate in $(seq 54329 54428); do
  port_in_use "$candidate" && continue
  # Another process may take the port between the check and the start: then try the next.
  if as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
      -o "-p $candidate -c listen_addresses=127.0.0.1 -k $dir -c fsync=off" start >/dev/null 2>&1; then
    port=$candidate
    started=1
    break
  fi
done
if [[ -z "$port" ]]; then
  echo "with-postgres: could not start PostgreSQL on any port from 54329:" >&2
  tail -n 20 "$dir/server.log" >&2 || true
  exit 1
fi

export SHENPI_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port (data in $dir)" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
