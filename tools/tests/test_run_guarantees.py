"""What a run guarantees (DESIGN.md section 6, and section 2's "How a folder of files is
read"): each finding of the trust issue replayed on a small broken folder.

Every case starts from a database where a good export was built and published (one build,
restored per case), breaks the export in its folder, as a user's own export is fixed or
broken in place, runs `dbt build`, and asserts both the message and the published marts:
either exactly those of the good build (a refusal or a failure publishes nothing;
compared table by table, every row), or exactly those a build of the same data gives (a
capitalised file name, spreadsheet headers, a stray file are read as they should be).
All cases share one folder, one database file and one dbt target folder, restored before
each case, so that dbt parses the project once for them all.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tools.generate_data import generate
from tools.tests.conftest import PROJECT_DIR, DbtProject

BUILD = ("build", "--exclude-resource-type", "unit_test")


def _normal(value):
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.12g}")
    return value


def published(database: Path, *, with_log: bool = True) -> dict[str, list[tuple]]:
    """Every table of schema marts, whole, rows sorted."""
    with duckdb.connect(str(database), read_only=True) as con:
        names = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by 1").fetchall()]
        return {name: sorted((tuple(_normal(v) for v in row)
                              for row in con.execute(f'select * from marts."{name}"').fetchall()),
                             key=repr)
                for name in names if with_log or name != "publication_log"}


def csv_rows(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text().splitlines()]


def write_rows(path: Path, rows: list[list[str]]) -> None:
    path.write_text("\n".join(",".join(row) for row in rows) + "\n")


class Baseline:
    """A good export built and published once, at the one path every case reads; each case
    restores the export and the database, then breaks the export."""

    def __init__(self, root: Path):
        self.pristine = root / "pristine_export"
        generate(120, self.pristine, "csv")
        self.raw = root / "export"
        shutil.copytree(self.pristine, self.raw)
        self.project = DbtProject(root / "bench")
        self.project.run(*BUILD, raw_data_path=self.raw, check=True)
        self.database = root / "published.duckdb"
        shutil.copy(self.project.database, self.database)
        self.marts = published(self.database)
        assert self.marts["mart_acquisition"], "the good build published no rows"

    def case(self, tmp_path: Path | None = None) -> tuple[Path, DbtProject]:
        """The good export and its database, restored, to break."""
        shutil.rmtree(self.raw)
        shutil.copytree(self.pristine, self.raw)
        shutil.copy(self.database, self.project.database)
        return self.raw, self.project

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Baseline:
    return Baseline(tmp_path_factory.mktemp("baseline"))


def _refused(result, *expected: str) -> str:
    """The run stopped before any model ran, with the expected one-line message last."""
    assert result.returncode != 0, result.output[-3000:]
    for text in expected:
        assert text in result.output, f"{text!r} not in:\n{result.output[-3000:]}"
    last = result.output.strip().splitlines()[-1]
    assert "Nothing was published: the marts in schema marts are unchanged." in last, last
    assert " START " not in result.output, "a model ran before the refusal"
    return last


def _unchanged(baseline: Baseline, project: DbtProject) -> None:
    assert published(project.database) == baseline.marts


def _same_marts_as_baseline(baseline: Baseline, project: DbtProject) -> None:
    """The marts a fresh build of the same data gives (the log of the publication aside)."""
    marts = published(project.database, with_log=False)
    expected = {name: rows for name, rows in baseline.marts.items() if name != "publication_log"}
    assert marts.keys() == expected.keys()
    for name in expected:
        assert marts[name] == expected[name], name


# ---- 1. demo rows mixed into a user's data ---------------------------------------------

def test_demo_then_own_data_gives_a_fresh_build_of_the_own_data(baseline, tmp_path):
    """`make demo`, then the README's own-data command on the same database: the marts are
    those of a build of the own data alone (the baseline), not a mix with the demo."""
    raw, _ = baseline.case()
    project = DbtProject(tmp_path / "demo")
    project.run(*BUILD, check=True)
    demo_events = project.query("select count(*) from staging.stg_email_events")[0][0]
    own = project.run(*BUILD, raw_data_path=raw, check=True)
    assert ("marketing_kpis: rebuilding from scratch, as --full-refresh would: the input is "
            f"folder {raw}, the tables were built from the demo seeds.") in own.output
    assert "Orphan ids" not in own.output
    own_events = project.query("select count(*) from staging.stg_email_events")[0][0]
    assert own_events < demo_events
    assert own_events == baseline.query("select count(*) from staging.stg_email_events")[0][0]
    _same_marts_as_baseline(baseline, project)
    log = project.query("select input from marts.publication_log order by published_at")
    assert [project.real_paths(row[0]) for row in log] == ["the demo seeds", f"folder {raw}"]


def test_a_changed_definition_var_rebuilds_from_scratch(baseline, tmp_path):
    raw, project = baseline.case()
    paris = {"reporting_timezone": "Europe/Paris"}
    result = project.run(*BUILD, raw_data_path=raw, extra_vars=paris, check=True)
    assert ("marketing_kpis: rebuilding from scratch, as --full-refresh would: var "
            "reporting_timezone is 'Europe/Paris', the tables were built with 'UTC'."
            ) in result.output
    # the marts of a build with that var on a new database
    fresh = DbtProject(tmp_path / "fresh")
    fresh.run(*BUILD, raw_data_path=raw, extra_vars=paris, check=True)
    assert published(project.database, with_log=False) == published(fresh.database,
                                                                     with_log=False)
    assert published(project.database, with_log=False) != published(baseline.database,
                                                                     with_log=False)


# ---- 2. a failed build must not overwrite the marts ------------------------------------

def test_a_missing_folder_is_refused_before_any_model_runs(baseline, tmp_path):
    _, project = baseline.case()
    result = project.run(*BUILD, raw_data_path=tmp_path / "no_such_folder")
    _refused(result, f"var raw_data_path is '{tmp_path}/no_such_folder': no such folder, or it "
             "holds no files")
    _unchanged(baseline, project)


def test_a_contact_created_in_year_1_is_refused(baseline):
    raw, project = baseline.case()
    rows = csv_rows(raw / "contacts.csv")
    rows[5][rows[0].index("created_at")] = "0001-01-01 00:00:00"
    write_rows(raw / "contacts.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/contacts.csv: column created_at has 1 row dated before 2000-01-01 "
             "(var earliest_valid_date)", "e.g. 0001-01-01 00:00:00")
    _unchanged(baseline, project)


def test_an_unparsable_timestamp_is_refused(baseline):
    raw, project = baseline.case()
    rows = csv_rows(raw / "email_events.csv")
    rows[3][rows[0].index("occurred_at")] = "not a date"
    write_rows(raw / "email_events.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/email_events.csv: column occurred_at has 1 row with a value that "
             "is not a valid timestamp, e.g. 'not a date'")
    _unchanged(baseline, project)


def test_a_failing_model_publishes_nothing(baseline):
    """An unknown event type is found by the staging model's input check, after other
    models already ran: the run fails, says nothing was published, and schema marts is
    the good build's."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "email_events.csv")
    at, kind = rows[0].index("occurred_at"), rows[0].index("event_type")
    newest = max(rows[1:], key=lambda row: row[at])      # inside the incremental window
    newest[kind] = "openned"
    write_rows(raw / "email_events.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    assert result.returncode != 0
    assert "column event_type: 1 row with an unknown value, e.g. 'openned'" in result.output
    assert "marketing_kpis: nothing was published: " in result.output
    assert "stg_email_events (error)" in result.output
    _unchanged(baseline, project)


def _one_more_order(raw: Path, amount: str = "100.00", order_id: str = "o_extra") -> str:
    rows = csv_rows(raw / "orders.csv")
    contact = rows[1][rows[0].index("contact_id")]
    rows.append([order_id, contact, "2025-06-15 10:00:00", amount, "EUR", "completed"])
    write_rows(raw / "orders.csv", rows)
    return contact


def test_a_publication_that_fails_halfway_changes_no_mart(baseline):
    """The marts are replaced in one transaction: when replacing one of them fails (here a
    view a user put in its place), the marts replaced before it in the same transaction
    are rolled back too."""
    raw, project = baseline.case()
    with duckdb.connect(str(project.database)) as con:
        con.execute("alter table marts.mart_revenue rename to mart_revenue_table")
        con.execute("create view marts.mart_revenue as select * from marts.mart_revenue_table")
    before = published(project.database)
    _one_more_order(raw)        # new data, so that a publication would show
    result = project.run(*BUILD, raw_data_path=raw)
    assert result.returncode != 0
    assert "Failure in operation marketing_kpis-on-run-end-0" in result.output
    assert "published 16 marts" not in result.output
    assert published(project.database) == before


def test_a_killed_build_publishes_nothing(baseline):
    """kill -9 while the marts are being built: schema marts is the good build's."""
    raw, project = baseline.case()
    _one_more_order(raw)
    # the paths the baseline was built with (conftest's shared parse): an incremental build
    command, env, _ = project.command(*BUILD, raw_data_path=raw)
    log = project.workdir / "killed_build.log"
    with open(log, "w") as out:
        build = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 600
        while "model marts_audit.mart_" not in log.read_text():
            assert build.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.2)
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert "published 16 marts" not in log.read_text()
    assert "rebuilding from scratch" not in log.read_text()
    _unchanged(baseline, project)


