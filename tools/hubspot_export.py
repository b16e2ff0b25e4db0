"""Write raw data of the contract's shape as the tables of Fivetran's HubSpot connector.

    python -m tools.hubspot_export SOURCE --out DIR [--projected DIR2]

SOURCE is a folder of contract tables (the demo seeds, or tools.generate_data's output).
DIR receives what Fivetran's HubSpot connector syncs from a portal holding the same
history (README "HubSpot input": the HubSpot input mode), one CSV per table,
with Fivetran's column names (fivetran/dbt_hubspot, macros/staging/get_*_columns.sql) and
its `_fivetran_synced` / `_fivetran_deleted` columns: contact, contact_property_history,
contact_list, contact_list_member, email_campaign, email_event, email_event_click,
email_event_status_change, contact_form_submission, engagement_call, engagement_contact,
deal, deal_contact, deal_pipeline_stage, merged_deal, marketing_campaign_asset. Beside them, in the
contract's format (their contact ids HubSpot's), the tables HubSpot does not hold:
campaigns, campaign_costs, campaign_members, campaign_actions, web_events,
asset_downloads and orders. Two more files:

  _id_map.csv     kind, contract_id, hubspot_id: how every id was translated
  _dbt_vars.yml   the vars to build DIR with (source_system hubspot, raw_data_path, the
                  contact properties and lifecycle stages below)

How the contract's data is written, and what HubSpot loses (--projected DIR2 writes SOURCE
without it, in the contract's shape, with a _dbt_vars.yml of its own: building DIR2 must
give exactly the marts DIR gives; tools/compare_hubspot.py checks it):

- ids: contacts, lists, email campaigns (and their content ids), pages, deals, calls
  (engagements) and pipeline stages get integer ids in the order of the contract ids;
  forms and form submissions (conversions) get GUIDs, as HubSpot gives them; campaign
  ids are kept (marketing_campaign_asset.campaign_id is the id of campaigns.csv). Web
  events' page ids are the HubSpot page ids too, so a landing page's views and form
  submissions still meet.
- contacts: created_at -> property_createdate; contact_type -> the custom property
  contact_type and source_campaign_id -> the custom property source_campaign_id (vars
  hubspot_contact_fields name them); lead_source -> hs_analytics_source, upper-cased as
  HubSpot writes it (read back lower-cased). property_lifecyclestage and
  property_hubspotscore hold the last values of the histories below.
- contact_changes: lifecycle_stage -> history of `lifecyclestage`, each project stage
  written as the first HubSpot value the stage map (var hubspot_lifecycle_stage_map, its
  default from dbt_project.yml) maps to it, so mql -> marketingqualifiedlead, sql ->
  salesqualifiedlead; a stage no HubSpot value maps to (the demo's recycled) becomes a
  custom stage, a numeric id added to the map in _dbt_vars.yml. A contact with stage
  history also gets a first `subscriber` value at its creation (mapped to no stage: it is
  dropped). contact_type -> history of the property contact_type. Other fields are lost;
  old_value becomes the previous value of the history.
- score_events: HubSpot keeps the score, not its reasons: the history of `hubspotscore`
  holds the running total after each instant of a contact's score events, so the
  projection has one event per contact and instant with the summed delta (zero sums
  dropped) and reason 'hubspotscore'.
- segments: contact lists (object_type_id 0-1); a list member is one row per list and
  contact, so only the last membership interval (latest added_at) survives; a removed
  member is a row with _fivetran_deleted true synced at its removal.
- emails: one email_campaign each (content_id = its marketing email, linked to its
  campaign by a MARKETING_EMAIL asset); HubSpot knows no resend-of link (parent_email_id
  null), the audience is the campaign's and created_at the first SENT event.
- email_events: SENT, DELIVERED, BOUNCE, OPEN (filtered_event = machine open), CLICK
  (url in email_event_click), SPAMREPORT, STATUSCHANGE (unsubscribed: every other one
  portal-wide, portal_subscription_status UNSUBSCRIBED, the others from one subscription
  type, in `subscriptions`), plus a PROCESSED event before each SENT (ignored). The
  recipient is the contact's address (every seventh upper-cased); events of a contact
  without address are lost, and those of an address two contacts share go to the
  contact created first.
- form_submissions: no visitor id; the campaign is the form's (FORM asset: the campaign
  most of the form's submissions had), for every submission of the form.
- calls: engagement_call + engagement_contact, duration in ms; no campaign.
- deals: one pipeline stage per (stage, is_closed, is_won) of the data: label = stage,
  is_closed, closed_won = is_won, probability 1 (won), 0 (lost) or 0.5 (open); an open
  deal's closedate is a forecast (created + 30 days: not a close); every third deal is
  also associated with a contact created later (the deal stays with the first). is_won
  is false on open deals, closed_at null.
- HubSpot's own history, which the contract has no trace of and the HubSpot input must
  undo (the projection is unchanged by it): every 50th contact has a merged-away
  duplicate (listed in property_hs_merged_object_ids, every other one
  _fivetran_deleted) with an address of its own that half of the contact's email events
  go to, about half of its other rows (lists, forms, calls, deals, contract files) and a
  hubspotscore history of its own (ignored); every 200th contact has a deleted namesake
  (_fivetran_deleted) with copies of its SENT events, forms, lists and calls (dropped);
  every 25th deal has a duplicate created 10 days earlier merged into it (merged_deal),
  every 25th (another one) a deleted duplicate created 20 days earlier (is_deleted).
- contract files: rows naming a contact that is not in contacts are dropped (HubSpot
  drops them); orders.csv is written when SOURCE has orders, otherwise the HubSpot build
  makes one order per won deal with an amount, and so does the projection.
- vars: in HubSpot mode the stages 'lead' and 'customer' are lead and customer signals,
  so the projection's vars add them to lead_lifecycle_stages and customer_lifecycle_stages.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb
import yaml

from tools import contract
from tools.mautic_export import _copy, _read_contract

PROJECT_DIR = Path(__file__).resolve().parent.parent
# HubSpot's internal lifecycle stage values -> project stages (null: no stage), as the
# HubSpot input's default var hubspot_lifecycle_stage_map (read from dbt_project.yml)
DEFAULT_STAGE_MAP = {"subscriber": None, "lead": "lead", "marketingqualifiedlead": "mql",
                     "salesqualifiedlead": "sql", "opportunity": "sql",
                     "customer": "customer", "evangelist": "customer", "other": None}
# custom lifecycle stages get numeric internal values from here
CUSTOM_STAGE_BASE = 1_000_000_000
EVENT_TYPES = {"sent": "SENT", "delivered": "DELIVERED", "bounced": "BOUNCE",
               "opened": "OPEN", "clicked": "CLICK", "complained": "SPAMREPORT",
               "unsubscribed": "STATUSCHANGE"}
# contract files whose contact ids become HubSpot's (and web_events' page ids)
CONTRACT_FILES = ("campaigns", "campaign_costs", "campaign_members", "campaign_actions",
                  "web_events", "asset_downloads", "orders")
# first id of each kind (integer ids: offset + rank of the contract id)
ID_OFFSETS = {"contact": 1000, "list": 10, "email": 5000, "content": 170_000_000,
              "page": 40_000, "deal": 9000, "engagement": 30_000, "stage": 1000}
# ids of the merged-away duplicates and deleted namesakes of contacts, and of the
# duplicates of deals merged into them or deleted
MERGED_OFFSET, DELETED_OFFSET = 500_000, 600_000
MERGED_DEAL_OFFSET, DELETED_DEAL_OFFSET = 90_000, 95_000
UNSUBSCRIBE_ONE_TYPE = ('[{"id": 7654321, "name": "Newsletter", "status": "UNSUBSCRIBED",'
                        ' "legalBasis": null}]')
TRUE = "lower(trim({})) in ('true', 't', '1', 'yes', 'y')"


def stage_map() -> dict:
    """var hubspot_lifecycle_stage_map's default (dbt_project.yml), or DEFAULT_STAGE_MAP."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    found = (project.get("vars") or {}).get("hubspot_lifecycle_stage_map")
    return dict(found) if found else dict(DEFAULT_STAGE_MAP)


