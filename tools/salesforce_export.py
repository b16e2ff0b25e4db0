"""Write raw data of the contract's shape as Salesforce (Fivetran) beside a marketing tool.

    python -m tools.salesforce_export SOURCE --out DIR [--projected DIR2]
                                      [--with contract|hubspot|mautic]

SOURCE is a folder of contract tables (the demo seeds, or tools.generate_data's output).
DIR receives the CRM side of SOURCE as the tables Fivetran's Salesforce connector syncs
(snake_case tables and columns; lead, contact, opportunity and task columns as named by
fivetran/dbt_salesforce_source macros/get_*_columns.sql, plus created_date, which the
connector syncs and the package does not model; the other objects' fields in snake_case):
lead, lead_history, contact, account, campaign, campaign_member, opportunity,
opportunity_contact_role, task. The marketing side goes beside it in the chosen shape
(--with): contract files (default), or tools.hubspot_export / tools.mautic_export run on a
contract folder holding the marketing tables only. Read /work/shared/salesforce.md (the
mapping the Salesforce CRM mode implements) beside this. Files written besides:

  _id_map.csv     kind, contract_id, export_id, system: every id translated (Salesforce
                  ids; with --with hubspot|mautic also the marketing tool's ids)
  _dbt_vars.yml   the vars to build DIR with (crm_system salesforce, source_system,
                  raw_data_path, salesforce_data_path with HubSpot, the lead status map,
                  campaign attributes, the marketing tool's own vars)

With --with hubspot the Salesforce tables go to DIR/salesforce (var salesforce_data_path):
Fivetran's HubSpot and Salesforce connectors both write a table `contact`. With contract and
mautic they sit in DIR itself (the default: same folder).

Who is in Salesforce, and how (the persons are the contract contacts with a CRM footprint:
a deal, a call, a campaign membership, an order or lifecycle_stage history; n = their rank
by contact_id, from 1):
- lifecycle history is a lead's Status history (lead_history, field Status), so persons with
  lifecycle_stage changes are leads; persons with deals are contacts (an opportunity names
  contacts). A person with both is a converted lead; with history only an unconverted lead,
  every 4th (n % 4 = 1) converted; with deals only a contact, every 2nd from a converted lead
  (without history: its Status at creation is Open - Not Contacted, a 'lead' stage); with
  neither a contact, every 5th an unconverted lead (the same 'lead' stage at creation).
- Salesforce-only persons: every 10th (n % 10 = 0) has no marketing contact: its marketing
  rows are lost (email events, forms, scores, segments, downloads, campaign actions,
  contact_type history), its web events become anonymous (contact_id null), and it is a
  contact whose id is its Salesforce id (the contact's, else the lead's), attributes from
  Salesforce (contact_type and source_campaign_id null).
- Unifying: Salesforce persons match marketing contacts by lower(trim(email)); every 7th
  Salesforce address is written upper-cased, every 13th with a leading space. Of the
  matched persons, every 6th has company, country and lead_source null on the marketing
  side (Salesforce fills them), every 8th was created 1 hour later in the marketing tool
  (created_at is the earlier Salesforce date).
- lead: created_date = the contract created_at; with history whose first change has no
  old_value, created at that change with its stage as Status (the marketing tool syncs the
  person when it first gets a stage), else old_value of the first change is its Status at
  creation. lead_history holds the other changes (old_value = previous Status), a
  'leadConverted' row at conversion and an 'Owner' row on every 5th lead (both ignored).
  status = the last Status; Status values: each stage written as the first status the map
  (var salesforce_lifecycle_stage_map, default of salesforce.md) sends to it (lead ->
  Open - Not Contacted, sql -> Closed - Converted, recycled -> Closed - Not Converted); a
  stage no status maps to (the demo's mql) becomes a custom status, the stage upper-cased
  ('MQL'), added to the map in _dbt_vars.yml. A converted lead keeps its last Status.
- conversion: at the person's first deal's created_at (its converted_opportunity_id), else 1
  day after the lead's creation; the contact is created then (converted_date its date), so
  created_at = the lead's creation. Every 30th contact without a lead has an unconverted
  lead of the same address created 2 days after it (one person, the contact wins; its
  Status at creation is a 'lead' stage of the person).
- contact / lead attributes: email, company (contact: account.name, one account per
  company; lead: company), country (mailing_country / country), lead_source (written with
  an upper-case first letter, read lower-cased); contract values.
- campaign: name, type (contract campaign_type, first letter upper-cased), status,
  start_date / end_date = the local date (var reporting_timezone) of launched_at / ended_at,
  actual_cost = the sum of the campaign's contract costs (null without costs); audience and
  channel go to var salesforce_campaign_attributes. One deleted campaign (noise).
  Projection: launched_at 00:00 and ended_at 23:59:59 local of those dates, in UTC; one cost
  row per campaign with actual_cost > 0 at start_date, cost_type 'other'.
- campaign_member: one row per contract membership, created_date = added_at; a removed
  member is is_deleted true with last_modified_date = removed_at; contact_id for a contact
  (a converted lead's member names lead and contact on odd n, the lead only on even n),
  lead_id for a lead; has_responded / first_responded_date on every other row (no touch).
- opportunity: one per deal; stage_name = the contract stage with underscores as spaces and
  words capitalised (closed_won -> Closed Won); close_date = the local date of closed_at, an
  open deal's a forecast (created + 30 days, not a close); currency_iso_code = the orders'
  currency (EUR). Contact roles (m = rank of the deal): m % 4 = 1 a primary role and a
  non-primary one of another contact created earlier; m % 4 = 2 two non-primary roles, the
  deal's contact's the earlier; m % 4 = 3 no role when it is its lead's
  converted_opportunity_id (else primary); m % 4 = 0 primary only. Noise: one deleted
  opportunity (with a role), one with no role nor lead (dropped and warned).
- task: one per call (task_subtype 'Call', every 3rd subtype 'Task' with type 'Call');
  who_id the person's contact (a converted lead's lead on odd n), else its lead;
  completed_date_time = started_at (created 10 minutes earlier), every 5th none
  (created_date = started_at); what_id = the campaign; call_duration_in_seconds. Noise:
  an Email task for every 10th call, one deleted call; one Salesforce contact without
  email (kept under its own id) with a call.
- orders: SOURCE's orders.csv (contract format, contact ids the built ones: the marketing
  tool's id, else the Salesforce id) when SOURCE has orders; else none, and the Salesforce
  mode makes one completed order 'opp-<id>' per won opportunity at close_date.
- noise leads the input must drop: a deleted lead and a _fivetran_deleted one (addresses of
  marketing-only contacts), and a merged-away copy (is_deleted, master_record_id) of every
  40th lead.
- all Salesforce rows: ids of 18 characters (key prefix 00Q, 003, 001, 701, 00v, 006, 00K,
  00T, 017, then a counter, then the case-safe checksum), timestamps UTC
  'YYYY-MM-DD HH:MM:SS', booleans true/false, _fivetran_synced, _fivetran_deleted false
  (History Mode off: no _fivetran_active).
- marketing side: campaign ids it holds (contacts.source_campaign_id, emails, web events,
  forms, downloads, campaign actions) are the Salesforce campaign ids; with Mautic, whose
  campaigns are its own integer ids, they are lost (null, campaign actions dropped). No
  contract campaigns, campaign_costs, campaign_members, deals or calls file is written
  (Salesforce supplies them; the contract files the marketing exporters write empty are
  removed: HubSpot's campaigns, campaign_costs, campaign_members, orders; Mautic's deals,
  orders, campaign_costs, calls; HubSpot's own deal and engagement tables stay, empty).
  With HubSpot an email's audience is its (Salesforce) campaign's, as the HubSpot input
  takes it from the campaign; with Mautic an email has no campaign, so no audience.

--projected DIR2 writes what the Salesforce CRM mode must read back, in the contract's shape
(ids: the marketing tool's contacts in contract ids, Salesforce-only persons, campaigns,
deals and calls in Salesforce ids; with HubSpot or Mautic the compare translates marketing
ids through _id_map.csv) with a _dbt_vars.yml: 'lead' in lead_lifecycle_stages (and
HubSpot's 'customer', Mautic's exclude_machine_opens false). tools/compare_salesforce.py
builds both and compares the marts.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

from tools import contract
from tools.hubspot_export import _contract_folder
from tools.mautic_export import _copy, _read_contract

PROJECT_DIR = Path(__file__).resolve().parent.parent
# var salesforce_lifecycle_stage_map's default (salesforce.md)
DEFAULT_STATUS_MAP = {"open - not contacted": "lead", "working - contacted": "lead",
                      "closed - converted": "sql", "closed - not converted": "recycled"}
# key prefixes of Salesforce ids, by object
KEY_PREFIXES = {"lead": "00Q", "contact": "003", "account": "001", "campaign": "701",
                "campaign_member": "00v", "opportunity": "006",
                "opportunity_contact_role": "00K", "task": "00T", "lead_history": "017"}
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
MARKETING_TABLES = ("contacts", "contact_changes", "segments", "segment_members", "emails",
                    "email_events", "web_events", "form_submissions", "asset_downloads",
                    "score_events", "campaign_actions")
# contract files of the marketing exporters that Salesforce supplies (removed from DIR)
TOOL_CRM_FILES = {"hubspot": ("campaigns", "campaign_costs", "campaign_members", "orders"),
                  "mautic": ("deals", "orders", "campaign_costs", "calls")}
SALESFORCE_TABLES = ("lead", "lead_history", "contact", "account", "campaign",
                     "campaign_member", "opportunity", "opportunity_contact_role", "task")
SHAPES = ("contract", "hubspot", "mautic")
TS = "strftime(cast({} as timestamp), '%Y-%m-%d %H:%M:%S')"


def salesforce_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce id: key prefix, pod, counter (base 62), checksum."""
    digits = ""
    for _ in range(7):
        number, rest = divmod(number, 62)
        digits = BASE62[rest] + digits
    short = prefix + "5J000" + digits
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << i for i, char in enumerate(short[5 * chunk:5 * chunk + 5])
                   if "A" <= char <= "Z")
        suffix += CHECKSUM[bits]
    return short + suffix


