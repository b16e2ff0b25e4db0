{#-
    The HubSpot input mode (var source_system: hubspot, README "HubSpot input").

    hubspot_tables() lists the tables of Fivetran's HubSpot connector that the staging set
    in models/staging/hubspot reads, with the columns it uses and their types.
    hubspot_input(table) reads one of them from every portal (hubspot_portals(): var
    raw_data_path or raw_schema, or the list in var hubspot_portals) and returns one
    relation holding exactly those columns, typed, plus `portal` (the portal's name, null
    with a single portal): ids as text (HubSpot's integer ids become '103'; with several
    portals '<portal>:103'), timestamps as UTC (Fivetran writes UTC as
    'YYYY-MM-DD HH:MM:SS[.ffffff]', with a ' UTC' suffix on BigQuery exports, or ISO
    'T...Z': all three are read), flags as booleans (true/false in any case), numbers as
    decimals. A column the export lacks comes out null; an absent table is empty, except
    `contact`, without which there are no contacts. Files are named <prefix><table>, with
    <prefix> = var hubspot_table_prefix.

    Types: id, text, timestamp, boolean, decimal. `property_columns` adds the
    property_<name> columns named by vars (hubspot_contact_fields).
-#}
{% macro hubspot_tables() %}
{%- set tables_yaml -%}
contact:
  required: true
  columns: {id: id, property_email: text, property_createdate: timestamp,
            property_company: text, property_country: text,
            property_hs_merged_object_ids: text, _fivetran_deleted: boolean,
            _fivetran_synced: timestamp}
contact_merge_audit:
  columns: {vid_to_merge: id, canonical_vid: id, timestamp: timestamp}
contact_property_history:
  columns: {contact_id: id, name: text, value: text, timestamp: timestamp, source_id: text}
contact_list:
  columns: {id: id, name: text, object_type_id: text, _fivetran_deleted: boolean}
contact_list_member:
  columns: {contact_list_id: id, contact_id: id, added_at: timestamp,
            _fivetran_deleted: boolean, _fivetran_synced: timestamp}
email_campaign:
  columns: {id: id, name: text, subject: text, content_id: id, _fivetran_deleted: boolean}
email_event:
  columns: {id: text, type: text, created: timestamp, email_campaign_id: id,
            recipient: text, filtered_event: boolean, _fivetran_deleted: boolean}
email_event_click:
  columns: {id: text, url: text}
email_event_status_change:
  columns: {id: text, portal_subscription_status: text, subscriptions: text}
marketing_campaign_asset:
  columns: {campaign_id: id, asset_type: text, id: id, _fivetran_deleted: boolean}
contact_form_submission:
  columns: {conversion_id: text, form_id: id, contact_id: id, page_id: id,
            timestamp: timestamp}
engagement_call:
  columns: {engagement_id: id, property_hs_timestamp: timestamp,
            property_hs_call_duration: decimal, _fivetran_deleted: boolean}
engagement_contact:
  columns: {engagement_id: id, contact_id: id}
deal:
  columns: {deal_id: id, deal_pipeline_id: id, deal_pipeline_stage_id: id,
            property_amount: decimal, property_createdate: timestamp,
            property_closedate: timestamp, property_deal_currency_code: text,
            is_deleted: boolean, _fivetran_deleted: boolean}
deal_contact:
  columns: {deal_id: id, contact_id: id}
deal_pipeline_stage:
  columns: {stage_id: id, pipeline_id: id, label: text, is_closed: boolean,
            closed_won: boolean, probability: decimal, _fivetran_deleted: boolean}
merged_deal:
  columns: {deal_id: id, merged_deal_id: id}
{%- endset -%}
{{ return(fromyaml(tables_yaml)) }}
{% endmacro %}


{#- The contract tables the HubSpot staging set fills. Those HubSpot cannot hold
    (hubspot_contract_file_tables) are read in the contract's format from the same folder
    or schema, their contact ids resolved through merges, their ids carrying the portal. -#}
{% macro hubspot_mapped_tables() %}
    {{ return(['contacts', 'contact_changes', 'segments', 'segment_members', 'emails',
               'email_events', 'form_submissions', 'calls', 'deals', 'score_events']
              + marketing_kpis.hubspot_contract_file_tables()) }}
{% endmacro %}

{% macro hubspot_contract_file_tables() %}
    {{ return(['campaigns', 'campaign_costs', 'campaign_members', 'campaign_actions',
               'web_events', 'asset_downloads', 'orders']) }}
{% endmacro %}


{#- The portals read: [{'name': none|text, 'raw_data_path': ..., 'raw_schema': ...}].
    One portal (name none, ids as HubSpot writes them) from var raw_data_path or
    raw_schema; several from var hubspot_portals, each id prefixed '<name>:'. -#}
{% macro hubspot_portals() %}
    {%- set listed = var('hubspot_portals', []) or [] -%}
    {%- if listed | length == 0 -%}
        {{ return([{'name': none, 'raw_data_path': var('raw_data_path', none),
                    'raw_schema': var('raw_schema', none)}]) }}
    {%- endif -%}
    {%- set portals = [] -%}
    {%- for entry in listed -%}
        {%- do portals.append({'name': entry.get('portal') | string | trim,
                               'raw_data_path': entry.get('raw_data_path'),
                               'raw_schema': entry.get('raw_schema')}) -%}
    {%- endfor -%}
    {{ return(portals) }}
{% endmacro %}


{#- An id with its portal: '<portal>:<id>' with several portals, the id alone with one -#}
{% macro hubspot_portal_id(value, portal) -%}
    {%- if portal.name is none -%}
        {{ value }}
    {%- else -%}
        case when {{ value }} is not null then '{{ portal.name }}:' || {{ value }} end
    {%- endif -%}
{%- endmacro %}


{#- one HubSpot value, typed -#}
{% macro hubspot_typed(column, type, portal) -%}
    {%- if type == 'id' -%}
        {{ marketing_kpis.hubspot_portal_id(marketing_kpis.mautic_typed(column, 'id'), portal) }}
    {%- elif type == 'timestamp' -%}
        {{ marketing_kpis.connector_utc_timestamp(column) }}
    {%- elif type == 'decimal' -%}
        {{ marketing_kpis.to_decimal(column) }}
    {%- else -%}
        {{ marketing_kpis.mautic_typed(column, type) }}
    {%- endif -%}
{%- endmacro %}


{#- Where one portal keeps one HubSpot table: {'from', 'label', 'columns', 'exists',
    'is_empty_file', 'looked_for'} -#}
{% macro hubspot_table_location(stem, portal) %}
    {%- if portal.raw_data_path is not none -%}
        {{ return(adapter.dispatch('raw_file_input', 'marketing_kpis')(
            stem, portal.raw_data_path)) }}
    {%- elif portal.raw_schema is not none -%}
        {{ return(marketing_kpis.schema_table_input(
            marketing_kpis.relation_in(portal.raw_schema, stem))) }}
    {%- endif -%}
    {{ marketing_kpis.refuse(
        "var source_system is 'hubspot' but " ~ ("portal '" ~ portal.name ~ "' of var"
        ~ " hubspot_portals has neither raw_data_path nor raw_schema" if portal.name
        else "neither var raw_data_path (a folder of the Fivetran HubSpot tables) nor var"
        ~ " raw_schema (the connector's schema) is set") ~ ". See README, HubSpot input.") }}
{% endmacro %}


{#- A HubSpot table, all portals unioned, as a relation with the columns of
    hubspot_tables() (typed), the property columns asked for (text) and `portal`. -#}
{% macro hubspot_input(table_name, property_columns=[], with_text=false) %}
    {%- set spec = marketing_kpis.hubspot_tables()[table_name] -%}
    {%- set columns = dict(spec.columns) -%}
    {%- for column in property_columns -%}
        {%- if column and column | lower not in columns -%}
            {%- do columns.update({column | lower: 'text'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not execute -%}
        {{ return('(select 1 as not_compiled_yet) as hubspot_' ~ table_name) }}
    {%- endif -%}
    {%- set stem = (var('hubspot_table_prefix', '') or '') ~ table_name -%}
    {%- set parts = [] -%}
    {%- for portal in marketing_kpis.hubspot_portals() -%}
        {%- set input = marketing_kpis.hubspot_table_location(stem, portal) -%}
        {%- if spec.get('required') and (not input.exists or input.is_empty_file) -%}
            {{ marketing_kpis.refuse(
                "Bad HubSpot input: the " ~ stem ~ " table is required (it holds the"
                ~ " contacts) and " ~ input.label ~ (" is empty" if input.exists
                else " does not exist" ~ input.get('looked_for', '')) ~ "."
                ~ (" Is var hubspot_table_prefix ('" ~ var('hubspot_table_prefix', '')
                   ~ "') right?" if not input.exists else "")) }}
        {%- endif -%}
        {%- set by_name = {} -%}
        {%- for name in input.columns -%}
            {#- a BOM before the first header reads as part of its name -#}
            {%- do by_name.update({marketing_kpis.normalized_name(
                name | replace('\ufeff', '')): name}) -%}
        {%- endfor -%}
        {%- if spec.get('required') and 'id' not in by_name -%}
            {{ marketing_kpis.refuse(
                "Bad HubSpot input in " ~ input.label ~ ": no id column. Columns found: "
                ~ input.columns | join(', ') ~ ".") }}
        {%- endif -%}
        {%- set select_list = [] -%}
        {%- for column, type in columns.items() -%}
            {%- set found = by_name.get(marketing_kpis.normalized_name(column)) -%}
            {%- if found is not none -%}
                {%- do select_list.append(marketing_kpis.hubspot_typed(
                    adapter.quote(found), type, portal) ~ ' as ' ~ adapter.quote(column)) -%}
                {%- if with_text and type == 'timestamp' -%}
                    {#- the value as exported, for the preflight's check -#}
                    {%- do select_list.append(marketing_kpis.clean_text(adapter.quote(found))
                        ~ ' as ' ~ adapter.quote(column ~ '__text')) -%}
                {%- endif -%}
            {%- else -%}
                {%- if with_text and type == 'timestamp' -%}
                    {%- do select_list.append('cast(null as ' ~ dbt.type_string() ~ ') as '
                        ~ adapter.quote(column ~ '__text')) -%}
                {%- endif -%}
                {%- set null_type = {'timestamp': dbt.type_timestamp(),
                                     'decimal': dbt.type_numeric(),
                                     'boolean': dbt.type_boolean()}.get(type, dbt.type_string()) -%}
                {%- do select_list.append('cast(null as ' ~ null_type ~ ') as '
                    ~ adapter.quote(column)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do select_list.append(("'" ~ portal.name ~ "'" if portal.name
            else 'cast(null as ' ~ dbt.type_string() ~ ')') ~ ' as portal') -%}
        {%- if input.exists and not input.is_empty_file -%}
            {%- do parts.append('select ' ~ select_list | join(', ') ~ ' from '
                ~ input['from'] ~ ' as raw_table') -%}
        {%- else -%}
            {%- do parts.append('select ' ~ select_list | join(', ') ~ ' where 1 = 0') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('(' ~ parts | join(' union all ') ~ ') as hubspot_' ~ table_name) }}
{% endmacro %}


{#- A contract-format table kept beside the HubSpot export (campaigns.csv, ...), all
    portals unioned: the contract's columns, untyped as read (staging types them), ids
    prefixed with the portal, contact_id resolved to the canonical contact
    (stg_hubspot__contact_identities). Rows whose contact is no kept contact get
    drop_reason 'contact'. -#}
{% macro hubspot_contract_file(table_name) %}
    {%- set contract = marketing_kpis.raw_contract()[table_name] -%}
    {%- set has_contact = 'contact_id' in contract.columns -%}
    {#- (ref() before the execute test: dbt records the dependency while parsing) -#}
    {%- set identities = ref('stg_hubspot__contact_identities') if has_contact else none -%}
    {%- if not execute -%}
        {{ return('select 1 as not_compiled_yet') }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for portal in marketing_kpis.hubspot_portals() -%}
        {%- set info = marketing_kpis.raw_input_info(table_name, windowed=false, direct=true,
                                                     portal=portal) -%}
        {%- set select_list = [] -%}
        {%- for column, spec in contract.columns.items() -%}
            {%- set is_id = column.endswith('_id') and spec.type == 'string' -%}
            {%- set value = marketing_kpis.clean_text(column) if is_id else column -%}
            {%- do select_list.append((marketing_kpis.hubspot_portal_id(value, portal)
                if is_id else column) ~ ' as ' ~ column) -%}
        {%- endfor -%}
        {%- do parts.append('select ' ~ select_list | join(', ') ~ ' from ' ~ info.sql) -%}
    {%- endfor -%}
    {%- set unioned = '(' ~ parts | join(' union all ') ~ ') as contract_rows' -%}
    {%- if not has_contact -%}
        {{ return('select contract_rows.*, cast(null as ' ~ dbt.type_string()
            ~ ') as drop_reason from ' ~ unioned) }}
    {%- endif -%}
    {%- set others = [] -%}
    {%- for column in contract.columns if column != 'contact_id' -%}
        {%- do others.append('contract_rows.' ~ column) -%}
    {%- endfor -%}
    {%- set sql -%}
        select
            {{ others | join(', ') }},
            coalesce(identities.canonical_contact_id, contract_rows.contact_id) as contact_id,
            case
                {# with Salesforce as the CRM, a contract file may name a Salesforce
                    person: stg_salesforce__* resolve it #}
                when contract_rows.contact_id is not null
                    and identities.canonical_contact_id is null
                    and {{ 'false' if marketing_kpis.crm_system() == 'salesforce' else 'true' }}
                    then 'contact'
            end as drop_reason
        from {{ unioned }}
        left join {{ identities }} as identities
            on contract_rows.contact_id = identities.contact_id
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}


{#- Post-hook of the HubSpot staging models: a warning per drop reason and per unknown
    value, with its count. reasons: {drop_reason: what it means}; unknown: (column, what,
    consequence) when the model flags unknown values in is_unknown. -#}
{% macro hubspot_warn(reasons={}, unknown=none, system='HubSpot') %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- if reasons -%}
        {%- set found = run_query("select drop_reason, count(*) from " ~ this
            ~ " where drop_reason is not null group by drop_reason order by 1") -%}
        {%- for row in found.rows if row[0] in reasons -%}
            {%- do marketing_kpis.warn(system ~ " input: " ~ row[1] ~ " row"
                ~ ('s' if row[1] != 1 else '') ~ " of " ~ this.identifier ~ " dropped: "
                ~ reasons.get(row[0], row[0]) ~ ".") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if unknown -%}
        {%- set found = run_query("select " ~ unknown[0] ~ ", count(*) from " ~ this
            ~ " where is_unknown group by " ~ unknown[0] ~ " order by 2 desc, 1") -%}
        {%- for row in found.rows -%}
            {%- do marketing_kpis.warn(system ~ " input: " ~ row[1] ~ " row"
                ~ ('s' if row[1] != 1 else '') ~ " of " ~ this.identifier ~ " with the"
                ~ " unknown " ~ unknown[1] ~ " '" ~ row[0] ~ "', " ~ unknown[2] ~ ".") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#- The reason a row naming a contact is dropped, for hubspot_warn -#}
{% macro hubspot_contact_drop_reasons() %}
    {{ return({'contact': 'its contact id is no kept contact (deleted, unknown, or merged'
               ~ ' into a deleted contact)'}) }}
{% endmacro %}


{#- An id read from text with the portal of its row (portal_column null: one portal) -#}
{% macro hubspot_portal_id_by_row(value, portal_column) -%}
    case
        when {{ value }} is null or {{ value }} = '' then null
        when {{ portal_column }} is null then {{ value }}
        else {{ portal_column }} || ':' || {{ value }}
    end
{%- endmacro %}


{#- An id without its portal prefix (for ids built from two ids: 'acme:7-12', not
    'acme:7-acme:12') -#}
{% macro hubspot_unprefixed(value) -%}
    {%- if var('hubspot_portals', []) -%}
        split_part({{ value }}, ':', 2)
    {%- else -%}
        {{ value }}
    {%- endif -%}
{%- endmacro %}


{#- An id made of a text and another id: 'deal-7001', and with several portals
    'acme:deal-7001' (the portal stays in front) -#}
{% macro hubspot_derived_id(text, id_column) -%}
    {%- if var('hubspot_portals', []) -%}
        split_part({{ id_column }}, ':', 1) || ':' || {{ text }} || split_part({{ id_column }}, ':', 2)
    {%- else -%}
        {{ text }} || {{ id_column }}
    {%- endif -%}
{%- endmacro %}


{#- A fingerprint of who is a contact in the HubSpot export: the ids, deletions and
    merges of `contact` and `contact_merge_audit` (rows and the sum of their hashes). A
    merge or a deletion moves or drops rows of every day of a contact's history, which an
    incremental run cannot follow: the preflight rebuilds from scratch when it changes
    (build_state.sql, rebuild_if_the_input_changed). -#}
{% macro hubspot_contacts_fingerprint() %}
    {%- set contact_hash = marketing_kpis.row_hash_number(
        ['id', '_fivetran_deleted', 'property_hs_merged_object_ids']) -%}
    {%- set audit_hash = marketing_kpis.row_hash_number(['vid_to_merge', 'canonical_vid']) -%}
    {%- set parts = [] -%}
    {%- for table_name, row_hash in [('contact', contact_hash),
                                     ('contact_merge_audit', audit_hash)] -%}
        {%- set row = run_query("select count(*), cast(sum(" ~ row_hash ~ ") as "
            ~ dbt.type_string() ~ ") from " ~ marketing_kpis.hubspot_input(table_name)).rows[0] -%}
        {%- do parts.extend(row) -%}
    {%- endfor -%}
    {{ return(parts | map('string') | join(':')) }}
{% endmacro %}


{#- The preflight's check of one HubSpot table: {'rows': n, 'problems': [...]}, a problem
    per timestamp column holding values that do not parse (as the contract's files are
    refused for them): dropped silently, they would turn a won deal into no order. -#}
{% macro hubspot_table_check(table_name) %}
    {%- set times = {} -%}
    {%- for column, type in marketing_kpis.hubspot_tables()[table_name].columns.items()
        if type == 'timestamp' -%}
        {%- do times.update({column: type}) -%}
    {%- endfor -%}
    {{ return(marketing_kpis.connector_table_check('HubSpot',
        (var('hubspot_table_prefix', '') or '') ~ table_name,
        marketing_kpis.hubspot_input(table_name, with_text=true), times)) }}
{% endmacro %}


{#- The campaign of each asset of one type (MARKETING_EMAIL: an email's content_id; FORM:
    a form id) in marketing_campaign_asset: (asset_id, campaign_id), the lowest campaign id
    when an asset is in several campaigns. -#}
{% macro hubspot_campaign_assets(asset_type) -%}
    select
        id as asset_id,
        min(campaign_id) as campaign_id
    from {{ marketing_kpis.hubspot_input('marketing_campaign_asset') }}
    where
        upper(trim(asset_type)) = '{{ asset_type }}'
        and not coalesce(_fivetran_deleted, false)
    group by id
{%- endmacro %}