def inverse_stage_map(mapping: dict, stages: list[str]) -> tuple[dict, dict]:
    """(project stage -> HubSpot value, custom HubSpot values -> stage) for `stages`.

    A stage is written as the first HubSpot value mapping to it; a stage no value maps to
    gets a custom (numeric) value, to be added to the map.
    """
    inverse: dict[str, str] = {}
    for value, stage in mapping.items():
        if stage is not None:
            inverse.setdefault(str(stage).lower(), str(value).lower())
    custom: dict[str, str] = {}
    for stage in sorted({s.lower() for s in stages}):
        if stage not in inverse:
            value = str(CUSTOM_STAGE_BASE + len(custom) + 1)
            inverse[stage] = value
            custom[value] = stage
    return inverse, custom


def _guid(sql: str, salt: str) -> str:
    """SQL for a GUID derived from a value (HubSpot's form and conversion ids)."""
    return (f"regexp_replace(md5('{salt}:' || {sql}), "
            r"'^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5')")


def _id_maps(con: duckdb.DuckDBPyConnection) -> None:
    known = "contact_id in (select contract_id from map_contact)"
    sources = {
        "contact": "select contact_id from c_contacts",
        "list": "select segment_id from c_segments",
        "email": "select email_id from c_emails union select email_id from c_email_events",
        "page": ("select page_id from c_web_events union "
                 f"select page_id from c_form_submissions where {known}"),
        "deal": f"select deal_id from c_deals where {known}",
        "engagement": f"select call_id from c_calls where {known}",
    }
    # (in this order: pages, deals and calls keep only those of known contacts)
    for kind, sql in sources.items():
        con.execute(f"""
            create table map_{kind} as
            select id as contract_id,
                   cast({ID_OFFSETS[kind]} + row_number() over (order by id) as bigint)
                       as hubspot_id
            from (select distinct * from ({sql}) as ids(id) where id is not null)""")
    con.execute(f"""create table map_content as
                    select contract_id, hubspot_id - {ID_OFFSETS['email']}
                           + {ID_OFFSETS['content']} as hubspot_id from map_email""")