# ---- 3. nothing dropped silently --------------------------------------------------------

def test_a_capitalised_file_name_is_read(baseline):
    raw, project = baseline.case()
    rows = csv_rows(raw / "orders.csv")
    dates = sorted(row[rows[0].index("ordered_at")][:10] for row in rows[1:])
    (raw / "orders.csv").rename(raw / "Orders.CSV")
    result = project.run(*BUILD, raw_data_path=raw, check=True)
    assert "orders is absent" not in result.output
    # the inventory names it, with its rows and time range (read from the file above)
    assert "  orders            Orders.CSV " in result.output
    assert (f"{len(rows) - 1:,} rows  {dates[0]} .. {dates[-1]} (ordered_at)"
            in result.output), result.output[:3000]
    _same_marts_as_baseline(baseline, project)


def test_spreadsheet_headers_are_read(baseline):
    raw, project = baseline.case()
    rows = csv_rows(raw / "contacts.csv")
    rows[0] = [{"contact_type": "Contact Type", "lead_source": "Lead Source",
                "created_at": " Created-At ", "source_campaign_id": "SOURCE CAMPAIGN ID"}
               .get(name, name) for name in rows[0]]
    write_rows(raw / "contacts.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw, check=True)
    assert "is not read" not in result.output
    _same_marts_as_baseline(baseline, project)


def test_unknown_columns_and_stray_files_are_warned_by_name(baseline):
    raw, project = baseline.case()
    shutil.copy(raw / "contacts.csv", raw / "contacts.old.csv")
    (raw / "Leads export.csv").write_text("name,mail\nAnn,ann@example.com\n")
    rows = csv_rows(raw / "orders.csv")
    write_rows(raw / "orders.csv", [row + (["Amout"] if i == 0 else ["x"])
                                    for i, row in enumerate(rows)])
    result = project.run(*BUILD, raw_data_path=raw, check=True)
    assert (f"marketing_kpis warning: raw_data_path {raw}: contacts.old.csv is not read: it is "
            "no table of the raw contract (nearest table: contacts).") in result.output
    assert (f"marketing_kpis warning: raw_data_path {raw}: Leads export.csv is not read: it is "
            "no table of the raw contract.") in result.output
    assert (f"marketing_kpis warning: {raw}/orders.csv: column 'Amout' is not read: it is no "
            "column of the contract table orders (nearest column: amount).") in result.output
    _same_marts_as_baseline(baseline, project)


def test_two_candidates_for_one_table_are_refused(baseline):
    raw, project = baseline.case()
    with open(raw / "orders.csv", "rb") as plain, gzip.open(raw / "orders.csv.gz", "wb") as zipped:
        shutil.copyfileobj(plain, zipped)
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"raw_data_path {raw} holds 2 candidates for the table orders: orders.csv, "
             "orders.csv.gz; keep one of them")
    _unchanged(baseline, project)


