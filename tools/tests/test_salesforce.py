"""The Salesforce CRM mode (var crm_system: salesforce) on a hand-made Fivetran Salesforce
export (tools/tests/fixtures/salesforce), alone and beside the HubSpot and Mautic fixtures.

Written before the dbt side exists (next issue): every expected value is worked out by
hand from the fixture files following /work/shared/salesforce.md (the mapping, followed to
the letter where it speaks), DESIGN.md sections 3-5 and the existing models; the comments
say how. Where salesforce.md is silent, the choice made is listed below (A1...) so that the
lead can confirm or change it; a test that depends on one names it.

The fixture is shaped as Fivetran's Salesforce connector writes its tables: snake_case
tables and columns (lead, contact, account, opportunity, task: the columns of
fivetran/dbt_salesforce_source macros/get_*_columns.sql plus the ones the mapping uses;
campaign, campaign_member, opportunity_contact_role, lead_history: Salesforce field API
names in snake_case), 18-character ids, _fivetran_synced / _fivetran_deleted / is_deleted,
and History Mode columns (_fivetran_active, _fivetran_start, _fivetran_end = '9999-12-31
23:59:59') on lead and opportunity. Booleans true/false and TRUE/FALSE (as Fivetran's own
seeds write them); timestamps 'YYYY-MM-DD HH:MM:SS', '.000000', ' UTC' and ISO 'T...Z'.

Ids (prefix + '7Q00000' + tag + 'QAC'):

  leads      L_ANA ..LdAna  L_BEN ..LdBen  L_CY ..LdCyy  L_CY2 ..LdCy2  L_DEE2 ..LdDee
             L_DFR ..LdDfr  L_MAX ..LdMax  L_DEL ..LdDel
  contacts   C_BEN ..CtBen  C_DEE ..CtDee  C_GUS ..CtGus  C_LOU ..CtLou  C_ZOE ..CtZoe
  campaigns  WEB (Spring webinar), TRD (Trade show Lyon), NWS (Newsletter 2025),
             ADS (LinkedIn ads), DEL (deleted)
  opps       O_BEN  O_DEE  O_GUS  O_GS2  O_LOU  O_ORP  O_DEL

The story, by person (all times UTC, 2025):

  P1 Ana   L_ANA, unconverted lead: her own contact. ana@example.com (= HubSpot 101).
           lead.csv holds an inactive History Mode version (status Working - Contacted,
           _fivetran_active false): ignored. Status history Open - Not Contacted ->
           Working - Contacted (01-20) -> 'Nurturing' (02-10, unknown: kept, warned), plus
           an Owner row and a 'created' row that are not Status. Member of WEB 01-12
           (responded 01-14: not a touch of its own). Call Tk002 without
           completed_date_time: started_at = created_date 01-22 15:00.
  P2 Ben   L_BEN converted (02-03) into C_BEN: one person C_BEN, created_at = min(lead
           01-08 10:00, contact 02-03 14:00). ben@example.com (= HubSpot 102; the lead
           spells it Ben@Example.com). Status Open -> Working (01-16) -> Closed - Converted
           (02-03: sql). Membership of WEB written on the lead only (01-08 10:00, the
           moment the lead was created: WEB is his source campaign); membership of TRD
           with both lead_id and contact_id (03-04). Opportunity O_BEN has no contact role:
           its contact is the contact of the lead whose converted_opportunity_id it is.
           Won 12000 EUR, close_date 2025-03-14, campaign_id WEB. Call Tk003 (task_subtype
           'Task', type 'Call'), what_id = O_BEN (no campaign).
  P3 Cy    L_CY, unconverted, cy@example.fr (= Mautic 3; with the extra Mautic lead 6 of
           the same address and moment, a tie). L_CY2 was merged into L_CY
           (master_record_id; the row is is_deleted as Salesforce leaves merged leads): its
           WEB membership (01-26) is L_CY's. Status Open -> Closed - Not Converted (02-20:
           recycled).
  P4 Dee   C_DEE, contact created directly (01-28), account Dupont SA, dee@example.com
           (= HubSpot 104, and 120 added to the HubSpot copy: two marketing contacts).
           L_DEE2 ('Dee@Example.com ', unconverted, created 02-12 10:00, no Status
           history, current status Working - Contacted) has the same address: one person,
           the contact wins, so L_DEE2's status at creation (lead, 02-12 10:00) and call
           Tk008 (02-12 10:30) are C_DEE's. Member of TRD 02-20; call Tk001 with what_id
           TRD (03-05 10:00, ' UTC' spelling). Opportunity O_DEE lost (close 03-21): roles
           C_GUS (earliest, not primary) and C_DEE (primary): C_DEE.
  P5 Gus   C_GUS, contact created directly (02-05, ISO spelling), 'Gus@Example.com'
           (= HubSpot 107 'Gus@Example.com'). TRD membership 02-20 11:00 deleted in
           Salesforce (is_deleted true): removed_at = last_modified_date 03-10 12:00. Call
           Tk005 (03-01 10:00) with what_id = the deleted campaign DEL: no campaign; his
           first lead signal, so a phone lead. O_GUS: roles C_GUS (10:01) and C_LOU (10:02),
           none primary: the earliest, C_GUS; won 4000 USD, close_date written
           '2025-04-15 00:00:00' as in Fivetran's seed sf_opportunity_data; campaign_id
           ADS; an inactive History Mode version (open, Negotiation/Review) is ignored.
           O_GS2: won 1000 on 04-28, currency_iso_code empty: second order, a promoter.
  P6 Dfr   L_DFR, unconverted, dee@example.fr (= Mautic 4). Created 03-03 09:00 with its
           NWS membership at that moment (source campaign NWS). Status Open -> Working
           (03-04) -> 'Nurturing' (03-20, the second unknown row).
  P7 Lou   C_LOU, contact without email (kept under its own id in every build), account
           not synced (company null). Open O_LOU (close_date 06-30 is a forecast): deleted
           primary role (C_DEE) ignored, live non-primary role C_LOU. A 'Prepare demo' task
           (type Other) is no call.
  P8 Max   L_MAX, unconverted, max@example.org (no match anywhere), created
           '...09:00:00.000000', current status Open - Not Contacted and no history: lead
           at creation from its current status.
  Not persons: L_DEL (is_deleted): its Status history row, two calls (Tk007, Tk010) and
           WEB membership are dropped and warned. C_ZOE (_fivetran_deleted). Tk006
           (_fivetran_deleted), Tk004 (an Email task). O_DEL (is_deleted), O_ORP (no live
           role: its only role is deleted; no lead converted into it): dropped, warned.
           Campaign DEL (is_deleted): no campaign, no cost, not a what_id campaign.

Campaigns: WEB start 01-08 end 01-31 actual_cost 1500; TRD 02-20..03-06 cost 3000; NWS
start 01-01 no end, cost 0.00 (no cost row); ADS no dates, cost 900 (cost_date =
created_date 03-01); DEL deleted. salesforce_campaign_attributes gives WEB {prospect,
webinar} and TRD {all, event}.

Builds (module-scoped, as test_hubspot.py): (a) Salesforce alone; (a') the same with
reporting_timezone Europe/Paris, staging only; (b) beside a copy of the HubSpot fixture (+
contact 120); (c) beside a copy of the Mautic fixture (+ lead 6), the Salesforce tables read
from var salesforce_data_path.

ASSUMPTIONS where salesforce.md is silent (for the lead to check):
  A1  Salesforce alone = source_system contract with NO contacts.csv: raw_data_path holds
      only the Salesforce tables. In crm_system salesforce, contacts.csv is optional (the
      Salesforce persons are the contacts); when present its contacts are the "marketing"
      side of the matching rule.
  A2  Warnings are lines containing 'Salesforce input:' (as 'HubSpot input:'), each
      naming its count as a whole number and the table or value concerned.
  A3  Status at creation yields a contact_changes row (old_value null, new_value = the
      mapped initial status, changed_at = the lead's created_date). Each lead_history
      Status row yields one row with old_value and new_value both mapped (a 'lead' ->
      'lead' row is kept: no re-sequencing, no dedup). Unknown values are kept
      lower-cased (as HubSpot's unknown stages) and counted per value in one warning.
      Only field = 'Status' rows are read ('created', 'Owner', 'leadConverted',
      'leadMerged' are ignored).
  A4  A merged-away lead (master_record_id set) is no person, whatever its is_deleted:
      rows naming it (memberships, tasks, history) belong to its master; it adds no
      "status at creation" row of its own and does not enter the master's created_at.
  A5  The rule "two Salesforce persons with one address: the contact wins" moves every row
      of the unconverted lead (its status at creation, history, calls, memberships) to the
      contact; the lead's own attributes are not used and do not enter created_at
      (L_DEE2 is created after C_DEE anyway).
  A6  Rows (history, task, campaign_member) whose lead/contact is deleted or unknown are
      dropped and counted in a warning, as in the HubSpot mode. A _fivetran_deleted or
      is_deleted task, opportunity or campaign is dropped silently (a deletion, like
      HubSpot's is_deleted deal).
  A7  "The earliest role" = the live role with the earliest created_date (ties: lowest
      role id). Deleted roles (is_deleted / _fivetran_deleted) are ignored, also for
      "primary".
  A8  Opportunity.campaign_id (listed as used, without a rule) is a touch of the deal's
      contact at the opportunity's created_date, for every kept opportunity whose
      campaign_id is a kept campaign. It is NOT a campaign_members row (members counts do
      not include it). Only test_opportunity_campaign_is_a_touch depends on it.
  A9  A date column written with a time part ('2025-04-15 00:00:00', as Fivetran's own
      seed sf_opportunity_data writes close_date) is that date. cost_date without
      start_date = the UTC date of campaign.created_date (the fixture's is 10:00 UTC, the
      same date in Paris). campaign_type = type lower-cased with spaces kept ('trade
      show'); lead_source lower-cased for leads too ('purchased list').
  A10 stage = stage_name lower-cased (the contract lower-cases stage, as 'closed won' in
      the HubSpot mode); is_closed / is_won from the opportunity's columns.
  A11 Contract-format campaigns.csv beside Salesforce (the HubSpot fixture's) is a union
      with the Salesforce campaigns; campaign_costs.csv replaces ALL Salesforce costs
      (salesforce.md: "A contract campaign_costs.csv, when present, replaces these").
  A12 With source_system hubspot, HubSpot's orders from won deals go with its deals: the
      orders are the Salesforce ones. The warning that HubSpot deals are dropped names
      either the 6 deals HubSpot staging would keep or the 10 rows of deal.csv (both
      accepted below).
  A13 The marketing contacts matched are the kept marketing contacts (stg_contacts of the
      marketing side); a merged-away HubSpot address (hal@example.com) is not one. The
      fixture has no Salesforce person with such an address.
  A14 In a combined build, contact_changes of both sides are unioned as they are (the
      HubSpot lifecycle history of 101 stays beside Salesforce's Status history).
  A15 A Salesforce person matched to a marketing contact fills the marketing contact's
      null columns with its own values: for a converted lead that is the contact's
      (company = account name), else the lead's.
  A16 campaign_member is_deleted = removal; the mapping says nothing of a _fivetran_deleted
      membership: the fixture has none.
  A17 With History Mode columns present, rows with _fivetran_active false are dropped
      before anything else; _fivetran_end '9999-12-31 23:59:59' is not validated as a
      timestamp (the column is not used).
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
import pytest

from tools.tests.conftest import PROJECT_DIR, DbtProject

FIXTURE = PROJECT_DIR / "tools" / "tests" / "fixtures" / "salesforce"
HUBSPOT_FIXTURE = PROJECT_DIR / "tools" / "tests" / "fixtures" / "hubspot"
MAUTIC_FIXTURE = PROJECT_DIR / "tools" / "tests" / "fixtures" / "mautic"


def sfid(prefix: str, tag: str) -> str:
    return f"{prefix}7Q00000{tag}QAC"


L_ANA, L_BEN, L_CY, L_DFR, L_MAX = (sfid("00Q", t) for t in
                                    ("LdAna", "LdBen", "LdCyy", "LdDfr", "LdMax"))
C_BEN, C_DEE, C_GUS, C_LOU = (sfid("003", t) for t in ("CtBen", "CtDee", "CtGus", "CtLou"))
WEB, TRD, NWS, ADS = (sfid("701", t) for t in ("CpWeb", "CpTrd", "CpNws", "CpAds"))
O_BEN, O_DEE, O_GUS, O_GS2, O_LOU = (sfid("006", t) for t in
                                     ("OpBen", "OpDee", "OpGus", "OpGs2", "OpLou"))
TASK = {n: sfid("00T", f"Tk{n:03d}") for n in range(1, 11)}
HS_CMP = "0b1e2d3c-4f5a-4b6c-8d7e-9f0a1b2c3d4e"  # the campaign of the HubSpot fixture

SF_VARS = {
    "crm_system": "salesforce",
    "salesforce_campaign_attributes": {
        WEB: {"audience": "prospect", "channel": "webinar"},
        TRD: {"audience": "all", "channel": "event"},
    },
}
# as test_hubspot.py / test_mautic.py
HUBSPOT_VARS = {"source_system": "hubspot", "mql_score_threshold": 50}
MAUTIC_VARS = {
    "source_system": "mautic",
    "mautic_campaign_attributes": {"10": {"audience": "prospect", "channel": "email"}},
    "customer_lifecycle_stages": ["client"],
}

CONTACT_COLUMNS = ("select contact_id, email, created_at, contact_type, lead_source,"
                   " source_campaign_id, company, country from staging.stg_contacts")
CHANGES = ("select contact_id, field_name, old_value, new_value, changed_at"
           " from staging.stg_contact_changes")
DEALS = ("select deal_id, contact_id, created_at, stage, cast(amount as double), is_closed,"
         " is_won, closed_at from staging.stg_deals")
ORDERS = ("select order_id, contact_id, ordered_at, cast(amount as double), currency, status"
          " from staging.stg_orders")
CALLS = ("select call_id, contact_id, campaign_id, started_at, duration_seconds"
         " from staging.stg_calls")
MEMBERS = ("select campaign_id, contact_id, added_at, removed_at"
           " from staging.stg_campaign_members")
CAMPAIGNS = ("select campaign_id, campaign_name, campaign_type, audience, channel,"
             " launched_at, ended_at from staging.stg_campaigns")
COSTS = ("select campaign_id, cost_date, cast(amount as double), cost_type"
         " from staging.stg_campaign_costs")


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def month(text: str) -> str:
    return f"period_grain = 'month' and period_start = date '{text}'"


def rows(project: DbtProject, sql: str) -> list[tuple]:
    """Rows in a stable order whatever their ids (ids differ between builds)."""
    return sorted(project.query(sql), key=repr)


def same(expected: list[tuple]) -> list[tuple]:
    return sorted(expected, key=repr)


def remap(expected: list[tuple], ids: dict[str, str], position: int = 1) -> list[tuple]:
    """The rows with the contact id at `position` replaced through `ids` (the marketing
    contact a Salesforce person matched)."""
    return [row[:position] + (ids.get(row[position], row[position]),) + row[position + 1:]
            for row in expected]


def sf_warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if "Salesforce input:" in line]


def has_warning(output: str, count: int | None, *words) -> bool:
    """A 'Salesforce input:' line that names `count` as a whole number (None: any) and
    every word (a tuple: any one of its alternatives), without regard to case."""
    for line in sf_warnings(output):
        lowered = line.lower()
        if count is not None and not re.search(rf"(?<![\d.:-]){count}(?![\d.:-])", line):
            continue
        if all(any(alt.lower() in lowered for alt in ((w,) if isinstance(w, str) else w))
               for w in words):
            return True
    return False


# ---- expected staging rows of the Salesforce side, with Salesforce ids (build a) ----------

# stg_contacts. One row per person (P1-P8), contact_id = the lead id (unconverted) or the
# contact id. email lower-cased (contract lower); lead_source lower-cased (A9); company =
# account.name for contacts (C_LOU's account is not synced: null), lead.company for leads;
# country = mailing_country / country; contact_type null (salesforce_contact_type_field
# null); source_campaign_id null (Salesforce has no such field).
#   C_BEN created_at = min(contact 02-03 14:00, converted lead L_BEN 01-08 10:00).
#   C_DEE 01-28 09:00 (L_DEE2 of the same address, 02-12, is later; A5).
#   L_CY 01-15 08:00 (the merged L_CY2 of 01-25 does not count; A4).
#   C_GUS: ISO 'T...Z'; L_MAX: '.000000'.
SF_CONTACTS = {
    L_ANA: ("ana@example.com", ts("2025-01-06 09:00:00"), None, "web", None, "Acme",
            "France"),
    C_BEN: ("ben@example.com", ts("2025-01-08 10:00:00"), None, "webinar", None,
            "Brun & Co SARL", "Belgium"),
    L_CY: ("cy@example.fr", ts("2025-01-15 08:00:00"), None, "trade show", None,
           "Caron SARL", "France"),
    C_DEE: ("dee@example.com", ts("2025-01-28 09:00:00"), None, "phone inquiry", None,
            "Dupont SA", "France"),
    C_GUS: ("gus@example.com", ts("2025-02-05 09:00:00"), None, "partner referral", None,
            "Girard Conseil", "Switzerland"),
    L_DFR: ("dee@example.fr", ts("2025-03-03 09:00:00"), None, "web", None, "Dee SA",
            "France"),
    C_LOU: (None, ts("2025-03-10 11:00:00"), None, None, None, None, "Germany"),
    L_MAX: ("max@example.org", ts("2025-04-02 09:00:00"), None, "purchased list", None,
            "Max GmbH", "Germany"),
}

# stg_contact_changes (field lifecycle_stage, default salesforce_lifecycle_stage_map
# compared lower-cased; A3):
#   L_ANA: status at creation = old_value of her earliest Status row (01-20: 'Open - Not
#          Contacted' -> lead) at created_date 01-06 09:00; 01-20 Working -> lead;
#          02-10 'Nurturing' unknown, kept lower-cased. Owner (01-21) and 'created' rows
#          are not Status. The inactive History Mode version of the lead row changes
#          nothing.
#   C_BEN: L_BEN's rows moved to the contact: creation 01-08 10:00 (Open -> lead);
#          01-16 lead -> lead; 02-03 14:00 Closed - Converted -> sql. 'leadConverted' is
#          not Status.
#   L_CY:  creation 01-15 08:00 (Open -> lead); 02-20 09:00 Closed - Not Converted ->
#          recycled. 'leadMerged' is not Status; L_CY2 adds nothing (A4).
#   C_DEE: L_DEE2 has no Status row: its current status Working - Contacted -> lead at
#          its created_date 02-12 10:00, on the contact (A5).
#   L_DFR: creation 03-03 09:00 (Open -> lead); 03-04 lead -> lead; 03-20 'nurturing'.
#   L_MAX: no Status row: current status Open - Not Contacted -> lead at 04-02 09:00.
#   L_DEL (deleted): its row of 01-04 is dropped (warned).
SF_CHANGES = [
    (L_ANA, "lifecycle_stage", None, "lead", ts("2025-01-06 09:00:00")),
    (L_ANA, "lifecycle_stage", "lead", "lead", ts("2025-01-20 10:00:00")),
    (L_ANA, "lifecycle_stage", "lead", "nurturing", ts("2025-02-10 10:00:00")),
    (C_BEN, "lifecycle_stage", None, "lead", ts("2025-01-08 10:00:00")),
    (C_BEN, "lifecycle_stage", "lead", "lead", ts("2025-01-16 11:00:00")),
    (C_BEN, "lifecycle_stage", "lead", "sql", ts("2025-02-03 14:00:00")),
    (L_CY, "lifecycle_stage", None, "lead", ts("2025-01-15 08:00:00")),
    (L_CY, "lifecycle_stage", "lead", "recycled", ts("2025-02-20 09:00:00")),
    (C_DEE, "lifecycle_stage", None, "lead", ts("2025-02-12 10:00:00")),
    (L_DFR, "lifecycle_stage", None, "lead", ts("2025-03-03 09:00:00")),
    (L_DFR, "lifecycle_stage", "lead", "lead", ts("2025-03-04 09:00:00")),
    (L_DFR, "lifecycle_stage", "lead", "nurturing", ts("2025-03-20 09:00:00")),
    (L_MAX, "lifecycle_stage", None, "lead", ts("2025-04-02 09:00:00")),
]

# stg_deals. Contact: O_BEN has no role -> L_BEN's converted_opportunity_id -> C_BEN;
# O_DEE -> the primary role C_DEE (C_GUS's role is earlier but not primary); O_GUS -> no
# primary, the earliest role C_GUS (10:01, before C_LOU 10:02; A7); O_GS2 -> primary C_GUS;
# O_LOU -> the primary role is deleted, the live role C_LOU. Dropped: O_ORP (its only role
# is deleted, no lead converted into it: warned), O_DEL (is_deleted). O_GUS's inactive
# version (open) is ignored (A17). stage = stage_name lower-cased (A10). closed_at =
# close_date at 00:00 in reporting_timezone (UTC here) only when is_closed: O_LOU's 06-30
# is a forecast. O_GUS's close_date '2025-04-15 00:00:00' is the date 04-15 (A9).
SF_DEALS = [
    (O_BEN, C_BEN, ts("2025-02-03 14:05:00"), "closed won", 12000.0, True, True,
     ts("2025-03-14 00:00:00")),
    (O_DEE, C_DEE, ts("2025-02-25 10:00:00"), "closed lost", 8000.0, True, False,
     ts("2025-03-21 00:00:00")),
    (O_GUS, C_GUS, ts("2025-03-07 10:00:00"), "closed won", 4000.0, True, True,
     ts("2025-04-15 00:00:00")),
    (O_GS2, C_GUS, ts("2025-04-20 10:00:00"), "closed won", 1000.0, True, True,
     ts("2025-04-28 00:00:00")),
    (O_LOU, C_LOU, ts("2025-03-18 10:00:00"), "prospecting", 2500.0, False, False, None),
]

# stg_orders: one completed order per won opportunity (O_BEN, O_GUS, O_GS2; O_DEL is
# deleted), 'opp-<id>', ordered_at = closed_at, currency = currency_iso_code (O_GS2's is
# empty: null). No contract orders file, no Salesforce `order` table.
SF_ORDERS = [
    (f"opp-{O_BEN}", C_BEN, ts("2025-03-14 00:00:00"), 12000.0, "EUR", "completed"),
    (f"opp-{O_GUS}", C_GUS, ts("2025-04-15 00:00:00"), 4000.0, "USD", "completed"),
    (f"opp-{O_GS2}", C_GUS, ts("2025-04-28 00:00:00"), 1000.0, None, "completed"),
]

# stg_calls: tasks with task_subtype 'Call' or type 'Call'; call_id = task id.
#   Tk001 C_DEE, what_id TRD (a kept campaign), completed_date_time ' UTC' spelling.
#   Tk002 L_ANA (a lead, unconverted), no completed_date_time: created_date 01-22 15:00.
#   Tk003 task_subtype 'Task' but type 'Call': a call; who_id L_BEN -> C_BEN; what_id is
#         O_BEN, no campaign; ISO spelling.
#   Tk005 C_GUS; what_id = DEL, a deleted campaign: null (Settled section).
#   Tk008 L_DEE2 -> C_DEE (same address, the contact wins; A5).
#   Not calls: Tk004 (Email), Tk009 (Task / Other). Dropped: Tk006 (_fivetran_deleted),
#   Tk007 and Tk010 (who_id L_DEL, a deleted lead: warned, 2).
SF_CALLS = [
    (TASK[1], C_DEE, TRD, ts("2025-03-05 10:00:00"), 300),
    (TASK[2], L_ANA, None, ts("2025-01-22 15:00:00"), 95),
    (TASK[3], C_BEN, None, ts("2025-02-01 16:00:00"), 600),
    (TASK[5], C_GUS, None, ts("2025-03-01 10:00:00"), 120),
    (TASK[8], C_DEE, None, ts("2025-02-12 10:30:00"), 45),
]

# stg_campaign_members: contact = contact_id, else the lead through its conversion or
# merge. Mb002 (lead L_BEN only) -> C_BEN; Mb003 (L_CY2, merged) -> L_CY; Mb007 (both
# lead_id and contact_id) -> C_BEN; Mb005 is_deleted: removed at last_modified_date 03-10
# 12:00. Mb008 (L_DEL, deleted) dropped, warned. has_responded / first_responded_date make
# no row.
SF_MEMBERS = [
    (WEB, L_ANA, ts("2025-01-12 09:00:00"), None),
    (WEB, C_BEN, ts("2025-01-08 10:00:00"), None),
    (WEB, L_CY, ts("2025-01-26 10:00:00"), None),
    (TRD, C_DEE, ts("2025-02-20 11:00:00"), None),
    (TRD, C_GUS, ts("2025-02-20 11:00:00"), ts("2025-03-10 12:00:00")),
    (NWS, L_DFR, ts("2025-03-03 09:00:00"), None),
    (TRD, C_BEN, ts("2025-03-04 09:00:00"), None),
]

# stg_campaigns: launched_at = start_date at 00:00 (UTC here), ended_at = end_date at
# 23:59:59; campaign_type = type lower-cased (A9); audience / channel from
# salesforce_campaign_attributes (WEB, TRD), else null. DEL is deleted.
SF_CAMPAIGNS = [
    (WEB, "Spring webinar", "webinar", "prospect", "webinar", ts("2025-01-08 00:00:00"),
     ts("2025-01-31 23:59:59")),
    (TRD, "Trade show Lyon", "trade show", "all", "event", ts("2025-02-20 00:00:00"),
     ts("2025-03-06 23:59:59")),
    (NWS, "Newsletter 2025", "email", None, None, ts("2025-01-01 00:00:00"), None),
    (ADS, "LinkedIn ads", "advertisement", None, None, None, None),
]

# stg_campaign_costs: one row per kept campaign with actual_cost > 0 (NWS has 0.00, DEL is
# deleted), cost_date = start_date as is, else the date of created_date (ADS: 03-01).
SF_COSTS = [
    (WEB, date(2025, 1, 8), 1500.0, "other"),
    (TRD, date(2025, 2, 20), 3000.0, "other"),
    (ADS, date(2025, 3, 1), 900.0, "other"),
]


def contacts_rows(ids: dict[str, str] | None = None, skip: tuple = ()) -> list[tuple]:
    ids = ids or {}
    return [(ids.get(k, k), *v) for k, v in SF_CONTACTS.items() if k not in skip]


# ==== (a) Salesforce alone ===================================================================

@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> tuple[DbtProject, str, int]:
    # A1: raw_data_path holds only the Salesforce tables (no contacts.csv)
    project = DbtProject(tmp_path_factory.mktemp("salesforce"))
    result = project.run("build", raw_data_path=FIXTURE, extra_vars=SF_VARS)
    return project, result.output, result.returncode


def test_alone_build_passes(alone):
    _, output, returncode = alone
    assert returncode == 0, output[-6000:]


def test_alone_contacts(alone):
    project, _, _ = alone
    # P1-P8 with their Salesforce ids; no row for L_BEN (converted), L_CY2 (merged),
    # L_DEE2 (same address as C_DEE), L_DEL (deleted), C_ZOE (_fivetran_deleted)
    assert rows(project, CONTACT_COLUMNS) == same(contacts_rows())


def test_alone_contact_changes(alone):
    project, _, _ = alone
    assert rows(project, CHANGES) == same(SF_CHANGES)


def test_alone_unknown_status_is_warned(alone):
    _, output, _ = alone
    # 'Nurturing': L_ANA's row of 02-10 and L_DFR's of 03-20
    assert has_warning(output, 2, "nurturing"), "\n".join(sf_warnings(output))


def test_alone_deals_and_orders(alone):
    project, _, _ = alone
    assert rows(project, DEALS) == same(SF_DEALS)
    assert rows(project, ORDERS) == same(SF_ORDERS)


def test_alone_calls_members_campaigns_costs(alone):
    project, _, _ = alone
    assert rows(project, CALLS) == same(SF_CALLS)
    assert rows(project, MEMBERS) == same(SF_MEMBERS)
    assert rows(project, CAMPAIGNS) == same(SF_CAMPAIGNS)
    assert rows(project, COSTS) == same(SF_COSTS)


def test_alone_no_marketing_tables(alone):
    project, _, _ = alone
    # "Not in Salesforce": email events, web events, forms, scores (salesforce_score_field
    # null), segments
    for table in ("stg_email_events", "stg_web_events", "stg_form_submissions",
                  "stg_score_events", "stg_segment_members", "stg_emails"):
        assert project.query(f"select count(*) from staging.{table}") == [(0,)], table
    assert project.query("select count(*) from marts.mart_email_performance") == [(0,)]


def test_alone_dropped_rows_are_warned(alone):
    _, output, _ = alone
    warnings = "\n".join(sf_warnings(output))
    # O_ORP: no live contact role, no lead converted into it (A6, A7)
    assert has_warning(output, 1, ("opportunit", "deal")), warnings
    # Tk007 and Tk010: who_id L_DEL, a deleted lead
    assert has_warning(output, 2, ("task", "call")), warnings
    # lead_history of L_DEL: one Status row (01-04)
    assert has_warning(output, 1, ("lead_history", "contact_changes", "history")), warnings
    # campaign_member Mb008 of L_DEL
    assert has_warning(output, 1, ("campaign_member",)), warnings


# Lifecycle of (a), UTC (DESIGN.md section 3; 'lead' is an effective lead lifecycle stage
# in crm_system salesforce):
#   P1 L_ANA  lead 01-06 09:00 (status at creation; call 01-22 later). No other stage.
#   P2 C_BEN  lead 01-08 10:00 (creation); sql 02-03 14:00 (Closed - Converted; deal
#             O_BEN 14:05 later); mql backfilled 02-03 14:00; customer 03-14 00:00 (won
#             O_BEN / its order).
#   P3 L_CY   lead 01-15 08:00; recycled 02-20 09:00.
#   P4 C_DEE  lead 02-12 10:00 (L_DEE2's creation status; call Tk008 10:30 later, so not a
#             phone lead); sql 02-25 10:00 (O_DEE created), mql backfilled; recycled 03-21
#             (lost deal).
#   P5 C_GUS  lead 03-01 10:00 (call Tk005: a phone lead); sql 03-07 10:00 (O_GUS), mql
#             backfilled; customer 04-15 00:00; promoter 04-28 00:00 (second order).
#   P6 L_DFR  lead 03-03 09:00.
#   P7 C_LOU  sql 03-18 10:00 (O_LOU), lead and mql backfilled at that moment.
#   P8 L_MAX  lead 04-02 09:00.
# Source campaigns (earliest touch at or before the lead moment, 90 days): C_BEN -> WEB
# (Mb002 at 01-08 10:00, the lead moment), C_GUS -> TRD (Mb005 02-20, removed later but a
# membership touch at added_at), L_DFR -> NWS (Mb006 03-03 09:00). L_ANA (Mb001 01-12 is
# after 01-06), L_CY (Mb003 01-26 after 01-15), C_DEE (Mb004 02-20 and Tk001 03-05 after
# 02-12), C_LOU, L_MAX: none.

def test_alone_acquisition(alone):
    project, _, _ = alone
    # new leads: January L_ANA, C_BEN, L_CY; February C_DEE; March C_GUS, L_DFR, C_LOU;
    # April L_MAX. Phone leads: C_GUS (March). Prospect campaign (WEB, audience prospect):
    # first entries Mb001, Mb002, Mb003, all January. No forms, segments, emails, visitors.
    # Cost: WEB 1500 (01-08), TRD 3000 (02-20), ADS 900 (03-01). cost_per_lead: 1500 / 3,
    # 3000 / 1, 900 / 3, 0 / 1.
    assert project.query(
        "select period_start, new_leads, leads_by_form, leads_by_prospect_segment,"
        " leads_by_prospect_campaign, leads_by_first_prospect_email, phone_leads,"
        " unique_visitors, visitor_to_lead_rate, cast(marketing_cost as double),"
        " cast(cost_per_lead as double) from marts.mart_acquisition"
        " where period_grain = 'month' and period_start between date '2025-01-01'"
        " and date '2025-04-01' order by 1") == [
        (date(2025, 1, 1), 3, 0, 0, 3, 0, 0, 0, None, 1500.0, 500.0),
        (date(2025, 2, 1), 1, 0, 0, 0, 0, 0, 0, None, 3000.0, 3000.0),
        (date(2025, 3, 1), 3, 0, 0, 0, 0, 1, 0, None, 900.0, 300.0),
        (date(2025, 4, 1), 1, 0, 0, 0, 0, 0, 0, None, 0.0, 0.0),
    ]


def test_alone_qualification_and_conversion(alone):
    project, _, _ = alone
    # SQLs (and backfilled MQLs): February C_BEN (02-03), C_DEE (02-25); March C_GUS
    # (03-07), C_LOU (03-18). lead_to_mql_rate: Feb 2 / 1, Mar 2 / 3; mql_to_sql 1.
    assert project.query(
        "select period_start, new_leads, new_mqls, new_sqls, lead_to_mql_rate,"
        " mql_to_sql_rate from marts.mart_qualification where period_grain = 'month'"
        " and (new_mqls > 0 or new_sqls > 0) order by 1") == [
        (date(2025, 2, 1), 1, 2, 2, 2.0, 1.0),
        (date(2025, 3, 1), 3, 2, 2, pytest.approx(2 / 3), 1.0),
    ]
    # customers C_BEN 03-14, C_GUS 04-15; promoter C_GUS 04-28
    assert project.query(
        "select period_start, new_customers, new_promoters from marts.mart_conversion"
        " where period_grain = 'month' and (new_customers > 0 or new_promoters > 0)"
        " order by 1") == [(date(2025, 3, 1), 1, 0), (date(2025, 4, 1), 1, 1)]


def test_alone_revenue_and_roi(alone):
    project, _, _ = alone
    # March: opp-O_BEN 12000 (C_BEN, sourced by WEB). April: opp-O_GUS 4000 + opp-O_GS2
    # 1000 (C_GUS, sourced by TRD), one paying customer; EUR and USD are summed as given.
    # ROI = (attributed - cost) / cost: January (0 - 1500) / 1500 = -1, February -1, March
    # (12000 - 900) / 900 = 12.333..., April no cost: null.
    assert project.query(
        "select period_start, cast(revenue as double), orders, paying_customers,"
        " cast(attributed_revenue as double), cast(marketing_cost as double), roi"
        " from marts.mart_revenue where period_grain = 'month'"
        " and period_start between date '2025-01-01' and date '2025-04-01' order by 1") == [
        (date(2025, 1, 1), 0.0, 0, 0, 0.0, 1500.0, -1.0),
        (date(2025, 2, 1), 0.0, 0, 0, 0.0, 3000.0, -1.0),
        (date(2025, 3, 1), 12000.0, 1, 1, 12000.0, 900.0, pytest.approx(11100 / 900)),
        (date(2025, 4, 1), 5000.0, 2, 1, 5000.0, 0.0, None),
    ]


def test_alone_campaign_performance(alone):
    project, _, _ = alone
    # members = distinct contacts that entered (a removed member counts: Mb005):
    #   WEB L_ANA, C_BEN, L_CY = 3 (Mb008 of the deleted lead is dropped); TRD C_DEE,
    #   C_GUS, C_BEN = 3; NWS L_DFR = 1; ADS 0 (A8: an opportunity's campaign is no member).
    # sourced: WEB C_BEN (lead, customer, 12000); TRD C_GUS (lead, customer, 5000); NWS
    #   L_DFR (lead only).
    # cost_per_sourced_lead = cost / sourced leads (null without sourced leads); roi =
    #   (revenue - cost) / cost (null without cost): WEB (12000 - 1500) / 1500 = 7;
    #   TRD (5000 - 3000) / 3000 = 2/3; NWS null; ADS (0 - 900) / 900 = -1.
    assert rows(project,
                "select campaign_id, campaign_type, audience, members, sourced_leads,"
                " sourced_customers, cast(revenue as double), cast(marketing_cost as double),"
                " cast(cost_per_sourced_lead as double), roi"
                " from marts.mart_campaign_performance") == same([
        (WEB, "webinar", "prospect", 3, 1, 1, 12000.0, 1500.0, 1500.0, 7.0),
        (TRD, "trade show", "all", 3, 1, 1, 5000.0, 3000.0, 3000.0, pytest.approx(2 / 3)),
        (NWS, "email", None, 1, 1, 0, 0.0, 0.0, 0.0, None),
        (ADS, "advertisement", None, 0, 0, 0, 0.0, 900.0, None, -1.0),
    ])


def attribution(project: DbtProject, campaign: str, model: str, period: str,
                conversion_type: str) -> list[tuple]:
    return project.query(
        "select credit, conversions from marts.mart_attribution where campaign_id = '"
        + campaign + f"' and attribution_model = '{model}' and conversion_type ="
        f" '{conversion_type}' and " + month(period))


def test_alone_attribution_through_membership(alone):
    project, _, _ = alone
    # First touch does not depend on A8 (the memberships are the earliest touches):
    #   March revenue: opp-O_BEN 12000 at 03-14 00:00; C_BEN's earliest touch within 90
    #   days is Mb002 (WEB, 01-08 10:00): WEB 12000, one conversion.
    #   April revenue: opp-O_GUS 4000 (04-15) and opp-O_GS2 1000 (04-28); C_GUS's earliest
    #   touch is the removed membership Mb005 (TRD, 02-20 11:00, within 90 days of both):
    #   TRD 5000, two conversions. Customer C_GUS (04-15): TRD 1.
    assert attribution(project, WEB, "first_touch", "2025-03-01", "revenue") == [
        (12000.0, 1.0)]
    assert attribution(project, TRD, "first_touch", "2025-04-01", "revenue") == [
        (5000.0, 2.0)]
    assert attribution(project, TRD, "first_touch", "2025-04-01", "customer") == [(1.0, 1.0)]


def test_opportunity_campaign_is_a_touch(alone):
    """A8: Opportunity.campaign_id is a touch of the deal's contact at created_date."""
    project, _, _ = alone
    # C_GUS's touches before 04-15: Mb005 (TRD, 02-20 11:00) and O_GUS's campaign (ADS,
    # 03-07 10:00); Tk005's campaign is deleted (no touch); O_GS2 has no campaign. Last
    # touch of opp-O_GUS (04-15) and opp-O_GS2 (04-28): ADS, 4000 + 1000; customer 1.
    assert attribution(project, ADS, "last_touch", "2025-04-01", "revenue") == [
        (5000.0, 2.0)]
    assert attribution(project, ADS, "last_touch", "2025-04-01", "customer") == [(1.0, 1.0)]
    # C_BEN's touches before 03-14 00:00: Mb002 (WEB 01-08), O_BEN's campaign (WEB, 02-03
    # 14:05), Mb007 (TRD 03-04). Linear: WEB 2/3, TRD 1/3 of the customer conversion and
    # of 12000 (8000, 4000).
    assert attribution(project, WEB, "linear", "2025-03-01", "customer") == [
        (pytest.approx(2 / 3), pytest.approx(2 / 3))]
    assert attribution(project, WEB, "linear", "2025-03-01", "revenue") == [
        (pytest.approx(8000.0), pytest.approx(2 / 3))]
    assert attribution(project, TRD, "linear", "2025-03-01", "revenue") == [
        (pytest.approx(4000.0), pytest.approx(1 / 3))]


