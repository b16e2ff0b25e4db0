{#-
    The Salesforce CRM mode (var crm_system: salesforce, README "Salesforce as the CRM").

    salesforce_tables() lists the tables of Fivetran's Salesforce connector that the staging
    set in models/staging/salesforce reads, with the columns it uses and their types.
    salesforce_input(table) reads one of them from var salesforce_data_path, else var
    salesforce_schema, else the marketing input's own folder or schema (raw_data_path,
    raw_schema), and returns one relation holding exactly those columns, typed: ids as
    trimmed text, timestamps as UTC (the three spellings of the HubSpot mode), dates as
    dates ('2025-04-15' and '2025-04-15 00:00:00' are the same date), flags as booleans,
    numbers as decimals. With Fivetran's History Mode on (an `_fivetran_active` column),
    only the active version of each row is read. A column the export lacks comes out null;
    an absent table is empty.

    The staging set maps these tables onto the contract tables the CRM fills
    (salesforce_mapped_tables) and combines them with the marketing tool's rows of the same
    tables; raw_input() reads the combination.
-#}
{% macro salesforce_tables() %}
{%- set tables_yaml -%}
lead:
  columns: {id: id, email: text, created_date: timestamp, company: text, country: text,
            lead_source: text, status: text, is_converted: boolean,
            converted_contact_id: id, converted_opportunity_id: id, master_record_id: id,
            is_deleted: boolean, _fivetran_deleted: boolean, _fivetran_active: boolean}
contact:
  columns: {id: id, email: text, created_date: timestamp, account_id: id,
            lead_source: text, mailing_country: text, master_record_id: id,
            is_deleted: boolean, _fivetran_deleted: boolean, _fivetran_active: boolean}
account:
  columns: {id: id, name: text, is_deleted: boolean, _fivetran_deleted: boolean,
            _fivetran_active: boolean}
lead_history:
  columns: {lead_id: id, field: text, old_value: text, new_value: text,
            created_date: timestamp, is_deleted: boolean, _fivetran_deleted: boolean}
contact_history:
  columns: {contact_id: id, field: text, old_value: text, new_value: text,
            created_date: timestamp, is_deleted: boolean, _fivetran_deleted: boolean}
campaign:
  columns: {id: id, name: text, type: text, start_date: date, end_date: date,
            actual_cost: decimal, created_date: timestamp, is_deleted: boolean,
            _fivetran_deleted: boolean, _fivetran_active: boolean}
campaign_member:
  columns: {id: id, campaign_id: id, lead_id: id, contact_id: id, created_date: timestamp,
            last_modified_date: timestamp, is_deleted: boolean, _fivetran_deleted: boolean,
            _fivetran_active: boolean}
opportunity:
  columns: {id: id, created_date: timestamp, close_date: date, amount: decimal,
            stage_name: text, is_closed: boolean, is_won: boolean, campaign_id: id,
            currency_iso_code: text, is_deleted: boolean, _fivetran_deleted: boolean,
            _fivetran_active: boolean}
opportunity_contact_role:
  columns: {id: id, opportunity_id: id, contact_id: id, is_primary: boolean,
            created_date: timestamp, is_deleted: boolean, _fivetran_deleted: boolean,
            _fivetran_active: boolean}
task:
  columns: {id: id, who_id: id, what_id: id, task_subtype: text, type: text,
            completed_date_time: timestamp, created_date: timestamp,
            call_duration_in_seconds: decimal, is_deleted: boolean,
            _fivetran_deleted: boolean, _fivetran_active: boolean}
{%- endset -%}
{{ return(fromyaml(tables_yaml)) }}
{% endmacro %}