def _prepare(con: duckdb.DuckDBPyConnection, inverse: dict, null_stage: str | None) -> None:
    """x_* tables: the contract rows HubSpot holds, with their HubSpot ids and values."""
    ts = "cast({} as timestamp)"
    con.execute(f"""
        create table x_contacts as
        select c.*, m.hubspot_id, {ts.format('c.created_at')} as created,
               lower(trim(c.email)) as email_key
        from c_contacts c join map_contact m on m.contract_id = c.contact_id
        qualify row_number() over (partition by c.contact_id order by c.created_at) = 1""")
    # an address two contacts share belongs to the contact created first
    con.execute("""
        create table x_email_owners as
        select email_key, arg_min(contact_id, (created, hubspot_id)) as contact_id
        from x_contacts where email_key is not null group by email_key""")
    # HubSpot's own history, which the contract has no trace of and the input must undo:
    # every 50th contact has a merged-away duplicate (its own address and some of its
    # rows), every 200th a deleted namesake with copies of some of its rows, every 25th
    # deal a duplicate merged into it, and another one deleted
    con.execute(f"""
        create table x_merged as
        select contact_id, hubspot_id, {MERGED_OFFSET} + hubspot_id as merged_id,
               'ancien.' || email as merged_email, hubspot_id % 100 = 0 as deleted, created
        from x_contacts where hubspot_id % 50 = 0 and email is not null""")
    con.execute(f"""
        create table x_deleted as
        select contact_id, {DELETED_OFFSET} + hubspot_id as deleted_id,
               'supprime.' || email as email, created
        from x_contacts where hubspot_id % 200 = 100 and email is not null""")
    con.execute(f"""
        create table x_sync as
        select date_trunc('hour', max(t)) + interval 2 hour as synced
        from (select {ts.format('created_at')} from c_contacts
              union all select {ts.format('occurred_at')} from c_email_events
              union all select {ts.format('changed_at')} from c_contact_changes
              union all select {ts.format('occurred_at')} from c_score_events
              union all select {ts.format('removed_at')} from c_segment_members
              union all select {ts.format('closed_at')} from c_deals
              union all select {ts.format('created_at')} from c_deals) as all_times(t)""")
    # lifecycle stages and contact types, as HubSpot property history
    cases = " ".join(f"when '{stage}' then '{value}'" for stage, value in inverse.items())
    first_subscriber = ""
    if null_stage is not None:
        first_subscriber = f"""
            union all
            select k.contact_id, 'lifecyclestage', '{null_stage}', null, k.created
            from x_contacts k
            where k.created < (select min({ts.format('changed_at')}) from c_contact_changes h
                               where h.contact_id = k.contact_id
                                 and lower(h.field_name) = 'lifecycle_stage'
                                 and h.new_value is not null)"""
    con.execute(f"""
        create table x_history as
        select contact_id, 'lifecyclestage' as name,
               case lower(new_value) {cases} end as value, lower(new_value) as stage,
               {ts.format('changed_at')} as changed
        from c_contact_changes
        where lower(field_name) = 'lifecycle_stage' and new_value is not null
          and contact_id in (select contact_id from x_contacts)
        union all
        select contact_id, 'contact_type', new_value, new_value, {ts.format('changed_at')}
        from c_contact_changes
        where lower(field_name) = 'contact_type'
          and contact_id in (select contact_id from x_contacts)
        {first_subscriber}""")
    # the score: one running total per contact and instant whose events do not sum to 0
    con.execute(f"""
        create table x_scores as
        select contact_id, changed, delta,
               sum(delta) over (partition by contact_id order by changed) as total
        from (select contact_id, {ts.format('occurred_at')} as changed,
                     sum(coalesce(cast(round(cast(delta as double)) as bigint), 0)) as delta
              from c_score_events where contact_id in (select contact_id from x_contacts)
              group by all)
        qualify delta <> 0""")
    # lists: the last membership interval of each list and contact
    con.execute(f"""
        create table x_members as
        select segment_id, contact_id,
               max({ts.format('added_at')}) as added,
               arg_max({ts.format('removed_at')}, {ts.format('added_at')}) as removed
        from c_segment_members
        where contact_id in (select contact_id from x_contacts)
          and segment_id in (select contract_id from map_list)
        group by segment_id, contact_id""")
    # email events of contacts with an address, given to the address's owner
    con.execute(f"""
        create table x_events as
        select row_number() over (order by {ts.format('e.occurred_at')}, e.email_id,
                                  o.contact_id, e.event_type, e.url) as n,
               e.email_id, o.contact_id, k.email as address, lower(e.event_type) as event_type,
               {ts.format('e.occurred_at')} as created,
               case when lower(e.event_type) = 'clicked' then e.url end as url,
               case when lower(e.event_type) = 'opened'
                    then coalesce({TRUE.format('e.is_machine_open')}, false) end as machine
        from c_email_events e
        join x_contacts k on k.contact_id = e.contact_id
        join x_email_owners o on o.email_key = k.email_key
        where lower(e.event_type) in ({', '.join(f"'{t}'" for t in EVENT_TYPES)})
          and e.occurred_at is not null""")
    # the address written: a merged-away duplicate's on every other event of its contact
    con.execute("""
        alter table x_events add column recipient varchar;
        update x_events set recipient = coalesce(
            (select g.merged_email from x_merged g
             where g.contact_id = x_events.contact_id and x_events.n % 2 = 1), address)""")
    # forms: each form's campaign is the one most of its submissions had
    con.execute("""
        create table x_form_campaigns as
        select form_id, mode(campaign_id) as campaign_id from c_form_submissions
        where form_id is not null and campaign_id is not null group by form_id""")
    con.execute(f"""
        create table x_deals as
        select d.*, m.hubspot_id, coalesce({TRUE.format('d.is_closed')}, false) as closed,
               coalesce({TRUE.format('d.is_closed')}, false)
                   and coalesce({TRUE.format('d.is_won')}, false) as won
        from c_deals d join map_deal m on m.contract_id = d.deal_id""")
    con.execute(f"""
        create table x_phantom_deals as
        select *, false as deleted from x_deals
        union all by name
        select * replace ({MERGED_DEAL_OFFSET} + hubspot_id as hubspot_id,
                          cast(cast(created_at as timestamp) - interval 10 day as varchar)
                              as created_at), false as deleted
        from x_deals where hubspot_id % 25 = 0
        union all by name
        select * replace ({DELETED_DEAL_OFFSET} + hubspot_id as hubspot_id,
                          cast(cast(created_at as timestamp) - interval 20 day as varchar)
                              as created_at), true as deleted
        from x_deals where hubspot_id % 25 = 10""")
    con.execute("""
        create table x_stages as
        select stage, closed, won,
               cast(row_number() over (order by closed, won, stage) as bigint) as rank
        from (select distinct stage, closed, won from x_deals)""")