# ==== (a') date columns in reporting_timezone Europe/Paris ===================================

def test_date_columns_are_local_midnight(tmp_path_factory):
    """close_date, start_date, end_date are 00:00 (end_date 23:59:59) of that date in
    reporting_timezone, stored in UTC; cost_date is start_date as is. Staging only."""
    project = DbtProject(tmp_path_factory.mktemp("salesforce_paris"))
    result = project.run(
        "run", "--select", "+stg_campaigns", "+stg_deals", "+stg_orders",
        "+stg_campaign_costs", raw_data_path=FIXTURE,
        extra_vars={**SF_VARS, "reporting_timezone": "Europe/Paris"})
    assert result.returncode == 0, result.output[-6000:]
    # Paris is UTC+1 until 2025-03-30, UTC+2 from then on:
    #   WEB 01-08 -> 01-07 23:00; end 01-31 23:59:59 -> 22:59:59. TRD 02-20 -> 02-19 23:00;
    #   end 03-06 23:59:59 -> 22:59:59. NWS 01-01 -> 2024-12-31 23:00. ADS no dates.
    assert rows(project, "select campaign_id, launched_at, ended_at from staging.stg_campaigns"
                ) == same([
        (WEB, ts("2025-01-07 23:00:00"), ts("2025-01-31 22:59:59")),
        (TRD, ts("2025-02-19 23:00:00"), ts("2025-03-06 22:59:59")),
        (NWS, ts("2024-12-31 23:00:00"), None),
        (ADS, None, None),
    ])
    #   O_BEN 03-14 -> 03-13 23:00 (CET); O_DEE 03-21 -> 03-20 23:00; O_GUS '2025-04-15
    #   00:00:00' (the date 04-15, A9) -> 04-14 22:00 (CEST); O_GS2 04-28 -> 04-27 22:00.
    #   created_at is a timestamp: unchanged.
    assert rows(project, "select deal_id, created_at, closed_at from staging.stg_deals") == same([
        (O_BEN, ts("2025-02-03 14:05:00"), ts("2025-03-13 23:00:00")),
        (O_DEE, ts("2025-02-25 10:00:00"), ts("2025-03-20 23:00:00")),
        (O_GUS, ts("2025-03-07 10:00:00"), ts("2025-04-14 22:00:00")),
        (O_GS2, ts("2025-04-20 10:00:00"), ts("2025-04-27 22:00:00")),
        (O_LOU, ts("2025-03-18 10:00:00"), None),
    ])
    assert rows(project, "select order_id, ordered_at from staging.stg_orders") == same([
        (f"opp-{O_BEN}", ts("2025-03-13 23:00:00")),
        (f"opp-{O_GUS}", ts("2025-04-14 22:00:00")),
        (f"opp-{O_GS2}", ts("2025-04-27 22:00:00")),
    ])
    # cost_date = start_date as is (its local date is the Salesforce date)
    assert rows(project, COSTS) == same(SF_COSTS)


