"""Bad raw input fails with a message naming the file, the column and an example value.

Each test writes a small raw folder with one defect, runs dbt on it and asserts the
message dbt prints. Missing files and columns are refused by the preflight before any
model runs; value problems fail in the staging model's pre-hook (validate_raw_input);
orphan ids are warnings. That the published marts survive each of these is
test_run_guarantees.py's.
"""

from __future__ import annotations

from pathlib import Path

from tools.tests.conftest import CONTACT_HEADER, good_contacts, write_csv

EVENT_HEADER = ["email_id", "contact_id", "event_type", "occurred_at", "url", "is_machine_open"]
ORDER_HEADER = ["order_id", "contact_id", "ordered_at", "amount", "currency", "status"]


def _fails(dbt, folder: Path, model: str, *expected: str) -> str:
    result = dbt.run("run", "--select", model, raw_data_path=folder)
    assert result.returncode != 0, result.output
    for text in expected:
        assert text in result.output, f"{text!r} not in:\n{result.output}"
    return result.output


def test_missing_required_column(dbt, tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw, "contacts", ["contact_id", "email", "contact_type"],
              [["c1", "a@example.com", "prospect"]])
    _fails(dbt, raw, "stg_contacts",
           f"Bad raw input in {raw}/contacts.csv: missing required column created_at.",
           "Columns found: contact_id, email, contact_type.")


def test_unparsable_timestamp(dbt, tmp_path):
    raw = tmp_path / "raw"
    good_contacts(raw)
    write_csv(raw, "email_events", EVENT_HEADER, [
        ["e1", "c1", "sent", "2025-02-03 08:00:00", "", ""],
        ["e1", "c1", "opened", "2025-02-30 09:00:00", "", "false"],  # no 30 February
    ])
    # timestamps are checked by the preflight, before any model runs
    _fails(dbt, raw, "stg_email_events",
           f"marketing_kpis: {raw}/email_events.csv: column occurred_at has 1 row with a value "
           "that is not a valid timestamp, e.g. '2025-02-30 09:00:00'.")


def test_unparsable_number_and_unknown_status(dbt, tmp_path):
    raw = tmp_path / "raw"
    good_contacts(raw)
    write_csv(raw, "orders", ORDER_HEADER, [
        ["o1", "c2", "2025-03-01 10:00:00", "120.00", "EUR", "completed"],
        ["o2", "c2", "2025-03-05 10:00:00", "12,50", "EUR", "completed"],
        ["o3", "c2", "2025-03-09 10:00:00", "80", "EUR", "paid"],
    ])
    output = _fails(dbt, raw, "stg_orders",
                    "column amount: 1 row with a value that is not a valid decimal, e.g. '12,50'",
                    "column status: 1 row with an unknown value, e.g. 'paid' "
                    "(accepted: completed, refunded, cancelled)")
    assert "Fix the export and build again." in output
    assert "Nothing was published: the marts in schema marts are unchanged." in output


def test_unknown_event_type(dbt, tmp_path):
    raw = tmp_path / "raw"
    good_contacts(raw)
    write_csv(raw, "email_events", EVENT_HEADER, [
        ["e1", "c1", "sent", "2025-02-03 08:00:00", "", ""],
        ["e1", "c1", "Openned", "2025-02-03 09:00:00", "", ""],
        ["e1", "c1", "openned", "2025-02-03 09:05:00", "", ""],
    ])
    _fails(dbt, raw, "stg_email_events",
           "column event_type: 2 rows with an unknown value, e.g. 'Openned' (accepted: sent, "
           "delivered, bounced, opened, clicked, unsubscribed, complained)")


def test_duplicate_primary_key(dbt, tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw, "contacts", CONTACT_HEADER, [
        ["c1", "a@example.com", "2025-01-05 10:00:00", "prospect", "form", "", "", ""],
        ["c1", "other@example.com", "2025-01-05 10:00:00", "prospect", "form", "", "", ""],
        ["c2", "b@example.com", "2025-01-06 10:00:00", "", "", "", "", ""],
    ])
    _fails(dbt, raw, "stg_contacts",
           "column contact_id: 1 duplicate value of the primary key held by rows that differ, "
           "e.g. 'c1'")


