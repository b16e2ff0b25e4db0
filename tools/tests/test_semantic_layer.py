"""The MetricFlow semantic layer: one metric per KPI of the catalog, valid for MetricFlow,
and `mf query` gives the numbers of the marts (README "Semantic layer (MetricFlow)").

Needs dbt-metricflow (requirements-metricflow.txt; `make test-semantic` installs it). The
queries run on the database of `make dbt-test` when it holds the time spine, else on a
build of their own.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tools import render_semantic_layer as sl
from tools.tests.conftest import DBT, PROJECT_DIR, DbtProject

MF = Path(sys.executable).with_name("mf")
TEST_DB = PROJECT_DIR / "target" / "test" / "marketing_kpis_test.duckdb"
SPINE = "int_calendar_days_enumerated"

pytestmark = pytest.mark.skipif(not MF.exists(), reason="dbt-metricflow is not installed "
                                "(make test-semantic installs requirements-metricflow.txt)")


def _env(database: Path) -> dict:
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR),
               MARKETING_KPIS_DUCKDB_PATH=str(database))
    env.pop("DBT_TARGET", None)
    return env


def _has_spine(database: Path) -> bool:
    if not database.exists():
        return False
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            return bool(con.execute(
                "select count(*) from information_schema.tables where table_name = ?",
                [SPINE]).fetchone()[0])
    except duckdb.Error:
        return False


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """A built database, and target/semantic_manifest.json (what `mf` reads) parsed now.

    The manifest names the database by its file name: the copy is marketing_kpis.duckdb,
    as the demo's, so that `mf` on the demo still works after the test."""
    workdir = tmp_path_factory.mktemp("semantic")
    if _has_spine(TEST_DB):
        database = workdir / "marketing_kpis.duckdb"
        shutil.copyfile(TEST_DB, database)
    else:
        project = DbtProject(workdir)
        project.database = workdir / "marketing_kpis.duckdb"
        project.run("build", "--exclude-resource-type", "test",
                    "--exclude-resource-type", "unit_test", check=True)
        database = project.database
    done = subprocess.run([str(DBT), "--no-use-colors", "parse"], cwd=PROJECT_DIR,
                          env=_env(database), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return database


@pytest.fixture(scope="module")
def manifest(database) -> dict:
    path = PROJECT_DIR / "target" / "semantic_manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _mf(database: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(MF), *args], cwd=PROJECT_DIR, env=_env(database),
                          capture_output=True, text=True, timeout=600)


# ---- the metrics are the catalog ------------------------------------------------------

def test_metrics_file_is_generated_from_the_catalog():
    assert sl.main(["--check"]) == 0, "run python -m tools.render_semantic_layer"


def _expected_terms() -> dict[str, tuple[str, str]]:
    """KPI -> (numerator, denominator) as the catalog states them, with metric names."""
    out = {}
    for kpi in sl.load_kpis():
        if "ratios" in kpi:
            num, den = kpi["ratios"][sl.HEADLINE_RATIO[kpi["name"]]]
        elif kpi.get("numerator"):
            num, den = kpi["numerator"], kpi["denominator"]
        else:
            continue
        out[kpi["name"]] = (sl.rename(kpi["name"], num), sl.rename(kpi["name"], den))
    return out


def test_every_kpi_has_one_metric_and_no_metric_is_extra(manifest):
    kpis = {k["name"] for k in sl.load_kpis()}
    metrics = {m["name"] for m in manifest["metrics"]}
    assert len(kpis) == 60
    assert sorted(kpis - metrics) == [], "KPIs without a metric"
    # the only other metrics are the numerator and denominator terms of the catalog
    terms = {w for pair in _expected_terms().values() for t in pair for w in sl.words(t)}
    assert sorted(metrics - kpis - terms) == [], "metrics that are neither KPI nor term"


def test_ratio_metrics_have_the_catalog_numerator_and_denominator(manifest):
    metrics = {m["name"]: m for m in manifest["metrics"]}
    for name, (num, den) in _expected_terms().items():
        metric = metrics[name]
        params = metric["type_params"]
        if metric["type"] == "ratio":
            assert (params["numerator"]["name"], params["denominator"]["name"]) == (num, den), \
                name
        else:
            assert metric["type"] == "derived", name
            inputs = [m["name"] for m in params["metrics"]]
            assert sorted(inputs) == sorted(set(sl.words(num) + sl.words(den))), name
            expr = " ".join(params["expr"].replace("(", " ").replace(")", " ").split())
            assert expr.startswith(f"{num} / nullif {den}, 0"), (name, params["expr"])