# ==== (b) beside the HubSpot fixture =========================================================

# Matching by lower(trim(email)) with the kept HubSpot contacts: L_ANA -> 101, C_BEN ->
# 102, C_GUS 'Gus@Example.com' -> 107 ('Gus@Example.com'), C_DEE (+ L_DEE2) -> 104 and
# 120 ('DEE@Example.com', added to the copy, created 03-05): the earliest created, 104
# (02-01 08:00), with a warning. L_CY, L_DFR (example.fr), C_LOU (no email), L_MAX: no
# match, Salesforce ids.
HS_IDS = {L_ANA: "101", C_BEN: "102", C_DEE: "104", C_GUS: "107"}
HS_CONTACT_120 = ("120,false,2025-04-30 06:00:00,DEE@Example.com,Dee,Dupont,,France,,,"
                  "2025-03-05 09:00:00,OFFLINE,,,,120,\n")


@pytest.fixture(scope="module")
def with_hubspot(tmp_path_factory) -> tuple[DbtProject, str, int]:
    root = tmp_path_factory.mktemp("salesforce_hubspot")
    folder = root / "export"
    shutil.copytree(HUBSPOT_FIXTURE, folder)
    with open(folder / "contact.csv", "a", encoding="utf-8") as f:
        f.write(HS_CONTACT_120)
    # both connectors write a `contact` table: the Salesforce tables sit in a folder of
    # their own (var salesforce_data_path)
    project = DbtProject(root)
    result = project.run("build", raw_data_path=folder, extra_vars={
        **SF_VARS, **HUBSPOT_VARS, "salesforce_data_path": str(FIXTURE)})
    return project, result.output, result.returncode


