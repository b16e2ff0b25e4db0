"""Write raw data of the contract's shape as a Mautic database export.

    python -m tools.mautic_export SOURCE --out DIR [--projected DIR2]

SOURCE is a folder of contract tables (the demo seeds, or tools.generate_data's output).
DIR receives what a Mautic install holding the same history exports, one CSV per Mautic
table, as a MySQL dump converted to CSV: integer ids, MySQL datetimes in UTC, tinyint(1)
flags, \\N for null, PHP-serialized `array` columns. Deals, orders, campaign_costs and
calls (which Mautic does not hold) are written in the contract's format with the ids
translated. Two more files go to DIR:

  _id_map.csv          kind, contract_id, mautic_id: how every id was translated
  _dbt_vars.yml        the vars to build it with (source_system, raw_data_path, campaign
                       audiences and channels, which Mautic has no field for)

What Mautic cannot hold is lost, as it would be: CTA clicks become tracked-link clicks on
pages (which the Mautic input does not map), machine opens are ordinary opens, delivered
and complained events and the content/other distinction of website pages disappear, and
only the first bounce of a contact becomes a do-not-contact record. --projected DIR2
writes SOURCE without that information, in the contract's shape: building DIR2 with
exclude_machine_opens false must give exactly the marts DIR gives
(tools/compare_mautic.py checks it).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb
import yaml

from tools import contract

# contract action_type -> Mautic campaign event type
ACTION_TYPES = {
    "send_email": "email.send",
    "update_contact": "lead.updatelead",
    "change_segment": "lead.changelist",
    "adjust_score": "lead.changepoints",
    "notify_sales": "email.send.to.user",
    "other": "campaign.sendwebhook",
}
# the generator names a send action "Envoyer <email_id>"
SEND_ACTION_PREFIX = "Envoyer "
CONTRACT_TABLES_KEPT = ("deals", "orders", "campaign_costs", "calls")


def _php_string(sql: str) -> str:
    """SQL for the PHP-serialized form of a text value: s:<bytes>:"<text>"; or N;."""
    return (f"case when {sql} is null then 'N;' else 's:' || octet_length(encode({sql})) "
            f"|| ':\"' || {sql} || '\";' end")


def _read_contract(con: duckdb.DuckDBPyConnection, source: Path) -> None:
    for table in contract.tables():
        files = (sorted(source.glob(f"{table}.csv")) + sorted(source.glob(f"{table}.parquet"))
                 + sorted(source.glob(f"{table}/*.parquet")))
        columns = contract.columns(table)
        file_list = "[" + ", ".join(f"'{file}'" for file in files) + "]"
        if files and files[0].suffix == ".csv" and files[0].stat().st_size > 0:
            reader = f"read_csv('{files[0]}', header = true, all_varchar = true)"
        elif files and files[0].suffix == ".parquet":
            reader = f"read_parquet({file_list}, union_by_name = true)"
        else:
            select = ", ".join(f"cast(null as varchar) as {c}" for c in columns)
            con.execute(f"create table c_{table} as select {select} where 1 = 0")
            continue
        present = {d[0].lower() for d in con.execute(f"select * from {reader} limit 0").description}
        # an optional column the file does not have (deals.campaign_id) is null
        select = ", ".join(f"nullif(trim(cast({c} as varchar)), '') as {c}" if c in present
                           else f"cast(null as varchar) as {c}" for c in columns)
        # exact duplicate rows are one row, as the contract staging collapses them
        con.execute(f"create table c_{table} as select distinct {select} from {reader}")


def _id_maps(con: duckdb.DuckDBPyConnection) -> None:
    """map_<kind>(contract_id, mautic_id): integer ids in the order of the contract ids."""
    sources = {
        "lead": "select contact_id as id from c_contacts",
        "campaign": "select campaign_id from c_campaigns",
        "segment": "select segment_id from c_segments",
        "email": "select email_id from c_emails",
        "page": ("select page_id from c_web_events where page_type = 'landing_page' "
                 "union select page_id from c_form_submissions"),
        "form": "select form_id from c_form_submissions",
        "asset": "select asset_id from c_asset_downloads",
        "stage": ("select new_value from c_contact_changes "
                  "where lower(field_name) = 'lifecycle_stage'"),
        "category": "select campaign_type from c_campaigns",
    }
    for kind, sql in sources.items():
        con.execute(f"""
            create table map_{kind} as
            select id as contract_id, cast(row_number() over (order by id) as bigint) as mautic_id
            from (select distinct * from ({sql}) as ids(id) where id is not null)
        """)
    # anonymous visitors (web events without a contact) become anonymous leads
    con.execute("""
        insert into map_lead
        select 'visitor:' || visitor_id,
               (select max(mautic_id) from map_lead) + row_number() over (order by visitor_id)
        from (select distinct visitor_id from c_web_events
              where contact_id is null and visitor_id is not null)
    """)


def _copy(con, query: str, path: Path, null: str = "\\N") -> None:
    con.execute(f"copy ({query}) to '{path}' (header, delimiter ',', nullstr '{null}')")


def convert(source: Path, out: Path, projected: Path | None = None) -> dict[str, int]:
    """Write the Mautic export of SOURCE to OUT; return the rows written per file."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    _read_contract(con, source)
    _id_maps(con)
    ts = "strftime(cast({} as timestamp), '%Y-%m-%d %H:%M:%S')"
    lead = "(select mautic_id from map_lead where contract_id = {})"

    def mid(kind: str, column: str) -> str:
        return f"(select mautic_id from map_{kind} where contract_id = {column})"

    tables: dict[str, str] = {}
    tables["leads"] = f"""
        select m.mautic_id as id, {ts.format('c.created_at')} as date_added,
               {ts.format('c.created_at')} as date_identified, c.email, c.company, c.country,
               coalesce((select sum(cast(delta as bigint)) from c_score_events s
                         where s.contact_id = c.contact_id), 0) as points,
               c.contact_type, c.lead_source,
               {mid('campaign', 'c.source_campaign_id')} as source_campaign
        from c_contacts c join map_lead m on m.contract_id = c.contact_id
        union all
        select m.mautic_id, {ts.format('v.first_seen')}, null, null, null, null, 0, null,
               null, null
        from map_lead m
        join (select visitor_id, min(cast(occurred_at as timestamp)) as first_seen
              from c_web_events where contact_id is null group by visitor_id) v
          on m.contract_id = 'visitor:' || v.visitor_id
        order by id"""
    tables["audit_log"] = f"""
        select row_number() over (order by changed_at, contact_id) as id, 0 as user_id,
               'System' as user_name, 'lead' as bundle, 'lead' as object,
               {lead.format('contact_id')} as object_id, 'update' as action,
               'a:1:{{s:6:"fields";a:1:{{s:12:"contact_type";a:2:{{i:0;'
                   || {_php_string('old_value')} || 'i:1;' || {_php_string('new_value')}
                   || '}}}}}}' as details,
               {ts.format('changed_at')} as date_added
        from c_contact_changes where lower(field_name) = 'contact_type'"""
    tables["stages"] = """
        select mautic_id as id, contract_id as name, 10 * mautic_id as weight,
               1 as is_published from map_stage order by id"""
    tables["lead_stages_change_log"] = f"""
        select row_number() over (order by changed_at, contact_id) as id,
               {lead.format('contact_id')} as lead_id,
               {mid('stage', 'new_value')} as stage_id, new_value as event_name,
               {ts.format('changed_at')} as date_added
        from c_contact_changes where lower(field_name) = 'lifecycle_stage'"""
    tables["lead_lists"] = """
        select m.mautic_id as id, s.segment_name as name, lower(s.segment_id) as alias,
               1 as is_published
        from c_segments s join map_segment m on m.contract_id = s.segment_id order by id"""
    # current members: the open membership (removed_at null)
    tables["lead_lists_leads"] = f"""
        select {mid('segment', 'segment_id')} as leadlist_id,
               {lead.format('contact_id')} as lead_id, {ts.format('max(added_at)')} as date_added,
               0 as manually_removed, 0 as manually_added
        from c_segment_members where removed_at is null group by segment_id, contact_id"""
    membership_events = f"""
        select {lead.format('contact_id')} as lead_id, '{{bundle}}' as bundle,
               '{{object}}' as object, action, {mid('{kind}', '{group}')} as object_id,
               moment
        from (select contact_id, {{group}}, 'added' as action, added_at as moment
              from c_{{table}}
              union all
              select contact_id, {{group}}, 'removed', removed_at from c_{{table}}
              where removed_at is not null)"""
    events = " union all ".join(
        membership_events.replace("{kind}", kind).replace("{group}", group).format(
            bundle=bundle, object=obj, table=table, group=group)
        for kind, group, bundle, obj, table in (
            ("segment", "segment_id", "lead", "segment", "segment_members"),
            ("campaign", "campaign_id", "campaign", "campaign", "campaign_members")))
    tables["lead_event_log"] = f"""
        select row_number() over (order by moment, lead_id, bundle, object_id, action) as id,
               lead_id, bundle, object, action, object_id,
               {ts.format('moment')} as date_added
        from ({events})"""
    tables["categories"] = """
        select mautic_id as id, contract_id as title, contract_id as alias,
               'campaign' as bundle, 1 as is_published from map_category order by id"""
    tables["campaigns"] = f"""
        select m.mautic_id as id, {mid('category', 'c.campaign_type')} as category_id,
               c.campaign_name as name, 1 as is_published,
               {ts.format('c.launched_at')} as publish_up,
               {ts.format('c.ended_at')} as publish_down,
               {ts.format('c.launched_at')} as date_added
        from c_campaigns c join map_campaign m on m.contract_id = c.campaign_id order by id"""
    tables["campaign_leads"] = f"""
        select {mid('campaign', 'campaign_id')} as campaign_id,
               {lead.format('contact_id')} as lead_id,
               {ts.format('arg_max(added_at, added_at)')} as date_added,
               cast(arg_max(removed_at, added_at) is not null as integer) as manually_removed,
               0 as manually_added,
               {ts.format('arg_max(removed_at, added_at)')} as date_last_exited,
               count(*) as rotation
        from c_campaign_members group by campaign_id, contact_id"""
    tables["campaign_form_xref"] = f"""
        select distinct {mid('campaign', 'campaign_id')} as campaign_id,
               {mid('form', 'form_id')} as form_id
        from c_form_submissions where campaign_id is not null and form_id is not null"""
    # one campaign event per (campaign, action type, name); every email of a campaign has a
    # send action, even when nobody got it
    cases = " ".join(f"when '{k}' then '{v}'" for k, v in ACTION_TYPES.items())
    con.execute(f"""
        create table m_campaign_events as
        select row_number() over (order by campaign_id, action_type, action_name) as id, *
        from (
            select distinct campaign_id, action_type, action_name from c_campaign_actions
            union
            select campaign_id, 'send_email', '{SEND_ACTION_PREFIX}' || email_id
            from c_emails where campaign_id is not null
        )""")
    tables["campaign_events"] = f"""
        select e.id, {mid('campaign', 'e.campaign_id')} as campaign_id, e.action_name as name,
               case e.action_type {cases} end as type, 'action' as event_type,
               case when e.action_type = 'send_email' then 'email' end as channel,
               case when e.action_type = 'send_email' then {mid('email',
                   f"substr(e.action_name, {len(SEND_ACTION_PREFIX) + 1})")} end as channel_id
        from m_campaign_events e order by e.id"""
    tables["campaign_lead_event_log"] = f"""
        select row_number() over (order by a.executed_at, a.contact_id, e.id) as id,
               e.id as event_id, {lead.format('a.contact_id')} as lead_id,
               {mid('campaign', 'a.campaign_id')} as campaign_id, 1 as rotation,
               {ts.format('a.executed_at')} as date_triggered, 0 as is_scheduled,
               0 as non_action_path_taken
        from c_campaign_actions a
        join m_campaign_events e
          on e.campaign_id = a.campaign_id and e.action_type = a.action_type
         and e.action_name is not distinct from a.action_name"""
    tables["emails"] = f"""
        select m.mautic_id as id, e.email_name as name, e.subject, 'template' as email_type,
               {mid('email', 'e.parent_email_id')} as variant_parent_id,
               {ts.format('e.created_at')} as date_added, 1 as is_published
        from c_emails e join map_email m on m.contract_id = e.email_id order by id"""
    # one stat per sent event; opens and bounces go to the last stat sent before them
    con.execute("""
        create table m_stats as
        select row_number() over (order by cast(occurred_at as timestamp), email_id, contact_id)
                   as id, email_id, contact_id, cast(occurred_at as timestamp) as date_sent
        from c_email_events where event_type = 'sent'""")
    con.execute("""
        create table m_stat_events as
        select stat_id, event_type, occurred_at
        from (
            select s.id as stat_id, e.event_type, e.occurred_at,
                   row_number() over (
                       partition by e.event_number
                       order by (s.date_sent <= e.occurred_at) desc,
                                case when s.date_sent <= e.occurred_at then s.date_sent end desc,
                                s.date_sent) as stat_rank
            from (select row_number() over () as event_number, email_id, contact_id,
                         event_type, cast(occurred_at as timestamp) as occurred_at
                  from c_email_events where event_type in ('opened', 'bounced')) e
            join m_stats s on s.email_id = e.email_id and s.contact_id = e.contact_id
        )
        where stat_rank = 1""")
    tables["email_stats"] = f"""
        select s.id, {mid('email', 's.email_id')} as email_id,
               {lead.format('s.contact_id')} as lead_id, {ts.format('s.date_sent')} as date_sent,
               cast(min(o.occurred_at) is not null as integer) as is_read,
               cast(count(b.stat_id) > 0 as integer) as is_failed,
               {ts.format('min(o.occurred_at)')} as date_read,
               count(distinct o.occurred_at) as open_count,
               {ts.format('max(o.occurred_at)')} as last_opened,
               'campaign.event' as source
        from m_stats s
        left join m_stat_events o on o.stat_id = s.id and o.event_type = 'opened'
        left join m_stat_events b on b.stat_id = s.id and b.event_type = 'bounced'
        group by s.id, s.email_id, s.contact_id, s.date_sent order by s.id"""
    tables["email_stats_devices"] = f"""
        select row_number() over (order by occurred_at, stat_id) as id, 1 as device_id,
               stat_id, {ts.format('occurred_at')} as date_opened
        from m_stat_events where event_type = 'opened'"""
    tables["lead_donotcontact"] = f"""
        select row_number() over (order by moment, lead_id) as id, * exclude (moment)
        from (
            select {lead.format('contact_id')} as lead_id, {ts.format('occurred_at')}
                       as date_added, 1 as reason, 'email' as channel,
                   {mid('email', 'email_id')} as channel_id,
                   cast(occurred_at as timestamp) as moment
            from c_email_events where event_type = 'unsubscribed'
            union all
            select {lead.format('contact_id')}, {ts.format('min(occurred_at)')}, 2, 'email',
                   {mid('email', 'arg_min(email_id, occurred_at)')},
                   min(cast(occurred_at as timestamp))
            from c_email_events where event_type = 'bounced' group by contact_id
        )"""
    serialized_utm = ("case when {c} is null then null else 'a:1:{{s:12:\"utm_campaign\";' "
                      "|| " + _php_string("cast({c} as varchar)") + " || '}}' end")
    page_lead = ("coalesce(" + lead.format("w.contact_id") + ", "
                 + lead.format("'visitor:' || w.visitor_id") + ")")
    tables["page_hits"] = f"""
        select row_number() over (order by moment, kind, ord) as id, * exclude (moment, kind, ord)
        from (
            select {ts.format('w.occurred_at')} as date_hit,
                   case when w.page_type = 'landing_page'
                        then {mid('page', 'w.page_id')} end as page_id,
                   case when w.event_type = 'cta_click' then 1000 + dense_rank() over (
                        order by w.cta_id) end as redirect_id,
                   null as email_id, {page_lead} as lead_id, w.visitor_id as tracking_id,
                   w.page_url as url,
                   case when w.event_type = 'cta_click' then 'page' end as source,
                   case when w.event_type = 'cta_click'
                        then {mid('page', 'w.page_id')} end as source_id,
                   {serialized_utm.format(c=mid('campaign', 'w.campaign_id'))} as query,
                   cast(w.occurred_at as timestamp) as moment, 1 as kind, w.event_id as ord
            from c_web_events w
            union all
            select {ts.format('e.occurred_at')}, null,
                   dense_rank() over (order by e.email_id, e.url), {mid('email', 'e.email_id')},
                   {lead.format('e.contact_id')}, null, e.url, 'email',
                   {mid('email', 'e.email_id')}, null, cast(e.occurred_at as timestamp), 2,
                   e.email_id || e.contact_id
            from c_email_events e where e.event_type = 'clicked'
        )"""
    tables["form_submissions"] = f"""
        select row_number() over (order by cast(w.submitted_at as timestamp), w.submission_id)
                   as id, {mid('form', 'w.form_id')} as form_id, {page_lead} as lead_id,
               {mid('page', 'w.page_id')} as page_id, w.visitor_id as tracking_id,
               {ts.format('w.submitted_at')} as date_submitted
        from c_form_submissions w"""
    tables["asset_downloads"] = f"""
        select row_number() over (order by cast(downloaded_at as timestamp), contact_id) as id,
               {mid('asset', 'asset_id')} as asset_id, {lead.format('contact_id')} as lead_id,
               null as email_id, {ts.format('downloaded_at')} as date_download, 200 as code,
               cast({mid('campaign', 'campaign_id')} as varchar) as utm_campaign
        from c_asset_downloads"""
    tables["lead_points_change_log"] = f"""
        select row_number() over (order by cast(occurred_at as timestamp), contact_id) as id,
               {lead.format('contact_id')} as lead_id, 'lead' as type, reason as event_name,
               reason as action_name, cast(delta as bigint) as delta,
               {ts.format('occurred_at')} as date_added
        from c_score_events"""
    # the tables Mautic does not hold, in the contract's format, ids translated
    tables["deals"] = f"""select * replace ({lead.format('contact_id')} as contact_id)
                          from c_deals"""
    tables["orders"] = f"""select * replace ({lead.format('contact_id')} as contact_id)
                           from c_orders"""
    tables["campaign_costs"] = f"""select * replace (
                                       {mid('campaign', 'campaign_id')} as campaign_id)
                                   from c_campaign_costs"""
    tables["calls"] = f"""select * replace ({lead.format('contact_id')} as contact_id,
                                            {mid('campaign', 'campaign_id')} as campaign_id)
                          from c_calls"""

    written = {}
    for name, query in tables.items():
        # Mautic's tables as a dump writes them (\N); the others in the contract's format
        _copy(con, query, out / f"{name}.csv", "" if name in CONTRACT_TABLES_KEPT else "\\N")
        written[name] = con.execute(f"select count(*) from ({query})").fetchone()[0]
    maps = " union all ".join(
        f"select '{kind}' as kind, contract_id, mautic_id from map_{kind}"
        for kind in ("lead", "campaign", "segment", "email", "page", "form", "asset"))
    _copy(con, f"select * from ({maps}) order by kind, mautic_id", out / "_id_map.csv")
    attributes = {
        str(row[0]): {"audience": row[1], "channel": row[2]}
        for row in con.execute(
            "select m.mautic_id, c.audience, c.channel from c_campaigns c "
            "join map_campaign m on m.contract_id = c.campaign_id order by 1").fetchall()}
    stages = [row[0] for row in con.execute("select contract_id from map_stage").fetchall()]
    dbt_vars = {"source_system": "mautic", "raw_data_path": str(out.resolve()),
                "mautic_campaign_attributes": attributes}
    with open(out / "_dbt_vars.yml", "w", encoding="utf-8") as handle:
        handle.write("# vars to build this Mautic export with (tools.mautic_export); stages: "
                     + ", ".join(stages) + "\n")
        yaml.safe_dump(dbt_vars, handle, sort_keys=False, allow_unicode=True)

    if projected is not None:
        _write_projection(con, projected)
    con.close()
    return written