{#- 'none' or 'salesforce' (var crm_system) -#}
{% macro crm_system() %}
    {{ return((var('crm_system', 'none') or 'none') | string | lower | trim) }}
{% endmacro %}


{#- The contract tables the Salesforce staging set fills, combined with the marketing
    tool's rows (deals and, without an orders file, orders come from Salesforce alone) -#}
{% macro salesforce_mapped_tables() %}
    {#- score_events only when a Salesforce field holds a score (var salesforce_score_field):
        otherwise the marketing tool's score events are read as they are, incrementally -#}
    {{ return(['contacts', 'contact_changes', 'campaigns', 'campaign_costs',
               'campaign_members', 'deals', 'orders', 'calls', 'emails']
              + (['score_events'] if var('salesforce_score_field', none) else [])) }}
{% endmacro %}


{#- Where the Salesforce tables are: {'raw_data_path': ..., 'raw_schema': ...} -#}
{% macro salesforce_location() %}
    {%- if var('salesforce_data_path', none) is not none -%}
        {{ return({'raw_data_path': var('salesforce_data_path'), 'raw_schema': none}) }}
    {%- elif var('salesforce_schema', none) is not none -%}
        {{ return({'raw_data_path': none, 'raw_schema': var('salesforce_schema')}) }}
    {%- elif var('raw_data_path', none) is not none -%}
        {{ return({'raw_data_path': var('raw_data_path'), 'raw_schema': none}) }}
    {%- elif var('raw_schema', none) is not none -%}
        {{ return({'raw_data_path': none, 'raw_schema': var('raw_schema')}) }}
    {%- endif -%}
    {{ marketing_kpis.refuse(
        "var crm_system is 'salesforce' but none of vars salesforce_data_path,"
        ~ " salesforce_schema, raw_data_path, raw_schema says where the tables of Fivetran's"
        ~ " Salesforce connector are. See README, Salesforce as the CRM.") }}
{% endmacro %}


{#- one Salesforce value, typed -#}
{% macro salesforce_typed(column, type) -%}
    {%- if type in ('id', 'text') -%}
        {{ marketing_kpis.clean_text(column) }}
    {%- elif type == 'timestamp' -%}
        {{ marketing_kpis.connector_utc_timestamp(column) }}
    {%- elif type == 'date' -%}
        {#- a date, also when written with a time part (Fivetran's own seeds write
            close_date '2025-04-15 00:00:00'): the first ten characters -#}
        {{ marketing_kpis.to_date(dbt.safe_cast(
            "substring(trim(cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")), 1, 10)",
            dbt.type_string())) }}
    {%- elif type == 'decimal' -%}
        {{ marketing_kpis.to_decimal(column) }}
    {%- elif type == 'boolean' -%}
        {{ marketing_kpis.to_boolean(column) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("salesforce_typed: unknown type " ~ type) }}
    {%- endif -%}
{%- endmacro %}


{#- Where one Salesforce table is (raw_file_input or schema_table_input) -#}
{% macro salesforce_table_location(table_name) %}
    {%- set stem = table_name -%}
    {%- set location = marketing_kpis.salesforce_location() -%}
    {%- if location.raw_data_path is not none -%}
        {{ return(adapter.dispatch('raw_file_input', 'marketing_kpis')(
            stem, location.raw_data_path)) }}
    {%- endif -%}
    {{ return(marketing_kpis.schema_table_input(
        marketing_kpis.relation_in(location.raw_schema, stem))) }}
{% endmacro %}


{#- Refuses a Salesforce input without people: neither a lead nor a contact table -#}
{% macro salesforce_check_people() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set found = [] -%}
    {%- for table_name in ['lead', 'contact'] -%}
        {%- set input = marketing_kpis.salesforce_table_location(table_name) -%}
        {%- if input.exists and not input.is_empty_file -%}
            {%- do found.append(table_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not found -%}
        {{ marketing_kpis.refuse(marketing_kpis.salesforce_no_people_message()) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{% macro salesforce_no_people_message() %}
    {%- set location = marketing_kpis.salesforce_location() -%}
    {{ return("Bad Salesforce input: var crm_system is 'salesforce' but "
        ~ ("folder " ~ location.raw_data_path if location.raw_data_path is not none
           else "schema " ~ location.raw_schema)
        ~ " holds neither a lead nor a contact table of Fivetran's Salesforce connector."
        ~ " Set var salesforce_data_path or salesforce_schema to where they are (README,"
        ~ " Salesforce as the CRM).") }}
{% endmacro %}


{#- A Salesforce table as a relation with the columns of salesforce_tables(), typed (and
    as text, `<column>__text`, with with_text). History Mode: only rows whose
    _fivetran_active is not false. -#}
{% macro salesforce_input(table_name, with_text=false) %}
    {%- set spec = marketing_kpis.salesforce_tables()[table_name] -%}
    {%- if not execute -%}
        {{ return('(select 1 as not_compiled_yet) as salesforce_' ~ table_name) }}
    {%- endif -%}
    {%- set input = marketing_kpis.salesforce_table_location(table_name) -%}
    {%- set by_name = {} -%}
    {%- for name in input.columns -%}
        {%- do by_name.update({marketing_kpis.normalized_name(
            name | replace('\ufeff', '')): name}) -%}
    {%- endfor -%}
    {%- set select_list = [] -%}
    {%- for column, type in spec.columns.items() -%}
        {%- set found = by_name.get(marketing_kpis.normalized_name(column)) -%}
        {%- if with_text and type in ('timestamp', 'date') -%}
            {#- the value as exported, for the preflight's check -#}
            {%- do select_list.append((marketing_kpis.clean_text(adapter.quote(found))
                if found is not none else 'cast(null as ' ~ dbt.type_string() ~ ')')
                ~ ' as ' ~ adapter.quote(column ~ '__text')) -%}
        {%- endif -%}
        {%- if found is not none -%}
            {%- do select_list.append(marketing_kpis.salesforce_typed(
                adapter.quote(found), type) ~ ' as ' ~ adapter.quote(column)) -%}
        {%- else -%}
            {%- set null_type = {'timestamp': dbt.type_timestamp(), 'date': 'date',
                                 'decimal': dbt.type_numeric(),
                                 'boolean': dbt.type_boolean()}.get(type, dbt.type_string()) -%}
            {%- do select_list.append('cast(null as ' ~ null_type ~ ') as '
                ~ adapter.quote(column)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if input.exists and not input.is_empty_file -%}
        {%- set active = by_name.get(marketing_kpis.normalized_name('_fivetran_active')) -%}
        {{ return('(select ' ~ select_list | join(', ') ~ ' from ' ~ input['from']
            ~ ' as raw_table' ~ (' where coalesce(' ~ marketing_kpis.to_boolean(
                'raw_table.' ~ adapter.quote(active)) ~ ', true)' if active else '')
            ~ ') as salesforce_' ~ table_name) }}
    {%- endif -%}
    {{ return('(select ' ~ select_list | join(', ') ~ ' where 1 = 0) as salesforce_'
        ~ table_name) }}
{% endmacro %}


{#- a live row: neither is_deleted nor _fivetran_deleted -#}
{% macro salesforce_live(alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    not coalesce({{ prefix }}is_deleted, false) and not coalesce({{ prefix }}_fivetran_deleted, false)
{%- endmacro %}


{#- A Salesforce date as the timestamp of its local midnight (var reporting_timezone) in
    UTC, or of 23:59:59 local with end_of_day, so that its local date is the Salesforce
    date in every time zone -#}
{% macro salesforce_local_day(date_column, end_of_day=false) -%}
    {%- set local = "cast(" ~ date_column ~ " as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- if end_of_day -%}
        {%- set local = dbt.dateadd('second', 86399, local) -%}
    {%- endif -%}
    {{ marketing_kpis.local_to_utc(local) }}
{%- endmacro %}


{#- The marketing tool's rows of one contract table (what raw_input would read without
    the CRM), every contract column as text, so that they union with Salesforce's -#}
{% macro marketing_rows(table_name, remap=true) %}
    {%- set contract = marketing_kpis.raw_contract()[table_name] -%}
    {%- set people = ref('stg_salesforce__people')
        if remap and 'contact_id' in contract.columns else none -%}
    {%- set info = marketing_kpis.raw_input_info(table_name, windowed=false, crm=false) -%}
    {%- if not execute -%}
        {{ return('(select 1 as not_compiled_yet) as marketing_' ~ table_name) }}
    {%- endif -%}
    {%- set select_list = [] -%}
    {%- for column in contract.columns -%}
        {%- if column == 'contact_id' and people is not none -%}
            {#- a contact id of the marketing input's files that is a Salesforce lead or
                contact id is that person's contact -#}
            {%- do select_list.append('coalesce(people.contact_id, cast(marketing_input.'
                ~ column ~ ' as ' ~ dbt.type_string() ~ ')) as ' ~ column) -%}
        {%- else -%}
            {%- do select_list.append('cast(marketing_input.' ~ column ~ ' as '
                ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set joined = '' if people is none else ' left join ' ~ people
        ~ ' as people on people.salesforce_id = ' ~ marketing_kpis.clean_text(
            'marketing_input.contact_id') -%}
    {{ return('(select ' ~ select_list | join(', ') ~ ' from (select * from ' ~ info.sql
        ~ ') as marketing_input' ~ joined ~ ') as marketing_' ~ table_name) }}
{% endmacro %}


{#- whether the marketing input holds a contract-format file or table of this name -#}
{% macro marketing_file_exists(table_name) %}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if marketing_kpis.source_system() == 'hubspot' -%}
        {%- for portal in marketing_kpis.hubspot_portals() -%}
            {%- if marketing_kpis.raw_input_info(table_name, windowed=false, direct=true,
                    portal=portal, crm=false).exists -%}
                {{ return(true) }}
            {%- endif -%}
        {%- endfor -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(marketing_kpis.raw_input_info(table_name, windowed=false, crm=false).exists) }}
{% endmacro %}


{#- a value as contract text (the combined tables are text, as a CSV is) -#}
{% macro as_text(value) -%}
    cast({{ value }} as {{ dbt.type_string() }})
{%- endmacro %}


{#- Warnings of the Salesforce staging set (post-hooks), as hubspot_warn: rows dropped by
    reason, and unknown values kept -#}
{% macro salesforce_warn(reasons={}, unknown=none) %}
    {{ return(marketing_kpis.hubspot_warn(reasons, unknown, system='Salesforce')) }}
{% endmacro %}


{#- one warning per address of a Salesforce person held by several marketing contacts -#}
{% macro salesforce_warn_address_conflicts() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set found = run_query("select matched_address, min(contact_id),"
        ~ " min(matched_address_contacts), min(matched_address_contact_ids) from " ~ this
        ~ " where matched_address_contacts > 1 group by matched_address order by 1") -%}
    {%- for row in found.rows -%}
        {%- do marketing_kpis.warn("Salesforce input: the address " ~ row[0] ~ " of a"
            ~ " Salesforce person is held by " ~ row[2] ~ " marketing contacts (" ~ row[3]
            ~ "); the Salesforce person is matched to " ~ row[1] ~ " (created first, ties:"
            ~ " the lowest id) and the marketing contacts stay separate.") -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{#- A lead status as a project stage through var salesforce_lifecycle_stage_map (compared
    lower-cased; mapped to null: null; not listed: the value lower-cased) -#}
{% macro salesforce_stage(value) -%}
    {%- set stage_map = marketing_kpis.setting('salesforce_lifecycle_stage_map') or {} -%}
    case
        {%- for status, stage in stage_map.items() %}
        when lower(trim({{ value }})) = '{{ status | lower | trim }}'
            then {{ "'" ~ stage | lower | trim ~ "'" if stage else 'null' }}
        {%- endfor %}
        else nullif(lower(trim({{ value }})), '')
    end
{%- endmacro %}

{#- whether a lead status is one var salesforce_lifecycle_stage_map does not list -#}
{% macro salesforce_stage_is_unknown(value) -%}
    {%- set stage_map = marketing_kpis.setting('salesforce_lifecycle_stage_map') or {} -%}
    (nullif(lower(trim({{ value }})), '') is not null
     and lower(trim({{ value }})) not in (
        {%- for status in stage_map %}'{{ status | lower | trim }}', {% endfor %}''))
{%- endmacro %}


{#- The preflight's check of one Salesforce table: {'exists', 'rows', 'problems'}, a
    problem per timestamp or date column holding values that do not parse (read as null,
    they would move a call, a campaign's launch or a cost silently). -#}
{% macro salesforce_table_check(table_name) %}
    {%- set input = marketing_kpis.salesforce_table_location(table_name) -%}
    {%- if not input.exists or input.is_empty_file -%}
        {{ return({'exists': false, 'rows': 0, 'problems': []}) }}
    {%- endif -%}
    {%- set times = {} -%}
    {%- for column, type in marketing_kpis.salesforce_tables()[table_name].columns.items()
        if type in ('timestamp', 'date') -%}
        {%- do times.update({column: type}) -%}
    {%- endfor -%}
    {%- set checked = marketing_kpis.connector_table_check('Salesforce', table_name,
        marketing_kpis.salesforce_input(table_name, with_text=true), times) -%}
    {{ return({'exists': true, 'rows': checked.rows, 'problems': checked.problems}) }}
{% endmacro %}


{#- the ids of the live Salesforce campaigns (what a task's what_id, a membership or an
    opportunity may name) -#}
{% macro salesforce_campaign_ids() -%}
    select distinct id
    from {{ marketing_kpis.salesforce_input('campaign') }}
    where id is not null and {{ marketing_kpis.salesforce_live() }}
{%- endmacro %}
