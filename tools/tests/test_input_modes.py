"""The same raw data gives the same staging tables whatever its form: seeds, a folder of
CSV files, a folder of Parquet files, or tables already in the warehouse."""

from __future__ import annotations

import csv
import gzip
import shutil

import duckdb
import yaml

from tools import contract
from tools.generate_data import generate
from tools.tests.conftest import (CONTACT_HEADER, PROJECT_DIR, DbtProject, good_contacts,
                                  write_csv)


def _staging(result) -> dict[str, list[tuple]]:
    return {table: result.query(f"select * from staging.stg_{table} order by all")
            for table in contract.tables()}


def test_csv_and_parquet_folders_stage_the_same_rows(tmp_path):
    generate(300, tmp_path / "csv", "csv")
    generate(300, tmp_path / "parquet", "parquet")
    from_csv = DbtProject(tmp_path / "a").run("run", "--select", "staging",
                                              raw_data_path=tmp_path / "csv", check=True)
    from_parquet = DbtProject(tmp_path / "b").run("run", "--select", "staging",
                                                  raw_data_path=tmp_path / "parquet",
                                                  check=True)
    csv_rows, parquet_rows = _staging(from_csv), _staging(from_parquet)
    for table in contract.tables():
        assert len(csv_rows[table]) > 0, table
        assert csv_rows[table] == parquet_rows[table], table
    # exact duplicate rows of the export are collapsed in staging
    raw_events = duckdb.execute(
        f"select count(*) from '{tmp_path}/parquet/email_events.parquet'").fetchone()[0]
    distinct_events = duckdb.execute(
        f"select count(*) from (select distinct * from "
        f"'{tmp_path}/parquet/email_events.parquet')").fetchone()[0]
    assert raw_events > distinct_events == len(csv_rows["email_events"])


def test_seeds_and_the_same_files_stage_the_same_rows(tmp_path):
    """The demo seeds, built as seeds, equal the same CSV files read in place."""
    demo_files = tmp_path / "demo"
    generate(2000, demo_files, "csv")
    seeded = DbtProject(tmp_path / "a").run("build", "--select", "staging", "+staging",
                                            "--exclude", "resource_type:test", check=True)
    in_place = DbtProject(tmp_path / "b").run("run", "--select", "staging",
                                              raw_data_path=demo_files, check=True)
    seeded_rows, file_rows = _staging(seeded), _staging(in_place)
    for table in contract.tables():
        assert len(seeded_rows[table]) == len(file_rows[table]) > 0, table
    for table in ("contacts", "email_events", "orders", "deals", "campaign_costs"):
        assert seeded_rows[table] == file_rows[table], table


WEB_HEADER = ["event_id", "visitor_id", "contact_id", "event_type", "page_id", "page_url",
              "page_type", "cta_id", "campaign_id", "occurred_at"]


def test_exact_duplicate_web_events_collapse_to_one_row(dbt, tmp_path):
    """On DuckDB, stg_web_events runs `distinct` only over the rows whose event_id the input
    check found repeated (exact_duplicates_collapsed); the rows must be those of a `distinct`
    over every normalised row. e1 twice (the second copy with spaces around its id and its
    codes in capitals: the same row once normalised), e2 once, e3 three times with no
    contact (nulls compare equal in `distinct`): 3 rows, on the first run, on an
    incremental run over the same export, and in `dbt show` (a plain `distinct`, no pre-hook)."""
    raw = tmp_path / "raw"
    good_contacts(raw)
    e1 = ["e1", "v1", "c1", "page_view", "p1", "https://x.example/1", "landing_page", "", "",
          "2025-01-10 10:00:00"]
    e1_again = [" e1 ", "v1", "c1", "PAGE_VIEW", "p1", "https://x.example/1", " Landing_Page ",
                "", "", "2025-01-10 10:00:00"]
    e2 = ["e2", "v1", "c1", "cta_click", "p1", "https://x.example/1", "landing_page", "cta1", "",
          "2025-01-10 10:05:00"]
    e3 = ["e3", "v2", "", "page_view", "p2", "", "content", "", "", "2025-01-11 08:00:00"]
    write_csv(raw, "web_events", WEB_HEADER, [e1, e3, e1_again, e2, e3, e3])
    expected = [("e1", "v1", "c1", "page_view"), ("e2", "v1", "c1", "cta_click"),
                ("e3", "v2", None, "page_view")]
    staged = ("select event_id, visitor_id, contact_id, event_type from staging.stg_web_events"
              " order by event_id")
    # all of staging: `dbt show` compiles the model's tests, which read its parents
    first = dbt.run("run", "--select", "staging", raw_data_path=raw, check=True)
    assert first.query(staged) == expected
    compiled = (dbt.workdir / "target" / "run" / "marketing_kpis" / "models" / "staging"
                / "stg_web_events.sql").read_text()
    assert "__dbt_repeated_keys_web_events" in compiled    # the path under test was taken
    again = dbt.run("run", "--select", "stg_web_events", raw_data_path=raw, check=True)
    assert again.query(staged) == expected
    shown = dbt.run("show", "--select", "stg_web_events,resource_type:model", "--output",
                    "json", "--limit", "20",
                    raw_data_path=raw, check=True)
    assert shown.output.count('"event_id": "e3"') == 1, shown.output[-3000:]
    assert shown.output.count('"event_id": "e1"') == 1, shown.output[-3000:]