def hid(kind: str, column: str) -> str:
    """SQL: the HubSpot id of the contract id in `column`, of one kind (map_<kind>)."""
    return f"(select hubspot_id from map_{kind} where contract_id = {column})"


def written_contact(contact: str, key: str) -> str:
    """SQL: the HubSpot contact id a row names: for a contact with a merged-away duplicate,
    that duplicate's id on about half of its rows (by `key`), else its own id."""
    return (f"coalesce((select g.merged_id from x_merged g where g.contact_id = {contact}"
            f" and hash({key}) % 2 = 1), {hid('contact', contact)})")


def _hubspot_tables(con: duckdb.DuckDBPyConnection, currency: str) -> dict[str, str]:
    """{Fivetran table or contract file: the query of its rows}."""
    ts, synced = "cast({} as timestamp)", "(select synced from x_sync)"
    tables: dict[str, str] = {}
    tables["contact"] = f"""
        select k.hubspot_id as id, false as _fivetran_deleted, {synced} as _fivetran_synced,
               k.email as property_email, k.created as property_createdate,
               k.company as property_company, k.country as property_country,
               (select cast(g.merged_id as varchar) from x_merged g
                where g.contact_id = k.contact_id) as property_hs_merged_object_ids,
               upper(k.lead_source) as property_hs_analytics_source,
               k.contact_type as property_contact_type,
               k.source_campaign_id as property_source_campaign_id,
               (select arg_max(value, changed) from x_history h
                where h.contact_id = k.contact_id and h.name = 'lifecyclestage')
                   as property_lifecyclestage,
               (select arg_max(total, changed) from x_scores s
                where s.contact_id = k.contact_id) as property_hubspotscore
        from x_contacts k
        union all
        select g.merged_id, g.deleted, {synced}, g.merged_email,
               g.created - interval 1 day, null, null, null, null, null, null, null, null
        from x_merged g
        union all
        select d.deleted_id, true, {synced}, d.email, d.created, null, null, null, null,
               null, null, null, null
        from x_deleted d
        order by id"""
    tables["contact_property_history"] = f"""
        select k.hubspot_id as contact_id, h.name, h.value, h.changed as timestamp,
               'CRM_UI' as source, cast(null as varchar) as source_id,
               {synced} as _fivetran_synced
        from x_history h join x_contacts k using (contact_id)
        union all
        select k.hubspot_id, 'hubspotscore', cast(s.total as varchar), s.changed,
               'CALCULATED', null, {synced}
        from x_scores s join x_contacts k using (contact_id)
        union all
        select merged_id, 'hubspotscore', '999', created, 'CALCULATED', null, {synced}
        from x_merged
        order by contact_id, timestamp, name"""
    tables["contact_list"] = f"""
        select m.hubspot_id as id, s.segment_name as name, '0-1' as object_type_id,
               'MANUAL' as processing_type, false as _fivetran_deleted,
               {synced} as _fivetran_synced
        from c_segments s join map_list m on m.contract_id = s.segment_id order by id"""
    tables["contact_list_member"] = f"""
        select {hid('list', 'x.segment_id')} as contact_list_id,
               {written_contact('x.contact_id', 'x.segment_id')} as contact_id,
               x.added as added_at, x.removed is not null as _fivetran_deleted,
               coalesce(x.removed, {synced}) as _fivetran_synced
        from x_members x
        union all
        select {hid('list', 'x.segment_id')}, d.deleted_id, x.added, false, {synced}
        from x_members x join x_deleted d using (contact_id)
        order by contact_list_id, contact_id"""
    tables["email_campaign"] = f"""
        select m.hubspot_id as id, e.email_name as name, e.subject,
               {hid('content', 'e.email_id')} as content_id, 'BATCH_EMAIL' as type,
               113 as app_id, 'Batch' as app_name, {synced} as _fivetran_synced
        from c_emails e join map_email m on m.contract_id = e.email_id
        qualify row_number() over (partition by e.email_id order by e.email_name) = 1
        order by id"""
    types = " ".join(f"when '{k}' then '{v}'" for k, v in EVENT_TYPES.items())
    tables["email_event"] = f"""
        select id, type, created, email_campaign_id, recipient, filtered_event,
               12345 as portal_id, 113 as app_id, {synced} as _fivetran_synced
        from (
            select cast(800000000 + x.n as varchar) as id,
                   case x.event_type {types} end as type, x.created,
                   {hid('email', 'x.email_id')} as email_campaign_id,
                   case when x.n % 7 = 0 then upper(x.recipient) else x.recipient end
                       as recipient,
                   coalesce(x.machine, false) as filtered_event, x.n, 1 as ord
            from x_events x
            union all
            select cast(900000000 + x.n as varchar), 'PROCESSED',
                   x.created - interval 1 second, {hid('email', 'x.email_id')},
                   x.recipient, false, x.n, 0
            from x_events x where x.event_type = 'sent'
            union all
            select cast(700000000 + x.n as varchar), 'SENT', x.created,
                   {hid('email', 'x.email_id')}, d.email, false, x.n, 2
            from x_events x join x_deleted d using (contact_id) where x.event_type = 'sent'
        ) order by created, n, ord"""
    tables["email_event_click"] = f"""
        select cast(800000000 + n as varchar) as id, url, 'Chrome' as browser,
               'Mozilla/5.0' as user_agent, {synced} as _fivetran_synced
        from x_events where event_type = 'clicked' order by n"""
    tables["email_event_status_change"] = f"""
        select cast(800000000 + n as varchar) as id,
               case when n % 2 = 0 then 'UNSUBSCRIBED' else 'SUBSCRIBED' end
                   as portal_subscription_status,
               case when n % 2 = 0 then '[]' else '{UNSUBSCRIBE_ONE_TYPE}' end
                   as subscriptions,
               'SOURCE_RECIPIENT' as source, false as bounced,
               {synced} as _fivetran_synced
        from x_events where event_type = 'unsubscribed' order by n"""
    page_urls = ("(select max(page_url) from c_web_events w where w.page_id = f.page_id)")
    tables["contact_form_submission"] = f"""
        select {_guid('f.submission_id', 'conversion')} as conversion_id,
               {_guid('f.form_id', 'form')} as form_id,
               {written_contact('f.contact_id', 'f.submission_id')} as contact_id,
               {hid('page', 'f.page_id')} as page_id, {page_urls} as page_url,
               f.form_id as title, 12345 as portal_id,
               {ts.format('f.submitted_at')} as timestamp, {synced} as _fivetran_synced
        from c_form_submissions f where f.contact_id in (select contact_id from x_contacts)
        union all
        select {_guid('f.submission_id', 'deleted')}, {_guid('f.form_id', 'form')},
               d.deleted_id, {hid('page', 'f.page_id')}, {page_urls}, f.form_id, 12345,
               {ts.format('f.submitted_at')}, {synced}
        from c_form_submissions f join x_deleted d using (contact_id)
        order by timestamp, conversion_id"""
    tables["engagement_call"] = f"""
        select m.hubspot_id as engagement_id, 'CALL' as type,
               {ts.format('c.started_at')} as property_hs_timestamp,
               {ts.format('c.started_at')} as property_hs_createdate,
               cast(round(cast(c.duration_seconds as double) * 1000) as bigint)
                   as property_hs_call_duration,
               'INBOUND' as property_hs_call_direction, false as _fivetran_deleted,
               {synced} as _fivetran_synced
        from c_calls c join map_engagement m on m.contract_id = c.call_id
        qualify row_number() over (partition by c.call_id order by c.started_at) = 1
        order by engagement_id"""
    tables["engagement_contact"] = f"""
        select m.hubspot_id as engagement_id,
               {written_contact('c.contact_id', 'c.call_id')} as contact_id,
               'HUBSPOT_DEFINED' as category, {synced} as _fivetran_synced
        from c_calls c join map_engagement m on m.contract_id = c.call_id
        qualify row_number() over (partition by c.call_id order by c.started_at) = 1
        union all
        select m.hubspot_id, d.deleted_id, 'HUBSPOT_DEFINED', {synced}
        from c_calls c join map_engagement m on m.contract_id = c.call_id
        join x_deleted d using (contact_id)
        order by engagement_id, contact_id"""
    tables["deal"] = f"""
        select d.hubspot_id as deal_id, 'default' as deal_pipeline_id,
               cast({ID_OFFSETS['stage']} + s.rank as varchar) as deal_pipeline_stage_id,
               d.amount as property_amount, {ts.format('d.created_at')} as property_createdate,
               case when d.closed then {ts.format('d.closed_at')}
                    else {ts.format('d.created_at')} + interval 30 day end
                   as property_closedate,
               'Affaire ' || d.deal_id as property_dealname,
               '{currency}' as property_deal_currency_code, d.deleted as is_deleted,
               false as _fivetran_deleted, {synced} as _fivetran_synced
        from x_phantom_deals d join x_stages s
          on s.stage is not distinct from d.stage and s.closed = d.closed and s.won = d.won
        order by deal_id"""
    # the deal's contact, and for every third deal a contact created later
    tables["deal_contact"] = f"""
        select d.hubspot_id as deal_id,
               {written_contact('d.contact_id', 'd.deal_id')} as contact_id, 3 as type_id,
               'HUBSPOT_DEFINED' as category, {synced} as _fivetran_synced
        from x_phantom_deals d where d.contact_id in (select contact_id from x_contacts)
        union all
        select d.hubspot_id, later.hubspot_id, 3, 'HUBSPOT_DEFINED', {synced}
        from x_deals d join x_contacts k on k.contact_id = d.contact_id
        join x_contacts later on later.hubspot_id = k.hubspot_id + 1
        where d.hubspot_id % 3 = 0 and later.created > k.created
        order by deal_id, contact_id"""
    tables["deal_pipeline_stage"] = f"""
        select cast({ID_OFFSETS['stage']} + rank as varchar) as stage_id,
               'default' as pipeline_id, stage as label, closed as is_closed,
               won as closed_won,
               case when won then 1.0 when closed then 0.0 else 0.5 end as probability,
               rank as display_order, true as active, false as _fivetran_deleted,
               {synced} as _fivetran_synced
        from x_stages order by rank"""
    tables["merged_deal"] = f"""
        select hubspot_id as deal_id, {MERGED_DEAL_OFFSET} + hubspot_id as merged_deal_id,
               {synced} as _fivetran_synced
        from x_deals where hubspot_id % 25 = 0 order by deal_id"""
    tables["marketing_campaign_asset"] = f"""
        select 'MARKETING_EMAIL' as asset_type,
               cast({hid('content', 'e.email_id')} as varchar) as id, e.campaign_id,
               e.email_name as name, false as _fivetran_deleted,
               {synced} as _fivetran_synced
        from c_emails e where e.campaign_id is not null
        union all
        select 'FORM', {_guid('f.form_id', 'form')}, f.campaign_id, f.form_id, false,
               {synced}
        from x_form_campaigns f
        order by asset_type, id"""
    # the contract-format files, contact (and page) ids HubSpot's; rows of unknown
    # contacts are left out (the HubSpot input drops them)
    for table in CONTRACT_FILES:
        columns = contract.columns(table)
        replace = []
        if "contact_id" in columns:
            row_key = "concat_ws('|', " + ", ".join(f"r.{c}" for c in columns) + ")"
            replace.append(f"{written_contact('r.contact_id', row_key)} as contact_id")
        if table == "web_events":
            replace.append(f"{hid('page', 'r.page_id')} as page_id")
        tables[table] = f"select {', '.join(columns)} from c_{table}"
        if replace:
            tables[table] = (
                f"select * replace ({', '.join(replace)}) from c_{table} as r"
                " where r.contact_id is null"
                " or r.contact_id in (select contact_id from x_contacts)")
    return tables