def test_hubspot_build_passes(with_hubspot):
    _, output, returncode = with_hubspot
    assert returncode == 0, output[-6000:]


def test_hubspot_contacts(with_hubspot):
    project, _, _ = with_hubspot
    # HubSpot attributes win; Salesforce fills only nulls (A15); created_at = the earliest:
    #   101 HubSpot 01-05 09:00 < L_ANA 01-06: 01-05; all columns set by HubSpot.
    #   102 HubSpot 01-12 10:00:00.123 > C_BEN 01-08 10:00 (its converted lead): 01-08;
    #       company null in HubSpot: 'Brun & Co SARL' (C_BEN's account).
    #   104 HubSpot 02-01 08:00 > C_DEE 01-28 09:00: 01-28.
    #   107 HubSpot 01-25 10:00 < C_GUS 02-05: 01-25.
    #   120 stays a contact of its own (the marketing side is not deduplicated).
    #   105, 106, 108 as in test_hubspot.py; L_CY, L_DFR, C_LOU, L_MAX as in (a).
    assert rows(project, CONTACT_COLUMNS) == same([
        ("101", "ana@example.com", ts("2025-01-05 09:00:00"), None, "organic_search", None,
         "Acme", "France"),
        ("102", "ben@example.com", ts("2025-01-08 10:00:00"), None, "email_marketing",
         None, "Brun & Co SARL", "Belgium"),
        ("104", "dee@example.com", ts("2025-01-28 09:00:00"), None, "offline", None,
         "Dupont SA", "France"),
        ("105", "eve@example.com", ts("2025-01-20 11:00:00"), None, "direct_traffic", None,
         None, "United Kingdom"),
        ("106", "fay@example.com", ts("2025-01-18 08:30:00"), None, "paid_search", None,
         "Faure & Fils", "France"),
        ("107", "gus@example.com", ts("2025-01-25 10:00:00"), None, "referrals", None,
         "Girard Conseil", "Switzerland"),
        ("108", "ida@example.com", ts("2025-03-01 09:00:00"), None, "social_media", None,
         "Ide & Co", "Belgium"),
        ("120", "dee@example.com", ts("2025-03-05 09:00:00"), None, "offline", None, None,
         "France"),
        *contacts_rows(skip=(L_ANA, C_BEN, C_DEE, C_GUS)),
    ])


