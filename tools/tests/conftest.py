"""Helpers shared by the Python tests: run dbt in a throw-away database, write raw files."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
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


class DbtProject:
    """Runs dbt on this project against a DuckDB file of its own."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.database = workdir / "test.duckdb"

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

    def run(self, *args: str, raw_data_path: Path | None = None, check: bool = False,
            extra_vars: dict | None = None) -> DbtResult:
        variables = dict(extra_vars or {})
        if raw_data_path is not None:
            variables["raw_data_path"] = str(raw_data_path)
        command = [str(DBT), "--no-use-colors", *args,
                   "--target-path", str(self.workdir / "target"),
                   "--log-path", str(self.workdir / "logs")]
        if variables:
            command += ["--vars", repr(variables).replace("'", '"')]
        env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR),
                   MARKETING_KPIS_DUCKDB_PATH=str(self.database))
        env.pop("DBT_TARGET", None)
        done = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True,
                              text=True, timeout=900)
        result = DbtResult(done.returncode, _ANSI.sub("", done.stdout + done.stderr),
                           self.database)
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