def status_map() -> dict:
    """var salesforce_lifecycle_stage_map's default (dbt_project.yml), or salesforce.md's."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    found = (project.get("vars") or {}).get("salesforce_lifecycle_stage_map")
    return {str(k).lower(): v for k, v in (found or DEFAULT_STATUS_MAP).items()}


def reporting_timezone() -> str:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return str((project.get("vars") or {}).get("reporting_timezone") or "UTC")


def statuses(mapping: dict, stages: list[str]) -> tuple[dict, dict]:
    """(stage -> Status written, custom map entries) for the stages of the data.

    A stage is written as the first status of the map sending to it, in title case as
    Salesforce shows it; a stage none maps to gets the custom status <STAGE>.
    """
    written: dict[str, str] = {}
    for status, stage in mapping.items():
        if stage is not None:
            written.setdefault(str(stage).lower(), " ".join(
                word.capitalize() for word in str(status).split(" ")))
    custom = {stage: stage for stage in sorted({s.lower() for s in stages})
              if stage not in written}
    written.update({stage: stage.upper() for stage in custom})
    return written, custom


def local_date(sql: str, tz: str) -> str:
    """SQL: the local date (time zone tz) of a UTC timestamp."""
    return f"cast(timezone('{tz}', cast(cast({sql} as timestamp) as timestamptz)) as date)"


def utc_of_local(sql: str, tz: str, clock: str = "00:00:00") -> str:
    """SQL: the UTC timestamp of a local date at `clock` (time zone tz), as text."""
    local = f"cast(cast({sql} as date) as varchar) || ' {clock}'"
    return TS.format(f"timezone('UTC', timezone('{tz}', cast({local} as timestamp)))")


def _people(con: duckdb.DuckDBPyConnection) -> None:
    """x_people: the persons Salesforce holds, their role, ids and dates."""
    con.execute("""
        create table x_life as
        select contact_id, lower(new_value) as stage, lower(old_value) as old_stage,
               cast(changed_at as timestamp) as changed
        from c_contact_changes
        where lower(field_name) = 'lifecycle_stage' and new_value is not null""")
    con.execute("""
        create table x_people as
        with footprint as (
            select contact_id from c_deals union select contact_id from c_calls
            union select contact_id from c_campaign_members
            union select contact_id from c_orders union select contact_id from x_life),
        flagged as (
            select c.*, row_number() over (order by c.contact_id) as n,
                   c.contact_id in (select contact_id from x_life) as has_life,
                   c.contact_id in (select contact_id from c_deals) as has_deal
            from c_contacts c where c.contact_id in (select contact_id from footprint)
            qualify row_number() over (partition by c.contact_id order by c.created_at) = 1)
        select *, n % 10 = 0 as sf_only,
               case when has_life and has_deal then 'converted'
                    when has_life then case when n % 4 = 1 then 'converted' else 'lead' end
                    when has_deal then case when n % 2 = 0 then 'converted' else 'contact' end
                    when n % 5 = 0 then 'lead' else 'contact' end as role
        from flagged""")
    # a lead's creation and Status at creation; conversion at the first deal
    con.execute("""
        create table x_leads as
        with first_change as (
            select contact_id, arg_min_null(stage, changed) as stage,
                   arg_min_null(old_stage, changed) as old_stage, min(changed) as changed
            from x_life group by contact_id)
        select p.contact_id, p.n, p.role,
               case when f.stage is not null and f.old_stage is null then f.changed
                    else cast(p.created_at as timestamp) end as created,
               case when f.stage is null then 'lead'
                    when f.old_stage is null then f.stage else f.old_stage end
                   as initial_stage,
               f.old_stage is null and f.stage is not null as first_change_is_creation
        from x_people p left join first_change f using (contact_id)
        where p.role in ('lead', 'converted')""")
    con.execute("""
        create table x_conversions as
        select l.contact_id,
               greatest(coalesce(min(cast(d.created_at as timestamp)),
                                 l.created + interval 1 day), l.created) as converted,
               arg_min(d.deal_id, (cast(d.created_at as timestamp), d.deal_id))
                   as first_deal_id
        from x_leads l left join c_deals d using (contact_id)
        where l.role = 'converted' group by l.contact_id, l.created""")


def _id_maps(con: duckdb.DuckDBPyConnection) -> None:
    """map_<kind>(contract_id, sf_id), counters in the order of the contract keys."""
    sources = {
        "lead": """select contact_id from x_leads
                   union all select 'dup:' || contact_id from x_people
                   where role = 'contact' and n % 30 = 0
                   union all select 'merged:' || contact_id from x_leads where n % 40 = 0
                   union all select * from (values ('noise:deleted'), ('noise:fivetran'))""",
        "contact": """select contact_id from x_people where role in ('contact', 'converted')
                      union all select 'noise:noemail'""",
        "account": """select distinct company from x_people
                      where role in ('contact', 'converted') and company is not null""",
        "campaign": "select campaign_id from c_campaigns union all select 'noise:deleted'",
        "campaign_member": "select campaign_id || '|' || contact_id from c_campaign_members",
        "opportunity": ("select deal_id from c_deals union all select * from"
                        " (values ('noise:deleted'), ('noise:orphan'))"),
        "task": """select call_id from c_calls
                   union all select 'email:' || call_id from c_calls
                   where call_id in (select call_id from c_calls
                                     qualify row_number() over (order by call_id) % 10 = 0)
                   union all select * from (values ('noise:deleted'), ('noise:noemail'))""",
    }
    for kind, sql in sources.items():
        con.execute(f"""
            create table map_{kind} as
            select id as contract_id,
                   sf_id('{KEY_PREFIXES[kind]}', row_number() over (order by id)) as sf_id
            from (select distinct * from ({sql}) as ids(id) where id is not null)""")


def _persons(con: duckdb.DuckDBPyConnection) -> None:
    """x_sf: one row per person, its Salesforce ids, the address written and its id as built."""
    con.execute("""
        create table x_sf as
        select p.*, l.sf_id as lead_sf_id, k.sf_id as contact_sf_id,
               coalesce(k.sf_id, l.sf_id) as person_sf_id,
               a.sf_id as account_sf_id,
               case when p.n % 13 = 0 then ' ' || p.email
                    when p.n % 7 = 0 then upper(p.email) else p.email end as written_email,
               case when p.sf_only then coalesce(k.sf_id, l.sf_id) else p.contact_id end
                   as built_id,
               upper(substr(p.lead_source, 1, 1)) || substr(p.lead_source, 2)
                   as written_source,
               xl.created as lead_created, v.converted, v.first_deal_id,
               coalesce(v.converted, cast(p.created_at as timestamp)) as contact_created
        from x_people p
        left join map_lead l on l.contract_id = p.contact_id
        left join map_contact k on k.contract_id = p.contact_id
        left join map_account a on a.contract_id = p.company
             and p.role in ('contact', 'converted')
        left join x_leads xl on xl.contact_id = p.contact_id
        left join x_conversions v on v.contact_id = p.contact_id""")


def _salesforce_tables(con: duckdb.DuckDBPyConnection, written: dict, tz: str,
                       currency: str) -> dict[str, str]:
    """{Fivetran Salesforce table: the query of its rows}."""
    synced = "(select synced from x_sync)"
    cases = " ".join(f"when '{stage}' then '{value}'" for stage, value in written.items())
    status = f"(case {{}} {cases} else {{}} end)"
    tables: dict[str, str] = {}
    lead_rows = f"""
        select s.lead_sf_id as id, false as is_deleted, null as master_record_id,
               s.contact_id as last_name, 'Contact ' || s.contact_id as name,
               s.company, s.country, s.written_email as email,
               s.written_source as lead_source,
               {status.format('(select arg_max(stage, changed) from x_life h'
                              ' where h.contact_id = s.contact_id)',
                              status.format('l.initial_stage', "'?'"))} as status,
               s.role = 'converted' as is_converted,
               cast(s.converted as date) as converted_date,
               s.account_sf_id as converted_account_id,
               case when s.role = 'converted' then s.contact_sf_id end as converted_contact_id,
               case when s.role = 'converted' then (select sf_id from map_opportunity
                    where contract_id = s.first_deal_id) end as converted_opportunity_id,
               {TS.format('s.lead_created')} as created_date,
               {TS.format('coalesce(s.converted, s.lead_created)')} as last_modified_date,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from x_sf s join x_leads l using (contact_id)"""
    tables["lead"] = f"""
        {lead_rows}
        union all
        select m.sf_id, false, null, s.contact_id, 'Contact ' || s.contact_id, s.company,
               s.country, s.written_email, s.written_source,
               '{written['lead']}', false, null, null, null, null,
               {TS.format('s.contact_created + interval 2 day')},
               {TS.format('s.contact_created + interval 2 day')}, false, {synced}
        from x_sf s join map_lead m on m.contract_id = 'dup:' || s.contact_id
        union all
        select m.sf_id, true, s.lead_sf_id, s.contact_id, 'Contact ' || s.contact_id,
               s.company, s.country, s.written_email, s.written_source, '{written['lead']}',
               false, null, null, null, null, {TS.format('s.lead_created')},
               {TS.format('s.lead_created + interval 3 day')}, false, {synced}
        from x_sf s join map_lead m on m.contract_id = 'merged:' || s.contact_id
        union all
        select m.sf_id, m.contract_id = 'noise:deleted', null, 'Bruit', 'Bruit', null, null,
               k.email, 'Web', '{written['lead']}', false, null, null, null, null,
               {TS.format('k.created_at')}, {TS.format('k.created_at')},
               m.contract_id = 'noise:fivetran', {synced}
        from map_lead m
        join (select email, created_at, row_number() over (order by contact_id) as r
              from c_contacts where contact_id not in (select contact_id from x_people)
              qualify row_number() over (order by contact_id) <= 2) k
          on k.r = case m.contract_id when 'noise:deleted' then 1 else 2 end
        where m.contract_id like 'noise:%'
        order by id"""
    tables["lead_history"] = f"""
        select sf_id('{KEY_PREFIXES['lead_history']}',
                     row_number() over (order by created_date, lead_id, field)) as id,
               false as is_deleted, lead_id, field, data_type, old_value, new_value,
               created_date, false as _fivetran_deleted, {synced} as _fivetran_synced
        from (
            select s.lead_sf_id as lead_id, 'Status' as field, 'Text' as data_type,
                   {status.format('coalesce(lag(h.stage) over w, l.initial_stage)', "'?'")}
                       as old_value,
                   {status.format('h.stage', "'?'")} as new_value,
                   {TS.format('h.changed')} as created_date
            from x_life h join x_leads l using (contact_id) join x_sf s using (contact_id)
            window w as (partition by h.contact_id order by h.changed)
            qualify not (l.first_change_is_creation and row_number() over w = 1)
            union all
            select lead_sf_id, 'leadConverted', 'Text', null, null, {TS.format('converted')}
            from x_sf where role = 'converted'
            union all
            select lead_sf_id, 'Owner', 'EntityId', '005000000000001AAA',
                   '005000000000002AAA', {TS.format('lead_created + interval 1 hour')}
            from x_sf where lead_sf_id is not null and n % 5 = 0
        ) order by created_date, lead_id, field"""
    tables["contact"] = f"""
        select s.contact_sf_id as id, false as is_deleted, null as master_record_id,
               s.account_sf_id as account_id, s.contact_id as last_name,
               'Contact ' || s.contact_id as name, s.written_email as email,
               s.country as mailing_country, s.written_source as lead_source,
               {TS.format('s.contact_created')} as created_date,
               {TS.format('s.contact_created')} as last_modified_date,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from x_sf s where s.contact_sf_id is not null
        union all
        select sf_id, false, null, null, 'Sans adresse', 'Sans adresse', null, 'FR', 'Phone',
               {TS.format('x_noemail.created')}, {TS.format('x_noemail.created')}, false,
               {synced}
        from map_contact, x_noemail where contract_id = 'noise:noemail'
        order by id"""
    tables["account"] = f"""
        select sf_id as id, false as is_deleted, null as master_record_id,
               contract_id as name, 'Customer' as type,
               {TS.format('(select min(contact_created) from x_sf'
                          ' where account_sf_id = sf_id)')} as created_date,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from map_account order by id"""
    tables["campaign"] = f"""
        select m.sf_id as id, false as is_deleted, c.campaign_name as name,
               null as parent_id,
               upper(substr(c.campaign_type, 1, 1)) || substr(c.campaign_type, 2) as type,
               case when c.ended_at is null then 'In Progress' else 'Completed' end as status,
               {local_date('c.launched_at', tz)} as start_date,
               {local_date('c.ended_at', tz)} as end_date,
               (select sum(cast(amount as decimal(18, 2))) from c_campaign_costs k
                where k.campaign_id = c.campaign_id) as actual_cost,
               true as is_active, {TS.format('c.launched_at')} as created_date,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from c_campaigns c join map_campaign m on m.contract_id = c.campaign_id
        union all
        select sf_id, true, 'Campagne supprimee', null, 'Other', 'Aborted',
               date '2025-03-01', null, 5000.00, false, '2025-02-20 09:00:00', false,
               {synced}
        from map_campaign where contract_id = 'noise:deleted'
        order by id"""
    tables["campaign_member"] = f"""
        select mm.sf_id as id, r.removed_at is not null as is_deleted,
               (select sf_id from map_campaign where contract_id = r.campaign_id)
                   as campaign_id,
               s.lead_sf_id as lead_id,
               case when s.role = 'contact' or (s.role = 'converted' and s.n % 2 = 1)
                    then s.contact_sf_id end as contact_id,
               case when row_number() over w % 2 = 0 then 'Responded' else 'Sent' end
                   as status,
               row_number() over w % 2 = 0 as has_responded,
               case when row_number() over w % 2 = 0
                    then cast(cast(r.added_at as timestamp) + interval 2 day as date) end
                   as first_responded_date,
               {TS.format('r.added_at')} as created_date,
               {TS.format('coalesce(r.removed_at, r.added_at)')} as last_modified_date,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from c_campaign_members r join x_sf s using (contact_id)
        join map_campaign_member mm on mm.contract_id = r.campaign_id || '|' || r.contact_id
        window w as (order by mm.sf_id)
        order by id"""
    names = [row[0] for row in con.execute(
        "select distinct stage from c_deals where stage is not null").fetchall()]
    stage_name = "case d.stage " + " ".join(
        f"when '{name}' then '{' '.join(w.capitalize() for w in name.split('_'))}'"
        for name in names) + " end"
    tables["opportunity"] = f"""
        select o.sf_id as id, false as is_deleted, s.account_sf_id as account_id,
               'Affaire ' || d.deal_id as name, {stage_name} as stage_name,
               cast(d.amount as decimal(18, 2)) as amount,
               case when x.won then 100 when x.closed then 0 else 50 end as probability,
               case when x.closed then {local_date('d.closed_at', tz)}
                    else {local_date("cast(d.created_at as timestamp) + interval 30 day", tz)}
               end as close_date,
               'New Business' as type, s.written_source as lead_source,
               x.closed as is_closed, x.won as is_won, null as campaign_id,
               '{currency}' as currency_iso_code,
               case when x.won then 'Closed' when x.closed then 'Omitted' else 'Pipeline' end
                   as forecast_category,
               {TS.format('d.created_at')} as created_date,
               {TS.format('coalesce(d.closed_at, d.created_at)')} as last_modified_date,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from x_deals x join c_deals d using (deal_id) join x_sf s on s.contact_id = x.contact_id
        join map_opportunity o on o.contract_id = d.deal_id
        union all
        select sf_id, contract_id = 'noise:deleted', null, 'Affaire ' || contract_id,
               'Closed Won', 99000.00, 100, date '2025-06-30', 'New Business', null, true,
               true, null, '{currency}', 'Closed', '2025-06-01 10:00:00',
               '2025-06-30 10:00:00', false, {synced}
        from map_opportunity where contract_id like 'noise:%'
        order by id"""
    role_row = ("select x.opportunity_sf_id as opportunity_id, {contact} as contact_id, "
                "{primary} as is_primary, {role} as role, {created} as created")
    roles = " union all ".join(
        role_row.format(contact=contact, primary=primary, role=role, created=created)
        + f" from x_deals x where {where}"
        for contact, primary, role, created, where in (
            ("x.contact_sf_id", "true", "'Decision Maker'", "x.created",
             "x.m % 4 in (0, 1) or (x.m % 4 = 3 and not x.is_converted_opportunity)"),
            ("x.other_sf_id", "false", "'Influencer'", "x.created - interval 1 hour",
             "x.m % 4 = 1 and x.other_sf_id is not null"),
            ("x.contact_sf_id", "false", "'Economic Buyer'", "x.created", "x.m % 4 = 2"),
            ("coalesce(x.other_sf_id, x.contact_sf_id)", "false", "'Evaluator'",
             "x.created + interval 1 day", "x.m % 4 = 2")))
    tables["opportunity_contact_role"] = f"""
        select sf_id('{KEY_PREFIXES['opportunity_contact_role']}',
                     row_number() over (order by opportunity_id, created, contact_id)) as id,
               false as is_deleted, opportunity_id, contact_id, role, is_primary,
               {TS.format('created')} as created_date,
               {TS.format('created')} as last_modified_date,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from ({roles}
              union all
              select sf_id, (select min(contact_sf_id) from x_sf), true, 'Decision Maker',
                     timestamp '2025-06-01 10:00:00'
              from map_opportunity where contract_id = 'noise:deleted')
        order by id"""
    tables["task"] = f"""
        select t.sf_id as id, false as is_deleted,
               case when s.role = 'converted' and s.n % 2 = 1 then s.lead_sf_id
                    else s.person_sf_id end as who_id,
               (select sf_id from map_campaign where contract_id = c.campaign_id) as what_id,
               'Appel' as subject,
               case when x.k % 3 = 0 then 'Task' else 'Call' end as task_subtype,
               'Call' as type, 'Completed' as status, true as is_closed,
               {local_date('c.started_at', tz)} as activity_date,
               case when x.k % 5 <> 0 then {TS.format('c.started_at')} end
                   as completed_date_time,
               {TS.format("cast(c.started_at as timestamp) - case when x.k % 5 <> 0"
                          " then interval 10 minute else interval 0 minute end")}
                   as created_date,
               cast(round(cast(c.duration_seconds as double)) as bigint)
                   as call_duration_in_seconds,
               'Inbound' as call_type, false as _fivetran_deleted, {synced} as _fivetran_synced
        from x_calls x join c_calls c using (call_id) join x_sf s using (contact_id)
        join map_task t on t.contract_id = c.call_id
        union all
        select t.sf_id, false, s.person_sf_id, null, 'Relance par email', 'Email', 'Email',
               'Completed', true, {local_date('c.started_at', tz)},
               {TS.format('c.started_at')}, {TS.format('c.started_at')}, null, null, false,
               {synced}
        from c_calls c join x_sf s using (contact_id)
        join map_task t on t.contract_id = 'email:' || c.call_id
        union all
        select t.sf_id, t.contract_id = 'noise:deleted',
               case when t.contract_id = 'noise:deleted' then (select min(person_sf_id)
                    from x_sf) else (select sf_id from map_contact
                                     where contract_id = 'noise:noemail') end,
               null, 'Appel', 'Call', 'Call', 'Completed', true,
               {local_date('x_noemail.created', tz)}, {TS.format('x_noemail.created')},
               {TS.format('x_noemail.created')}, 120, 'Inbound', false, {synced}
        from map_task t, x_noemail where t.contract_id like 'noise:%'
        order by id"""
    return tables


def _prepare_crm(con: duckdb.DuckDBPyConnection) -> None:
    true = "coalesce(lower(trim({})) in ('true', 't', '1', 'yes', 'y'), false)"
    con.execute(f"""
        create table x_deals as
        select d.deal_id, d.contact_id, o.sf_id as opportunity_sf_id,
               cast(d.created_at as timestamp) as created,
               {true.format('d.is_closed')} as closed,
               {true.format('d.is_closed')} and {true.format('d.is_won')} as won,
               row_number() over (order by d.deal_id) as m,
               s.contact_sf_id, s.first_deal_id is not distinct from d.deal_id
                   and s.role = 'converted' as is_converted_opportunity,
               (select arg_min(k.contact_sf_id, k.contact_created) from x_sf k
                where k.contact_sf_id is not null and k.contact_id <> d.contact_id
                  and k.contact_created < cast(d.created_at as timestamp)) as other_sf_id
        from c_deals d join map_opportunity o on o.contract_id = d.deal_id
        join x_sf s using (contact_id)""")
    con.execute("""create table x_calls as
                   select call_id, row_number() over (order by call_id) as k from c_calls""")
    con.execute("""
        create table x_sync as
        select date_trunc('hour', max(t)) + interval 2 hour as synced
        from (select cast(created_at as timestamp) from c_contacts
              union all select cast(changed_at as timestamp) from c_contact_changes
              union all select cast(closed_at as timestamp) from c_deals
              union all select cast(started_at as timestamp) from c_calls
              union all select cast(added_at as timestamp) from c_campaign_members
              union all select cast(removed_at as timestamp) from c_campaign_members)
             as all_times(t)""")
    con.execute("""create table x_noemail as
                   select min(cast(started_at as timestamp)) as created from c_calls""")


def _built_ids(con: duckdb.DuckDBPyConnection, contacts: Path, tool_ids: list,
               kind: str) -> None:
    """x_built: x_sf with the id each person gets in the build.

    A Salesforce person matched by lower(trim(email)) to marketing contacts (contacts.csv of
    the marketing side) takes the earliest created of them (ties: the lowest id): built_id
    that contact's contract id, tool_id its id in the marketing tool; else its Salesforce id.
    """
    con.execute("create table x_tool_ids (kind varchar, contract_id varchar, id varchar)")
    if tool_ids:
        con.executemany("insert into x_tool_ids values (?, ?, ?)", tool_ids)
    con.execute(f"create table x_tool_kind as select '{kind}' as kind")
    # created: the earliest of the person's Salesforce records, its lead (if any) and its
    # contact (if any: a lead-only person has no contact record to date it)
    con.execute(f"""
        create table x_built as
        with marketing as (
            select contact_id, lower(trim(email)) as email_key,
                   cast(created_at as timestamp) as created
            from read_csv('{contacts}', header = true, all_varchar = true)
            where email is not null),
        matched as (
            select s.* exclude (built_id), lower(trim(s.email)) as email_key,
                   least(s.lead_created, case when s.contact_sf_id is not null
                                              then s.contact_created end) as created,
                   (select arg_min(m.contact_id, (m.created, m.contact_id)) from marketing m
                    where m.email_key = lower(trim(s.email))) as owner_id
            from x_sf s)
        select *, coalesce(owner_id, person_sf_id) as built_id,
               coalesce((select t.id from x_tool_ids t where t.kind = '{kind}'
                         and t.contract_id = matched.owner_id), owner_id, person_sf_id)
                   as tool_id
        from matched""")


def _marketing_folder(con: duckdb.DuckDBPyConnection, folder: Path, shape: str) -> None:
    """SOURCE's marketing tables, in the contract's shape, as the marketing tool holds them."""
    folder.mkdir(parents=True, exist_ok=True)
    campaign = ("null" if shape == "mautic" else
                "(select sf_id from map_campaign where contract_id = {})")
    gone = "contact_id in (select contact_id from x_sf where sf_only)"
    queries = {
        "contacts": f"""
            select c.contact_id, c.email,
                   {TS.format("cast(c.created_at as timestamp) + case when s.n % 8 = 4"
                              " then interval 1 hour else interval 0 hour end")}
                       as created_at, c.contact_type,
                   case when s.n % 6 <> 3 or s.n is null then c.lead_source end as lead_source,
                   {campaign.format('c.source_campaign_id')} as source_campaign_id,
                   case when s.n % 6 <> 3 or s.n is null then c.company end as company,
                   case when s.n % 6 <> 3 or s.n is null then c.country end as country
            from c_contacts c left join x_sf s using (contact_id)
            where not coalesce(s.sf_only, false)""",
        "contact_changes": f"""select * from c_contact_changes
                               where lower(field_name) <> 'lifecycle_stage' and not {gone}""",
        "emails": f"select * replace ({campaign.format('campaign_id')} as campaign_id)"
                  " from c_emails",
        "web_events": f"""select * replace (
                              case when {gone} then null else contact_id end as contact_id,
                              {campaign.format('campaign_id')} as campaign_id)
                          from c_web_events""",
        "form_submissions": f"""select * replace ({campaign.format('campaign_id')}
                                                  as campaign_id)
                                from c_form_submissions
                                where contact_id is null or not {gone}""",
        "asset_downloads": f"""select * replace ({campaign.format('campaign_id')}
                                                 as campaign_id)
                               from c_asset_downloads where not {gone}""",
        "campaign_actions": ("select * from c_campaign_actions where false"
                             if shape == "mautic" else
                             f"""select * replace ({campaign.format('campaign_id')}
                                                   as campaign_id)
                                 from c_campaign_actions where not {gone}"""),
    }
    for table in MARKETING_TABLES:
        query = queries.get(table, f"select * from c_{table}"
                            + (f" where not {gone}" if "contact_id" in contract.columns(table)
                               else ""))
        columns = ", ".join(contract.columns(table))
        _copy(con, f"select {columns} from ({query})", folder / f"{table}.csv", "")


def _projection(con: duckdb.DuckDBPyConnection, marketing: Path, folder: Path, shape: str,
                tz: str, has_orders: bool, status_stages: dict) -> None:
    """What the Salesforce CRM mode reads back, in the contract's shape."""
    folder.mkdir(parents=True, exist_ok=True)
    con.execute("create schema if not exists pm; use pm")
    _read_contract(con, marketing)
    con.execute("use main")
    stage_of = " ".join(f"when '{status}' then '{stage}'"
                        for status, stage in status_stages.items() if stage is not None)
    crm = {
        "contacts": f"""
            select m.contact_id, m.email,
                   {TS.format('least(cast(m.created_at as timestamp), s.created)')}
                       as created_at, m.contact_type,
                   coalesce(m.lead_source, lower(s.written_source)) as lead_source,
                   m.source_campaign_id, coalesce(m.company, s.company) as company,
                   coalesce(m.country, s.country) as country
            from pm.c_contacts m
            left join (select owner_id, min(created) as created,
                              first(written_source order by contact_sf_id is null,
                                        contact_id) as written_source,
                              first(company order by contact_sf_id is null, contact_id)
                                  as company,
                              first(country order by contact_sf_id is null, contact_id)
                                  as country
                       from x_built group by owner_id) s on s.owner_id = m.contact_id
            union all
            select s.built_id, s.written_email, {TS.format('s.created')}, null,
                   lower(s.written_source), null, s.company, s.country
            from x_built s where s.owner_id is null
            union all
            select sf_id, null, {TS.format('x_noemail.created')}, null, 'phone', null, null,
                   'FR'
            from map_contact, x_noemail where contract_id = 'noise:noemail'""",
        "contact_changes": f"""
            select contact_id, field_name, old_value, new_value, changed_at
            from pm.c_contact_changes
            union all
            select contact_id, 'lifecycle_stage',
                   lag(new_value) over (partition by contact_id order by changed_at),
                   new_value, changed_at
            from (select s.built_id as contact_id, l.initial_stage as new_value,
                         {TS.format('l.created')} as changed_at
                  from x_leads l join x_built s using (contact_id)
                  union all
                  select s.built_id, case lower(h.new_value) {stage_of} end,
                         h.created_date
                  from lead_history h join x_built s on s.lead_sf_id = h.lead_id
                  where h.field = 'Status'
                  union all
                  select s.built_id, 'lead', {TS.format('s.contact_created + interval 2 day')}
                  from x_built s join map_lead d on d.contract_id = 'dup:' || s.contact_id)""",
        "campaigns": f"""
            select m.sf_id as campaign_id, c.campaign_name, c.campaign_type, c.audience,
                   c.channel, {utc_of_local('k.start_date', tz)} as launched_at,
                   {utc_of_local('k.end_date', tz, '23:59:59')} as ended_at
            from c_campaigns c join map_campaign m on m.contract_id = c.campaign_id
            join campaign k on k.id = m.sf_id""",
        "campaign_costs": """select id as campaign_id, start_date as cost_date,
                                    actual_cost as amount, 'other' as cost_type
                             from campaign where not is_deleted and actual_cost > 0""",
        "campaign_members": """
            select (select sf_id from map_campaign where contract_id = r.campaign_id)
                       as campaign_id, s.built_id as contact_id, r.added_at, r.removed_at
            from c_campaign_members r join x_built s using (contact_id)""",
        "calls": f"""
            select t.id as call_id,
                   coalesce(s.built_id, (select sf_id from map_contact
                                         where contract_id = 'noise:noemail')) as contact_id,
                   t.what_id as campaign_id,
                   coalesce(t.completed_date_time, t.created_date) as started_at,
                   t.call_duration_in_seconds as duration_seconds
            from task t left join x_built s on t.who_id in (s.lead_sf_id, s.contact_sf_id)
            where not t.is_deleted and t.type = 'Call'""",
        "deals": f"""
            select o.id as deal_id, s.built_id as contact_id, o.created_date as created_at,
                   o.stage_name as stage, o.amount, o.is_closed, o.is_won,
                   case when o.is_closed then {utc_of_local('o.close_date', tz)} end
                       as closed_at, o.campaign_id
            from opportunity o join x_deals x on x.opportunity_sf_id = o.id
            join x_built s using (contact_id)""",
        "orders": ("select * replace (coalesce((select built_id from x_built s where"
                   " s.contact_id = o.contact_id), o.contact_id) as contact_id)"
                   " from c_orders o" if has_orders else f"""
            select 'opp-' || o.id as order_id, s.built_id as contact_id,
                   {utc_of_local('o.close_date', tz)} as ordered_at, o.amount,
                   o.currency_iso_code as currency, 'completed' as status
            from opportunity o join x_deals x on x.opportunity_sf_id = o.id
            join x_built s using (contact_id) where o.is_won and o.amount is not null"""),
    }
    if shape == "hubspot":
        crm["emails"] = """select e.* replace ((select c.audience from c_campaigns c
                                                join map_campaign m
                                                  on m.contract_id = c.campaign_id
                                                where m.sf_id = e.campaign_id) as audience)
                           from pm.c_emails e"""
    elif shape == "mautic":
        # Mautic's campaigns are lost (their ids are not Salesforce's): an email has no
        # campaign, so no audience
        crm["emails"] = "select e.* replace (null as audience) from pm.c_emails e"
    for table in contract.tables():
        query = crm.get(table, f"select * from pm.c_{table}")
        columns = ", ".join(contract.columns(table))
        _copy(con, f"select {columns} from ({query})", folder / f"{table}.csv", "")