def test_hubspot_one_address_two_marketing_contacts_is_warned(with_hubspot):
    _, output, _ = with_hubspot
    # dee@example.com: HubSpot 104 and 120; C_DEE goes to 104 (created first)
    assert has_warning(output, None, "dee@example.com", "104", "120"), \
        "\n".join(sf_warnings(output))


def test_hubspot_deals_are_salesforce_only(with_hubspot):
    project, output, _ = with_hubspot
    # HubSpot deals 8001-8011 dropped (one CRM only); Salesforce deals take the HubSpot
    # ids of their contacts; HubSpot's orders from won deals go with them (A12).
    assert rows(project, DEALS) == same(remap(SF_DEALS, HS_IDS))
    assert rows(project, ORDERS) == same(remap(SF_ORDERS, HS_IDS))
    warnings = "\n".join(sf_warnings(output) + [
        line for line in output.splitlines() if "HubSpot input:" in line])
    assert (has_warning(output, 6, "hubspot", "deal")
            or has_warning(output, 10, "hubspot", "deal")), warnings


def test_hubspot_staging_rows(with_hubspot):
    project, _, _ = with_hubspot
    # calls: HubSpot's call 7001 (104, 105) beside the Salesforce calls, remapped
    assert rows(project, CALLS) == same([
        ("7001-104", "104", None, ts("2025-02-18 14:00:00"), 125),
        ("7001-105", "105", None, ts("2025-02-18 14:00:00"), 125),
        *remap(SF_CALLS, HS_IDS),
    ])
    # members: Salesforce only (HubSpot has no membership)
    assert rows(project, MEMBERS) == same(remap(SF_MEMBERS, HS_IDS))
    # campaigns: campaigns.csv (HubSpot) + Salesforce (A11)
    assert rows(project, CAMPAIGNS) == same([
        (HS_CMP, "Spring webinar", "webinar", "prospect", "email", ts("2025-01-01 00:00:00"),
         None),
        *SF_CAMPAIGNS,
    ])
    # campaign_costs.csv is present: it replaces the Salesforce actual_cost rows (A11)
    assert rows(project, COSTS) == same([
        (HS_CMP, date(2025, 1, 1), 600.0, "media"),
        (HS_CMP, date(2025, 3, 1), 400.0, "labor"),
    ])
    # contact_changes: HubSpot's lifecycle rows (test_hubspot.py) and Salesforce's (A14),
    # remapped
    assert rows(project, CHANGES) == same([
        ("101", "lifecycle_stage", None, "lead", ts("2025-01-09 09:05:00")),
        ("101", "lifecycle_stage", "lead", "mql", ts("2025-02-03 09:00:00")),
        ("101", "lifecycle_stage", "mql", "customer", ts("2025-03-20 10:00:00")),
        ("102", "lifecycle_stage", None, "lead", ts("2025-01-15 10:00:00")),
        ("104", "lifecycle_stage", None, "2319847", ts("2025-02-20 09:00:00")),
        ("107", "lifecycle_stage", None, "lead", ts("2025-01-25 10:00:00")),
        ("107", "lifecycle_stage", "lead", "sql", ts("2025-03-01 10:00:00")),
        ("107", "lifecycle_stage", "sql", "customer", ts("2025-04-10 12:00:00")),
        *remap(SF_CHANGES, HS_IDS, position=0),
    ])


