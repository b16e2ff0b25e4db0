"""An incremental refresh gives the same tables as a full refresh of the same data.

The export is cut in two (tools/split_batches.py): the first build runs on the export as
it stood at the cut, the second, incremental, on the later export, whose event tables
add a part file holding the new events and events of the two days before the cut that
arrived late. Every intermediate model and mart must equal a --full-refresh build of the
later export.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil

from tools.generate_data import generate
from tools.split_batches import split
from tools.tests.conftest import DbtProject, good_contacts, write_csv


def _tables(result) -> list[str]:
    return [f"{schema}.{name}" for schema, name in result.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('staging', 'intermediate', 'marts_audit', 'marts') "
        "and table_name not in ('_build_state', '_incremental_history', 'publication_log') "
        "and table_type = 'BASE TABLE' order by 1, 2")]


def _normal(value):
    """Sums of doubles depend on the order of addition: compare to 12 significant digits."""
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.12g}")
    return value


def _rows(result, table: str) -> list[tuple]:
    return sorted((tuple(_normal(v) for v in row) for row in
                   result.query(f"select * from {table}")), key=repr)


def test_incremental_refresh_equals_full_refresh(tmp_path):
    generate(600, tmp_path / "export", "parquet")
    counts = split(tmp_path / "export", dt.datetime(2025, 12, 12), tmp_path / "batches",
                   say=lambda _msg: None)
    assert counts["email_events"][1] > 100 and counts["web_events"][1] > 100
    first, second = tmp_path / "batches" / "batch_1", tmp_path / "batches" / "batch_2"

    # the export lives in one folder, as a user's does: the second export replaces the
    # first there (another path would be another input, rebuilt from scratch)
    export = tmp_path / "export_folder"
    shutil.copytree(first, export)
    incremental = DbtProject(tmp_path / "incremental")
    incremental.run("run", raw_data_path=export, check=True)
    shutil.rmtree(export)
    shutil.copytree(second, export)
    refreshed = incremental.run("run", raw_data_path=export, check=True)
    assert "rebuilding from scratch" not in refreshed.output
    # the raw event times are typed (Parquet timestamps): the incremental run filtered the
    # raw scan with the constant cutoff (latest occurred_at staged by the first build,
    # 2025-12-11 and some hours, minus the 3 days of lookback: a day of 2025-12-08)
    compiled = (tmp_path / "incremental" / "target" / "compiled" / "marketing_kpis" / "models"
                / "staging" / "stg_web_events.sql").read_text()
    assert "raw_table.\"occurred_at\" >= cast('2025-12-08 " in compiled, compiled[-800:]
    full = DbtProject(tmp_path / "full").run("run", "--full-refresh", raw_data_path=second,
                                             check=True)

    tables = _tables(full)
    assert _tables(refreshed) == tables
    incremental_tables = [t for t in tables if t in {
        "staging.stg_email_events", "staging.stg_web_events", "staging.stg_score_events",
        "staging.stg_campaign_actions", "intermediate.int_email_sends_aggregated",
        "intermediate.int_scores_accumulated", "marts_audit.mart_acquisition"}]
    assert len(incremental_tables) == 7
    for table in tables:
        assert _rows(refreshed, table) == _rows(full, table), table
    # the late events of part 2 did reach the incremental tables
    late = refreshed.query("select count(*) from staging.stg_email_events "
                           "where occurred_at < timestamp '2025-12-12'")[0][0]
    total_first = DbtProject(tmp_path / "first_only")
    first_build = total_first.run("run", "--select", "stg_email_events", raw_data_path=first,
                                  check=True)
    assert late > first_build.query("select count(*) from staging.stg_email_events")[0][0]


def test_an_empty_event_table_is_filled_by_the_next_incremental_run(tmp_path):
    """The first export has no web events (the absent table is staged empty); the next one
    has three, dated months apart. The staged table gives no cutoff, so the incremental run
    restages everything: all three rows arrive (a cutoff computed as null would stage
    none of them)."""
    raw = tmp_path / "raw"
    good_contacts(raw)
    project = DbtProject(tmp_path / "project")
    project.run("run", "--select", "stg_web_events", raw_data_path=raw, check=True)
    assert project.query("select count(*) from staging.stg_web_events") == [(0,)]

    write_csv(raw, "web_events", ["event_id", "visitor_id", "contact_id", "event_type",
                                  "page_id", "page_url", "page_type", "cta_id",
                                  "campaign_id", "occurred_at"], [
        ["w1", "v1", "c1", "page_view", "p1", "/a", "content", "", "", "2025-01-02 10:00:00"],
        ["w2", "v2", "", "page_view", "p1", "/a", "content", "", "", "2025-03-02 10:00:00"],
        ["w3", "v1", "c1", "page_view", "p2", "/b", "landing_page", "", "", "2025-06-02 10:00:00"],
    ])
    project.run("run", "--select", "stg_web_events", raw_data_path=raw, check=True)
    assert project.query("select event_id from staging.stg_web_events order by 1") == [
        ("w1",), ("w2",), ("w3",)]