# ---- 4. implausible values --------------------------------------------------------------

def test_an_email_event_in_2999_is_refused(baseline):
    raw, project = baseline.case()
    rows = csv_rows(raw / "email_events.csv")
    rows[2][rows[0].index("occurred_at")] = "2999-01-01 00:00:00"
    write_rows(raw / "email_events.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/email_events.csv: column occurred_at has 1 row dated before "
             "2000-01-01 (var earliest_valid_date) or after ", "e.g. 2999-01-01 00:00:00")
    _unchanged(baseline, project)


def test_a_negative_completed_order_is_a_warning_and_counts_as_given(baseline):
    raw, project = baseline.case()
    _one_more_order(raw, amount="-3600", order_id="o_negative")
    result = project.run(*BUILD, raw_data_path=raw, check=True)
    assert (f"marketing_kpis warning: {raw}/orders.csv: 1 row with status completed and a "
            "negative amount, e.g. order o_negative (-3600); counted as revenue as given"
            ) in result.output
    june = ("select revenue, orders from marts.mart_revenue "
            "where period_grain = 'month' and period_start = date '2025-06-01'")
    (revenue_before, orders_before), = baseline.query(june)
    # June: the good build's revenue minus 3,600, and one order more
    assert project.query(june) == [(revenue_before - 3600, orders_before + 1)]


