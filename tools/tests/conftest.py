"""Helpers shared by the Python tests: run dbt in a throw-away database, write raw files."""

from __future__ import annotations

import atexit
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class DbtResult:
    returncode: int
    output: str
    database: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql).fetchall()


class _SharedParse:
    """Lets the dbt runs of one pytest process reuse each other's parse.

    A full parse of this project takes about 20 s; a partial one, which reads the
    partial_parse.msgpack a previous run left in its target folder, about 1 s. dbt accepts
    a saved parse only when the command-line vars and the connection (here the DuckDB
    path) are the same as when it was saved, and every test has folders of its own: each
    first run of a project parsed in full (about 50 of the 62 runs of a whole `make
    pytest`; 18 with this, measured 2026-12-08). So dbt sees the same paths in every
    project of this process: symlinks in a folder of the process, `db` to the project's
    database folder and `r0`, `r1`, ... to the raw folders the project passes, in the
    order it first passes them (distinct folders of one project stay distinct paths). The saved parse of each set of vars (with the database file's name
    and the --target) is kept and copied into the target folder of the next project that
    runs with the same. dbt still checks the vars, the connection and every file against
    it and parses again whatever differs, as on a user's second run. The output `run`
    returns maps the symlinks back to the real paths; what dbt writes (logs/dbt.log,
    target/, and in the database _build_state and publication_log.input) names them. The
    numbering belongs to the DbtProject: a database built by one project and copied into
    another, then built there on another folder, would see the same r0 (no test does).
    """

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="mk-dbt-"))
        self.saved: dict[str, Path] = {}
        atexit.register(shutil.rmtree, self.root, True)

    @staticmethod
    def point(link: Path, target: Path) -> None:
        fresh = link.with_name(link.name + ".new")
        if fresh.is_symlink() or fresh.exists():
            fresh.unlink()
        os.symlink(target, fresh)
        os.replace(fresh, link)

    def restore(self, key: str, target_path: Path) -> None:
        saved = self.saved.get(key)
        if saved is not None:
            target_path.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(saved, target_path / "partial_parse.msgpack")

    def keep(self, key: str, target_path: Path, started: float) -> None:
        made = target_path / "partial_parse.msgpack"
        # only a parse this run wrote or restored (a run that stopped before parsing leaves
        # an older one); a wrong one would only cost a full parse, dbt checks it
        if made.is_file() and made.stat().st_mtime >= started:
            kept = self.saved.get(key) or self.root / f"parse-{len(self.saved)}"
            shutil.copyfile(made, kept)
            self.saved[key] = kept


_shared_parse: _SharedParse | None = None


def _shared() -> _SharedParse:
    global _shared_parse
    if _shared_parse is None:
        _shared_parse = _SharedParse()
    return _shared_parse


class DbtProject:
    """Runs dbt on this project against a DuckDB file of its own."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.database = workdir / "test.duckdb"
        self._raw_folders: list[Path] = []

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql).fetchall()

    def published_marts(self) -> dict[str, list[tuple]]:
        """Every published mart (schema marts, but the publication log): its rows, sorted."""
        names = [row[0] for row in self.query(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " and table_name <> 'publication_log' order by 1")]
        return {name: sorted(self.query(f'select * from marts."{name}"'), key=repr)
                for name in names}

    def real_paths(self, text: str) -> str:
        """text with the symlinks dbt saw (_SharedParse) replaced by this project's folders."""
        root = _shared().root
        links = {root / "db": self.database.parent}
        links.update({root / f"r{i}": folder for i, folder in enumerate(self._raw_folders)})
        for link in sorted(links, key=lambda path: -len(str(path))):   # r10 before r1
            text = text.replace(str(link), str(links[link]))
        return text

    def command(self, *args: str, raw_data_path: Path | None = None,
                extra_vars: dict | None = None) -> tuple[list[str], dict[str, str], str]:
        """The dbt command line and environment of a run as `run` starts it, with the
        symlinks pointed at this project's folders and the parse saved for its vars in its
        target folder; and the key of that saved parse. For a test that starts dbt itself
        (a run it kills): the same paths keep its build incremental on this project's
        database. Run one dbt at a time per pytest process: the symlinks are shared."""
        shared = _shared()
        self.database.parent.mkdir(parents=True, exist_ok=True)
        shared.point(shared.root / "db", self.database.parent.resolve())
        variables = dict(extra_vars or {})
        if raw_data_path is not None:
            raw = Path(raw_data_path)
            if raw.is_absolute():
                if raw not in self._raw_folders:
                    self._raw_folders.append(raw)
                link = shared.root / f"r{self._raw_folders.index(raw)}"
                shared.point(link, raw)
                variables["raw_data_path"] = str(link)
            else:
                variables["raw_data_path"] = str(raw_data_path)
        target_path = self.workdir / "target"
        command = [str(DBT), "--no-use-colors", *args,
                   "--target-path", str(target_path),
                   "--log-path", str(self.workdir / "logs")]
        if variables:
            command += ["--vars", repr(variables).replace("'", '"')]
        env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR),
                   MARKETING_KPIS_DUCKDB_PATH=str(shared.root / "db" / self.database.name))
        env.pop("DBT_TARGET", None)
        target = args[args.index("--target") + 1] if "--target" in args else None
        key = repr((self.database.name, target, sorted(variables.items())))
        shared.restore(key, target_path)
        return command, env, key

    def run(self, *args: str, raw_data_path: Path | None = None, check: bool = False,
            extra_vars: dict | None = None) -> DbtResult:
        started = time.time() - 0.5     # file times come from a coarser clock
        command, env, key = self.command(*args, raw_data_path=raw_data_path,
                                         extra_vars=extra_vars)
        done = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True,
                              text=True, timeout=900)
        _shared().keep(key, self.workdir / "target", started)
        output = self.real_paths(_ANSI.sub("", done.stdout + done.stderr))
        result = DbtResult(done.returncode, output, self.database)
        if check and result.returncode != 0:
            raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.output[-6000:]}")
        return result


@pytest.fixture
def dbt(tmp_path: Path) -> DbtProject:
    return DbtProject(tmp_path)


def write_csv(folder: Path, table: str, header: list[str], rows: list[list]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


CONTACT_HEADER = ["contact_id", "email", "created_at", "contact_type", "lead_source",
                  "source_campaign_id", "company", "country"]


def good_contacts(folder: Path) -> Path:
    """Three valid contacts: the smallest input the project accepts."""
    return write_csv(folder, "contacts", CONTACT_HEADER, [
        ["c1", "a@example.com", "2025-01-05 10:00:00", "prospect", "form", "", "Acme", "FR"],
        ["c2", "b@example.com", "2025-01-06 11:00:00", "client", "import", "", "Beta", "FR"],
        ["c3", "c@example.com", "2025-02-01 09:30:00", "", "phone", "", "", "BE"],
    ])


@pytest.fixture(scope="session")
def demo_marts(tmp_path_factory) -> Path:
    """A DuckDB file with the marts of the demo seeds under the default vars: the build of
    `make dbt-test` when the Makefile names it (MARKETING_KPIS_DEMO_MARTS, so that `make
    test` builds the demo once), else a build of its own (about a minute)."""
    named = os.environ.get("MARKETING_KPIS_DEMO_MARTS")
    if named and Path(named).is_file():
        return Path(named)
    project = DbtProject(tmp_path_factory.mktemp("demo_marts"))
    project.run("build", "--exclude-resource-type", "unit_test", check=True)
    return project.database
