"""tools/test_streams.sh, the two streams of `make test`, run with a stand-in for make.

The stand-in prints its arguments and the environment a stream gets, then works through
its targets: `ok` passes at once, `fail` fails with exit 3 after half a second, `slow`
runs a child process for 60 s that writes its pid to a file (so that the test can tell
whether the process is left running after the script ends). Each case is worked out here:

- both streams pass: exit 0, every line of a stream's output prefixed with its name and
  kept whole, unprefixed, in its log; the second stream reads a copy of the test build
  (TEST_DB=<folder>/other_test_build.duckdb) with a dbt log folder and a DuckDB temp folder
  of its own, 10 steps nicer than the first; the first reads the test build itself; both reuse it (TEST_DB_READY=1) and
  run their targets one after the other (-j1);
- one stream fails while the other runs: the script exits with the failing stream's
  status (3) within seconds, not after the other's 60 s, names the failing stream and its
  log, and no process of the other stream is left;
- a TERM to the script: exit 143, no process of either stream left;
- no test build: refused in one line, exit 1, no stream started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tools.tests.conftest import PROJECT_DIR

SCRIPT = PROJECT_DIR / "tools" / "test_streams.sh"

FAKE_MAKE = """#!/usr/bin/env bash
echo "args: $*"
echo "env: DBT_LOG_PATH=${DBT_LOG_PATH:-none} TEMP=${MARKETING_KPIS_DUCKDB_TEMP_DIR:-none}"
echo "niceness: $(nice)"
for a in "$@"; do
  case $a in
    ok) echo "target ok done" ;;
    fail) sleep 0.5; echo "target fail failing"; exit 3 ;;
    slow) sleep 60 & echo $! >> "$PIDS"; wait ;;
  esac
done
"""


def _setup(tmp_path: Path) -> tuple[dict, Path]:
    fake = tmp_path / "fake_make"
    fake.write_text(FAKE_MAKE)
    fake.chmod(0o755)
    test_db = tmp_path / "test.duckdb"
    test_db.write_bytes(b"not a real database, copied byte for byte")
    pids = tmp_path / "pids"
    env = dict(os.environ, MAKE=str(fake), TEST_DB=str(test_db), PIDS=str(pids),
               TEST_STREAMS_DIR=str(tmp_path / "streams"))
    return env, pids


def _alive(pids: Path, wait: float = 10) -> list[int]:
    """The pids of `pids` still running (a zombie, dead but not yet reaped, is not) after
    up to `wait` seconds: a process killed by a TERM takes a moment to go."""
    listed = [int(line) for line in pids.read_text().split()] if pids.exists() else []
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for pid in listed:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                continue
            if state != "Z":
                alive.append(pid)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _run(env: dict, *streams: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *streams], env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_both_streams_pass_with_their_own_copy_and_prefixed_output(tmp_path):
    env, _ = _setup(tmp_path)
    done = _run(env, "duckdb", "ok", "other", "ok ok")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    folder = tmp_path / "streams"
    assert (f"[duckdb] args: --no-print-directory -j1 TEST_DB_READY=1 "
            f"TEST_DB={tmp_path / 'test.duckdb'} ok") in out
    assert ("[other] args: --no-print-directory -j1 TEST_DB_READY=1 "
            f"TEST_DB={folder / 'other_test_build.duckdb'} ok ok") in out
    assert "[duckdb] env: DBT_LOG_PATH=none TEMP=none" in out
    assert (f"[other] env: DBT_LOG_PATH={folder / 'other_dbt_logs'} "
            f"TEMP={folder / 'other_duckdb_tmp'}") in out
    # the second stream runs 10 steps nicer than the first (TEST_STREAM_NICE's default)
    base = os.nice(0)
    assert f"[duckdb] niceness: {base}" in out
    assert f"[other] niceness: {min(base + 10, 19)}" in out
    assert out.count("[other] target ok done") == 2
    assert out.count("[duckdb] target ok done") == 1
    assert "==> stream duckdb passed" in out and "==> stream other passed" in out
    # the logs: whole and unprefixed
    assert (folder / "other.log").read_text().splitlines() == [
        f"args: --no-print-directory -j1 TEST_DB_READY=1 "
        f"TEST_DB={folder / 'other_test_build.duckdb'} ok ok",
        f"env: DBT_LOG_PATH={folder / 'other_dbt_logs'} TEMP={folder / 'other_duckdb_tmp'}",
        f"niceness: {min(base + 10, 19)}", "target ok done", "target ok done"]


def test_a_failing_stream_stops_the_other_at_once(tmp_path):
    env, pids = _setup(tmp_path)
    started = time.monotonic()
    done = _run(env, "duckdb", "slow", "other", "ok fail ok")
    took = time.monotonic() - started
    assert done.returncode == 3, done.stdout + done.stderr
    assert took < 20, f"the script waited {took:.0f} s for the slow stream"
    assert "==> stream other FAILED (exit 3)" in done.stderr
    assert f"make test failed in the other stream: see {tmp_path / 'streams'}/other.log" \
        in done.stderr
    # the end of the failing stream's output is printed again, at the end
    assert done.stderr.rstrip().splitlines()[-2] == "target fail failing"
    assert "[other] target ok done" in done.stdout
    # the second ok of the failing stream never ran
    assert done.stdout.count("[other] target ok done") == 1
    assert pids.exists(), "the slow stream never started its child"
    assert _alive(pids) == []


def test_as_make_compare_engines_runs_it_both_streams_keep_their_priority(tmp_path):
    """make compare-engines: Spark beside PostgreSQL, neither niced, and a failure names
    make compare-engines."""
    env, _ = _setup(tmp_path)
    env.update(TEST_STREAM_NICE="0", TEST_STREAMS_WHAT="make compare-engines")
    done = _run(env, "spark", "ok", "postgres", "fail")
    assert done.returncode == 3, done.stdout + done.stderr
    base = os.nice(0)
    assert f"[spark] niceness: {base}" in done.stdout
    assert f"[postgres] niceness: {base}" in done.stdout
    assert ("make compare-engines failed in the postgres stream: see "
            f"{tmp_path / 'streams'}/postgres.log") in done.stderr


def test_a_term_stops_both_streams(tmp_path):
    env, pids = _setup(tmp_path)
    process = subprocess.Popen(["bash", str(SCRIPT), "duckdb", "slow", "other", "slow"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 20
    while (not pids.exists() or len(pids.read_text().split()) < 2) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pids.read_text().split()) == 2
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 143
    assert "terminated: stopping both streams" in err
    assert _alive(pids) == []


def test_no_test_build_is_refused_in_one_line(tmp_path):
    env, pids = _setup(tmp_path)
    env["TEST_DB"] = str(tmp_path / "missing.duckdb")
    done = _run(env, "duckdb", "slow", "other", "slow")
    assert done.returncode == 1
    assert done.stderr.strip() == (f"error: no {tmp_path / 'missing.duckdb'}: run make "
                                   "dbt-test first (make test does)")
    assert not pids.exists()