# ---- 6. refusals in one line -------------------------------------------------------------

def test_a_locked_database_is_refused_in_one_line_naming_the_process(baseline):
    raw, project = baseline.case()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; "
         f"con = duckdb.connect({str(project.database)!r}, read_only=True); "
         "print('open', flush=True); time.sleep(300)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = project.run(*BUILD, raw_data_path=raw)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode != 0
    lines = result.output.strip().splitlines()
    assert "Traceback" not in result.output and len(lines) < 20, result.output
    assert lines[-1].startswith(f"    marketing_kpis: the DuckDB file {project.database} "), \
        lines[-1]
    assert f"is in use by another process (PID {holder.pid}: {sys.executable} -c" in lines[-1]
    assert "Close that program's connection to it" in lines[-1]
    assert "let it read a copy instead" in lines[-1]
    _unchanged(baseline, project)


def test_an_unknown_time_zone_is_refused_in_one_line(baseline):
    raw, project = baseline.case()
    result = project.run(*BUILD, raw_data_path=raw,
                         extra_vars={"reporting_timezone": "Mars/Olympus"})
    last = _refused(result, "var reporting_timezone is 'Mars/Olympus', which is not a time "
                    "zone: use an IANA name such as 'Europe/Paris'")
    assert last.startswith("  marketing_kpis: var reporting_timezone"), last
    _unchanged(baseline, project)


INVALID_VARS = {
    # the cases
    "reporting_timezone": "Mars/Olympus",
    "mql_score_threshold": "abc",
    "kpi_period_grains": "month",
    # every other documented var, with a value it refuses
    "raw_csv_encoding": "ebcdic",
    "raw_csv_delimiter": ";;",
    "earliest_valid_date": "2000-02-30",
    "mautic_table_prefix": "mtc-",
    "mautic_null_strings": "NULL",
    "mautic_contact_fields": ["contact_type"],
    "mautic_campaign_attributes": {"12": "webinar"},
    "mautic_campaign_action_types": {"email.send": "send"},
    "hubspot_table_prefix": "hs-",
    "hubspot_contact_fields": ["lead_source"],
    "hubspot_score_property": "",
    "hubspot_lifecycle_stage_map": ["lead"],
    "hubspot_email_campaigns": "5001",
    "hubspot_orders_from_won_deals": "true",
    "hubspot_portals": [{"portal": "acme corp", "raw_data_path": "exports/acme"}],
    "crm_system": "hubspot",
    "salesforce_data_path": 12,
    "salesforce_schema": ["sf"],
    "salesforce_lifecycle_field": "",
    "salesforce_lifecycle_stage_map": ["lead"],
    "salesforce_contact_type_field": 3,
    "salesforce_score_field": ["Score__c"],
    "salesforce_campaign_attributes": {"701": "webinar"},
    "salesforce_orders_from_won_opportunities": "yes",
    "lead_lifecycle_stages": "lead",
    "lead_contact_types": "prospect",
    "lead_segments": [1],
    "mql_lifecycle_stages": "mql",
    "sql_lifecycle_stages": None,
    "customer_contact_types": "client",
    "customer_segments": "Clients",
    "former_customer_contact_types": "ancien_client",
    "customer_lifecycle_stages": {"a": 1},
    "recycled_lifecycle_stages": 3,
    "contact_type_field": "",
    "lifecycle_stage_field": 7,
    "exclude_machine_opens": "false",
    "attribution_lookback_days": -1,
    "attribution_half_life_days": 0,
    "position_based_edge_share": 0.6,
    "scoring_horizon_days": 1.5,
    "score_bands": [0, 100, 50],
    "customer_lifespan_years": "3",
    "incremental_lookback_days": "3",
    "schema_prefix": "acme-",
    "raw_schema": 12,
}