def _write_projection(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """The contract tables without what a Mautic export cannot hold."""
    folder.mkdir(parents=True, exist_ok=True)
    changes = {
        # no CTA clicks; website pages are 'other' and lose their id unless landing pages
        "web_events": """select * replace (
                              case when page_type = 'landing_page' then page_id end as page_id,
                              case when page_type = 'landing_page' then page_type
                                   else 'other' end as page_type)
                          from c_web_events where event_type <> 'cta_click'""",
        # no delivered or complained events, no machine-open flag; a bounce is also dated
        # at its send (email_stats.is_failed)
        "email_events": """select * replace (null as is_machine_open) from c_email_events
                           where event_type not in ('delivered', 'complained')
                           union all
                           select e.email_id, e.contact_id, 'bounced', s.occurred_at, null,
                                  null
                           from c_email_events e join c_email_events s
                             on s.email_id = e.email_id and s.contact_id = e.contact_id
                            and s.event_type = 'sent'
                           where e.event_type = 'bounced'""",
    }
    for table in contract.tables():
        query = changes.get(table, f"select * from c_{table}")
        _copy(con, query, folder / f"{table}.csv", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder of contract tables (e.g. seeds)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the Mautic export")
    parser.add_argument("--projected", type=Path,
                        help="also write SOURCE without what Mautic cannot hold, here")
    args = parser.parse_args(argv)
    if not (args.source / "contacts.csv").exists() and not (
            args.source / "contacts.parquet").exists():
        parser.error(f"{args.source} holds no contacts.csv or contacts.parquet")
    if args.out.exists():
        shutil.rmtree(args.out)
    started = time.perf_counter()
    written = convert(args.source, args.out, args.projected)
    print(f"==> Mautic export of {args.source} written to {args.out} in "
          f"{time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{name} {rows:,}" for name, rows in written.items()))
    print(f"    build it with: dbt build --vars \"$(cat {args.out}/_dbt_vars.yml)\"")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