def test_hubspot_marts(with_hubspot):
    project, _, _ = with_hubspot
    # Lead dates: 101 01-06 09:00 (Salesforce creation status, before 109's form 01-09);
    # 102 01-08 10:00 (Salesforce); 106 01-18 (form); 107 01-25 (HubSpot lifecycle);
    # L_CY 01-15 -> January 5. February: 104 02-12 10:00 (L_DEE2's status), 105 02-18
    # (call) -> 2. March: 108 03-05 (form), L_DFR 03-03, C_LOU 03-18 (backfilled from its
    # deal) -> 3. April: L_MAX -> 1. 120 has no lead signal.
    assert project.query(
        "select period_start, new_leads from marts.mart_acquisition where period_grain ="
        " 'month' and period_start between date '2025-01-01' and date '2025-04-01'"
        " order by 1") == [
        (date(2025, 1, 1), 5), (date(2025, 2, 1), 2), (date(2025, 3, 1), 3),
        (date(2025, 4, 1), 1)]
    # Orders are Salesforce's: March opp-O_BEN 12000 (102), April 4000 + 1000 (107).
    # Source campaigns: 102 -> WEB (Mb002 at his lead moment); 107's lead (01-25) precedes
    # every touch of his: no source, April revenue unattributed. Cost from
    # campaign_costs.csv: January 600, March 400. ROI March (12000 - 400) / 400 = 29.
    assert project.query(
        "select period_start, cast(revenue as double), cast(attributed_revenue as double),"
        " cast(marketing_cost as double), roi from marts.mart_revenue"
        " where period_grain = 'month' and period_start between date '2025-01-01'"
        " and date '2025-04-01' order by 1") == [
        (date(2025, 1, 1), 0.0, 0.0, 600.0, -1.0),
        (date(2025, 2, 1), 0.0, 0.0, 0.0, None),
        (date(2025, 3, 1), 12000.0, 12000.0, 400.0, 29.0),
        (date(2025, 4, 1), 5000.0, 0.0, 0.0, None),
    ]
    # HubSpot's campaign: 101's lead moment now precedes 109's form, so only 108 is
    # sourced (lead 03-05, customer 04-02 by the Clients list; no order: HubSpot's deal
    # 8011 is dropped); revenue 0, cost 1000, roi -1. WEB: members 101, 102, L_CY;
    # sourced 102 (customer, 12000); no cost (replaced by campaign_costs.csv): cost per
    # sourced lead 0 / 1, roi null. TRD: members 104, 107, 102; nothing sourced. NWS:
    # L_DFR member and sourced. ADS: nothing, no cost.
    assert rows(project,
                "select campaign_id, members, sourced_leads, sourced_customers,"
                " cast(revenue as double), cast(marketing_cost as double),"
                " cast(cost_per_sourced_lead as double), roi"
                " from marts.mart_campaign_performance") == same([
        (HS_CMP, 0, 1, 1, 0.0, 1000.0, 1000.0, -1.0),
        (WEB, 3, 1, 1, 12000.0, 0.0, 0.0, None),
        (TRD, 3, 0, 0, 0.0, 0.0, None, None),
        (NWS, 1, 1, 0, 0.0, 0.0, 0.0, None),
        (ADS, 0, 0, 0, 0.0, 0.0, None, None),
    ])