def test_every_invalid_var_is_named_with_its_fix(baseline):
    """All documented vars at once, each with an invalid value: one line per var, before
    any model runs. Every var of dbt_project.yml is checked (the list is complete)."""
    import yaml

    declared = set(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"])
    assert declared - set(INVALID_VARS) == {"raw_data_path", "source_system"}
    raw, project = baseline.case()
    result = project.run(*BUILD, raw_data_path=raw, extra_vars=INVALID_VARS)
    assert result.returncode != 0
    assert f"marketing_kpis: {len(INVALID_VARS)} problems stop the run:" in result.output
    for name in INVALID_VARS:
        assert f"  - var {name} is " in result.output, name
    assert ("  - var mql_score_threshold is 'abc', which is not a number: set a number, e.g. "
            "--vars '{mql_score_threshold: 80}'.") in result.output
    assert ("  - var kpi_period_grains is 'month': it must be a list of distinct grains among "
            "day, week, month, quarter, year, e.g. --vars '{kpi_period_grains: [month]}'."
            ) in result.output
    assert ("  - var hubspot_portals is [{\"portal\": \"acme corp\", \"raw_data_path\":"
            " \"exports/acme\"}]: it must be a list of portals, each with a distinct name"
            " (letters, digits, - and _) and either a folder or a schema") in result.output
    assert ("  - var crm_system is 'hubspot': use 'none' (deals, orders, costs and calls come"
            " with the marketing input, the default) or 'salesforce'") in result.output
    assert " START " not in result.output
    _unchanged(baseline, project)


def test_an_unknown_source_system_is_refused(baseline):
    raw, project = baseline.case()
    result = project.run(*BUILD, raw_data_path=raw, extra_vars={"source_system": "hubspott"})
    assert result.returncode != 0
    assert "var source_system is 'hubspott': use 'contract'" in result.output
    _unchanged(baseline, project)


def _encoded_export(baseline: Baseline, encoding: str, company: str) -> tuple[Path, DbtProject]:
    """The export with contacts.csv in another encoding and an accented company name on
    line 5 (the fourth contact)."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "contacts.csv")
    rows[4][rows[0].index("company")] = company
    (raw / "contacts.csv").write_bytes(
        ("\n".join(",".join(row) for row in rows) + "\n").encode(encoding))
    return raw, project


def test_a_latin1_export_is_refused_then_read_with_its_encoding(baseline):
    raw, project = _encoded_export(baseline, "latin-1", "Société Générale")
    refused = project.run(*BUILD, raw_data_path=raw)
    _refused(refused, f"{raw}/contacts.csv line 5 is not utf-8 text",
             "set var raw_csv_encoding to the encoding of the export, e.g. --vars "
             "'{raw_csv_encoding: latin-1}'")
    _unchanged(baseline, project)
    project.run(*BUILD, raw_data_path=raw, extra_vars={"raw_csv_encoding": "latin-1"}, check=True)
    contact = csv_rows(baseline.pristine / "contacts.csv")[4][0]
    assert project.query(f"select company from staging.stg_contacts "
                         f"where contact_id = '{contact}'") == [("Société Générale",)]
    _same_marts_as_baseline(baseline, project)


def test_a_windows_1252_export_with_a_euro_sign_is_refused_with_its_conversion(baseline):
    """Excel's "ANSI" CSV is windows-1252: latin-1 but for the bytes 0x80-0x9F (here the
    euro sign, 0x80, on line 5), which DuckDB cannot decode. Refused before any model runs,
    with the command that converts the file."""
    raw, project = _encoded_export(baseline, "cp1252", "Dupont & fils 5 €")
    result = project.run(*BUILD, raw_data_path=raw,
                         extra_vars={"raw_csv_encoding": "windows-1252"})
    _refused(result, f"{raw}/contacts.csv line 5 holds the byte 0x80, which latin-1 does not "
             "define: the file is windows-1252", "iconv -f windows-1252 -t utf-8 contacts.csv")
    _unchanged(baseline, project)


def test_a_row_with_one_field_too_many_is_refused_naming_its_line(baseline):
    raw, project = baseline.case()
    rows = csv_rows(raw / "contacts.csv")
    rows[7] = rows[7] + ["an extra field"]
    write_rows(raw / "contacts.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/contacts.csv line 8 has more fields than the header '"
             + ",".join(rows[7])[:60])
    assert "Columns found" not in result.output
    _unchanged(baseline, project)


# ---- 6. an export that does not continue the one staged before --------------------------

def test_another_export_in_the_same_folder_is_refused_with_full_refresh(baseline):
    raw, project = baseline.case()
    shutil.rmtree(raw)
    generate(120, raw, "csv", seed=7)          # another company's export, same folder
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/email_events.csv does not continue the export staged before: of "
             "its email_events dated before ", "staged from it are no longer in it",
             "Run `dbt build --full-refresh` to rebuild everything from this export.")
    _unchanged(baseline, project)
    rebuilt = project.run(*BUILD, "--full-refresh", raw_data_path=raw, check=True)
    assert "published 16 marts" in rebuilt.output


def test_late_events_older_than_the_window_are_refused(baseline):
    """One email event dated months before the window arrives: an incremental run would
    never stage it; the run refuses instead of undercounting."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "email_events.csv")
    late = list(rows[1])
    late[rows[0].index("occurred_at")] = "2025-03-03 10:00:00"
    late[rows[0].index("event_type")] = "opened"
    rows.append(late)
    write_rows(raw / "email_events.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/email_events.csv does not continue the export staged before: of "
             "its email_events dated before ", "1 row in it was never staged (e.g. the one at "
             "2025-03-03 10:00:00): late arrivals, or rows changed since.",
             "Run `dbt build --full-refresh`")
    _unchanged(baseline, project)


