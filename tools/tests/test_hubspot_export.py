"""tools.hubspot_export on a hand-made contract folder (no dbt: fast).

Every expected value is worked out by hand from the rows written below; the comments say
how. The HubSpot build of the whole demo is compared with its projection by
tools/compare_hubspot.py (make test-hubspot).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tools.hubspot_export import DEFAULT_STAGE_MAP, convert, inverse_stage_map
from tools.tests.conftest import CONTACT_HEADER, write_csv


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    source = tmp_path_factory.mktemp("contract")
    # contract ids sort c1 < c2, so c1 -> 1001 and c2 -> 1002 (contacts start after 1000)
    write_csv(source, "contacts", CONTACT_HEADER, [
        ["c2", "Bea@Example.com", "2025-01-05 10:00:00", "prospect", "form", "", "", "FR"],
        ["c1", "al@example.com", "2025-01-06 11:00:00", "client", "referral", "", "", ""],
    ])
    write_csv(source, "score_events", ["contact_id", "delta", "reason", "occurred_at"], [
        ["c1", "20", "form_submission", "2025-01-06 11:00:00"],
        ["c1", "3", "email_open", "2025-01-07 08:00:00"],
        # two events of one instant summing to 0: no change of hubspotscore
        ["c1", "-5", "inactivity", "2025-01-08 00:00:00"],
        ["c1", "5", "page_view", "2025-01-08 00:00:00"],
        ["c1", "10", "email_click", "2025-01-09 09:00:00"],
    ])
    write_csv(source, "contact_changes",
              ["contact_id", "field_name", "old_value", "new_value", "changed_at"], [
                  ["c2", "lifecycle_stage", "", "mql", "2025-01-10 00:00:00"],
                  ["c2", "lifecycle_stage", "mql", "sql", "2025-01-11 00:00:00"],
                  ["c2", "lifecycle_stage", "sql", "recycled", "2025-01-12 00:00:00"],
              ])
    write_csv(source, "deals", ["deal_id", "contact_id", "created_at", "stage", "amount",
                                "is_closed", "is_won", "closed_at"], [
        ["d1", "c1", "2025-02-01 09:00:00", "closed_won", "1200.00", "true", "true",
         "2025-02-20 10:00:00"],
        ["d2", "c2", "2025-02-03 09:00:00", "proposal", "800.00", "false", "false", ""],
    ])
    out, projected = source.parent / "hubspot", source.parent / "projected"
    convert(source, out, projected)
    return out, projected


def test_ids_are_integers_and_mapped(exported):
    out, _ = exported
    contacts = read(out / "contact.csv")
    assert [(row["id"], row["property_email"]) for row in contacts] == [
        ("1001", "al@example.com"), ("1002", "Bea@Example.com")]
    assert {row["_fivetran_deleted"] for row in contacts} == {"false"}
    # deals d1, d2 -> 9001, 9002; lead_source upper-cased as HubSpot writes it
    assert [row["deal_id"] for row in read(out / "deal.csv")] == ["9001", "9002"]
    assert [row["property_hs_analytics_source"] for row in contacts] == ["REFERRAL", "FORM"]
    id_map = {(row["kind"], row["contract_id"]): row["hubspot_id"]
              for row in read(out / "_id_map.csv")}
    assert id_map[("contact", "c2")] == "1002" and id_map[("deal", "d1")] == "9001"


def test_score_deltas_become_running_totals(exported):
    out, projected = exported
    # 20, then 20 + 3 = 23, the instant of -5 and +5 writes nothing, then 23 + 10 = 33
    history = [(row["value"], row["timestamp"])
               for row in read(out / "contact_property_history.csv")
               if row["name"] == "hubspotscore"]
    assert history == [("20", "2025-01-06 11:00:00"), ("23", "2025-01-07 08:00:00"),
                       ("33", "2025-01-09 09:00:00")]
    assert read(out / "contact.csv")[0]["property_hubspotscore"] == "33"
    # what the HubSpot input reads back: the differences, reason hubspotscore
    assert sorted((row["occurred_at"], row["contact_id"], row["delta"], row["reason"])
                  for row in read(projected / "score_events.csv")) == [
        ("2025-01-06 11:00:00", "c1", "20", "hubspotscore"),
        ("2025-01-07 08:00:00", "c1", "3", "hubspotscore"),
        ("2025-01-09 09:00:00", "c1", "10", "hubspotscore")]


def test_lifecycle_values_through_the_inverse_map(exported):
    out, projected = exported
    # mql and sql are the first HubSpot values the default map sends to them; recycled has
    # none, so it is the first custom stage (1000000001), added to the map of _dbt_vars
    assert inverse_stage_map(DEFAULT_STAGE_MAP, ["mql", "SQL", "recycled", "customer"]) == (
        {"lead": "lead", "mql": "marketingqualifiedlead", "sql": "salesqualifiedlead",
         "customer": "customer", "recycled": "1000000001"},
        {"1000000001": "recycled"})
    # c2 (1002) was created 01-05, before its first stage: a subscriber value then
    history = [(row["value"], row["timestamp"])
               for row in read(out / "contact_property_history.csv")
               if row["name"] == "lifecyclestage"]
    assert history == [("subscriber", "2025-01-05 10:00:00"),
                       ("marketingqualifiedlead", "2025-01-10 00:00:00"),
                       ("salesqualifiedlead", "2025-01-11 00:00:00"),
                       ("1000000001", "2025-01-12 00:00:00")]
    variables = (out / "_dbt_vars.yml").read_text(encoding="utf-8")
    assert "'1000000001': recycled" in variables
    assert "contact_type: contact_type" in variables
    # the projection: the subscriber value maps to no stage; old_value is the previous one
    assert sorted((row["changed_at"], row["old_value"], row["new_value"])
                  for row in read(projected / "contact_changes.csv")
                  if row["field_name"] == "lifecycle_stage") == [
        ("2025-01-10 00:00:00", "", "mql"), ("2025-01-11 00:00:00", "mql", "sql"),
        ("2025-01-12 00:00:00", "sql", "recycled")]
    projected_vars = (projected / "_dbt_vars.yml").read_text(encoding="utf-8")
    assert "lead_lifecycle_stages:\n- lead" in projected_vars


def test_won_deal_gets_a_closed_won_stage(exported):
    out, projected = exported
    stages = {row["stage_id"]: row for row in read(out / "deal_pipeline_stage.csv")}
    deals = {row["deal_id"]: row for row in read(out / "deal.csv")}
    won = stages[deals["9001"]["deal_pipeline_stage_id"]]
    assert (won["label"], won["is_closed"], won["closed_won"], float(won["probability"])) == (
        "closed_won", "true", "true", 1.0)
    open_stage = stages[deals["9002"]["deal_pipeline_stage_id"]]
    assert (open_stage["label"], open_stage["is_closed"], open_stage["closed_won"]) == (
        "proposal", "false", "false")
    # an open deal's closedate is a forecast (created + 30 days), not a close
    assert deals["9002"]["property_closedate"] == "2025-03-05 09:00:00"
    assert sorted((row["deal_id"], row["is_won"], row["closed_at"])
                  for row in read(projected / "deals.csv")) == [
        ("d1", "true", "2025-02-20 10:00:00"), ("d2", "false", "")]
    # no contract orders: the projection has the order HubSpot makes of the won deal
    assert [(row["order_id"], row["contact_id"], row["amount"], row["status"])
            for row in read(projected / "orders.csv")] == [
        ("deal-9001", "c1", "1200.00", "completed")]
    assert not (out / "orders.csv").exists()
