"""The HubSpot input mode on a hand-made Fivetran HubSpot export (tools/tests/fixtures/hubspot).

The fixture is shaped as Fivetran's HubSpot connector writes its tables (column names of
fivetran/dbt_hubspot macros/staging/get_*_columns.sql and the connector schema): integer
ids, _fivetran_deleted / _fivetran_synced, portal_id, property_* columns (one of them,
property_f3a9c1e7b2d4, a hashed custom property nobody asked for), the reserved column
`from` in email_event_sent, booleans as true / TRUE / True / false / FALSE, timestamps in
the four spellings the mapping accepts ('2025-01-05 09:00:00', '...10:00:00.123000',
'... UTC', ISO 'T...Z'), and a UTF-8 byte-order mark at the start of email_campaign.csv.
campaigns.csv and campaign_costs.csv beside them are in the contract format.

Every expected value below is worked out by hand from those files, following
/work/shared/hubspot.md (the mapping) and DESIGN.md section 3 (lifecycle); the comments say
how. The story of the fixture, by contact:

  101 Ana    kept. property_hs_merged_object_ids '110;109': 109 (and 110, which has no row)
             are merged into her. Lifecycle history lead (through 109, 01-09 09:05),
             marketingqualifiedlead 02-03, customer 03-20. Score 10. Won deal 8001 (whose
             deal_contact names 109), 5000 EUR closed 03-20.
  102 Ben    kept. subscriber (no stage), lead 01-15; hubspotscore 20, 45, 45, 60: crosses
             mql_score_threshold 50 on 02-10. List Prospects 01-12. Open deal 8007.
  103 Cy     _fivetran_deleted true: his form, call, list entry, history, email events and
             deal 8009 are dropped and warned.
  104 Dee    custom lifecycle stage '2319847' (unknown, kept, warned); call 7001; deal 8002
             closed lost; 5001 bounced; score 30, '' (0), 12.6.
  105 Eve    lifecycle subscriber only (no stage); call 7001 (second associated contact);
             unsubscribed from 5001 (portal_subscription_status UNSUBSCRIBED).
  106 Fay    lifecycle other (no stage); form without conversion_id; Prospects list,
             removed (member row _fivetran_deleted TRUE); unsubscribed from 5002 through the
             subscriptions JSON; second contact of deal 8007 (created after 102).
  107 Gus    property_email 'Gus@Example.com', recipient 'gus@example.com ' (case, space);
             lead 01-25, opportunity 03-01, evangelist 04-10; won deals 8003 (stage
             'Signed': closed_won empty, probability 1.0) and 8006: a promoter.
  108 Ida    kept; contact_merge_audit: 111 merged into 108, 112 into 111 (a chain). Form of
             112 (FORM asset of the campaign) on 03-05; email to ian@example.com (111, a
             _fivetran_deleted merged-away row); won deal 8011 without amount; Clients list.
  109 Hal    merged into 101 (row not deleted): never a contact; form (campaign form) 01-09,
             Prospects list, lifecycle lead, email 5002 sent to hal@example.com: all 101's;
             his hubspotscore 80 is ignored.
  111 Ian    merged into 108 (row _fivetran_deleted TRUE: still merged, not dropped).
  999, 5551, stranger@example.org: orphan ids / address. 5551 is a company in a list of
             companies (object_type_id '0-2'), which is no segment.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from tools.tests.conftest import PROJECT_DIR, DbtProject

FIXTURE = PROJECT_DIR / "tools" / "tests" / "fixtures" / "hubspot"
HUBSPOT_VARS = {
    "source_system": "hubspot",
    # hubspotscore values are small in this portal: 50 makes an MQL
    "mql_score_threshold": 50,
}
# the campaign of marketing_campaign_asset (a HubSpot campaign GUID), also in campaigns.csv
CMP = "0b1e2d3c-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
FORM_A = "5f3c1a2b-7d4e-4f6a-9b8c-1d2e3f4a5b6c"  # webinar registration: a FORM asset of CMP
FORM_B = "a9e8d7c6-b5a4-4932-8e1f-0a1b2c3d4e5f"  # contact us: no campaign
KEPT = ["101", "102", "104", "105", "106", "107", "108"]


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def month(text: str) -> str:
    return f"period_grain = 'month' and period_start = date '{text}'"


def hubspot_warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if "HubSpot input:" in line]


def has_warning(output: str, count: int, *words) -> bool:
    """A 'HubSpot input:' warning line that names `count` (as a whole number) and every
    word (a tuple: any one of its alternatives), without regard to case."""
    for line in hubspot_warnings(output):
        lowered = line.lower()
        if not re.search(rf"(?<![\d.:-]){count}(?![\d.:-])", line):
            continue
        if all(any(alt.lower() in lowered for alt in ((w,) if isinstance(w, str) else w))
               for w in words):
            return True
    return False


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[DbtProject, str, int]:
    project = DbtProject(tmp_path_factory.mktemp("hubspot"))
    result = project.run("build", raw_data_path=FIXTURE, extra_vars=HUBSPOT_VARS)
    return project, result.output, result.returncode


def test_build_passes(built):
    _, output, returncode = built
    assert returncode == 0, output[-6000:]


def test_contacts_are_the_kept_rows(built):
    project, _, _ = built
    # 103 is _fivetran_deleted; 109 (in 101's property_hs_merged_object_ids) and 111
    # (vid_to_merge of contact_merge_audit) are merged away, 111 although also deleted.
    # created_at = property_createdate in its four spellings (102: .123000 kept as
    # milliseconds, 104: ' UTC', 105: 'T...Z'); lead_source = property_hs_analytics_source
    # lower-cased; email lower-cased as every contract email; no contact_type property.
    assert project.query(
        "select contact_id, email, created_at, contact_type, lead_source, source_campaign_id,"
        " company, country from staging.stg_contacts order by contact_id") == [
        ("101", "ana@example.com", ts("2025-01-05 09:00:00"), None, "organic_search", None,
         "Acme", "France"),
        ("102", "ben@example.com", ts("2025-01-12 10:00:00.123"), None, "email_marketing",
         None, None, "Belgium"),
        ("104", "dee@example.com", ts("2025-02-01 08:00:00"), None, "offline", None,
         "Dupont SA", "France"),
        ("105", "eve@example.com", ts("2025-01-20 11:00:00"), None, "direct_traffic", None,
         None, "United Kingdom"),
        ("106", "fay@example.com", ts("2025-01-18 08:30:00"), None, "paid_search", None,
         "Faure & Fils", "France"),
        ("107", "gus@example.com", ts("2025-01-25 10:00:00"), None, "referrals", None,
         "Girard Conseil", "Switzerland"),
        ("108", "ida@example.com", ts("2025-03-01 09:00:00"), None, "social_media", None,
         "Ide & Co", "Belgium"),
    ]


def test_lifecycle_history_mapped_and_merged(built):
    project, _, _ = built
    # name 'lifecyclestage' only (101's 'firstname' row is not a stage), mapped with the
    # default hubspot_lifecycle_stage_map; subscriber (102 01-12, 105) and other (106) map
    # to null: rows dropped, so 102's lead has no previous mapped value. 109's lead
    # (01-09 09:05) is 101's, so 101's mql has old_value lead. opportunity -> sql,
    # evangelist -> customer. 104's custom stage '2319847' is not in the map: kept as is.
    # 103 is deleted: his lead row is dropped. Timestamps: 101's customer is ISO 'T...Z'.
    assert project.query(
        "select contact_id, field_name, old_value, new_value, changed_at"
        " from staging.stg_contact_changes order by contact_id, changed_at") == [
        ("101", "lifecycle_stage", None, "lead", ts("2025-01-09 09:05:00")),
        ("101", "lifecycle_stage", "lead", "mql", ts("2025-02-03 09:00:00")),
        ("101", "lifecycle_stage", "mql", "customer", ts("2025-03-20 10:00:00")),
        ("102", "lifecycle_stage", None, "lead", ts("2025-01-15 10:00:00")),
        ("104", "lifecycle_stage", None, "2319847", ts("2025-02-20 09:00:00")),
        ("107", "lifecycle_stage", None, "lead", ts("2025-01-25 10:00:00")),
        ("107", "lifecycle_stage", "lead", "sql", ts("2025-03-01 10:00:00")),
        ("107", "lifecycle_stage", "sql", "customer", ts("2025-04-10 12:00:00")),
    ]


def test_unknown_lifecycle_stage_is_warned(built):
    _, output, _ = built
    # one history row (104, 02-20) holds the custom stage id 2319847
    assert has_warning(output, 1, "2319847"), "\n".join(hubspot_warnings(output))


def test_score_events_are_hubspotscore_deltas(built):
    project, _, _ = built
    # per contact in timestamp order, delta = value - previous value:
    #   101: 10 (first: 10 - 0). 109's 80 (merged into 101) is ignored: HubSpot recomputes
    #        the survivor's score.
    #   102: 20; 45 - 20 = 25 (at .123000); 45 - 45 = 0 dropped (' UTC' row); 60 - 45 = 15
    #        (ISO row).
    #   104: 30; empty = 0, so 0 - 30 = -30; 12.6 - 0 = 12.6 rounded to 13.
    #   103 (deleted, 70): dropped.
    assert project.query(
        "select contact_id, delta, reason, occurred_at from staging.stg_score_events"
        " order by contact_id, occurred_at") == [
        ("101", 10, "hubspotscore", ts("2025-01-10 09:00:00")),
        ("102", 20, "hubspotscore", ts("2025-01-15 10:00:00")),
        ("102", 25, "hubspotscore", ts("2025-01-20 10:00:00.123")),
        ("102", 15, "hubspotscore", ts("2025-02-10 10:00:00")),
        ("104", 30, "hubspotscore", ts("2025-02-01 09:00:00")),
        ("104", -30, "hubspotscore", ts("2025-02-15 09:00:00")),
        ("104", 13, "hubspotscore", ts("2025-02-20 09:00:00")),
    ]


def test_segments_are_contact_lists(built):
    project, _, _ = built
    # list 13 has object_type_id '0-2' (companies): no segment; 12 has none (null): one
    assert project.query(
        "select segment_id, segment_name from staging.stg_segments order by 1") == [
        ("11", "Prospects"), ("12", "Clients")]
    # 109's entry is 101's; 106's row is _fivetran_deleted: a removal at its
    # _fivetran_synced (03-01 06:00); 103 (deleted) and 999 (unknown) dropped; list 13's
    # member 5551 is a company
    assert project.query(
        "select segment_id, contact_id, added_at, removed_at from staging.stg_segment_members"
        " order by 1, 2, 3") == [
        ("11", "101", ts("2025-01-09 09:30:00"), None),
        ("11", "102", ts("2025-01-12 10:05:00"), None),
        ("11", "106", ts("2025-01-18 09:00:00"), ts("2025-03-01 06:00:00")),
        ("12", "108", ts("2025-04-02 10:00:00"), None),
    ]


def test_emails(built):
    project, _, _ = built
    # email_campaign.csv starts with a byte-order mark: its first column is still `id`.
    # 5001's content_id 9001 is a MARKETING_EMAIL asset of CMP, whose audience
    # (campaigns.csv) is prospect; 5002 (content 9002) has no asset and
    # hubspot_email_campaigns is empty. created_at = the first SENT event (all sends of an
    # email are at one moment; 5002's are written '... UTC'). No parents in HubSpot.
    assert project.query(
        "select email_id, campaign_id, email_name, subject, audience, parent_email_id,"
        " created_at from staging.stg_emails order by 1") == [
        ("5001", CMP, "Spring webinar invite", "Join our spring webinar", "prospect", None,
         ts("2025-02-05 10:00:00")),
        ("5002", None, "February newsletter", "News from Example", None, None,
         ts("2025-02-12 10:00:00")),
    ]


def test_email_events(built):
    project, _, _ = built
    # 5001, sent 02-05 10:00 to ana (101), ben (102), cy (103, deleted: his SENT e103 and
    # OPEN e121 dropped), dee (104), eve (105), stranger@example.org (no contact: dropped).
    #   PROCESSED (ben) and DROPPED (fay: never sent) ignored.
    #   DELIVERED ana, ben, eve 10:01; BOUNCE dee 10:01.
    #   OPEN ana 10:02 (filtered TRUE: a machine open, still an 'opened' row), ana 11:00,
    #   ben 10:03 (filtered true); CLICK ben 10:03:05 filtered True: dropped; CLICK ana
    #   11:05 with e117's url.
    #   STATUSCHANGE eve 02-06 08:00, portal_subscription_status UNSUBSCRIBED: unsubscribed.
    #   SPAMREPORT ben 02-07 09:00: complained. UNBOUNCE dee 02-08 (unknown type): not here.
    # 5002, sent 02-12 10:00 ('... UTC') to hal (109 -> 101), ben, fay (106),
    # 'gus@example.com ' (-> 107 by lower(trim)), ian (111 -> 108 through the audit).
    #   DELIVERED hal, ben, fay, gus at 10:01 (ISO 'T...Z'); ian's DEFERRED ignored, then
    #   DELIVERED 10:30. OPEN hal 12:00, fay 12:30; CLICK fay 12:31; STATUSCHANGE fay 02-13
    #   (SUBSCRIBED, but subscriptions holds "status": "UNSUBSCRIBED"): unsubscribed;
    #   STATUSCHANGE ben 02-14 (all SUBSCRIBED): ignored; UNBOUNCE ben 02-15: not here;
    #   FORWARD gus: ignored.
    webinar = "https://www.example.com/webinar?utm_campaign=spring"
    assert project.query(
        "select email_id, contact_id, event_type, occurred_at, url"
        " from staging.stg_email_events order by 1, 2, 4, 3") == [
        ("5001", "101", "sent", ts("2025-02-05 10:00:00"), None),
        ("5001", "101", "delivered", ts("2025-02-05 10:01:00"), None),
        ("5001", "101", "opened", ts("2025-02-05 10:02:00"), None),
        ("5001", "101", "opened", ts("2025-02-05 11:00:00"), None),
        ("5001", "101", "clicked", ts("2025-02-05 11:05:00"), webinar),
        ("5001", "102", "sent", ts("2025-02-05 10:00:00"), None),
        ("5001", "102", "delivered", ts("2025-02-05 10:01:00"), None),
        ("5001", "102", "opened", ts("2025-02-05 10:03:00"), None),
        ("5001", "102", "complained", ts("2025-02-07 09:00:00"), None),
        ("5001", "104", "sent", ts("2025-02-05 10:00:00"), None),
        ("5001", "104", "bounced", ts("2025-02-05 10:01:00"), None),
        ("5001", "105", "sent", ts("2025-02-05 10:00:00"), None),
        ("5001", "105", "delivered", ts("2025-02-05 10:01:00"), None),
        ("5001", "105", "unsubscribed", ts("2025-02-06 08:00:00"), None),
        ("5002", "101", "sent", ts("2025-02-12 10:00:00"), None),
        ("5002", "101", "delivered", ts("2025-02-12 10:01:00"), None),
        ("5002", "101", "opened", ts("2025-02-12 12:00:00"), None),
        ("5002", "102", "sent", ts("2025-02-12 10:00:00"), None),
        ("5002", "102", "delivered", ts("2025-02-12 10:01:00"), None),
        ("5002", "106", "sent", ts("2025-02-12 10:00:00"), None),
        ("5002", "106", "delivered", ts("2025-02-12 10:01:00"), None),
        ("5002", "106", "opened", ts("2025-02-12 12:30:00"), None),
        ("5002", "106", "clicked", ts("2025-02-12 12:31:00"),
         "https://www.example.com/newsletter"),
        ("5002", "106", "unsubscribed", ts("2025-02-13 09:00:00"), None),
        ("5002", "107", "sent", ts("2025-02-12 10:00:00"), None),
        ("5002", "107", "delivered", ts("2025-02-12 10:01:00"), None),
        ("5002", "108", "sent", ts("2025-02-12 10:00:00"), None),
        ("5002", "108", "delivered", ts("2025-02-12 10:30:00"), None),
    ]
    # is_machine_open = filtered_event (TRUE / true / false)
    assert project.query(
        "select email_id, contact_id, occurred_at, is_machine_open"
        " from staging.stg_email_events where event_type = 'opened' order by 1, 2, 3") == [
        ("5001", "101", ts("2025-02-05 10:02:00"), True),
        ("5001", "101", ts("2025-02-05 11:00:00"), False),
        ("5001", "102", ts("2025-02-05 10:03:00"), True),
        ("5002", "101", ts("2025-02-12 12:00:00"), False),
        ("5002", "106", ts("2025-02-12 12:30:00"), False),
    ]


def test_unknown_email_event_type_kept_as_other_and_warned(built):
    project, output, _ = built
    # e120 (dee, 5001) and e217 (ben, 5002) are UNBOUNCE, a type the mapping does not know
    assert project.query(
        "select count(*) from staging.stg_hubspot__email_events where event_type = 'other'"
    ) == [(2,)]
    assert has_warning(output, 2, "UNBOUNCE"), "\n".join(hubspot_warnings(output))


def test_form_submissions(built):
    project, _, _ = built
    # 109's webinar form lands on 101 with CMP (FORM_A is a FORM asset of CMP); 106's has
    # no conversion_id: form_id-contact_id-timestamp; 101's own (.500000); 112's (-> 111 ->
    # 108 through the merge-audit chain, ISO timestamp) with CMP. 103 (deleted) and 999
    # (unknown) dropped.
    assert project.query(
        "select submission_id, form_id, contact_id, visitor_id, page_id, campaign_id,"
        " submitted_at from staging.stg_form_submissions order by submitted_at") == [
        ("7c1d0e2f-0001-4a3b-9c4d-5e6f7a8b9c01", FORM_A, "101", None, "71", CMP,
         ts("2025-01-09 09:00:00")),
        (f"{FORM_B}-106-2025-01-18 09:00:00", FORM_B, "106", None, "72", None,
         ts("2025-01-18 09:00:00")),
        ("7c1d0e2f-0002-4a3b-9c4d-5e6f7a8b9c02", FORM_B, "101", None, "72", None,
         ts("2025-01-20 14:00:00.5")),
        ("7c1d0e2f-0005-4a3b-9c4d-5e6f7a8b9c05", FORM_A, "108", None, "71", CMP,
         ts("2025-03-05 15:00:00")),
    ]


def test_calls(built):
    project, _, _ = built
    # call 7001 has two contacts (104, 105): two rows; 125400 ms -> 125 s. 7002's only
    # contact is 103 (deleted): dropped; 7003 is _fivetran_deleted; engagement 7100 (107)
    # is no call.
    assert project.query(
        "select call_id, contact_id, campaign_id, started_at, duration_seconds"
        " from staging.stg_calls order by 1") == [
        ("7001-104", "104", None, ts("2025-02-18 14:00:00"), 125),
        ("7001-105", "105", None, ts("2025-02-18 14:00:00"), 125),
    ]


def test_deals_and_orders_from_won_deals(built):
    project, _, _ = built
    # 8001: contact 109 -> 101, Closed Won. 8002: Closed Lost (closed, not won). 8003:
    # stage 104857 'Signed', is_closed True, closed_won empty -> probability 1.0 >= 1: won.
    # 8007: open, its closedate 05-31 is a forecast (closed_at null); contacts 106 and 102:
    # 102 was created first. 8011: won without amount. Dropped: 8004 (merged into 8001),
    # 8005 (is_deleted TRUE), 8009 (only contact 103, deleted), 8010 (no contact).
    # stage = the label, lower-cased as every contract stage.
    assert project.query(
        "select deal_id, contact_id, created_at, stage, cast(amount as double), is_closed,"
        " is_won, closed_at from staging.stg_deals order by 1") == [
        ("8001", "101", ts("2025-03-01 10:00:00"), "closed won", 5000.0, True, True,
         ts("2025-03-20 10:00:00")),
        ("8002", "104", ts("2025-02-25 10:00:00"), "closed lost", 2000.0, True, False,
         ts("2025-03-10 10:00:00")),
        ("8003", "107", ts("2025-03-01 11:00:00"), "signed", 1200.0, True, True,
         ts("2025-04-10 12:00:00")),
        ("8006", "107", ts("2025-04-15 10:00:00"), "closed won", 300.0, True, True,
         ts("2025-04-20 10:00:00")),
        ("8007", "102", ts("2025-03-12 10:00:00"), "appointment scheduled", 800.0, False,
         False, None),
        ("8011", "108", ts("2025-03-20 10:00:00"), "closed won", None, True, True,
         ts("2025-04-01 10:00:00")),
    ]
    # one completed order per won deal with an amount (8011 has none), at closed_at, in
    # property_deal_currency_code: 107 has two, so 107 is a promoter
    assert project.query(
        "select order_id, contact_id, ordered_at, cast(amount as double), currency, status"
        " from staging.stg_orders order by 1") == [
        ("deal-8001", "101", ts("2025-03-20 10:00:00"), 5000.0, "EUR", "completed"),
        ("deal-8003", "107", ts("2025-04-10 12:00:00"), 1200.0, "USD", "completed"),
        ("deal-8006", "107", ts("2025-04-20 10:00:00"), 300.0, "USD", "completed"),
    ]


def test_dropped_rows_are_warned_with_their_count(built):
    _, output, _ = built
    warnings = "\n".join(hubspot_warnings(output))
    # contact_form_submission: 103's and 999's rows
    assert has_warning(output, 2, ("form",)), warnings
    # email_event: e103 (SENT to cy), e121 (OPEN by cy), e106 (stranger@example.org)
    assert has_warning(output, 3, ("email",)), warnings
    # engagement_contact / calls: 7002's association with 103
    assert has_warning(output, 1, ("call", "engagement")), warnings
    # contact_list_member: 103's and 999's entries of Prospects (list 13's company 5551 is
    # no contact-list entry at all, so not an orphan)
    assert has_warning(output, 2, ("segment_member", "contact_list_member")), warnings
    # contact_property_history of 103: one lifecyclestage row, one hubspotscore row
    assert has_warning(output, 1, ("contact_changes",)), warnings
    assert has_warning(output, 1, ("score_events",)), warnings
    # deals without a kept contact: 8009 (only 103) and 8010 (none)
    assert has_warning(output, 2, ("deal",)), warnings
    # a won deal without amount (8011) makes no order
    assert has_warning(output, 1, ("amount",)), warnings


def test_acquisition(built):
    project, _, _ = built
    # Lead dates (first of form, call, Prospects list, lifecycle_stage lead; later stages
    # backfill):
    #   101 01-09 09:00 (109's form; also 109's list entry 09:30, lifecycle lead 09:05)
    #   102 01-12 10:05 (Prospects), 106 01-18 09:00 (form and list), 107 01-25 (lifecycle)
    #   104 02-18 14:00 (call 7001), 105 02-18 14:00 (call 7001)
    #   108 03-05 15:00 (112's form)
    # January: 4 leads; by form 101, 106; by Prospects segment 101, 102, 106; cost 600 ->
    # 600 / 4 = 150. February: 2 leads, both phone leads; first sends of the prospect
    # email 5001: 101, 102, 104, 105 (4); no cost -> 0 / 2 = 0. March: 108 by form; cost
    # 400 / 1. No web events: 0 visitors, rate null; no campaign members: 0.
    assert project.query(
        "select period_start, new_leads, leads_by_form, leads_by_prospect_segment,"
        " leads_by_prospect_campaign, leads_by_first_prospect_email, phone_leads,"
        " unique_visitors, visitor_to_lead_rate, cast(marketing_cost as double),"
        " cast(cost_per_lead as double) from marts.mart_acquisition"
        " where period_grain = 'month' and period_start between date '2025-01-01'"
        " and date '2025-03-01' order by 1") == [
        (date(2025, 1, 1), 4, 2, 3, 0, 0, 0, 0, None, 600.0, 150.0),
        (date(2025, 2, 1), 2, 0, 0, 0, 4, 2, 0, None, 0.0, 0.0),
        (date(2025, 3, 1), 1, 1, 0, 0, 0, 0, 0, None, 400.0, 400.0),
    ]


def test_email_kpis(built):
    project, _, _ = built
    # 5001: sends 101, 102, 104, 105 (4); 104 bounced: 3 delivered; counted opens: 101 only
    # (102's open is a machine open); click 101 (102's is filtered); unsubscribe 105.
    # 5002: sends 101, 102, 106, 107, 108 (5), all delivered; opens 101, 106; click 106;
    # unsubscribe 106. family_open_rate = the email's own open rate.
    assert project.query(
        "select email_id, campaign_id, parent_email_id, sends, delivered, bounces,"
        " unique_opens, unique_clicks, unsubscribes, open_rate, click_rate,"
        " family_open_rate from marts.mart_email_performance order by 1") == [
        ("5001", CMP, None, 4, 3, 1, 1, 1, 1, pytest.approx(1 / 3), pytest.approx(1 / 3),
         pytest.approx(1 / 3)),
        ("5002", None, None, 5, 5, 0, 2, 1, 1, 0.4, 0.2, 0.4),
    ]
    # February (both sends): 9 sends, 8 delivered, 3 opens, 2 clicks, 2 unsubscribes
    assert project.query(
        "select sends, delivered, unique_opens, unique_clicks, unsubscribes, open_rate,"
        " open_rate_on_sends, click_rate, click_to_open_rate, unsubscribe_rate"
        " from marts.mart_nurturing where " + month("2025-02-01")) == [
        (9, 8, 3, 2, 2, 0.375, pytest.approx(3 / 9), 0.25, pytest.approx(2 / 3), 0.25)]


def test_qualification_conversion_funnel(built):
    project, _, _ = built
    # MQL: 101 02-03 (lifecycle mql; 109's score 80 would have made it 01-09: ignored),
    # 102 02-10 (score 20 + 25 + 15 = 60 >= 50), 104 02-25 (backfilled by deal 8002's
    # creation), 107 03-01 (backfilled by lifecycle sql), 108 03-20 (backfilled by deal
    # 8011's creation). SQL: 104 02-25; 101 03-01 (deal 8001), 107 03-01, 102 03-12 (deal
    # 8007; the merged deal 8004 of 02-20 does not count), 108 03-20.
    # February: 2 new leads -> lead_to_mql_rate 3 / 2; mql_to_sql_rate 1 / 3.
    assert project.query(
        "select period_start, new_leads, new_mqls, new_sqls, lead_to_mql_rate,"
        " mql_to_sql_rate from marts.mart_qualification where period_grain = 'month'"
        " and (new_mqls > 0 or new_sqls > 0) order by 1") == [
        (date(2025, 2, 1), 2, 3, 1, 1.5, pytest.approx(1 / 3)),
        (date(2025, 3, 1), 1, 2, 4, 2.0, 2.0),
    ]
    # customers: 101 03-20 (won deal, order, lifecycle customer); 108 04-01 (won deal 8011,
    # before the Clients list on 04-02); 107 04-10 (deal 8003, evangelist). Promoter: 107's
    # second order 04-20.
    assert project.query(
        "select period_start, new_customers, new_promoters from marts.mart_conversion"
        " where period_grain = 'month' and (new_customers > 0 or new_promoters > 0)"
        " order by 1") == [(date(2025, 3, 1), 1, 0), (date(2025, 4, 1), 2, 1)]
    # cohorts by lead month: January 101, 102, 106, 107 (mql/sql: 101, 102, 107; customer:
    # 101, 107); February 104 (mql, sql), 105; March 108 (all four stages)
    assert project.query(
        "select cohort_month, leads, reached_mql, reached_sql, reached_customer"
        " from marts.mart_funnel order by 1") == [
        (date(2025, 1, 1), 4, 3, 3, 2),
        (date(2025, 2, 1), 2, 1, 1, 0),
        (date(2025, 3, 1), 1, 1, 1, 1),
    ]


def test_revenue_and_roi(built):
    project, _, _ = built
    # orders from won deals: March 5000 (101); April 1200 + 300 (107). Source campaigns
    # (first touch at or before the lead date): 101 -> CMP (109's webinar form at the lead
    # moment), 108 -> CMP (112's webinar form); 107 has no campaign touch. Attributed
    # revenue: March 5000, April 0. ROI: January (0 - 600) / 600 = -1; March (5000 - 400)
    # / 400 = 11.5; April no cost: null.
    assert project.query(
        "select period_start, cast(revenue as double), orders, paying_customers,"
        " cast(attributed_revenue as double), cast(marketing_cost as double), roi"
        " from marts.mart_revenue where period_grain = 'month'"
        " and period_start between date '2025-01-01' and date '2025-04-01' order by 1") == [
        (date(2025, 1, 1), 0.0, 0, 0, 0.0, 600.0, -1.0),
        (date(2025, 2, 1), 0.0, 0, 0, 0.0, 0.0, None),
        (date(2025, 3, 1), 5000.0, 1, 1, 5000.0, 400.0, 11.5),
        (date(2025, 4, 1), 1500.0, 2, 1, 0.0, 0.0, None),
    ]
    # CMP sourced 101 and 108, both customers; revenue 5000 (108's only deal has no
    # amount); cost 600 + 400; roi (5000 - 1000) / 1000 = 4. No members (HubSpot syncs
    # no campaign membership).
    assert project.query(
        "select campaign_id, members, sourced_leads, sourced_customers,"
        " cast(revenue as double), cast(marketing_cost as double),"
        " cast(cost_per_sourced_lead as double), roi"
        " from marts.mart_campaign_performance order by 1") == [
        (CMP, 0, 2, 2, 5000.0, 1000.0, 500.0, 4.0)]


def test_two_portals(tmp_path_factory):
    """hubspot_portals: the same export as two portals; every id gets its portal prefix and
    every count doubles."""
    root = tmp_path_factory.mktemp("portals")
    folders = {}
    for portal in ("acme", "beta"):
        folders[portal] = root / portal
        shutil.copytree(FIXTURE, folders[portal])
    project = DbtProject(root / "work")
    (root / "work").mkdir()
    result = project.run("build", extra_vars={
        "source_system": "hubspot",
        "mql_score_threshold": 50,
        "hubspot_portals": [{"portal": p, "raw_data_path": str(f)}
                            for p, f in folders.items()],
    })
    assert result.returncode == 0, result.output[-6000:]
    portals = ("acme", "beta")
    assert project.query("select contact_id from staging.stg_contacts order by 1") == [
        (f"{p}:{i}",) for p in portals for i in KEPT]
    # email, campaign (from marketing_campaign_asset, and campaigns.csv) ids prefixed
    assert project.query(
        "select email_id, campaign_id from staging.stg_emails order by 1") == [
        (f"{p}:{e}", f"{p}:{CMP}" if e == "5001" else None)
        for p in portals for e in ("5001", "5002")]
    assert project.query(
        "select segment_id, contact_id from staging.stg_segment_members order by 1, 2") == [
        (f"{p}:{s}", f"{p}:{c}") for p in portals
        for s, c in (("11", "101"), ("11", "102"), ("11", "106"), ("12", "108"))]
    assert project.query(
        "select deal_id, contact_id from staging.stg_deals order by 1") == [
        (f"{p}:{d}", f"{p}:{c}") for p in portals
        for d, c in (("8001", "101"), ("8002", "104"), ("8003", "107"), ("8006", "107"),
                     ("8007", "102"), ("8011", "108"))]
    assert project.query(
        "select contact_id, cast(amount as double) from staging.stg_orders order by 1, 2") == [
        (f"{p}:{c}", a) for p in portals
        for c, a in (("101", 5000.0), ("107", 300.0), ("107", 1200.0))]
    # 28 contract email events per portal
    assert project.query("select count(*) from staging.stg_email_events") == [(56,)]
    # marts: twice the single-portal values
    assert project.query(
        "select new_leads, cast(marketing_cost as double) from marts.mart_acquisition"
        " where " + month("2025-01-01")) == [(8, 1200.0)]
    assert project.query(
        "select new_mqls, new_sqls from marts.mart_qualification"
        " where " + month("2025-03-01")) == [(4, 8)]
    assert project.query(
        "select cast(revenue as double), orders, cast(attributed_revenue as double), roi"
        " from marts.mart_revenue where " + month("2025-03-01")) == [
        (10000.0, 2, 10000.0, 11.5)]
    assert project.query(
        "select email_id, sends, delivered, unique_opens from marts.mart_email_performance"
        " order by 1") == [
        (f"{p}:{e}", *counts) for p in portals
        for e, counts in (("5001", (4, 3, 1)), ("5002", (5, 5, 2)))]
    assert project.query(
        "select campaign_id, cast(revenue as double), roi"
        " from marts.mart_campaign_performance order by 1") == [
        (f"{p}:{CMP}", 5000.0, 4.0) for p in portals]


def test_a_merge_or_deletion_between_runs_rebuilds_from_scratch(tmp_path):
    """A merge or a deletion re-keys or drops rows of every day of a contact's history
    (106's form of January goes with it), which an incremental run cannot follow: the
    second run says it rebuilds from scratch, and its marts equal a first build of the
    changed export."""
    folder = tmp_path / "export"
    shutil.copytree(FIXTURE, folder)
    project = DbtProject(tmp_path / "daily")
    (tmp_path / "daily").mkdir()
    first = project.run("build", "--exclude-resource-type", "unit_test",
                        raw_data_path=folder, extra_vars=HUBSPOT_VARS)
    assert first.returncode == 0, first.output[-6000:]
    # the next day's export: 106 (a lead of January, by her form) is deleted in HubSpot
    contact = folder / "contact.csv"
    lines = contact.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [line.replace("106,false,", "106,true,", 1) if line.startswith("106,")
               else line for line in lines]
    assert changed != lines
    contact.write_text("".join(changed), encoding="utf-8")
    second = project.run("build", "--exclude-resource-type", "unit_test",
                         raw_data_path=folder, extra_vars=HUBSPOT_VARS)
    assert second.returncode == 0, second.output[-6000:]
    assert "rebuilding from scratch" in second.output
    assert "merged or deleted" in second.output
    fresh = DbtProject(tmp_path / "fresh")
    (tmp_path / "fresh").mkdir()
    assert fresh.run("build", "--exclude-resource-type", "unit_test", raw_data_path=folder,
                     extra_vars=HUBSPOT_VARS).returncode == 0
    assert project.published_marts() == fresh.published_marts()
    # and 106 is gone: 7 kept contacts become 6
    assert project.query("select count(*) from staging.stg_contacts") == [(len(KEPT) - 1,)]


def test_an_unparsable_timestamp_is_refused_in_one_line(tmp_path):
    """A close date written 20/03/2025 would make won deal 8001 no order (its revenue
    gone, with a warning only): the run refuses it before any model, naming the table,
    the column and the value, as for the contract's files."""
    folder = tmp_path / "export"
    shutil.copytree(FIXTURE, folder)
    deal = folder / "deal.csv"
    text = deal.read_text(encoding="utf-8")
    assert ",5000,2025-03-20T10:00:00Z," in text
    deal.write_text(text.replace(",5000,2025-03-20T10:00:00Z,", ",5000,20/03/2025 10:00,"),
                    encoding="utf-8")
    project = DbtProject(tmp_path / "work")
    (tmp_path / "work").mkdir()
    result = project.run("build", raw_data_path=folder, extra_vars=HUBSPOT_VARS)
    assert result.returncode != 0
    assert ("marketing_kpis: Bad HubSpot input in deal: column property_closedate has 1 row"
            " with a value that is not a valid timestamp, e.g. '20/03/2025 10:00'.") in result.output
    assert " START " not in result.output