def test_an_exact_duplicate_of_an_old_row_is_no_contradiction(baseline):
    """A row staged long ago, exported again (an overlapping export): collapsed as any
    exact duplicate; the incremental run goes on and the marts do not change."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "email_events.csv")
    at = rows[0].index("occurred_at")
    rows.append(list(min(rows[1:], key=lambda row: row[at])))    # the oldest row, again
    write_rows(raw / "email_events.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw, check=True)
    assert "rebuilding from scratch" not in result.output
    assert "published 16 marts" in result.output
    _same_marts_as_baseline(baseline, project)


def test_an_old_row_changed_in_place_is_refused(baseline):
    """A score event staged long ago comes back with another delta (a vendor rewrote it):
    the day still holds as many rows, but not the same ones."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "score_events.csv")
    at, delta = rows[0].index("occurred_at"), rows[0].index("delta")
    oldest = min(rows[1:], key=lambda row: row[at])
    oldest[delta] = str(int(oldest[delta]) + 500)
    write_rows(raw / "score_events.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/score_events.csv does not continue the export staged before: of its "
             f"score_events dated before ", f"1 row staged from it is no longer in it (e.g. the "
             f"one at {oldest[at]})", f"1 row in it was never staged (e.g. the one at {oldest[at]})")
    _unchanged(baseline, project)


def test_one_of_two_exact_duplicates_dropped_is_no_contradiction(baseline):
    """The export held a row twice and now holds it once: staging collapsed the two into
    one anyway, so nothing changes."""
    raw, project = baseline.case()
    lines = (raw / "email_events.csv").read_text().splitlines()
    seen, repeated = set(), None
    for index, line in enumerate(lines[1:], start=1):
        if line in seen:
            repeated = index
            break
        seen.add(line)
    assert repeated is not None, "the generated export has no exact duplicate row"
    del lines[repeated]
    (raw / "email_events.csv").write_text("\n".join(lines) + "\n")
    result = project.run(*BUILD, raw_data_path=raw, check=True)
    assert "published 16 marts" in result.output
    _same_marts_as_baseline(baseline, project)


def test_a_row_removed_from_the_incremental_window_is_refused(baseline):
    """The newest web event is gone from the export: restaging the window by event time
    would keep it; the run refuses."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "web_events.csv")
    at = rows[0].index("occurred_at")
    newest = max(rows[1:], key=lambda row: row[at])
    write_rows(raw / "web_events.csv", [row for row in rows if row[at] != newest[at]])
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/web_events.csv does not continue the export staged before: it no "
             f"longer holds the web_events rows staged at 1 moment of the incremental window",
             f"e.g. {newest[at]}")
    _unchanged(baseline, project)


def test_a_new_event_with_the_id_of_an_old_one_is_refused(baseline):
    """The newest web event comes back with the event_id of the oldest one (an id used
    twice): the incremental run restages its window and keeps the older rows, so the staged
    table would hold that id twice. The input check of stg_web_events refuses it (on
    DuckDB it reads the window from the temporary table it filled from the raw files), no
    mart is published, and a full refresh is named as the fix for a new export."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "web_events.csv")
    at, key = rows[0].index("occurred_at"), rows[0].index("event_id")
    oldest = min(rows[1:], key=lambda row: row[at])
    newest = max(rows[1:], key=lambda row: row[at])
    assert oldest[at][:10] < newest[at][:10], "the export spans a single day"
    newest[key] = oldest[key]
    write_rows(raw / "web_events.csv", rows)
    result = project.run(*BUILD, raw_data_path=raw)
    assert result.returncode != 0, result.output[-3000:]
    for text in ("Bad raw input in ", "column event_id: 1 event_id value of the new rows (from ",
                 f"already held by older staged rows, e.g. '{oldest[key].strip()}'",
                 "then run `dbt build --full-refresh`"):
        assert text in result.output, f"{text!r} not in:\n{result.output[-3000:]}"
    assert "marketing_kpis: nothing was published: " in result.output
    assert "stg_web_events (error)" in result.output
    _unchanged(baseline, project)