def test_hubspot_salesforce_warnings_still_counted(with_hubspot):
    _, output, _ = with_hubspot
    warnings = "\n".join(sf_warnings(output))
    assert has_warning(output, 2, "nurturing"), warnings
    assert has_warning(output, 1, ("opportunit", "deal")), warnings
    assert has_warning(output, 2, ("task", "call")), warnings


# ==== (c) beside the Mautic fixture, Salesforce from salesforce_data_path ====================

# Mautic lead 6 (added to the copy) has cy@example.fr, like lead 3, identified at the same
# moment (01-25 11:00): L_CY goes to the lowest id, '3', with a warning. L_DFR
# dee@example.fr -> '4'. Every other person keeps its Salesforce id.
MAUTIC_IDS = {L_CY: "3", L_DFR: "4"}
MAUTIC_LEAD_6 = ("6,2025-01-25 11:00:00,2025-01-25 11:00:00,cy@example.fr,Cyril,\\N,France,0,"
                 "\\N,import\n")


@pytest.fixture(scope="module")
def with_mautic(tmp_path_factory) -> tuple[DbtProject, str, int]:
    root = tmp_path_factory.mktemp("salesforce_mautic")
    folder = root / "export"
    shutil.copytree(MAUTIC_FIXTURE, folder)
    with open(folder / "leads.csv", "a", encoding="utf-8") as f:
        f.write(MAUTIC_LEAD_6)
    project = DbtProject(root)
    result = project.run("build", raw_data_path=folder, extra_vars={
        **SF_VARS, **MAUTIC_VARS, "salesforce_data_path": str(FIXTURE)})
    return project, result.output, result.returncode


def test_mautic_build_passes(with_mautic):
    _, output, returncode = with_mautic
    assert returncode == 0, output[-6000:]


def test_mautic_contacts(with_mautic):
    project, _, _ = with_mautic
    # Mautic rows as in test_mautic.py, plus lead 6; '3' created min(01-25 11:00, L_CY
    # 01-15 08:00) = 01-15 08:00, company null in Mautic: 'Caron SARL' from L_CY (A15);
    # '4' keeps 01-26 12:00 (L_DFR 03-03 is later) and its own company.
    assert rows(project, CONTACT_COLUMNS) == same([
        ("1", "ana@example.fr", ts("2025-01-10 09:00:00"), "client", "form", None, "Acme",
         "France"),
        ("2", "ben@example.fr", ts("2025-01-20 10:00:00"), "prospect", "import", None, None,
         "Belgium"),
        ("3", "cy@example.fr", ts("2025-01-15 08:00:00"), None, "import", None,
         "Caron SARL", "France"),
        ("4", "dee@example.fr", ts("2025-01-26 12:00:00"), None, "import", None, "Dee SA",
         "France"),
        ("6", "cy@example.fr", ts("2025-01-25 11:00:00"), None, "import", None, None,
         "France"),
        *contacts_rows(skip=(L_CY, L_DFR)),
    ])


def test_mautic_tie_on_one_address_is_warned(with_mautic):
    _, output, _ = with_mautic
    assert has_warning(output, None, "cy@example.fr", "3", "6"), \
        "\n".join(sf_warnings(output))


def test_mautic_staging_rows(with_mautic):
    project, _, _ = with_mautic
    # deals.csv (D1) is replaced by the Salesforce deals (no person of a deal matched)
    assert rows(project, DEALS) == same(SF_DEALS)
    # orders.csv is present: no orders from won opportunities, only O1
    assert rows(project, ORDERS) == [
        ("O1", "1", ts("2025-03-15 10:00:00"), 5000.0, "EUR", "completed")]
    # Mautic memberships (test_mautic.py) beside Salesforce's, remapped
    assert rows(project, MEMBERS) == same([
        ("10", "2", ts("2025-01-20 10:01:00"), None),
        ("11", "1", ts("2025-02-01 09:00:00"), ts("2025-02-10 09:00:00")),
        ("11", "1", ts("2025-03-01 09:00:00"), None),
        *remap(SF_MEMBERS, MAUTIC_IDS),
    ])
    # no campaign_costs.csv in the Mautic fixture: Salesforce's costs
    assert rows(project, COSTS) == same(SF_COSTS)
    assert rows(project, CALLS) == same(remap(SF_CALLS, MAUTIC_IDS))
    assert rows(project, CHANGES) == same([
        ("1", "contact_type", None, "prospect", ts("2025-01-10 09:00:00")),
        ("1", "lifecycle_stage", None, "SQL", ts("2025-02-20 09:00:00")),
        ("1", "contact_type", "prospect", "client", ts("2025-03-15 10:00:00")),
        ("2", "lifecycle_stage", None, "MQL", ts("2025-02-05 09:00:00")),
        ("4", "lifecycle_stage", None, "Client", ts("2025-04-02 09:00:00")),
        *remap(SF_CHANGES, MAUTIC_IDS, position=0),
    ])


def test_mautic_marts(with_mautic):
    project, _, _ = with_mautic
    # Leads: January Mautic 1 (form 01-10), 2 (contact_type prospect at 01-20), 4
    # (Prospects 01-26), 3 (now a lead by L_CY's creation status 01-15), L_ANA 01-06,
    # C_BEN 01-08 -> 6 (lead 6: no signal). February C_DEE. March C_GUS (call), C_LOU
    # (backfilled). April L_MAX. Costs: Salesforce's, 1500 / 3000 / 900.
    assert project.query(
        "select period_start, new_leads, cast(marketing_cost as double)"
        " from marts.mart_acquisition where period_grain = 'month'"
        " and period_start between date '2025-01-01' and date '2025-04-01' order by 1") == [
        (date(2025, 1, 1), 6, 1500.0), (date(2025, 2, 1), 1, 3000.0),
        (date(2025, 3, 1), 2, 900.0), (date(2025, 4, 1), 1, 0.0)]
    # Customers: March Mautic 1 (O1 and contact_type client, 03-15) and C_BEN (won O_BEN,
    # 03-14); April Mautic 4 (stage Client 04-02) and C_GUS (won O_GUS 04-15). No
    # promoter: C_GUS's won opportunities make no orders here (orders.csv is used).
    assert project.query(
        "select period_start, new_customers, new_promoters from marts.mart_conversion"
        " where period_grain = 'month' and (new_customers > 0 or new_promoters > 0)"
        " order by 1") == [(date(2025, 3, 1), 2, 0), (date(2025, 4, 1), 2, 0)]
    # revenue: O1 only
    assert project.query(
        "select period_start, cast(revenue as double), orders from marts.mart_revenue"
        " where period_grain = 'month' and revenue > 0 order by 1") == [
        (date(2025, 3, 1), 5000.0, 1)]