def write_vars(folder: Path, values: dict, comment: str) -> None:
    """folder/_dbt_vars.yml: a comment line, then the vars."""
    text = yaml.safe_dump(values, sort_keys=False, allow_unicode=True)
    (folder / "_dbt_vars.yml").write_text(f"# {comment}\n{text}", encoding="utf-8")


def convert(source: Path, out: Path, projected: Path | None = None,
            marketing: str = "contract") -> dict[str, int]:
    """Write SOURCE as Salesforce + the marketing tool to OUT; return rows per table."""
    if marketing not in SHAPES:
        raise ValueError(f"--with: one of {', '.join(SHAPES)}")
    out.mkdir(parents=True, exist_ok=True)
    sf_dir = out / "salesforce" if marketing == "hubspot" else out
    sf_dir.mkdir(parents=True, exist_ok=True)
    tz = reporting_timezone()
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    con.create_function("sf_id", salesforce_id, ["VARCHAR", "BIGINT"], "VARCHAR")
    _read_contract(con, source)
    _people(con)
    mapping = status_map()
    stages = [row[0] for row in con.execute(
        "select distinct stage from x_life union select initial_stage from x_leads"
        " union select 'lead'").fetchall()]
    written, custom = statuses(mapping, stages)
    _id_maps(con)
    _persons(con)
    _prepare_crm(con)
    currency = con.execute("select coalesce(mode(currency), 'EUR') from c_orders").fetchone()[0]
    has_orders = con.execute("select count(*) from c_orders").fetchone()[0] > 0

    counts = {}
    for name, query in _salesforce_tables(con, written, tz, currency).items():
        con.execute(f"create table {name} as {query}")
        _copy(con, f"select * from {name}", sf_dir / f"{name}.csv", "")
        label = name if sf_dir == out else f"salesforce/{name}"
        counts[label] = con.execute(f"select count(*) from {name}").fetchone()[0]

    with tempfile.TemporaryDirectory() as scratch:
        folder = out if marketing == "contract" else Path(scratch) / "marketing"
        _marketing_folder(con, folder, marketing)
        marketing_projection = Path(scratch) / "marketing_projected"
        tool_vars, tool_ids = {}, []
        if marketing != "contract":
            tool = importlib.import_module(f"tools.{marketing}_export")
            counts.update(tool.convert(folder, out, marketing_projection))
            for table in TOOL_CRM_FILES[marketing]:
                (out / f"{table}.csv").unlink(missing_ok=True)
            tool_vars = yaml.safe_load((out / "_dbt_vars.yml").read_text(encoding="utf-8"))
            with open(out / "_id_map.csv", newline="", encoding="utf-8") as handle:
                tool_ids = [(row["kind"], row["contract_id"], row[f"{marketing}_id"])
                            for row in csv.DictReader(handle)]
        else:
            marketing_projection = folder
        _built_ids(con, folder / "contacts.csv", tool_ids,
                   {"hubspot": "contact", "mautic": "lead"}.get(marketing, ""))
        if has_orders:
            _copy(con, """select * replace (coalesce(
                              (select tool_id from x_built s where s.contact_id = o.contact_id),
                              (select id from x_tool_ids t where t.contract_id = o.contact_id
                               and t.kind = (select kind from x_tool_kind)), o.contact_id)
                              as contact_id)
                          from c_orders o""", out / "orders.csv", "")
        if projected is not None:
            _projection(con, marketing_projection, projected, marketing, tz, has_orders,
                        {**mapping, **custom})

    sf_kinds = ("lead", "contact", "account", "campaign", "opportunity", "task",
                "campaign_member")
    rows = [(k, c, i, "salesforce") for k in sf_kinds for c, i in con.execute(
        f"select contract_id, sf_id from map_{k} order by sf_id").fetchall()]
    rows += [(k, c, i, marketing) for k, c, i in tool_ids]
    with open(out / "_id_map.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "contract_id", "export_id", "system"])
        writer.writerows(rows)
    attributes = {sf: {"audience": audience, "channel": channel}
                  for sf, audience, channel in con.execute(
                      "select m.sf_id, c.audience, c.channel from c_campaigns c join"
                      " map_campaign m on m.contract_id = c.campaign_id order by 1").fetchall()}
    dbt_vars = {**tool_vars, "source_system": marketing, "crm_system": "salesforce",
                "raw_data_path": str(out.resolve())}
    if sf_dir != out:
        dbt_vars["salesforce_data_path"] = str(sf_dir.resolve())
    dbt_vars["salesforce_lifecycle_stage_map"] = {**mapping, **custom}
    dbt_vars["salesforce_campaign_attributes"] = attributes
    write_vars(out, dbt_vars, f"vars to build this Salesforce + {marketing} export with"
               " (tools.salesforce_export); custom lead statuses: "
               + (", ".join(stage.upper() for stage in custom) or "none"))
    if projected is not None:
        projected_vars = {"raw_data_path": str(projected.resolve()),
                          "lead_lifecycle_stages": ["lead"]}
        if marketing == "hubspot":
            projected_vars["customer_lifecycle_stages"] = ["customer"]
        if marketing == "mautic":
            projected_vars["exclude_machine_opens"] = False
        write_vars(projected, projected_vars, "vars to build this projection with: in"
                   " Salesforce mode an open lead is a lead from its creation")
    con.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=_contract_folder,
                        help="folder of contract tables (e.g. seeds)")
    for flag, text in (("--out", "folder for the Salesforce tables and the marketing side"),
                       ("--projected", "also write what the Salesforce mode reads back")):
        parser.add_argument(flag, type=Path, required=flag == "--out", help=text)
    parser.add_argument("--with", dest="marketing", choices=SHAPES, default="contract",
                        help="shape of the marketing side (default: contract files)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for folder in (args.out, args.projected or args.out):
        shutil.rmtree(folder, ignore_errors=True)
    counts = convert(args.source, args.out, args.projected, args.marketing)
    print(f"==> {args.source} written as Fivetran's Salesforce tables + {args.marketing}"
          f" to {args.out} in {time.perf_counter() - started:.1f} s:")
    for table, rows in counts.items():
        print(f"    {table}: {rows:,} rows")
    print(f"    build it with: dbt build --vars \"$(cat {args.out}/_dbt_vars.yml)\"")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
