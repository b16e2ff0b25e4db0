"""The engine tests' servers and folders belong to their own run (make test-engines).

tools/engines/postgres.sh run starts a PostgreSQL server on a free port, with a folder
and a database of its own, runs a command against it, then stops the server and removes
its folder, whether the command passes, fails or is interrupted; tools/engines/spark.sh
run does the same for the Spark warehouse and metastore. These tests run the scripts
with a small probe as the command: a listener already on 127.0.0.1:55432 (the port the
helper used to share) or on the first port offered is never connected to, the caller's
PG* variables are ignored, and nothing of a run is left afterwards.

PostgreSQL 15 is installed from Debian's packages when missing and the tests run as root
(CI, `make test`); they are skipped otherwise, with the reason.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools import compare_engines
from tools.tests.conftest import PROJECT_DIR

POSTGRES_SH = PROJECT_DIR / "tools" / "engines" / "postgres.sh"
SPARK_SH = PROJECT_DIR / "tools" / "engines" / "spark.sh"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
OLD_PORT = 55432

# the command of a run: what it sees (its environment and the server it reaches), written
# to argv[1]; then it sleeps argv[3] seconds and exits with argv[2]
# (through psql, the server's own client: `make pytest` runs before the engines' Python
# packages are installed)
PROBE = """
import json, os, subprocess, sys, time
# a listener that accepts and never answers must fail the test, not hang it
row = subprocess.run(
    [os.path.join(sys.argv[4], "psql"), "--no-psqlrc", "--tuples-only", "--no-align",
     "--field-separator=|", "--command", "select current_setting('data_directory'), "
     "current_database(), inet_server_port()"],
    env=dict(os.environ, PGCONNECT_TIMEOUT="10"), capture_output=True, text=True,
    timeout=60, check=True).stdout.strip()
data_directory, database, port = row.split("|")
port = int(port)
with open(os.path.join(os.environ["PGDATA"], "postmaster.pid")) as pid_file:
    pid = int(pid_file.readline())
seen = {key: value for key, value in os.environ.items() if key.startswith(("PG", "MARKETING"))}
with open(sys.argv[1] + ".tmp", "w") as out:
    json.dump({"env": seen, "data_directory": data_directory, "database": database,
               "port": port, "pid": pid}, out)
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(float(sys.argv[3]))
sys.exit(int(sys.argv[2]))
"""


@pytest.fixture(scope="module")
def postgres_binaries():
    if not (PG_BIN / "initdb").exists():
        if os.geteuid() != 0:
            pytest.skip(f"PostgreSQL 15 is not installed ({PG_BIN}) and installing it needs "
                        "root: apt-get install postgresql-15")
        subprocess.run(["bash", str(POSTGRES_SH), "install"], check=True, timeout=1200)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Listener:
    """A dummy server on 127.0.0.1:port that records whether anyone connected."""

    def __init__(self, port: int):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.socket.listen(16)
        self.socket.setblocking(False)
        self.port = self.socket.getsockname()[1]

    def was_connected(self) -> bool:
        try:
            connection, _ = self.socket.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True


@pytest.fixture
def listeners():
    """Dummies on the old fixed port (unless something listens there already, which is
    as good) and on a port handed out by the kernel."""
    made = []
    try:
        made.append(Listener(OLD_PORT))
    except OSError:
        pass
    made.append(Listener(0))
    yield made
    for listener in made:
        listener.socket.close()


def _alive(pid: int, folder: str) -> bool:
    """Whether pid is a running process whose command line names folder."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X") and folder in cmdline


def _gone(pid: int, folder: str, timeout: float = 30) -> bool:
    # 30 s: on a loaded machine (two cores, a benchmark beside) a process that got TERM
    # took more than 5 s to exit once; the test asks that it goes, not how fast
    deadline = time.time() + timeout
    while _alive(pid, folder) and time.time() < deadline:
        time.sleep(0.1)  # a stopped server is a zombie for a moment, then reaped
    return not _alive(pid, folder)


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # what the old Makefile exported, and libpq settings that could send a client
    # elsewhere: the script must not use any of them
    env.update(PGHOST="127.0.0.1", PGPORT=str(OLD_PORT), PGUSER="postgres",
               PGDATABASE="marketing_kpis", PGHOSTADDR="127.0.0.1", PGCONNECT_TIMEOUT="3")
    env.pop("TMPDIR", None)
    env.update(extra)
    return env


