"""tools.salesforce_export on a hand-made contract folder (no dbt: fast).

Every expected value is worked out by hand from the rows written below; the comments say
how. The Salesforce build of the whole demo is compared with its projection by
tools/compare_salesforce.py.

Persons (contacts with a deal, call, membership, order or lifecycle history), ranked by id:
c01 (n 1: history and a deal: a converted lead), c02 (n 2: history only: a lead),
c03 (n 3: a call: a contact), c04..c09 (members: contacts, c05 (n % 5 = 0) a lead),
c10 (n 10: Salesforce-only, a lead). c11 has no CRM row: marketing only.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tools import contract
from tools.salesforce_export import convert, salesforce_id
from tools.tests.conftest import write_csv


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, dict]:
    source = tmp_path_factory.mktemp("contract")
    rows = {
        "contacts": [[f"c{i:02d}", f"p{i}@example.com", f"2025-01-0{min(i, 9)} 08:00:00",
                      "prospect", "form", "", f"Societe {i}", "FR"] for i in range(1, 12)],
        "contact_changes": [["c01", "lifecycle_stage", "", "mql", "2025-01-10 00:00:00"],
                            ["c01", "lifecycle_stage", "mql", "sql", "2025-01-20 00:00:00"],
                            ["c02", "lifecycle_stage", "mql", "sql", "2025-01-12 00:00:00"]],
        "deals": [["d1", "c01", "2025-01-20 09:00:00", "closed_won", "1200.00", "true",
                   "true", "2025-02-20 10:00:00", ""]],
        "calls": [["k1", "c03", "cmp_a", "2025-01-15 10:00:00", "300"]],
        "campaigns": [["cmp_a", "Salon", "trade_show", "prospect", "event",
                       "2025-01-06 09:00:00", "2025-03-31 18:00:00"]],
        "campaign_costs": [["cmp_a", "2025-01-01", "100.50", "media"],
                           ["cmp_a", "2025-02-01", "50", "labor"]],
        "campaign_members": [["cmp_a", f"c{i:02d}", "2025-01-20 12:00:00", ""]
                             for i in range(4, 11)],
    }
    for table, table_rows in rows.items():
        write_csv(source, table, contract.columns(table), table_rows)
    out, projected = source.parent / "salesforce", source.parent / "projected"
    convert(source, out, projected)
    ids = {(row["kind"], row["contract_id"]): row["export_id"]
           for row in read(out / "_id_map.csv")}
    return out, projected, ids


def test_ids_have_18_characters_and_a_checksum(exported):
    out, _, ids = exported
    # 00Q5J0000000001: chunk 00Q5J has capitals at positions 2 and 4 (4 + 16 = 20: U),
    # the two others none (A)
    assert salesforce_id("00Q", 1) == "00Q5J0000000001UAA"
    # leads c01, c02, c05, c10 in that order (then the noise leads, whose keys sort after)
    assert ids[("lead", "c01")] == "00Q5J0000000001UAA"
    for table in ("lead", "contact", "campaign", "opportunity", "task", "campaign_member"):
        assert {len(row["id"]) for row in read(out / f"{table}.csv")} == {18}
    assert ids[("campaign", "cmp_a")].startswith("701")


def test_won_deal_is_a_won_opportunity_and_an_order(exported):
    out, projected, ids = exported
    opportunity = next(row for row in read(out / "opportunity.csv")
                       if row["id"] == ids[("opportunity", "d1")])
    # closed 2025-02-20 10:00 UTC: close_date is that date (reporting_timezone UTC)
    assert (opportunity["stage_name"], opportunity["is_won"], opportunity["is_closed"],
            opportunity["close_date"], opportunity["amount"]) == (
        "Closed Won", "true", "true", "2025-02-20", "1200.00")
    deal = read(projected / "deals.csv")[0]
    assert (deal["deal_id"], deal["contact_id"], deal["closed_at"]) == (
        ids[("opportunity", "d1")], "c01", "2025-02-20 00:00:00")
    # no orders.csv in SOURCE: one completed order opp-<id> at the close date
    assert [(o["order_id"], o["contact_id"], o["ordered_at"], o["amount"], o["status"])
            for o in read(projected / "orders.csv")] == [
        ("opp-" + ids[("opportunity", "d1")], "c01", "2025-02-20 00:00:00", "1200.00",
         "completed")]
    assert not (out / "orders.csv").exists()


def test_campaign_costs_become_actual_cost(exported):
    out, projected, ids = exported
    campaign = next(row for row in read(out / "campaign.csv") if row["is_deleted"] == "false")
    # 100.50 + 50 = 150.50; dates of 2025-01-06 09:00 and 2025-03-31 18:00 (UTC)
    assert (campaign["actual_cost"], campaign["start_date"], campaign["end_date"],
            campaign["type"]) == ("150.50", "2025-01-06", "2025-03-31", "Trade_show")
    assert read(projected / "campaign_costs.csv") == [
        {"campaign_id": ids[("campaign", "cmp_a")], "cost_date": "2025-01-06",
         "amount": "150.50", "cost_type": "other"}]
    projected_campaign = read(projected / "campaigns.csv")[0]
    assert (projected_campaign["launched_at"], projected_campaign["ended_at"]) == (
        "2025-01-06 00:00:00", "2025-03-31 23:59:59")
    assert "campaign_costs.csv" not in {path.name for path in out.iterdir()}


def test_converted_lead_relations_and_history(exported):
    out, projected, ids = exported
    lead = next(row for row in read(out / "lead.csv") if row["id"] == ids[("lead", "c01")])
    # the first change (no old value) is the lead's creation with Status MQL; converted at
    # the first deal's creation (2025-01-20 09:00), last Status sql (Closed - Converted)
    assert (lead["is_converted"], lead["converted_contact_id"],
            lead["converted_opportunity_id"], lead["converted_date"], lead["created_date"],
            lead["status"]) == (
        "true", ids[("contact", "c01")], ids[("opportunity", "d1")], "2025-01-20",
        "2025-01-10 00:00:00", "Closed - Converted")
    contact = next(row for row in read(out / "contact.csv")
                   if row["id"] == ids[("contact", "c01")])
    assert contact["created_date"] == "2025-01-20 09:00:00"
    status = [(row["old_value"], row["new_value"], row["created_date"])
              for row in read(out / "lead_history.csv")
              if row["lead_id"] == ids[("lead", "c01")] and row["field"] == "Status"]
    assert status == [("MQL", "Closed - Converted", "2025-01-20 00:00:00")]
    # read back: c01 (matched by address) is mql at the lead's creation, then sql; c02's
    # status at creation is the old value of its first change (mql), at its creation
    changes = sorted((row["contact_id"], row["changed_at"], row["new_value"])
                     for row in read(projected / "contact_changes.csv")
                     if row["contact_id"] in ("c01", "c02"))
    assert changes == [("c01", "2025-01-10 00:00:00", "mql"),
                           ("c01", "2025-01-20 00:00:00", "sql"),
                           ("c02", "2025-01-02 08:00:00", "mql"),
                           ("c02", "2025-01-12 00:00:00", "sql")]
    variables = (out / "_dbt_vars.yml").read_text(encoding="utf-8")
    assert "crm_system: salesforce" in variables and "  mql: mql" in variables


def test_salesforce_only_person_and_unconverted_lead(exported):
    out, projected, ids = exported
    # c10 (n 10) is Salesforce-only: no marketing contact, built under its lead id
    assert "c10" not in {row["contact_id"] for row in read(out / "contacts.csv")}
    lead_id = ids[("lead", "c10")]
    contacts = {row["contact_id"]: row for row in read(projected / "contacts.csv")}
    assert (contacts[lead_id]["email"], contacts[lead_id]["created_at"],
            contacts[lead_id]["lead_source"]) == (
        "p10@example.com", "2025-01-09 08:00:00", "form")
    members = {row["contact_id"] for row in read(projected / "campaign_members.csv")}
    assert lead_id in members and "c04" in members
    # c05 (n 5) is an open lead without history: a 'lead' stage at its creation
    assert ("c05", "lead", "2025-01-05 08:00:00") in {
        (row["contact_id"], row["new_value"], row["changed_at"])
        for row in read(projected / "contact_changes.csv")}
    # c11 (no CRM row) is no Salesforce person
    assert "c11" not in {row["last_name"] for row in read(out / "contact.csv")}


def test_call_task(exported):
    out, projected, ids = exported
    task = next(row for row in read(out / "task.csv") if row["id"] == ids[("task", "k1")])
    assert (task["who_id"], task["what_id"], task["task_subtype"],
            task["completed_date_time"], task["created_date"],
            task["call_duration_in_seconds"]) == (
        ids[("contact", "c03")], ids[("campaign", "cmp_a")], "Call", "2025-01-15 10:00:00",
        "2025-01-15 09:50:00", "300")
    calls = {row["call_id"]: row for row in read(projected / "calls.csv")}
    assert (calls[ids[("task", "k1")]]["contact_id"],
            calls[ids[("task", "k1")]]["started_at"]) == ("c03", "2025-01-15 10:00:00")
