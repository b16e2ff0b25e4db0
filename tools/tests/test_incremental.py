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


# the bookkeeping of the refresh by contact: which contacts a run recomputed (all of them
# on a full build) and what the next run compares with; not data, and not the same after
# an incremental run as after a full one by design
REFRESH_BOOKKEEPING = ("int_contacts_refresh_scoped", "int_contacts_lifecycle_recorded")


def _tables(result) -> list[str]:
    return [f"{schema}.{name}" for schema, name in result.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('staging', 'intermediate', 'marts_audit', 'marts') "
        "and table_name not in ('_build_state', '_incremental_history', 'publication_log') "
        "and table_type = 'BASE TABLE' order by 1, 2")
        if name not in REFRESH_BOOKKEEPING]


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
    # 2025-12-11 and some hours, minus the 3 days of lookback: a day of 2025-12-08), once,
    # in the input check's temporary table of the window, which the model then read
    compiled = (tmp_path / "incremental" / "target" / "compiled" / "marketing_kpis" / "models"
                / "staging" / "stg_web_events.sql").read_text()
    assert "from __dbt_raw_window_web_events) as raw_input_web_events" in compiled, compiled
    assert "read_parquet" not in compiled, compiled
    log = (tmp_path / "incremental" / "logs" / "dbt.log").read_text()
    window = log[log.rindex("create or replace temporary table __dbt_raw_window_web_events"):]
    window = window[:window.index("SQL status")]
    assert "raw_table.\"occurred_at\" >= cast('2025-12-08 " in window, window[:3000]
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

    # the refresh by contact recomputed the contacts with events in the window, not all
    scoped = refreshed.query("select count(*) filter (where is_refreshed), count(*) "
                             "from intermediate.int_contacts_refresh_scoped")[0]
    assert 0 < scoped[0] < scoped[1], scoped

    # a third export changes snapshot rows in place, anywhere in time: the type of a
    # contact, a deal closed as won days before the window, a segment entry of an old contact, and a
    # credited customer removed from the contacts (a deleted contact; its events stay, as
    # orphans): those contacts are refreshed, and every table again equals a full refresh
    third = tmp_path / "batches" / "batch_3"
    shutil.copytree(second, third)
    with duckdb.connect() as con:
        contact_id, old_type = con.execute(f"""
            select contact_id, contact_type from read_parquet('{second}/contacts.parquet')
            where contact_type = 'prospect' order by contact_id limit 1""").fetchone()
        gone = con.execute(f"""
            select contact_id from read_parquet('{second}/orders.parquet')
            where status = 'completed' and contact_id <> '{contact_id}'
            order by contact_id limit 1""").fetchone()[0]
        con.execute(f"""copy (select * replace (case when contact_id = '{contact_id}'
                        then 'client' else contact_type end as contact_type)
                    from read_parquet('{second}/contacts.parquet')
                    where contact_id <> '{gone}')
                    to '{third}/contacts.parquet' (format parquet)""")
        deal_id = con.execute(f"""
            select deal_id from read_parquet('{second}/deals.parquet')
            where not is_closed and created_at < timestamp '2025-12-01'
            order by deal_id limit 1""").fetchone()[0]
        con.execute(f"""copy (select * replace (
                        case when deal_id = '{deal_id}' then true else is_closed end as is_closed,
                        case when deal_id = '{deal_id}' then true else is_won end as is_won,
                        case when deal_id = '{deal_id}' then timestamp '2025-12-05 10:00:00'
                            else closed_at end as closed_at)
                    from read_parquet('{second}/deals.parquet'))
                    to '{third}/deals.parquet' (format parquet)""")
        member = con.execute(f"""
            select contacts.contact_id from read_parquet('{second}/contacts.parquet') as contacts
            where contacts.created_at < timestamp '2025-06-01' and contacts.contact_id not in (
                select contact_id from read_parquet('{second}/segment_members.parquet'))
            order by 1 limit 1""").fetchone()[0]
        con.execute(f"""copy (select * from read_parquet('{second}/segment_members.parquet')
                    union all by name
                    select segment_id, '{member}' as contact_id,
                        timestamp '2025-06-01 09:00:00' as added_at,
                        cast(null as timestamp) as removed_at
                    from read_parquet('{second}/segments.parquet')
                    where segment_name = 'Prospects')
                    to '{third}/segment_members.parquet' (format parquet)""")
    assert old_type == "prospect"
    credited = refreshed.query("select count(*) from intermediate.int_attribution_credits_allocated"
                               f" where contact_id = '{gone}'")[0][0]
    assert credited > 0, credited
    changed = _rebuild_with(export, third, incremental)
    assert changed.query("select count(*) from intermediate.int_attribution_credits_allocated"
                         f" where contact_id = '{gone}'") == [(0,)]
    assert changed.query("select customer_signal from intermediate.int_contacts_lifecycle_pivoted"
                         " where contact_id = (select contact_id from staging.stg_deals"
                         f" where deal_id = '{deal_id}')")[0][0] is not None
    refreshed_now = {row[0] for row in changed.query(
        "select contact_id from intermediate.int_contacts_refresh_scoped where is_refreshed")}
    assert {contact_id, gone, member} <= refreshed_now
    assert len(refreshed_now) < changed.query(
        "select count(*) from intermediate.int_contacts_refresh_scoped")[0][0]
    _assert_equals_a_full_refresh(changed, third, tmp_path / "full_third", tables)

    # a fourth export changes, in place, the campaign of an email sent weeks before the
    # window: the incremental models must follow (the sends of that email move to its new
    # campaign, and with them the touches), and every table must again equal a full refresh
    fourth = tmp_path / "batches" / "batch_4"
    shutil.copytree(third, fourth)
    with duckdb.connect() as con:
        email_id, old_campaign, new_campaign = con.execute(f"""
            select emails.email_id, emails.campaign_id, other.campaign_id
            from read_parquet('{third}/emails.parquet') as emails
            cross join (select campaign_id from read_parquet('{third}/campaigns.parquet')
                        order by campaign_id limit 1) as other
            where emails.campaign_id is not null and emails.campaign_id <> other.campaign_id
              and emails.email_id in (
                  select email_id from read_parquet('{third}/email_events/*.parquet')
                  where event_type = 'sent' and occurred_at < timestamp '2025-11-01')
            order by emails.email_id limit 1""").fetchone()
        con.execute(f"""copy (select * replace (case when email_id = '{email_id}'
                        then '{new_campaign}' else campaign_id end as campaign_id)
                    from read_parquet('{third}/emails.parquet'))
                    to '{fourth}/emails.parquet' (format parquet)""")
    assert old_campaign != new_campaign
    moved_email = _rebuild_with(export, fourth, incremental)
    moved = moved_email.query("select distinct campaign_id from "
                              f"intermediate.int_email_sends_aggregated where email_id = '{email_id}'")
    assert moved == [(new_campaign,)], moved
    _assert_equals_a_full_refresh(moved_email, fourth, tmp_path / "full_fourth", tables)


def _rebuild_with(export, batch, project):
    """The export folder now holds `batch`; an incremental build of it."""
    shutil.rmtree(export)
    shutil.copytree(batch, export)
    result = project.run("run", raw_data_path=export, check=True)
    assert "rebuilding from scratch" not in result.output
    return result


def _assert_equals_a_full_refresh(result, batch, workdir, tables):
    full = DbtProject(workdir).run("run", "--full-refresh", raw_data_path=batch, check=True)
    assert _tables(result) == tables
    for table in tables:
        assert _rows(result, table) == _rows(full, table), table


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