def _probe_command(out: Path, status: int = 0, sleep: float = 0) -> list[str]:
    return [sys.executable, "-c", PROBE, str(out), str(status), str(sleep), str(PG_BIN)]


def _run(out: Path, status: int = 0, **extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    done = subprocess.run(["bash", str(POSTGRES_SH), "run", "--", *_probe_command(out, status)],
                          env=_env(**extra), capture_output=True, text=True, timeout=120)
    assert out.exists(), f"the probe did not run:\n{done.stdout}\n{done.stderr}"
    return done, json.loads(out.read_text())


def _assert_own_server(seen: dict, listeners: list[Listener]) -> None:
    env = seen["env"]
    folder = env["MARKETING_KPIS_PG_RUN"]
    assert env["PGHOST"] == "127.0.0.1"
    assert int(env["PGPORT"]) == seen["port"]
    assert seen["port"] not in {OLD_PORT, *(listener.port for listener in listeners)}
    assert seen["data_directory"] == env["PGDATA"] == f"{folder}/data"
    assert seen["database"] == env["PGDATABASE"] != "marketing_kpis"
    assert seen["database"].startswith("marketing_kpis_")
    # the caller's other libpq settings are gone
    assert "PGHOSTADDR" not in env and "PGCONNECT_TIMEOUT" not in env
    assert not [listener.port for listener in listeners if listener.was_connected()]


def _assert_cleaned_up(seen: dict) -> None:
    folder = seen["env"]["MARKETING_KPIS_PG_RUN"]
    assert _gone(seen["pid"], folder), f"the server of {folder} (pid {seen['pid']}) still runs"
    assert not Path(folder).exists(), f"{folder} was left behind"


def test_a_run_has_a_server_port_folder_and_database_of_its_own(
        postgres_binaries, listeners, tmp_path):
    done, seen = _run(tmp_path / "seen.json")
    assert done.returncode == 0, done.stderr
    _assert_own_server(seen, listeners)
    _assert_cleaned_up(seen)


def test_ports_with_a_listener_are_skipped_not_connected_to(postgres_binaries, listeners,
                                                            tmp_path):
    # a script that took the first port it was offered would connect to a dummy
    offered = " ".join(str(listener.port) for listener in listeners)
    done, seen = _run(tmp_path / "seen.json", PG_TRY_PORTS=f"{offered} {_free_port()}")
    assert done.returncode == 0, done.stderr
    _assert_own_server(seen, listeners)
    _assert_cleaned_up(seen)


def test_only_listening_ports_offered_is_an_error_not_a_shared_server(
        postgres_binaries, listeners, tmp_path):
    offered = " ".join(str(listener.port) for listener in listeners)
    done = subprocess.run(["bash", str(POSTGRES_SH), "run", "--", "true"],
                          env=_env(PG_TRY_PORTS=offered), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0
    assert "no PostgreSQL server could start" in done.stderr
    assert not [listener.port for listener in listeners if listener.was_connected()]
    folder = done.stderr.split("could start in ", 1)[1].split()[0]
    assert not Path(folder).exists()


def test_a_failing_step_stops_the_server_and_removes_its_folder(postgres_binaries, tmp_path):
    done, seen = _run(tmp_path / "seen.json", status=7)
    assert done.returncode == 7
    _assert_cleaned_up(seen)


def _default_signals() -> None:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_an_interrupted_run_stops_the_server_and_removes_its_folder(
        postgres_binaries, tmp_path, sig):
    out = tmp_path / "seen.json"
    # its own process group, as make's under a terminal or a CI job's: the signal goes to
    # the whole group. SIGINT and SIGTERM at their defaults, as a terminal leaves them: a
    # job started in the background of a shell (`make test &`, nohup) inherits SIGINT
    # ignored, which bash can neither trap nor reset, and a terminal's Ctrl-C never
    # reaches such a job anyway
    process = subprocess.Popen(
        ["bash", str(POSTGRES_SH), "run", "--", *_probe_command(out, sleep=120)],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, preexec_fn=_default_signals)
    try:
        deadline = time.time() + 60
        while not out.exists() and process.poll() is None and time.time() < deadline:
            time.sleep(0.1)
        assert out.exists(), process.communicate(timeout=30)[0]
        seen = json.loads(out.read_text())
        os.killpg(process.pid, sig)
        # the cleanup may take pg_ctl's fast stop (30 s) and immediate stop (10 s) on a
        # loaded machine before it removes the folder
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 128 + sig
    _assert_cleaned_up(seen)


def test_the_local_server_and_a_run_at_once_do_not_meet(postgres_binaries, listeners,
                                                        tmp_path, monkeypatch):
    """`postgres.sh start` (a throw-away server for local use; another checkout's, here)
    and a run side by side: each its own port, folder and database; the run ends, the
    other server goes on; `stop` ends it."""
    state = tmp_path / "postgres-local.env"
    local = {"PG_LOCAL_STATE": str(state)}
    for name in ("PGHOST", "PGPORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PG_LOCAL_STATE", str(state))
    started = subprocess.run(["bash", str(POSTGRES_SH), "start"], env=_env(**local),
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    try:
        printed = subprocess.run(["bash", str(POSTGRES_SH), "env"], env=_env(**local),
                                 capture_output=True, text=True, check=True).stdout
        other = dict(item.split("=", 1) for item in printed.split() if "=" in item)
        folder = state.read_text().split("# folder ", 1)[1].strip()
        other_pid = int((Path(folder) / "data" / "postmaster.pid").read_text().split()[0])
        assert int(other["PGPORT"]) not in {OLD_PORT, *(lsn.port for lsn in listeners)}
        # what tools.compare_engines uses when no server is named
        assert {key: compare_engines._env("postgres")[key] for key in other} == other

        done, seen = _run(tmp_path / "seen.json", **local)
        assert done.returncode == 0, done.stderr
        _assert_own_server(seen, listeners)
        assert seen["port"] != int(other["PGPORT"])
        assert not seen["data_directory"].startswith(folder)
        _assert_cleaned_up(seen)
        assert _alive(other_pid, folder), "the run stopped the other server"
    finally:
        stopped = subprocess.run(["bash", str(POSTGRES_SH), "stop"], env=_env(**local),
                                 capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    assert _gone(other_pid, folder) and not Path(folder).exists() and not state.exists()


@pytest.fixture
def leftovers():
    """(pid, folder) of the processes a test leaves behind on purpose: killed at the end
    if the script under test did not stop them."""
    started: list[tuple[int, str]] = []
    yield started
    for pid, folder in started:
        if _alive(pid, folder):
            os.kill(pid, signal.SIGKILL)


def _spark_run(tmp_path: Path, name: str, status: int, leftovers: list) -> tuple[int, Path, int]:
    """A spark.sh run whose command leaves a process behind in the run's folder (as a
    Spark JVM whose Python died would) and exits with status."""
    out = tmp_path / name
    script = (f'echo "$SPARK_WAREHOUSE_DIR" > {out}; '
              f'{sys.executable} -c "import time; time.sleep(300)" "$MARKETING_KPIS_SPARK_RUN" '
              f'</dev/null >/dev/null 2>&1 & echo $! >> {out}; exit {status}')
    try:
        done = subprocess.run(["bash", str(SPARK_SH), "run", "--", "bash", "-c", script],
                              env=dict(os.environ, SPARK_WAREHOUSE_DIR=str(tmp_path / "shared")),
                              capture_output=True, text=True, timeout=60)
    finally:
        if out.exists() and len(out.read_text().split()) == 2:
            warehouse, pid = out.read_text().split()
            leftovers.append((int(pid), str(Path(warehouse).parent)))
    return done.returncode, Path(warehouse), int(pid)


def test_spark_runs_have_a_folder_of_their_own_removed_at_the_end(tmp_path, leftovers):
    runs = [_spark_run(tmp_path, "first", 0, leftovers),
            _spark_run(tmp_path, "second", 5, leftovers)]
    assert [status for status, _, _ in runs] == [0, 5]
    first, second = (warehouse for _, warehouse, _ in runs)
    assert first != second and first.parent != second.parent
    for _, warehouse, pid in runs:
        # a folder of this checkout's target/engines/, whatever the caller's
        # SPARK_WAREHOUSE_DIR said, gone with its leftover process
        assert warehouse.name == "warehouse"
        assert warehouse.parent.parent == PROJECT_DIR / "target" / "engines"
        assert warehouse.parent.name.startswith("spark-run.")
        assert not warehouse.parent.exists()
        assert _gone(pid, str(warehouse.parent))
    assert not (tmp_path / "shared").exists()