def test_metric_descriptions_are_the_catalog_definitions(manifest):
    metrics = {m["name"]: m for m in manifest["metrics"]}
    for kpi in sl.load_kpis():
        assert metrics[kpi["name"]]["description"].startswith(
            " ".join(kpi["definition"].split())), kpi["name"]


# ---- MetricFlow accepts them and gives the marts' numbers -----------------------------

def test_mf_validate_configs_passes(database):
    done = _mf(database, "validate-configs")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "Successfully validated metrics against data warehouse" in output, output[-6000:]
    assert not re.search(r"ERRORS: [1-9]|• ERROR", output), output[-6000:]


def _mf_rows(database: Path, tmp_path: Path, metrics: list[str], grain: str) -> dict:
    path = tmp_path / f"{grain}.csv"
    done = _mf(database, "query", "--metrics", ",".join(metrics),
               "--group-by", f"metric_time__{grain}", "--csv", str(path))
    assert done.returncode == 0 and path.exists(), (done.stdout + done.stderr)[-6000:]
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows, "mf query returned no rows"
    return {row[f"metric_time__{grain}"][:10]: row for row in rows
            if row[f"metric_time__{grain}"]}


def _mart_rows(database: Path, grain: str, columns: dict[str, str]) -> dict:
    """period_start -> {metric: value} from the marts (metric -> mart.column)."""
    out: dict[str, dict] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        for metric, qualified in columns.items():
            mart, column = qualified.split(".")
            for start, value in con.execute(
                    f"select period_start, {column} from marts_audit.{mart} "
                    "where period_grain = ?", [grain]).fetchall():
                out.setdefault(str(start), {})[metric] = value
    return out


def _same(mf_value: str | None, mart_value) -> bool:
    if mart_value is None or mart_value == 0:
        return mf_value in (None, "", "0", "0.0") or float(mf_value) == 0
    if mf_value in (None, ""):
        return False
    return math.isclose(float(mf_value), float(mart_value), rel_tol=1e-9, abs_tol=1e-9)


QUERIES = {
    "new_leads": "mart_acquisition.new_leads",
    "unique_visitors": "mart_acquisition.unique_visitors",
    "cost_per_lead": "mart_acquisition.cost_per_lead",
    "open_rate": "mart_nurturing.open_rate",
    "new_customers": "mart_conversion.new_customers",
    "revenue": "mart_revenue.revenue",
    "promoter_rate": "mart_revenue.promoter_rate",
    "customer_lifetime_value": "mart_revenue.customer_lifetime_value",
}
# trailing_12m_roi: at week grain MetricFlow leaves the first week (before any order) null
# where the mart says -1 (a running total over no row is null, fill_nulls_with or not)
MONTH_ONLY = {"trailing_12m_roi": "mart_revenue.trailing_12m_roi",
              "retention_rate": "mart_revenue.retention_rate",
              "customers_from_prospect_campaign": "mart_conversion.customers_from_prospect_campaign"}


@pytest.mark.parametrize("grain", ["month", "week"])
def test_mf_query_equals_the_marts(database, tmp_path, grain):
    columns = dict(QUERIES, **(MONTH_ONLY if grain == "month" else {}))
    mf = _mf_rows(database, tmp_path, list(columns), grain)
    marts = _mart_rows(database, grain, columns)
    # after the marts' calendar (the time spine runs to the end of the last week) only the
    # running totals go on: nothing happens there
    for start in set(mf) - set(marts):
        assert all(_same(mf[start][m], 0) for m in ("new_leads", "revenue")), mf[start]
    assert len(mf) >= len(marts) * 0.9, "mf query misses periods"
    differences = []
    for start, values in marts.items():
        row = mf.get(start, {})
        for metric, mart_value in values.items():
            if not _same(row.get(metric), mart_value):
                differences.append((start, metric, row.get(metric), mart_value))
    assert differences == [], differences[:20]
