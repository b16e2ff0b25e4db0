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

import duckdb

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
        "intermediate.int_scores_accumulated", "intermediate.int_web_visitors_aggregated_daily",
        "intermediate.int_page_events_aggregated_daily",
        "intermediate.int_web_visitors_aggregated_periodic",
        "intermediate.int_attribution_credits_allocated"}]
    assert len(incremental_tables) == 10
    for table in tables:
        assert _rows(refreshed, table) == _rows(full, table), table
    # the late events of part 2 did reach the incremental tables
    late = refreshed.query("select count(*) from staging.stg_email_events "
                           "where occurred_at < timestamp '2025-12-12'")[0][0]
    total_first = DbtProject(tmp_path / "first_only")
    first_build = total_first.run("run", "--select", "stg_email_events", raw_data_path=first,
                                  check=True)
    assert late > first_build.query("select count(*) from staging.stg_email_events")[0][0]

    # a third export changes, in place, the campaign of an email sent weeks before the
    # window and the type of a contact: snapshot tables, restaged whole; the incremental
    # models must follow (the sends of that email move to its new campaign) and every
    # table must again equal a full refresh of the third export
    third = tmp_path / "batches" / "batch_3"
    shutil.copytree(second, third)
    with duckdb.connect() as con:
        email_id, old_campaign, new_campaign = con.execute(f"""
            select emails.email_id, emails.campaign_id, other.campaign_id
            from read_parquet('{second}/emails.parquet') as emails
            cross join (select campaign_id from read_parquet('{second}/campaigns.parquet')
                        order by campaign_id limit 1) as other
            where emails.campaign_id is not null and emails.campaign_id <> other.campaign_id
              and emails.email_id in (
                  select email_id from read_parquet('{second}/email_events/*.parquet')
                  where event_type = 'sent' and occurred_at < timestamp '2025-11-01')
            order by emails.email_id limit 1""").fetchone()
        con.execute(f"""copy (select * replace (case when email_id = '{email_id}'
                        then '{new_campaign}' else campaign_id end as campaign_id)
                    from read_parquet('{second}/emails.parquet'))
                    to '{third}/emails.parquet' (format parquet)""")
        contact_id, old_type = con.execute(f"""
            select contact_id, contact_type from read_parquet('{second}/contacts.parquet')
            where contact_type = 'prospect' order by contact_id limit 1""").fetchone()
        # and a customer with credited conversions leaves the contacts table (a deleted
        # contact; its events stay, as orphans): its credits must go
        gone = con.execute(f"""
            select contact_id from read_parquet('{second}/orders.parquet')
            where status = 'completed' and contact_id <> '{contact_id}'
            order by contact_id limit 1""").fetchone()[0]
        con.execute(f"""copy (select * replace (case when contact_id = '{contact_id}'
                        then 'client' else contact_type end as contact_type)
                    from read_parquet('{second}/contacts.parquet')
                    where contact_id <> '{gone}')
                    to '{third}/contacts.parquet' (format parquet)""")
    assert old_campaign != new_campaign and old_type == "prospect"
    credited = refreshed.query("select count(*) from intermediate.int_attribution_credits_allocated"
                               f" where contact_id = '{gone}'")[0][0]
    assert credited > 0, credited
    shutil.rmtree(export)
    shutil.copytree(third, export)
    changed = incremental.run("run", raw_data_path=export, check=True)
    assert "rebuilding from scratch" not in changed.output
    moved = changed.query("select distinct campaign_id from intermediate.int_email_sends_aggregated"
                          f" where email_id = '{email_id}'")
    assert moved == [(new_campaign,)], moved
    assert changed.query("select count(*) from intermediate.int_attribution_credits_allocated"
                         f" where contact_id = '{gone}'") == [(0,)]
    full_third = DbtProject(tmp_path / "full_third").run("run", "--full-refresh",
                                                         raw_data_path=third, check=True)
    assert _tables(changed) == tables
    for table in tables:
        assert _rows(changed, table) == _rows(full_third, table), table


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