def test_absent_optional_tables_are_empty_with_contract_types(dbt, tmp_path):
    raw = tmp_path / "raw"
    good_contacts(raw)
    result = dbt.run("run", "--select", "staging", raw_data_path=raw, check=True)
    assert "raw input: orders is absent; staging it as an empty table" in result.output
    assert result.query("select count(*) from staging.stg_orders") == [(0,)]
    assert result.query("select count(*) from staging.stg_contacts") == [(3,)]
    types = dict(result.query(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'staging' and table_name = 'stg_orders'"))
    assert types == {"order_id": "VARCHAR", "contact_id": "VARCHAR",
                     "ordered_at": "TIMESTAMP", "amount": "DECIMAL(18,4)",
                     "currency": "VARCHAR", "status": "VARCHAR", "is_completed": "BOOLEAN"}


def test_flexible_files_gzip_parts_headers_offsets(dbt, tmp_path):
    raw = tmp_path / "raw"
    # contacts: upper-case headers in another order, an extra column, no `company` column
    write_csv(raw, "contacts",
              ["Country", "CONTACT_ID", "Email", "created_at", "contact_type", "lead_source",
               "source_campaign_id", "favourite_colour"],
              [["FR", "c1", "A@X.FR", "2025-03-31T23:30:00Z", "Prospect", "Form", "", "blue"],
               ["BE", "c2", "b@x.fr", "2025-04-01T01:30:00+02:00", "", "", "", "red"]])
    # orders as gzip-compressed CSV
    plain = write_csv(raw, "orders", ["order_id", "contact_id", "ordered_at", "amount",
                                      "currency", "status"],
                      [["o1", "c1", "2025-04-02 10:00:00", "99.90", "EUR", "COMPLETED"]])
    with open(plain, "rb") as src, gzip.open(raw / "orders.csv.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain.unlink()
    # email_events as a folder of Parquet parts
    (raw / "email_events").mkdir()
    for part, (event, at) in enumerate([("sent", "2025-04-01 08:00:00"),
                                        ("opened", "2025-04-01 09:00:00")]):
        duckdb.execute(f"""copy (select 'e1' as email_id, 'c1' as contact_id,
                                 '{event}' as event_type, timestamp '{at}' as occurred_at,
                                 null::varchar as url, false as is_machine_open)
                          to '{raw}/email_events/part-{part}.parquet' (format parquet)""")
    result = dbt.run("run", "--select", "stg_contacts", "stg_orders", "stg_email_events",
                     raw_data_path=raw, check=True)
    assert result.query("select contact_id, email, created_at::varchar, contact_type, "
                        "lead_source, company, country from staging.stg_contacts "
                        "order by 1") == [
        # 23:30Z stays 23:30 UTC; 01:30+02:00 is 23:30 UTC the day before
        ("c1", "a@x.fr", "2025-03-31 23:30:00", "prospect", "form", None, "FR"),
        ("c2", "b@x.fr", "2025-03-31 23:30:00", None, None, None, "BE"),
    ]
    assert result.query("select order_id, amount::double, status from staging.stg_orders") \
        == [("o1", 99.9, "completed")]
    assert result.query("select event_type from staging.stg_email_events order by 1") == \
        [("opened",), ("sent",)]


def test_warehouse_tables_through_raw_schema(dbt, tmp_path):
    """Raw tables already in the database (schema `landing`) instead of files."""
    raw = tmp_path / "raw"
    good_contacts(raw)
    dbt.database.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(dbt.database)) as con:
        con.execute("create schema landing")
        con.execute(f"create table landing.contacts as select * from "
                    f"read_csv('{raw}/contacts.csv', all_varchar = true)")
        con.execute("create table landing.deals (deal_id varchar, contact_id varchar, "
                    "created_at timestamp, stage varchar, amount decimal(18, 2), "
                    "is_closed boolean, is_won boolean, closed_at timestamp)")
        con.execute("insert into landing.deals values ('d1', 'c1', '2025-02-01 10:00:00', "
                    "'Closed_Won', 5000, true, true, '2025-03-01 10:00:00')")
    result = dbt.run("run", "--select", "staging", extra_vars={"raw_schema": "landing"},
                     check=True)
    assert result.query("select count(*) from staging.stg_contacts") == [(3,)]
    assert result.query("select deal_id, stage, is_won from staging.stg_deals") == \
        [("d1", "closed_won", True)]
    assert result.query("select count(*) from staging.stg_orders") == [(0,)]


def test_contact_header_constant_matches_the_contract():
    assert CONTACT_HEADER == contract.columns("contacts")




def test_every_seed_column_is_declared_as_text():
    """seeds/_seeds.yml declares each column of each demo seed as varchar, so the seeds
    load as text like CSV files: a seed column missing from it would be type-inferred
    (and a column listed there but absent from the seed is a stale entry)."""
    declared = {seed["name"]: seed["config"]["column_types"] for seed in
                yaml.safe_load((PROJECT_DIR / "seeds" / "_seeds.yml").read_text())["seeds"]}
    seed_files = sorted((PROJECT_DIR / "seeds").glob("*.csv"))
    assert sorted(declared) == sorted(path.stem for path in seed_files)
    for path in seed_files:
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert list(declared[path.stem]) == header, path.name
        assert set(declared[path.stem].values()) == {"varchar"}, path.name