def _web_event_id_audit(project: DbtProject) -> str:
    """The SQL dbt ran for the uniqueness test of stg_web_events.event_id in the last run."""
    folder = project.workdir / "target" / "run" / "marketing_kpis" / "models" / "staging"
    found = [path.read_text() for path in folder.rglob("*.sql")
             if "stg_web_events" in path.read_text()
             and "rows_with_this_key" in path.read_text()]
    assert len(found) == 1, f"{len(found)} uniqueness tests of stg_web_events run"
    return found[0]


def _duplicate_of_the_oldest_web_event(database: Path, occurred_at_sql: str) -> str:
    """Adds to the staged web events a copy of the oldest event (its event_id) dated
    `occurred_at_sql`, a time no raw event has (a fraction of a second): a duplicate that
    no input check sees, standing for a row a faulty model wrote. Returns the event_id."""
    with duckdb.connect(str(database)) as con:
        event_id = con.execute("select event_id from staging.stg_web_events"
                               " order by occurred_at, event_id limit 1").fetchone()[0]
        con.execute("insert into staging.stg_web_events select * replace ("
                    f"{occurred_at_sql} as occurred_at) from staging.stg_web_events"
                    " where event_id = ?", [event_id])
        assert con.execute("select count(*) from staging.stg_web_events where event_id = ?",
                           [event_id]).fetchone()[0] == 2
    return event_id


def test_the_windowed_audit_looks_the_window_keys_up_in_the_whole_table(baseline, tmp_path):
    """After a published build, the incremental build checks the uniqueness of
    stg_web_events.event_id on the keys of its window only, looked up in the whole table.
    The SQL it ran finds a window row (an hour and a microsecond before the latest event)
    holding the event_id of the oldest event, eleven months older: dbt's `where` config,
    which filters both sides, would not. (The input checks and the preflight refuse such a
    row before any model runs, so it is put into a copy of the database: this tests the
    audit's SQL, which stands behind them.)"""
    raw, project = baseline.case()
    assert baseline.query("select value <> '' from staging._build_state"
                          " where name = 'audited'") == [(True,)]
    project.run(*BUILD, raw_data_path=raw, check=True)
    audit = _web_event_id_audit(project)
    assert "audit limited to the keys of this run's window: occurred_at >= " in audit
    with duckdb.connect(str(project.database), read_only=True) as con:
        assert con.execute(audit).fetchone()[0] == 0
    broken = tmp_path / "broken.duckdb"
    shutil.copy(project.database, broken)
    _duplicate_of_the_oldest_web_event(
        broken, "(select max(occurred_at) from staging.stg_web_events)"
                " - interval 1 hour + interval 1 microsecond")
    # (the compiled SQL names the database by its file name: the copy is attached as it)
    with duckdb.connect(":memory:") as con:
        con.execute(f"attach '{broken}' as \"{project.database.stem}\" (read_only)")
        assert con.execute(audit).fetchone()[0] == 1


def test_after_a_run_that_did_not_publish_the_audit_reads_whole_tables(baseline):
    """`dbt run` builds without testing: it publishes nothing and clears the mark of the
    last audit, so the next build checks whole tables again. A duplicate dated long
    before any window (the oldest event's id, a microsecond after it) fails it."""
    raw, project = baseline.case()
    project.run("run", raw_data_path=raw, check=True)
    assert project.query("select value from staging._build_state where name = 'audited'") \
        == [("",)]
    _duplicate_of_the_oldest_web_event(
        project.database, "occurred_at + interval 1 microsecond")
    result = project.run(*BUILD, raw_data_path=raw)
    assert result.returncode != 0, result.output[-3000:]
    assert "audit limited" not in _web_event_id_audit(project)
    assert "marketing_kpis_unique_combination_of_columns_stg_web_events_event_id__occurred_at (fail)" \
        in result.output, result.output[-3000:]
    _unchanged(baseline, project)


