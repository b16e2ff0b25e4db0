#!/usr/bin/env bash
# A Spark warehouse and Hive metastore of one run, for the tests.
#
#   tools/engines/spark.sh run [--] COMMAND [ARG...]
#
# makes a folder of its own, target/engines/spark-run.XXXXXX of this checkout, runs
# COMMAND with SPARK_WAREHOUSE_DIR=<folder>/warehouse and MARKETING_KPIS_SPARK_RUN=<folder>
# (whatever the caller's SPARK_WAREHOUSE_DIR was; the spark output of profiles.yml
# puts the Derby metastore and derby.log next to it, in <folder>), then removes the
# folder, whether COMMAND passes or fails (and on INT, TERM or HUP). A process left
# running in that folder (the JVM of a Spark session whose Python died) is stopped
# first. Exit status: COMMAND's. `make test-spark` and `make compare-engines` run their
# Spark steps this way; the local session needs Java 17 (tools/engines/java.sh).
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR=""

# pids of the processes whose command line names the folder $1 (never this shell)
processes_in() {
  # the folder read from a file descriptor: it is not on grep's own command line
  grep -lsFf <(printf '%s\n' "$1") /proc/[0-9]*/cmdline | sed -n 's|^/proc/\([0-9]*\)/cmdline$|\1|p' \
    | grep -vx "$$" || true
}

cleanup() {
  local status=$? pids _
  trap - EXIT INT TERM HUP
  if [ -n "${RUN_DIR}" ] && [ -d "${RUN_DIR}" ]; then
    pids="$(processes_in "${RUN_DIR}")"
    if [ -n "${pids}" ]; then
      # shellcheck disable=SC2086
      kill -TERM ${pids} 2>/dev/null || true
      for _ in $(seq 50); do
        [ -n "$(processes_in "${RUN_DIR}")" ] || break
        sleep 0.2
      done
      pids="$(processes_in "${RUN_DIR}")"
      # shellcheck disable=SC2086
      [ -z "${pids}" ] || kill -KILL ${pids} 2>/dev/null || true
    fi
    rm -rf "${RUN_DIR}"
  fi
  exit "${status}"
}

run() {
  if [ "${1:-}" = "--" ]; then shift; fi
  if [ "$#" = 0 ]; then echo "usage: $0 run [--] COMMAND [ARG...]" >&2; exit 2; fi
  trap cleanup EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "${PROJECT_DIR}/target/engines"
  RUN_DIR="$(mktemp -d "${PROJECT_DIR}/target/engines/spark-run.XXXXXX")"
  export SPARK_WAREHOUSE_DIR="${RUN_DIR}/warehouse" MARKETING_KPIS_SPARK_RUN="${RUN_DIR}"
  # the driver's ports (random ones) on loopback only, not on the host's network address
  export SPARK_LOCAL_IP=127.0.0.1
  echo "==> Spark warehouse and metastore of this run: ${RUN_DIR} (removed at the end)"
  local status=0
  "$@" || status=$?
  exit "${status}"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  *) echo "usage: $0 run [--] COMMAND [ARG...]" >&2; exit 2 ;;
esac
