"""The Mautic input mode on a hand-made Mautic export (tools/tests/fixtures/mautic).

The fixture is shaped as a MySQL dump converted to CSV: integer ids, MySQL datetime
strings (UTC), tinyint(1) flags, nulls written as \\N or NULL, PHP-serialized columns.
Every expected value below is worked out by hand from those files; the comments say how.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from tools.tests.conftest import PROJECT_DIR, DbtProject

FIXTURE = PROJECT_DIR / "tools" / "tests" / "fixtures" / "mautic"
MAUTIC_VARS = {
    "source_system": "mautic",
    # Mautic has no campaign audience: campaign 10 is a prospect campaign by this var
    "mautic_campaign_attributes": {"10": {"audience": "prospect", "channel": "email"}},
    # the Mautic stage 'Client' means customer
    "customer_lifecycle_stages": ["client"],
}


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[DbtProject, str]:
    project = DbtProject(tmp_path_factory.mktemp("mautic"))
    result = project.run("build", raw_data_path=FIXTURE, extra_vars=MAUTIC_VARS)
    assert result.returncode == 0, result.output[-6000:]
    return project, result.output


def test_contacts_are_the_identified_leads(built):
    project, _ = built
    # lead 5 has date_identified \N: a visitor, not a contact; created_at is date_identified
    # (lead 1 was an anonymous visitor from 2025-01-05); '\N' and 'NULL' are nulls
    assert project.query(
        "select contact_id, email, created_at, contact_type, lead_source, company, country"
        " from staging.stg_contacts order by contact_id") == [
        ("1", "ana@example.fr", ts("2025-01-10 09:00:00"), "client", "form", "Acme", "France"),
        ("2", "ben@example.fr", ts("2025-01-20 10:00:00"), "prospect", "import", None,
         "Belgium"),
        ("3", "cy@example.fr", ts("2025-01-25 11:00:00"), None, "import", None, "France"),
        ("4", "dee@example.fr", ts("2025-01-26 12:00:00"), None, "import", "Dee SA", "France"),
    ]


def test_memberships_keep_rotations_and_fall_back_to_current_members(built):
    project, _ = built
    # campaign 11, lead 1: added 02-01, removed 02-10 (the second removal on 02-11 changes
    # nothing), re-added 03-01 (rotation 2). Campaign 10, lead 2: no logged history, so
    # campaign_leads.date_added.
    assert project.query(
        "select campaign_id, contact_id, added_at, removed_at from staging.stg_campaign_members"
        " order by 1, 2, 3") == [
        ("10", "2", ts("2025-01-20 10:01:00"), None),
        ("11", "1", ts("2025-02-01 09:00:00"), ts("2025-02-10 09:00:00")),
        ("11", "1", ts("2025-03-01 09:00:00"), None),
    ]
    # segment 2 (Clients), lead 1: in 03-16 to 04-01, again from 05-01; segment 1 lead 4 is
    # in lead_lists_leads only
    assert project.query(
        "select segment_id, contact_id, added_at, removed_at from staging.stg_segment_members"
        " order by 1, 2, 3") == [
        ("1", "2", ts("2025-01-20 10:00:30"), None),
        ("1", "4", ts("2025-01-26 12:00:00"), None),
        ("2", "1", ts("2025-03-16 08:00:00"), ts("2025-04-01 08:00:00")),
        ("2", "1", ts("2025-05-01 08:00:00"), None),
    ]


def test_campaign_actions_executed_only_unknown_types_kept_as_other(built):
    project, output = built
    # log 1003 is a decision, 1004 still scheduled, 1007 failed, 1008 the "no" path: out.
    # 103 is 'plugin.leadpush.custom', not in the mapping: other, and a warning says so.
    assert project.query(
        "select campaign_id, contact_id, action_type, action_name, executed_at"
        " from staging.stg_campaign_actions order by executed_at, contact_id") == [
        ("10", "2", "send_email", "Send invitation", ts("2025-02-01 10:00:00")),
        ("10", "3", "send_email", "Send invitation", ts("2025-02-01 10:00:00")),
        ("10", "4", "send_email", "Send invitation", ts("2025-02-01 10:00:00")),
        ("11", "1", "other", "Push to CRM", ts("2025-02-03 09:00:00")),
        ("11", "1", "update_contact", "Tag nurtured", ts("2025-02-04 09:00:00")),
    ]
    assert ("1 row of stg_mautic__campaign_actions with the unknown campaign event type"
            " 'plugin.leadpush.custom'") in output
    # lead_donotcontact reason 9 is unknown: kept as other, reported, not an email event
    assert ("1 row of stg_mautic__do_not_contact with the unknown do-not-contact reason"
            " '9'") in output
    assert project.query(
        "select dnc_type, count(*) from staging.stg_mautic__do_not_contact group by 1"
        " order by 1") == [("bounced", 1), ("manual", 1), ("other", 1), ("unsubscribed", 1)]


def test_email_events(built):
    project, _ = built
    # stat 1: sent, read 12:00 (= the first device open, counted once), opened again
    # 02-02 08:00, clicked via redirect 4; stat 2: is_failed and a reason-2 record: two
    # bounce events of one send; lead 4: reason 1 with no channel_id, so the last email
    # sent before it (5); stat 4: email 6, sent only.
    assert project.query(
        "select email_id, contact_id, event_type, occurred_at, url"
        " from staging.stg_email_events order by 1, 2, 4, 3") == [
        ("5", "2", "sent", ts("2025-02-01 10:00:00"), None),
        ("5", "2", "opened", ts("2025-02-01 12:00:00"), None),
        ("5", "2", "clicked", ts("2025-02-01 12:05:00"), "https://www.example.fr/webinar"),
        ("5", "2", "opened", ts("2025-02-02 08:00:00"), None),
        ("5", "3", "bounced", ts("2025-02-01 10:00:00"), None),
        ("5", "3", "sent", ts("2025-02-01 10:00:00"), None),
        ("5", "3", "bounced", ts("2025-02-01 10:05:00"), None),
        ("5", "4", "sent", ts("2025-02-01 10:00:00"), None),
        ("5", "4", "unsubscribed", ts("2025-02-03 18:00:00"), None),
        ("6", "1", "sent", ts("2025-02-01 10:00:00"), None),
    ]
    # email 6 is a variant of 5 and goes out through campaign 10's send action
    assert project.query(
        "select email_id, campaign_id, parent_email_id, audience from staging.stg_emails"
        " order by 1") == [("5", "10", None, "prospect"), ("6", "10", "5", "prospect"),
                           ("7", None, None, None)]


def test_web_events_and_contact_changes(built):
    project, _ = built
    # hits 4 and 6 are tracked-link clicks (not page views); hit 2 is the anonymous lead
    # 5; utm_campaign from the serialized query (10, or the name 'Webinar printemps') or
    # the url; hit 5 has no tracking id, so the lead id is the visitor
    assert project.query(
        "select event_id, visitor_id, contact_id, page_id, page_type, campaign_id"
        " from staging.stg_web_events order by 1") == [
        ("1", "trk1", "1", "7", "landing_page", "10"),
        ("2", "trk5", None, None, "other", "10"),
        ("3", "trk1", "1", "7", "landing_page", "10"),
        ("5", "2", "2", None, "other", None),
    ]
    # audit_log rows 2 and 3 change contact_type; row 4 changes company only, row 5 is not
    # a lead; stage changes carry the stage names
    assert project.query(
        "select contact_id, field_name, old_value, new_value, changed_at"
        " from staging.stg_contact_changes order by 1, 5") == [
        ("1", "contact_type", None, "prospect", ts("2025-01-10 09:00:00")),
        ("1", "lifecycle_stage", None, "SQL", ts("2025-02-20 09:00:00")),
        ("1", "contact_type", "prospect", "client", ts("2025-03-15 10:00:00")),
        ("2", "lifecycle_stage", None, "MQL", ts("2025-02-05 09:00:00")),
        ("4", "lifecycle_stage", None, "Client", ts("2025-04-02 09:00:00")),
    ]


def test_kpis_worked_out_by_hand(built):
    project, _ = built
    month = "period_grain = 'month' and period_start = date '{}'"
    # January: leads 1 (form 01-10), 2 (contact_type prospect with no history: at
    # created_at 01-20), 4 (segment Prospects, 01-26); lead 3 has no lead signal.
    # Visitors trk1 and trk5: 3 leads / 2 visitors. Prospect segment: 2 and 4; prospect
    # campaign (10): lead 2.
    assert project.query(
        "select new_leads, leads_by_form, leads_by_prospect_segment,"
        " leads_by_prospect_campaign, unique_visitors, visitor_to_lead_rate"
        " from marts.mart_acquisition where " + month.format("2025-01-01")) == [
        (3, 1, 2, 1, 2, 1.5)]
    # February: MQLs 1 (score 60 + 50 = 110 >= 100 on 02-03) and 2 (stage MQL 02-05);
    # SQL 1 (stage SQL 02-20, before its deal on 02-25). April: lead 4's stage Client
    # makes it customer, and (backfilled) mql and sql, on 04-02.
    assert project.query(
        "select period_start, new_mqls, new_sqls from marts.mart_qualification"
        " where period_grain = 'month' and (new_mqls > 0 or new_sqls > 0)"
        " order by 1") == [(ts("2025-02-01").date(), 2, 1), (ts("2025-04-01").date(), 1, 1)]
    # customers: lead 1 on 03-15 (won deal, contact_type client), lead 4 on 04-02
    assert project.query(
        "select period_start, new_customers from marts.mart_conversion"
        " where period_grain = 'month' and new_customers > 0 order by 1") == [
        (ts("2025-03-01").date(), 1), (ts("2025-04-01").date(), 1)]
    # February email: 4 sends (5 to leads 2, 3, 4; 6 to lead 1), 1 bounce, so 3
    # delivered; lead 2 opened and clicked, lead 4 unsubscribed: each 1 / 3
    assert project.query(
        "select sends, delivered, unique_opens, unique_clicks, unsubscribes, open_rate,"
        " click_rate, unsubscribe_rate from marts.mart_nurturing where "
        + month.format("2025-02-01")) == [(4, 3, 1, 1, 1, 1 / 3, 1 / 3, 1 / 3)]
    assert project.query(
        "select email_id, sends, delivered, bounces, unique_opens, unique_clicks,"
        " unsubscribes from marts.mart_email_performance order by 1") == [
        ("5", 3, 2, 1, 1, 1, 1), ("6", 1, 1, 0, 0, 0, 0), ("7", 0, 0, 0, 0, 0, 0)]
    # the order (contract format, same folder) is March's revenue
    assert project.query(
        "select cast(revenue as double), orders from marts.mart_revenue where "
        + month.format("2025-03-01")) == [(5000.0, 1)]
    # campaign 10: member lead 2, who visited (hit 5, 02-01, after joining on 01-20) and
    # downloaded asset 8 (via email 5); campaign 11: lead 1, updated by 'Tag nurtured'
    assert project.query(
        "select campaign_id, campaign_type, members, updated_members, visiting_members,"
        " downloading_members from marts.mart_campaign_performance order by 1") == [
        ("10", "webinars", 1, 0, 1, 1), ("11", None, 1, 1, 0, 0)]


def test_table_prefix_and_missing_leads(dbt, tmp_path: Path):
    folder = tmp_path / "export"
    folder.mkdir()
    for path in FIXTURE.glob("*.csv"):
        name = path.name if path.stem in ("deals", "orders") else "mtc_" + path.name
        shutil.copy(path, folder / name)
    result = dbt.run("run", "--select", "stg_mautic__contacts", raw_data_path=folder,
                     extra_vars={"source_system": "mautic"})
    assert result.returncode != 0
    assert "the leads table is required" in result.output
    assert "mautic_table_prefix" in result.output
    result = dbt.run("run", "--select", "stg_mautic__contacts", "stg_contacts",
                     raw_data_path=folder,
                     extra_vars={"source_system": "mautic", "mautic_table_prefix": "mtc_"})
    assert result.returncode == 0, result.output[-4000:]
    assert dbt.query("select count(*) from staging.stg_contacts") == [(4,)]


def test_unknown_source_system(dbt):
    # hubspot became an input mode of its own (tools/tests/test_hubspot.py): marketo is not
    result = dbt.run("compile", "--select", "stg_contacts",
                     extra_vars={"source_system": "marketo"})
    assert result.returncode != 0
    assert ("var source_system is 'marketo': use 'contract' (tables in the raw contract's"
            " shape, the default), 'mautic' (a Mautic database export) or 'hubspot' (the"
            " tables of Fivetran's HubSpot connector).") in result.output


def test_export_writes_mautic_shapes(tmp_path: Path):
    """tools.mautic_export: integer ids, \\N nulls, PHP-serialized lengths in bytes."""
    from tools.mautic_export import convert
    from tools.tests.conftest import CONTACT_HEADER, write_csv

    source = tmp_path / "contract"
    write_csv(source, "contacts", CONTACT_HEADER, [
        ["c9", "a@example.com", "2025-01-05 10:00:00", "clienté", "form", "", "", "FR"],
        ["c1", "b@example.com", "2025-01-06 11:00:00", "", "", "", "", ""],
    ])
    write_csv(source, "contact_changes",
              ["contact_id", "field_name", "old_value", "new_value", "changed_at"],
              [["c9", "contact_type", "", "clienté", "2025-01-05 10:00:00"]])
    out = tmp_path / "mautic"
    written = convert(source, out)
    assert written["leads"] == 2 and written["audit_log"] == 1
    # ids in the order of the contract ids: c1 -> 1, c9 -> 2; null as \N
    leads = (out / "leads.csv").read_text(encoding="utf-8").splitlines()
    assert leads[1].startswith("1,2025-01-06 11:00:00,2025-01-06 11:00:00,b@example.com,\\N")
    # 'clienté' is 8 bytes in UTF-8, so s:8
    audit = (out / "audit_log.csv").read_text(encoding="utf-8")
    assert 'a:2:{i:0;N;i:1;s:8:""clienté"";}' in audit