def test_a_table_gone_from_the_export_is_refused(baseline):
    raw, project = baseline.case()
    (raw / "email_events.csv").unlink()
    staged = baseline.query("select count(*) from staging.stg_email_events")[0][0]
    result = project.run(*BUILD, raw_data_path=raw)
    _refused(result, f"{raw}/email_events.csv is absent, but {staged:,} email_events rows were "
             "staged from the export before: an incremental run would keep them.")
    _unchanged(baseline, project)


def test_a_table_absent_then_present_is_counted_whole(baseline):
    """A first export without email events, then the export with them, in one folder: the
    email sends (an incremental model left empty by the first run) are all counted, as in
    a build of the complete export."""
    raw, project = baseline.case()
    project.database.unlink()
    (raw / "email_events.csv").rename(raw.parent / "email_events.csv")
    first = project.run(*BUILD, raw_data_path=raw, check=True)
    assert "absent, read as empty: " in first.output
    assert project.query("select count(*) from intermediate.int_email_sends_aggregated") == [(0,)]
    (raw.parent / "email_events.csv").rename(raw / "email_events.csv")
    project.run(*BUILD, raw_data_path=raw, check=True)
    _same_marts_as_baseline(baseline, project)


def test_partitioned_table_folders_are_read_whole(baseline):
    """A table as a folder of part files in sub-folders (Hive-style partitions, with the
    markers a Spark writer leaves): every part is read, the markers are not."""
    raw, project = baseline.case()
    rows = csv_rows(raw / "email_events.csv")
    (raw / "email_events.csv").unlink()
    half = len(rows) // 2
    for name, part in (("month=01", rows[1:half]), ("month=02", rows[half:])):
        folder = raw / "email_events" / name
        folder.mkdir(parents=True)
        write_rows(folder / "part-0.csv", [rows[0]] + part)
        (folder / ".part-0.csv.crc").write_text("crc")
    (raw / "email_events" / "_SUCCESS").write_text("")
    result = project.run(*BUILD, raw_data_path=raw, check=True)
    assert "  email_events      email_events/ (2 files) " in result.output
    assert "is not read" not in result.output
    _same_marts_as_baseline(baseline, project)


def test_a_gzipped_latin1_export_is_read_with_its_encoding(baseline):
    raw, project = _encoded_export(baseline, "latin-1", "Société Générale")
    with open(raw / "contacts.csv", "rb") as plain, gzip.open(raw / "contacts.csv.gz", "wb") as zipped:
        shutil.copyfileobj(plain, zipped)
    (raw / "contacts.csv").unlink()
    project.run(*BUILD, raw_data_path=raw, extra_vars={"raw_csv_encoding": "latin-1"}, check=True)
    contact = csv_rows(baseline.pristine / "contacts.csv")[4][0]
    assert project.query(f"select company from staging.stg_contacts "
                         f"where contact_id = '{contact}'") == [("Société Générale",)]


# ---- what publishes ----------------------------------------------------------------------

def test_only_a_build_of_every_model_and_test_publishes(baseline):
    """dbt run, a build without the data tests and a selection build and test the audit
    tables but publish nothing, and say why; then a full build publishes."""
    raw, project = baseline.case()
    _one_more_order(raw)
    run = project.run("run", raw_data_path=raw, check=True)
    assert ("marketing_kpis: the marts were not published: dbt run does not test them. This "
            "run's tables are in schema marts_audit; dbt build builds, tests and publishes them."
            ) in run.output
    untested = project.run(*BUILD, "--exclude-resource-type", "test", raw_data_path=raw,
                           check=True)
    # every enabled model, none of the data tests
    assert re.search(r"the marts were not published: this run built (\d+) of the \1 models and "
                     r"ran 0 of the", untested.output), untested.output[-2000:]
    selection = project.run(*BUILD, "--select", "+mart_revenue", raw_data_path=raw, check=True)
    assert "(a selection); only a dbt build of every model and data test publishes" \
        in selection.output
    _unchanged(baseline, project)
    assert project.query("select orders from marts_audit.mart_revenue where period_grain = "
                         "'month' and period_start = date '2025-06-01'")[0][0] \
        == baseline.query("select orders from marts.mart_revenue where period_grain = 'month' "
                          "and period_start = date '2025-06-01'")[0][0] + 1
    full = project.run(*BUILD, raw_data_path=raw, check=True)
    assert "published 16 marts" in full.output
    assert project.query("select count(*) from marts.publication_log") == [(2,)]
