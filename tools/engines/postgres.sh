#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server on loopback for the tests and the cross-engine check.
#
#   tools/engines/postgres.sh start   install postgresql-15 if missing (Debian, as root),
#                                     create a cluster in $PG_DATA_DIR and start it
#   tools/engines/postgres.sh stop    stop it
#   tools/engines/postgres.sh env     print the PG* variables dbt's postgres target reads
#
# The server listens on 127.0.0.1:$PGPORT (default 55432, away from a system server on
# 5432), trusts local connections (it is a test server: never expose it) and holds the
# database $PGDATABASE (default marketing_kpis).
set -euo pipefail

PGPORT="${PGPORT:-55432}"
PGDATABASE="${PGDATABASE:-marketing_kpis}"
PG_DATA_DIR="${PG_DATA_DIR:-/tmp/marketing_kpis_pg}"
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"
# the server refuses to run as root: run it as the postgres user the Debian package creates
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi

install_server() {
  if [ -x "${PG_BIN}/initdb" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    echo "error: PostgreSQL ${PG_VERSION} is not installed and installing it needs root:" >&2
    echo "       apt-get install postgresql-${PG_VERSION}" >&2
    exit 1
  fi
  echo "==> installing postgresql-${PG_VERSION} from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "postgresql-${PG_VERSION}" >/dev/null
}

start() {
  install_server
  if [ ! -f "${PG_DATA_DIR}/PG_VERSION" ]; then
    echo "==> creating a PostgreSQL cluster in ${PG_DATA_DIR}"
    mkdir -p "${PG_DATA_DIR}"
    if [ "$(id -u)" = 0 ]; then chown postgres: "${PG_DATA_DIR}"; fi
    "${RUN_AS[@]}" "${PG_BIN}/initdb" -D "${PG_DATA_DIR}" -U postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if "${RUN_AS[@]}" "${PG_BIN}/pg_ctl" -D "${PG_DATA_DIR}" status >/dev/null 2>&1; then
    echo "==> PostgreSQL already running on 127.0.0.1:${PGPORT}"
  else
    echo "==> starting PostgreSQL ${PG_VERSION} on 127.0.0.1:${PGPORT}"
    # fsync off: a test server whose data is rebuilt from scratch on every run
    "${RUN_AS[@]}" "${PG_BIN}/pg_ctl" -D "${PG_DATA_DIR}" -w -l "${PG_DATA_DIR}/server.log" \
      -o "-p ${PGPORT} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c work_mem=64MB \
          -c max_connections=50" start >/dev/null
  fi
  if ! "${PG_BIN}/psql" -h 127.0.0.1 -p "${PGPORT}" -U postgres -d postgres -tAc \
      "select 1 from pg_database where datname = '${PGDATABASE}'" | grep -q 1; then
    "${PG_BIN}/createdb" -h 127.0.0.1 -p "${PGPORT}" -U postgres "${PGDATABASE}"
  fi
}

stop() {
  if [ -f "${PG_DATA_DIR}/PG_VERSION" ]; then
    "${RUN_AS[@]}" "${PG_BIN}/pg_ctl" -D "${PG_DATA_DIR}" -m fast stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env)
    echo "export PGHOST=127.0.0.1 PGPORT=${PGPORT} PGUSER=postgres PGDATABASE=${PGDATABASE}"
    ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
