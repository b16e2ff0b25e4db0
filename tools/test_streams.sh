#!/usr/bin/env bash
# The second half of `make test`: two streams of checks run at once, each a serial `make`
# of its own, after the shared steps (installs, the test build of make dbt-test).
#
# Why: most steps of the suite are one dbt process, which keeps one core of two busy (dbt
# parses and schedules in Python; the demo's queries are small). Run one after the other,
# `make test` took 65-80 min on the 2-core machines of development and CI, over the
# 45-minute target and close to CI's 90 (one CI run was stopped at 90). The second stream
# runs niced and fills the cores the first leaves idle (see NICE_OF below).
#
#   tools/test_streams.sh NAME1 'TARGETS1' NAME2 'TARGETS2'
#
# Each stream is `make -j1 TEST_DB_READY=1 TARGETS` (the test build is reused, not rebuilt).
# The second stream reads a copy of the test build (TEST_DB of its make): DuckDB lets no
# other process open a file that one process holds read-write, which lint's dbt templater
# does with the test build. It also gets a dbt log folder and a DuckDB temp folder of its
# own. Each stream's output is printed as it comes, every line prefixed with [NAME], and
# kept whole in target/test-streams/NAME.log (or TEST_STREAMS_DIR/NAME.log).
#
# The first stream to fail stops the other (its PostgreSQL server and Spark folders are
# removed by their own traps) and the run ends with that stream's status, its name, its log
# and the end of its output. Ctrl-C or a TERM stops both the same way.
#
# `make compare-engines` runs it too, inside its Spark and PostgreSQL wrappers, for the
# Spark steps beside the PostgreSQL ones (TEST_STREAMS_DIR of its own, TEST_STREAM_NICE=0,
# TEST_STREAMS_WHAT naming it in the final message).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -ne 4 ]; then
  echo "usage: $0 NAME1 'TARGETS1' NAME2 'TARGETS2'" >&2
  exit 2
fi
: "${TEST_DB:?TEST_DB (the test build of make dbt-test) must be set}"
if [ ! -f "$TEST_DB" ]; then
  echo "error: no $TEST_DB: run make dbt-test first (make test does)" >&2
  exit 1
fi
MAKE_BIN=${MAKE:-make}
# (TEST_STREAMS_DIR: another folder, for the script's own test while make test runs)
LOGS=${TEST_STREAMS_DIR:-target/test-streams}
rm -rf "$LOGS"
mkdir -p "$LOGS"
# progress as it comes, not in blocks of a pipe's buffer
export PYTHONUNBUFFERED=1

names=("$1" "$3")
targets=("$2" "$4")
copy="$LOGS/${names[1]}_test_build.duckdb"
cp "$TEST_DB" "$copy"

declare -A pid_of_name start_of_name NICE_OF
# the second stream runs at a lower priority (TEST_STREAM_NICE, default 10): where both
# want the cores, the first (pytest on two workers) keeps them, and the second takes what
# the first leaves idle (a step of one dbt process keeps one core of two busy). Without it,
# on 2 cores, the two streams slowed each other down so much (a Spark JVM and four DuckDB
# threads of pytest's workers time-sliced) that they took longer together than in a row.
NICE_OF[$1]=0
NICE_OF[$3]=${TEST_STREAM_NICE:-10}
set -m  # each stream a process group of its own, so that it can be stopped whole

start_stream() {  # NAME TARGETS TEST_DB [VARIABLE=VALUE... of its environment]
  local name=$1 targets=$2 test_db=$3
  shift 3
  # shellcheck disable=SC2086  # TARGETS is a list of make targets
  ( env "$@" nice -n "${NICE_OF[$name]}" "$MAKE_BIN" --no-print-directory -j1 TEST_DB_READY=1 "TEST_DB=$test_db" $targets 2>&1 \
      | tee "$LOGS/$name.log" | sed -u "s/^/[$name] /" ) &
  pid_of_name[$name]=$!
  start_of_name[$name]=$(date +%s)
  echo "==> stream $name started: make ${targets} (log: $LOGS/$name.log)"
}

stop_all() {
  local name
  for name in "${!pid_of_name[@]}"; do
    kill -TERM -- "-${pid_of_name[$name]}" 2>/dev/null
  done
  for name in "${!pid_of_name[@]}"; do
    wait "${pid_of_name[$name]}" 2>/dev/null
  done
}
trap 'echo "==> interrupted: stopping both streams" >&2; stop_all; rm -f "$copy"; exit 130' INT
trap 'echo "==> terminated: stopping both streams" >&2; stop_all; rm -f "$copy"; exit 143' TERM HUP

start_stream "${names[0]}" "${targets[0]}" "$TEST_DB"
mkdir -p "$LOGS/${names[1]}_dbt_logs" "$LOGS/${names[1]}_duckdb_tmp"
start_stream "${names[1]}" "${targets[1]}" "$copy" \
  "DBT_LOG_PATH=$LOGS/${names[1]}_dbt_logs" \
  "MARKETING_KPIS_DUCKDB_TEMP_DIR=$LOGS/${names[1]}_duckdb_tmp"

name_of_pid() {
  local name
  for name in "${!pid_of_name[@]}"; do
    [ "${pid_of_name[$name]}" = "$1" ] && echo "$name"
  done
}

status=0
while [ "${#pid_of_name[@]}" -gt 0 ]; do
  finished=
  wait -n -p finished "${pid_of_name[@]}"
  rc=$?
  [ -n "$finished" ] || continue
  name=$(name_of_pid "$finished")
  unset "pid_of_name[$name]"
  elapsed=$(( $(date +%s) - start_of_name[$name] ))
  if [ "$rc" -eq 0 ]; then
    echo "==> stream $name passed in $(( elapsed / 60 )) min $(( elapsed % 60 )) s"
    continue
  fi
  status=$rc
  echo "==> stream $name FAILED (exit $rc) after $(( elapsed / 60 )) min $(( elapsed % 60 )) s;" \
       "stopping the other stream" >&2
  stop_all
  echo "==> the end of the $name stream's output (whole in $LOGS/$name.log):" >&2
  tail -n 60 "$LOGS/$name.log" >&2
  echo "==> ${TEST_STREAMS_WHAT:-make test} failed in the $name stream: see $LOGS/$name.log" >&2
  break
done
rm -f "$copy"
exit "$status"
