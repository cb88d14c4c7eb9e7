#!/usr/bin/env bash
# A throwaway PostgreSQL for the clinic-store tests: Debian's `postgresql` package, one cluster in
# a temporary folder, run by the `postgres` user, listening only on a unix socket (no TCP port).
#   eval "$(bash .ci/postgres.sh start)"   # prints the exports the tests read:
#     REFERRAL_TEST_PG_DSN   the `clinic_store` fixture's PostgreSQL side (skipped when unset)
#     REFERRAL_TEST_PG_CTL, REFERRAL_TEST_PG_DATA   for the stop-the-server-mid-run tests
#   bash .ci/postgres.sh stop "$REFERRAL_TEST_PG_DATA"
set -euo pipefail
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}
pgbin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

case "${1:-start}" in
start)
  # strace: tests/test_clinic_privacy.py watches the app's connections from outside.
  missing=""
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="postgresql"
  command -v strace >/dev/null || missing="$missing strace"
  if [ -n "$missing" ] && command -v apt-get >/dev/null; then
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
  bin=$(pgbin)
  dir=$(mktemp -d /tmp/referral-pg.XXXXXX)
  chown postgres: "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
  # In the configuration (not on the command line), so a test that restarts it gets the same.
  printf "listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\n" "$dir" \
    >>"$dir/data/postgresql.conf"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start >/dev/null
  as_pg "$bin/createdb" -h "$dir" -U postgres referral_test
  echo "export REFERRAL_TEST_PG_DSN='host=$dir dbname=referral_test user=postgres'"
  echo "export REFERRAL_TEST_PG_CTL='$bin/pg_ctl' REFERRAL_TEST_PG_DATA='$dir/data'"
  echo "ci: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $dir" >&2
  # PgBouncer in transaction pooling in front of it (how many IT departments run PostgreSQL),
  # on a unix socket in the same folder (port 6432 names the socket): the suite runs again
  # through it with REFERRAL_TEST_PG_DSN set to REFERRAL_TEST_PGBOUNCER_DSN. The settings are
  # docs/CLINIC_DATABASE.md's: with the server stopped (the server-away tests) a query waits
  # query_wait_timeout (5 s; PgBouncer's default 120 s made each of those tests take 2 minutes).
  if ! command -v pgbouncer >/dev/null && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  fi
  if command -v pgbouncer >/dev/null; then
    printf '"postgres" ""\n' >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
referral_test = host=$dir dbname=referral_test user=postgres
[pgbouncer]
listen_addr =
listen_port = 6432
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
pidfile = $dir/pgbouncer.pid
logfile = $dir/pgbouncer.log
admin_users = postgres
server_login_retry = 1
query_wait_timeout = 5
INI
    chown postgres: "$dir/pgbouncer.ini" "$dir/userlist.txt"
    as_pg pgbouncer -d -q "$dir/pgbouncer.ini"
    echo "export REFERRAL_TEST_PGBOUNCER_DSN='host=$dir port=6432 dbname=referral_test user=postgres'"
    echo "ci: PgBouncer $(pgbouncer --version | head -1 | awk '{print $2}') (transaction pooling) on $dir" >&2
  fi
  ;;
stop)
  data=${2:?usage: postgres.sh stop DATADIR}
  pid="$(dirname "$data")/pgbouncer.pid"
  [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
  as_pg "$(pgbin)/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$(dirname "$data")"
  ;;
esac