def test_exact_duplicate_rows_are_collapsed_not_refused(dbt, tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw, "contacts", CONTACT_HEADER, [
        ["c1", "a@example.com", "2025-01-05 10:00:00", "prospect", "form", "", "", ""],
        ["c1", " A@Example.com ", "2025-01-05 10:00:00", "Prospect", "form", "", "", ""],
        ["c2", "b@example.com", "2025-01-06 10:00:00", "", "", "", "", ""],
    ])
    result = dbt.run("run", "--select", "stg_contacts", raw_data_path=raw, check=True)
    # the two c1 rows are equal once trimmed and lower-cased: one row per contact remains
    assert result.query("select contact_id, email, contact_type from staging.stg_contacts "
                        "order by 1") == [("c1", "a@example.com", "prospect"),
                                          ("c2", "b@example.com", None)]


def test_required_value_empty(dbt, tmp_path):
    raw = tmp_path / "raw"
    good_contacts(raw)
    write_csv(raw, "email_events", EVENT_HEADER, [
        ["e1", "", "sent", "2025-02-03 08:00:00", "", ""],
    ])
    _fails(dbt, raw, "stg_email_events",
           "column contact_id: required but empty in 1 row, e.g. the row with email_id=e1")


def test_orphan_id_is_a_warning(dbt, tmp_path):
    raw = tmp_path / "raw"
    good_contacts(raw)
    write_csv(raw, "emails", ["email_id", "campaign_id", "email_name", "subject", "audience",
                              "parent_email_id", "created_at"],
              [["e1", "", "Welcome", "Hello", "prospect", "", "2025-01-01 00:00:00"]])
    write_csv(raw, "email_events", EVENT_HEADER, [
        ["e1", "c1", "sent", "2025-02-03 08:00:00", "", ""],
        ["e1", "c999", "sent", "2025-02-03 08:00:00", "", ""],
        ["e1", "c999", "opened", "2025-02-03 09:00:00", "", ""],
    ])
    result = dbt.run("build", "--select", "stg_contacts", "stg_emails", "stg_email_events",
                     "--indirect-selection", "cautious", raw_data_path=raw)
    assert result.returncode == 0, result.output
    assert (f"Orphan ids in {raw}/email_events.csv: column contact_id has 2 rows (1 distinct) "
            "pointing to no stg_contacts.contact_id, e.g. 'c999'") in result.output
    assert "WARN=1" in result.output


def test_empty_contacts_file(dbt, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "contacts.csv").write_bytes(b"")
    _fails(dbt, raw, "stg_contacts",
           f"Bad raw input in {raw}/contacts.csv: the file is empty; the contacts table is "
           "required")


def test_contacts_file_with_a_header_only(dbt, tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw, "contacts", CONTACT_HEADER, [])
    _fails(dbt, raw, "stg_contacts",
           f"Bad raw input in {raw}/contacts.csv (contacts, 0 rows):",
           "the table has no rows; the contacts table is required")


def test_missing_contacts_file(dbt, tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw, "orders", ORDER_HEADER, [])
    _fails(dbt, raw, "stg_contacts",
           f"the contacts table is required and {raw}/contacts.csv does not exist "
           f"(looked for contacts.csv, .csv.gz, .parquet or a contacts/ folder of such files in "
           f"{raw}, in any letter case)")


def test_same_table_as_csv_and_parquet_is_ambiguous(dbt, tmp_path):
    raw = tmp_path / "raw"
    good_contacts(raw)
    import duckdb

    duckdb.execute(f"copy (select * from read_csv('{raw}/contacts.csv')) "
               f"to '{raw}/contacts.parquet' (format parquet)")
    _fails(dbt, raw, "stg_contacts", f"raw_data_path {raw} holds 2 candidates for the table "
           "contacts: contacts.csv, contacts.parquet; keep one of them")
