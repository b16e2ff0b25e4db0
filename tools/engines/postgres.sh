#!/usr/bin/env bash
# Throw-away PostgreSQL 15 servers on loopback, one per run: for the tests and for a
# local try-out. Every server has a free port chosen when it starts (never a fixed one,
# never a server that was already listening), a folder of its own (a fresh mktemp
# folder holding the data, the log and nothing else) and a database of its own.
#
#   tools/engines/postgres.sh run [--] COMMAND [ARG...]
#       start a server of this run, run COMMAND with PGHOST, PGPORT, PGUSER and
#       PGDATABASE pointing at it (every other PG* variable of the caller unset; also
#       MARKETING_KPIS_PG_RUN=<its folder> and PGDATA=<its data folder>), then stop the
#       server and remove its folder, whether COMMAND passes or fails (and on INT, TERM
#       or HUP). Exit status: COMMAND's. `make test-postgres` and
#       `make compare-engines` run their steps this way.
#   tools/engines/postgres.sh start   start a server for local use and record it in
#                                     target/engines/postgres-local.env of this checkout
#   tools/engines/postgres.sh env     print the PG* variables of that server:
#                                     eval "$(tools/engines/postgres.sh env)"
#   tools/engines/postgres.sh stop    stop that server and remove its folder
#   tools/engines/postgres.sh install install postgresql-15 if missing (Debian, as root)
#
# postgresql-15 is installed from Debian's packages when missing (as root). The server
# listens on 127.0.0.1 only, without a Unix socket, and trusts local connections (a test
# server: never expose it). Run as root, it runs as the postgres user of the package.
# Settings: PG_TRY_PORTS="p1 p2 ..." tries these ports, in order, instead of free ports
# from the kernel (a port something listens on is skipped); PG_LOCAL_STATE moves the
# record of `start`; TMPDIR is where the folders go (default /tmp).
set -euo pipefail

PG_VERSION=15
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_LOCAL_STATE="${PG_LOCAL_STATE:-${PROJECT_DIR}/target/engines/postgres-local.env}"
# the server refuses to run as root: run it as the postgres user the Debian package creates
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi
# nothing of the caller's libpq settings (PGPORT, PGHOSTADDR, PGSERVICE, ...) may send this
# script's clients, or the command of `run`, to another server
for name in $(compgen -e); do
  if [[ "${name}" =~ ^PG[A-Z] ]]; then unset "${name}"; fi
done
# this script's own clients: a port that accepts and never answers must not hang a run
export PGCONNECT_TIMEOUT=10

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

# candidate ports: PG_TRY_PORTS, or a few free ports handed out by the kernel
candidate_ports() {
  if [ -n "${PG_TRY_PORTS:-}" ]; then echo "${PG_TRY_PORTS}"; return; fi
  python3 -c '
import socket
for _ in range(5):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])'
}

# whether nothing is bound to 127.0.0.1:$1 (a bind test: it never connects to anything)
port_is_free() {
  python3 -c '
import socket, sys
with socket.socket() as s:
    try:
        s.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)' "$1"
}

# a server in the folder $1 (made by mktemp, empty) with the database $2; sets PORT
start_server() {
  local dir="$1" database="$2" port ports
  install_server
  if [ "$(id -u)" = 0 ]; then chown postgres: "${dir}"; fi
  "${RUN_AS[@]}" "${PG_BIN}/initdb" -D "${dir}/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"${dir}/initdb.log" 2>&1 \
    || { cat "${dir}/initdb.log" >&2; echo "error: initdb failed in ${dir}/data" >&2; return 1; }
  PORT=
  ports="$(candidate_ports | xargs)"
  for port in ${ports}; do
    port_is_free "${port}" || continue
    # fsync off: a test server whose data is rebuilt from scratch on every run. A port
    # taken between the check and the start makes the server fail to bind: next port.
    if "${RUN_AS[@]}" "${PG_BIN}/pg_ctl" -D "${dir}/data" -w -t 60 -l "${dir}/server.log" \
        -o "-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c work_mem=64MB -c max_connections=50" start >/dev/null 2>&1; then
      PORT="${port}"
      break
    fi
  done
  if [ -z "${PORT}" ]; then
    tail -n 20 "${dir}/server.log" >&2 2>/dev/null || true
    echo "error: no PostgreSQL server could start in ${dir} (ports tried:" \
      "${ports})" >&2
    return 1
  fi
  # the server answering on the port must be the one of this folder
  local served
  served="$("${PG_BIN}/psql" -h 127.0.0.1 -p "${PORT}" -U postgres -d postgres -XwtAc \
    "select current_setting('data_directory')")"
  if [ "${served}" != "${dir}/data" ]; then
    echo "error: 127.0.0.1:${PORT} serves ${served}, not ${dir}/data" >&2
    return 1
  fi
  "${PG_BIN}/createdb" -h 127.0.0.1 -p "${PORT}" -U postgres "${database}"
}

