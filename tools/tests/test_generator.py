"""The demo-data generator: deterministic, chunk-independent, on contract, plausible."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tools import contract
from tools.generate_data import generate
from tools.tests.conftest import PROJECT_DIR


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_whatever_the_chunk_size(tmp_path):
    generate(300, tmp_path / "a", "csv", chunk=5_000)
    generate(300, tmp_path / "b", "csv", chunk=7)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_another_seed_gives_other_data(tmp_path):
    generate(100, tmp_path / "a", "csv", seed=1)
    generate(100, tmp_path / "b", "csv", seed=2)
    assert _digest(tmp_path / "a")["contacts.csv"] != _digest(tmp_path / "b")["contacts.csv"]


def test_committed_demo_seeds_are_the_generator_output(tmp_path):
    """seeds/ must be exactly what `make seeds` writes (regenerate them after a change)."""
    generate(2000, tmp_path, "csv")
    committed = {name: digest for name, digest in _digest(PROJECT_DIR / "seeds").items()
                 if name.endswith(".csv")}
    assert committed == _digest(tmp_path)


def test_csv_headers_follow_the_contract(tmp_path):
    generate(50, tmp_path, "csv")
    for table in contract.tables():
        with open(tmp_path / f"{table}.csv", newline="") as f:
            assert next(csv.reader(f)) == contract.columns(table), table


def test_parquet_schema_follows_the_contract(tmp_path):
    generate(50, tmp_path, "parquet")
    arrow_types = {"string": "string", "timestamp": "timestamp[us]", "date": "date32[day]",
                   "decimal": "decimal128(18, 2)", "integer": "int64", "boolean": "bool"}
    for table in contract.tables():
        schema = pq.read_schema(tmp_path / f"{table}.parquet")
        assert [(f.name, str(f.type)) for f in schema] == [
            (name, arrow_types[kind]) for name, kind in contract.column_types(table).items()
        ], table


def test_csv_and_parquet_hold_the_same_rows(tmp_path):
    generate(200, tmp_path / "csv", "csv")
    generate(200, tmp_path / "parquet", "parquet")
    con = duckdb.connect()
    for table in ("contacts", "email_events", "orders", "campaign_costs"):
        from_csv = con.execute(f"select * from read_csv('{tmp_path}/csv/{table}.csv') "
                           "order by all").fetchall()
        from_parquet = con.execute(f"select * from '{tmp_path}/parquet/{table}.parquet' "
                               "order by all").fetchall()
        assert len(from_csv) == len(from_parquet) > 0, table
        assert [_normal(r) for r in from_csv] == [_normal(r) for r in from_parquet], table


def _normal(row: tuple) -> tuple:
    """CSV numbers come back as doubles, Parquet ones as decimals: compare values."""
    return tuple(round(float(v), 2) if isinstance(v, (float, Decimal)) else str(v) for v in row)


def _peak_rss_kib(contacts: int, out: Path) -> int:
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.generate_data", "--contacts", str(contacts),
         "--format", "parquet", "--out", str(out), "--chunk", "500", "--quiet"],
        cwd=PROJECT_DIR, env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))
    _pid, status, usage = os.wait4(process.pid, 0)
    assert status == 0
    return usage.ru_maxrss


def test_parquet_output_streams_in_flat_memory(tmp_path):
    """Ten times the contacts must not cost ten times the memory: chunks are flushed."""
    small = _peak_rss_kib(1_000, tmp_path / "small")
    large = _peak_rss_kib(10_000, tmp_path / "large")
    assert large < small * 1.3, (small, large)
    assert pq.ParquetFile(tmp_path / "large" / "email_events.parquet").num_row_groups >= 20


@pytest.fixture(scope="module")
def demo():
    con = duckdb.connect()
    for table in contract.tables():
        con.execute(f"create view {table} as select * from "
                f"read_csv('{PROJECT_DIR}/seeds/{table}.csv', header = true)")
    return con


def _one(con, sql):
    return con.execute(sql).fetchone()[0]


def test_demo_covers_every_table_and_twelve_months(demo):
    for table in contract.tables():
        assert _one(demo, f"select count(*) from {table}") > 0, table
    assert _one(demo, "select count(distinct date_trunc('month', created_at)) "
                      "from contacts") == 12
    assert 1900 <= _one(demo, "select count(*) from contacts") <= 2100


def test_demo_email_behaviour_is_plausible(demo):
    rates = demo.execute("""
        with sends as (
            select email_id, contact_id,
                   bool_or(event_type = 'bounced') as bounced,
                   bool_or(event_type = 'opened' and not is_machine_open) as opened,
                   bool_or(event_type = 'opened' and is_machine_open) as machine_opened,
                   bool_or(event_type = 'clicked') as clicked,
                   bool_or(event_type = 'unsubscribed') as unsubscribed
            from email_events group by all
        )
        select avg(bounced::int), sum(opened::int) / sum((not bounced)::int),
               sum(clicked::int) / sum((not bounced)::int), avg(machine_opened::int),
               avg(unsubscribed::int)
        from sends""").fetchone()
    bounce, open_rate, click_rate, machine, unsubscribe = rates
    assert 0.01 < bounce < 0.05
    assert 0.15 < open_rate < 0.45
    assert 0.02 < click_rate < 0.12
    assert 0.05 < machine < 0.2
    assert 0 < unsubscribe < 0.02
    # resends go to non-openers of the original only
    assert _one(demo, """
        select count(*) from email_events resend
        join emails on emails.email_id = resend.email_id and emails.parent_email_id is not null
        join email_events original
          on original.email_id = emails.parent_email_id
         and original.contact_id = resend.contact_id
         and original.event_type = 'opened' and not original.is_machine_open
         and original.occurred_at < resend.occurred_at
        where resend.event_type = 'sent'""") == 0


def test_demo_funnel_is_plausible(demo):
    leads = _one(demo, "select count(distinct contact_id) from form_submissions")
    mqls = _one(demo, """
        select count(*) from (
            select contact_id, max(score) as top from (
                select contact_id, sum(delta) over (partition by contact_id
                    order by occurred_at rows unbounded preceding) as score
                from score_events)
            group by all having top >= 100)""")
    deals = _one(demo, "select count(distinct contact_id) from deals")
    won = _one(demo, "select count(distinct contact_id) from deals where is_won")
    assert 0.08 < mqls / leads < 0.4
    assert 0.2 < won / deals < 0.6
    # lost deals re-engaged later, repeat buyers, refunds, phone leads, skipped stages
    assert _one(demo, "select count(*) from (select contact_id from deals group by all "
                      "having count(*) > 1 and bool_or(not is_won and is_closed))") > 0
    assert _one(demo, "select count(*) from (select contact_id from orders "
                      "where status = 'completed' group by all having count(*) >= 2)") > 20
    assert _one(demo, "select count(*) from orders where status = 'refunded'") > 0
    assert _one(demo, "select count(*) from contacts where lead_source = 'phone'") > 50
    assert _one(demo, """select count(*) from contacts join orders using (contact_id)
                         where contacts.lead_source = 'eshop'""") > 0
    assert _one(demo, "select count(*) from contact_changes "
                      "where new_value = 'ancien_client'") > 0


def test_demo_score_grows_with_engagement(demo):
    clickers, others = demo.execute("""
        with clicks as (select contact_id, count(*) as n from email_events
                        where event_type = 'clicked' group by all),
             score as (select contact_id, sum(delta) as total from score_events group by all)
        select avg(total) filter (where n >= 3), avg(total) filter (where n is null)
        from score left join clicks using (contact_id)""").fetchone()
    assert clickers > 2 * others


def test_demo_has_late_opens(demo):
    """Some opens arrive weeks after their send (late-arriving events)."""
    assert _one(demo, """
        select count(*) from email_events opened
        join email_events sent using (email_id, contact_id)
        where opened.event_type = 'opened' and sent.event_type = 'sent'
          and opened.occurred_at > sent.occurred_at + interval 7 day""") > 20