# ==== between two runs ========================================================================

def test_people_rematched_between_runs_equal_a_fresh_build(tmp_path):
    """The next day's exports move Salesforce rows from one contact id to another, on
    days long past: a new Mautic contact (lead 7, max@example.org) takes L_MAX's rows
    (its creation status of 04-02 and the contact itself), and C_GUS is deleted in
    Salesforce (his calls, deals, orders, membership and lead moment of March and April go).
    The second, incremental run must publish what a first build of the changed exports
    publishes."""
    folder = tmp_path / "export"
    shutil.copytree(MAUTIC_FIXTURE, folder)
    salesforce = tmp_path / "salesforce"
    shutil.copytree(FIXTURE, salesforce)
    variables = {**SF_VARS, **MAUTIC_VARS, "salesforce_data_path": str(salesforce)}
    (tmp_path / "daily").mkdir()
    project = DbtProject(tmp_path / "daily")
    first = project.run("build", "--exclude-resource-type", "unit_test",
                        raw_data_path=folder, extra_vars=variables)
    assert first.returncode == 0, first.output[-6000:]
    assert project.query(f"select count(*) from staging.stg_contacts where contact_id in"
                         f" ('{L_MAX}', '{C_GUS}')") == [(2,)]

    with open(folder / "leads.csv", "a", encoding="utf-8") as f:
        f.write("7,2025-04-20 11:00:00,2025-04-20 11:00:00,max@example.org,Max,\\N,Germany,0,"
                "\\N,import\n")
    contact = salesforce / "contact.csv"
    lines = contact.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [line.replace(",false,false,Gus,", ",true,false,Gus,", 1) for line in lines]
    assert changed != lines
    contact.write_text("".join(changed), encoding="utf-8")

    second = project.run("build", "--exclude-resource-type", "unit_test",
                         raw_data_path=folder, extra_vars=variables)
    assert second.returncode == 0, second.output[-6000:]
    (tmp_path / "fresh").mkdir()
    fresh = DbtProject(tmp_path / "fresh")
    assert fresh.run("build", "--exclude-resource-type", "unit_test", raw_data_path=folder,
                     extra_vars=variables).returncode == 0
    # L_MAX is now Mautic's 7 (created 04-02 09:00, the earlier of both); C_GUS is gone
    assert project.query(f"select contact_id, created_at from staging.stg_contacts where"
                         f" contact_id in ('{L_MAX}', '{C_GUS}', '7')") == [
        ("7", ts("2025-04-02 09:00:00"))]
    assert project.published_marts() == fresh.published_marts()


# ==== a score field (var salesforce_score_field) ===============================================

def test_score_field_history_gives_score_events(tmp_path):
    """lead_history rows of the field named by salesforce_score_field become score_events:
    delta = new - old (an empty old value is 0), at created_date, on the person's contact.
    Added to a copy of the fixture:
      L_ANA  '' -> '40' at 01-10 09:00 (delta 40), '40' -> '65' at 01-25 09:00 (25),
             '65' -> '65' at 01-26 09:00 (0: dropped, no warning)
      L_CY2  (merged into L_CY) '' -> '12.6' at 01-27 09:00: L_CY's, rounded to 13
      L_DEL  (deleted) '' -> '30': dropped, warned (1)
      L_MAX  '' -> 'n/a': not a number, dropped, warned (1)
    With mql_score_threshold 60, L_ANA (lead 01-06) is an MQL at 01-25 09:00: January's
    first MQL (test_alone_qualification_and_conversion: none before February)."""
    folder = tmp_path / "salesforce"
    shutil.copytree(FIXTURE, folder)
    L_CY2, L_DEL = sfid("00Q", "LdCy2"), sfid("00Q", "LdDel")
    rows = [("Hs101", L_ANA, "2025-01-10 09:00:00", "", "40"),
            ("Hs102", L_ANA, "2025-01-25 09:00:00", "40", "65"),
            ("Hs103", L_ANA, "2025-01-26 09:00:00", "65", "65"),
            ("Hs104", L_CY2, "2025-01-27 09:00:00", "", "12.6"),
            ("Hs105", L_DEL, "2025-01-05 09:00:00", "", "30"),
            ("Hs106", L_MAX, "2025-04-03 09:00:00", "", "n/a")]
    with open(folder / "lead_history.csv", "a", encoding="utf-8") as f:
        for tag, lead, created, old, new in rows:
            f.write(f"{sfid('017', tag)},2025-04-30 06:00:00,false,false,{lead},"
                    f"0057Q00000UsrOwQAC,{created},Number,Score__c,{old},{new}\n")
    project = DbtProject(tmp_path)
    result = project.run("build", "--exclude-resource-type", "unit_test",
                         raw_data_path=folder, extra_vars={
                             **SF_VARS, "salesforce_score_field": "Score__c",
                             "mql_score_threshold": 60})
    assert result.returncode == 0, result.output[-6000:]
    assert rows_of(project) == same([
        (L_ANA, 40, "score__c", ts("2025-01-10 09:00:00")),
        (L_ANA, 25, "score__c", ts("2025-01-25 09:00:00")),
        (L_CY, 13, "score__c", ts("2025-01-27 09:00:00")),
    ])
    assert has_warning(result.output, 1, "score", "deleted"), "\n".join(sf_warnings(result.output))
    assert has_warning(result.output, 1, "score", "not a number"), \
        "\n".join(sf_warnings(result.output))
    assert project.query(
        "select period_start, new_mqls from marts.mart_qualification where period_grain ="
        " 'month' and period_start = date '2025-01-01'") == [(date(2025, 1, 1), 1)]


def rows_of(project: DbtProject) -> list[tuple]:
    return rows(project, "select contact_id, delta, reason, occurred_at"
                         " from staging.stg_score_events")


# ==== bad Salesforce input =====================================================================

@pytest.mark.parametrize("where", ["empty", "missing"])
def test_no_salesforce_people_is_refused(tmp_path, where):
    """crm_system salesforce with a Salesforce folder that holds neither lead nor contact
    (an empty folder, or a path that does not exist) would publish marts without a single
    contact: the run is refused in one line, saying which folder and what to set."""
    folder = tmp_path / "salesforce"
    if where == "empty":
        folder.mkdir()
        (folder / "campaign.csv").write_text((FIXTURE / "campaign.csv").read_text())
    (tmp_path / "work").mkdir()
    project = DbtProject(tmp_path / "work")
    result = project.run("build", "--exclude-resource-type", "unit_test",
                         raw_data_path=FIXTURE, extra_vars={
                             **SF_VARS, "salesforce_data_path": str(folder)})
    assert result.returncode != 0
    assert ("Bad Salesforce input: var crm_system is 'salesforce' but folder "
            f"{folder} holds neither a lead nor a contact table") in result.output, \
        result.output[-3000:]
    assert "salesforce_data_path or salesforce_schema" in result.output
    # nothing was published
    assert "Nothing was published" in result.output or "nothing was published" in result.output


def test_an_unparsable_salesforce_time_is_refused_in_one_line(tmp_path):
    """A campaign start_date written 08/01/2025 would, read as null, move the Spring
    webinar's cost to its creation date and drop its launch: the run is refused before any
    model, naming the table, the column and the value."""
    folder = tmp_path / "salesforce"
    shutil.copytree(FIXTURE, folder)
    campaign = folder / "campaign.csv"
    text = campaign.read_text(encoding="utf-8")
    assert ",Completed,2025-01-08,2025-01-31," in text
    campaign.write_text(text.replace(",Completed,2025-01-08,2025-01-31,",
                                     ",Completed,08/01/2025,2025-01-31,"), encoding="utf-8")
    (tmp_path / "work").mkdir()
    project = DbtProject(tmp_path / "work")
    result = project.run("build", "--exclude-resource-type", "unit_test",
                         raw_data_path=folder, extra_vars=SF_VARS)
    assert result.returncode != 0
    assert ("Bad Salesforce input in campaign: column start_date has 1 row with a value that"
            " is not a valid date, e.g. '08/01/2025'") in result.output, result.output[-3000:]
    assert " START " not in result.output