def _projection(con: duckdb.DuckDBPyConnection, orders_from_deals: bool) -> dict[str, str]:
    """The contract tables as the HubSpot input reads DIR back, in contract ids."""
    ts = "cast({} as timestamp)"
    known = "(contact_id is null or contact_id in (select contact_id from x_contacts))"
    changes = {
        "contacts": """select contact_id, email, created_at, contact_type,
                              lower(lead_source) as lead_source, source_campaign_id, company,
                              country from x_contacts""",
        "contact_changes": """
            select contact_id, field_name,
                   lag(new_value) over (partition by contact_id, field_name order by changed_at)
                       as old_value, new_value, changed_at
            from (select contact_id,
                         case name when 'lifecyclestage' then 'lifecycle_stage' else name end
                             as field_name,
                         stage as new_value, changed as changed_at
                  from x_history where stage is not null or name = 'contact_type')""",
        "score_events": """select contact_id, delta, 'hubspotscore' as reason,
                                  changed as occurred_at from x_scores""",
        "segment_members": """select segment_id, contact_id, added as added_at,
                                     removed as removed_at from x_members""",
        "emails": """
            select e.email_id, e.campaign_id, e.email_name, e.subject,
                   (select max(audience) from c_campaigns c
                    where c.campaign_id = e.campaign_id) as audience,
                   null as parent_email_id,
                   (select min(created) from x_events x
                    where x.email_id = e.email_id and x.event_type = 'sent') as created_at
            from c_emails e
            qualify row_number() over (partition by e.email_id order by e.email_name) = 1""",
        "email_events": """select email_id, contact_id, event_type, created as occurred_at,
                                  url, machine as is_machine_open from x_events""",
        "form_submissions": f"""
            select f.submission_id, f.form_id, f.contact_id, null as visitor_id, f.page_id,
                   a.campaign_id, f.submitted_at
            from c_form_submissions f left join x_form_campaigns a using (form_id)
            where f.contact_id in (select contact_id from x_contacts)""",
        "calls": f"""select call_id, contact_id, null as campaign_id, started_at,
                            cast(round(cast(duration_seconds as double)) as bigint)
                                as duration_seconds
                     from c_calls where call_id in (select contract_id from map_engagement)
                     qualify row_number() over (partition by call_id order by started_at) = 1""",
        "deals": f"""select deal_id, contact_id, created_at, stage, amount, closed as is_closed,
                            won as is_won,
                            case when closed then {ts.format('closed_at')} end as closed_at,
                            null as campaign_id
                     from x_deals""",
    }
    for table in CONTRACT_FILES:
        if "contact_id" in contract.columns(table):
            changes[table] = f"select * from c_{table} where {known}"
    if orders_from_deals:
        currency = con.execute("select currency from x_currency").fetchone()[0]
        changes["orders"] = f"""
            select 'deal-' || hubspot_id as order_id, contact_id,
                   {ts.format('closed_at')} as ordered_at, amount, '{currency}' as currency,
                   'completed' as status
            from x_deals where won and amount is not null"""
    return {table: f"select {', '.join(contract.columns(table))} from ({changes[table]})"
            if table in changes else f"select * from c_{table}"
            for table in contract.tables()}