# stop the server of the folder $1 (if it runs) and remove the folder
stop_server() {
  local dir="$1" pid=""
  [ -n "${dir}" ] && [ -d "${dir}" ] || return 0
  if [ -f "${dir}/data/postmaster.pid" ]; then
    pid="$(head -n 1 "${dir}/data/postmaster.pid")"
    "${RUN_AS[@]}" "${PG_BIN}/pg_ctl" -D "${dir}/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || "${RUN_AS[@]}" "${PG_BIN}/pg_ctl" -D "${dir}/data" -m immediate -w -t 10 stop \
        >/dev/null 2>&1 || true
    # still there (pg_ctl gave up): kill it, if that pid is still this folder's server
    if [ -n "${pid}" ] && grep -qsF "${dir}/data" "/proc/${pid}/cmdline"; then
      kill -KILL "${pid}" 2>/dev/null || true
    fi
  fi
  rm -rf "${dir}"
}

new_folder() {
  mktemp -d "${TMPDIR:-/tmp}/marketing_kpis_pg.XXXXXX"
}

RUN_DIR=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  stop_server "${RUN_DIR}"
  exit "${status}"
}

run() {
  if [ "${1:-}" = "--" ]; then shift; fi
  if [ "$#" = 0 ]; then echo "usage: $0 run [--] COMMAND [ARG...]" >&2; exit 2; fi
  install_server
  trap cleanup EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  RUN_DIR="$(new_folder)"
  # the run's id names its database: a client that reached another server would fail
  local id database
  id="$(basename "${RUN_DIR}")"
  id="${id#marketing_kpis_pg.}"
  id="${id,,}"
  database="marketing_kpis_${id}"
  start_server "${RUN_DIR}" "${database}"
  echo "==> PostgreSQL ${PG_VERSION} of this run: 127.0.0.1:${PORT}, database ${database}," \
    "folder ${RUN_DIR} (stopped and removed at the end)"
  unset PGCONNECT_TIMEOUT
  export PGHOST=127.0.0.1 PGPORT="${PORT}" PGUSER=postgres PGDATABASE="${database}"
  export PGDATA="${RUN_DIR}/data" MARKETING_KPIS_PG_RUN="${RUN_DIR}"
  local status=0
  "$@" || status=$?
  exit "${status}"
}

# ---- a server for local use, recorded in PG_LOCAL_STATE ---------------------------------
local_dir() {
  if [ -f "${PG_LOCAL_STATE}" ]; then
    sed -n 's/^# folder //p' "${PG_LOCAL_STATE}"
  fi
}

start() {
  local dir
  dir="$(local_dir)"
  if [ -n "${dir}" ] && [ -f "${dir}/data/postmaster.pid" ] \
      && "${RUN_AS[@]}" "${PG_BIN}/pg_ctl" -D "${dir}/data" status >/dev/null 2>&1; then
    echo "==> PostgreSQL already running (${PG_LOCAL_STATE}):"
    head -n 1 "${PG_LOCAL_STATE}"
    return
  fi
  # a record of a server that is gone (a reboot): start afresh
  stop_server "${dir}"
  rm -f "${PG_LOCAL_STATE}"
  install_server
  RUN_DIR="$(new_folder)"
  trap cleanup EXIT  # until the server is up and recorded
  start_server "${RUN_DIR}" marketing_kpis
  mkdir -p "$(dirname "${PG_LOCAL_STATE}")"
  printf 'export PGHOST=127.0.0.1 PGPORT=%s PGUSER=postgres PGDATABASE=marketing_kpis\n# folder %s\n' \
    "${PORT}" "${RUN_DIR}" >"${PG_LOCAL_STATE}"
  trap - EXIT
  echo "==> PostgreSQL ${PG_VERSION} started on 127.0.0.1:${PORT}, database marketing_kpis," \
    "folder ${RUN_DIR}; stop it with: $0 stop"
  head -n 1 "${PG_LOCAL_STATE}"
}

stop() {
  local dir
  dir="$(local_dir)"
  if [ -z "${dir}" ]; then echo "==> no PostgreSQL started by $0 start here"; return; fi
  stop_server "${dir}"
  rm -f "${PG_LOCAL_STATE}"
  echo "==> PostgreSQL stopped, ${dir} removed"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  start) start ;;
  stop) stop ;;
  env)
    if [ ! -f "${PG_LOCAL_STATE}" ]; then
      echo "error: no PostgreSQL started here: run $0 start first" >&2
      exit 1
    fi
    head -n 1 "${PG_LOCAL_STATE}"
    ;;
  install) install_server ;;
  *) echo "usage: $0 run [--] COMMAND [ARG...] | start | stop | env | install" >&2; exit 2 ;;
esac