def convert(source: Path, out: Path, projected: Path | None = None) -> dict[str, int]:
    """Write the HubSpot export of SOURCE to OUT; return the rows written per file."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    _read_contract(con, source)
    mapping = stage_map()
    stages = [row[0] for row in con.execute(
        "select distinct lower(new_value) from c_contact_changes "
        "where lower(field_name) = 'lifecycle_stage' and new_value is not null").fetchall()]
    inverse, custom = inverse_stage_map(mapping, stages)
    null_stage = next((str(k).lower() for k, v in mapping.items() if v is None), None)
    _id_maps(con)
    _prepare(con, inverse, null_stage)
    con.execute("""create table x_currency as
                   select coalesce((select mode(currency) from c_orders), 'EUR') as currency""")
    currency = con.execute("select currency from x_currency").fetchone()[0]
    orders_from_deals = con.execute("select count(*) from c_orders").fetchone()[0] == 0
    tables = _hubspot_tables(con, currency)
    if orders_from_deals:
        del tables["orders"]

    written = {}
    for name, query in tables.items():
        _copy(con, query, out / f"{name}.csv", "")
        written[name] = con.execute(f"select count(*) from ({query})").fetchone()[0]
    kinds = ("contact", "list", "email", "content", "page", "deal", "engagement")
    maps = " union all ".join(
        f"select '{kind}' as kind, contract_id, cast(hubspot_id as varchar) as hubspot_id"
        f" from map_{kind}" for kind in kinds)
    maps += (f" union all select 'form', form_id, {_guid('form_id', 'form')}"
             " from (select distinct form_id from c_form_submissions where form_id is not null)"
             f" union all select 'submission', submission_id,"
             f" {_guid('submission_id', 'conversion')} from c_form_submissions"
             " where submission_id is not null")
    _copy(con, f"select distinct * from ({maps}) order by kind, hubspot_id",
          out / "_id_map.csv")
    dbt_vars = {
        "source_system": "hubspot", "raw_data_path": str(out.resolve()),
        "hubspot_contact_fields": {"contact_type": "contact_type",
                                   "lead_source": "hs_analytics_source",
                                   "source_campaign_id": "source_campaign_id"},
        "hubspot_lifecycle_stage_map": {**mapping, **custom},
    }
    with open(out / "_dbt_vars.yml", "w", encoding="utf-8") as handle:
        handle.write("# vars to build this HubSpot export with (tools.hubspot_export); custom"
                     " lifecycle stages: " + (", ".join(f"{k} = {v}" for k, v in custom.items())
                                               or "none") + "\n")
        yaml.safe_dump(dbt_vars, handle, sort_keys=False, allow_unicode=True)

    if projected is not None:
        projected.mkdir(parents=True, exist_ok=True)
        for table, query in _projection(con, orders_from_deals).items():
            _copy(con, query, projected / f"{table}.csv", "")
        projected_vars = {"raw_data_path": str(projected.resolve()),
                          "lead_lifecycle_stages": ["lead"],
                          "customer_lifecycle_stages": ["customer"]}
        with open(projected / "_dbt_vars.yml", "w", encoding="utf-8") as handle:
            handle.write("# vars to build this projection with: in HubSpot mode the stages"
                         " lead and customer are lead and customer signals\n")
            yaml.safe_dump(projected_vars, handle, sort_keys=False, allow_unicode=True)
    con.close()
    return written


def _contract_folder(text: str) -> Path:
    """argparse type: a folder holding the contract's contacts table."""
    folder = Path(text)
    if not any((folder / f"contacts.{ext}").exists() for ext in ("csv", "parquet")):
        raise argparse.ArgumentTypeError(f"{folder} holds no contacts.csv or contacts.parquet")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=_contract_folder,
                        help="folder of contract tables (e.g. seeds)")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder for the Fivetran HubSpot tables")
    parser.add_argument("--projected", type=Path,
                        help="also write SOURCE without what HubSpot cannot hold, here")
    args = parser.parse_args(argv)
    for folder in filter(None, (args.out, args.projected)):
        shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    counts = convert(args.source, args.out, args.projected)
    summary = ", ".join(f"{table} {rows:,}" for table, rows in counts.items())
    print(f"==> {args.source} written as Fivetran's HubSpot tables to {args.out}"
          f" ({time.perf_counter() - started:.1f} s): {summary}")
    print(f"    build it with: dbt build --vars \"$(cat {args.out}/_dbt_vars.yml)\"")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
