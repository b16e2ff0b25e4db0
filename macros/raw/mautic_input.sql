{#-
    The Mautic input mode (var source_system: mautic, README "Mautic input").

    mautic_tables() lists the Mautic tables the staging set in models/staging/mautic reads,
    with the columns it uses and their Mautic types. mautic_input(table) reads one of them
    from var raw_data_path (<prefix><table>.csv / .csv.gz / .parquet or a <prefix><table>/
    folder, read in place on DuckDB) or from var raw_schema (tables named <prefix><table>),
    with <prefix> = var mautic_table_prefix, and returns a relation holding exactly those
    columns, typed: ids as text (Mautic's integer ids become '12'), datetimes as UTC
    timestamps (Mautic stores UTC), tinyint(1) flags as booleans, integers as bigint. A
    column the export lacks comes out null; an absent table is empty, except `leads`,
    without which there are no contacts.

    Types: id (an integer id, read as text), text, timestamp, integer, boolean.
-#}
{% macro mautic_tables() %}
{%- set tables_yaml -%}
leads:
  required: true
  columns: {id: id, date_added: timestamp, date_identified: timestamp, email: text,
            company: text, country: text}
lead_lists:
  columns: {id: id, name: text, alias: text}
lead_lists_leads:
  columns: {leadlist_id: id, lead_id: id, date_added: timestamp, manually_removed: boolean}
lead_event_log:
  columns: {id: id, lead_id: id, bundle: text, object: text, action: text, object_id: id,
            date_added: timestamp}
campaigns:
  columns: {id: id, name: text, category_id: id, publish_up: timestamp,
            publish_down: timestamp, date_added: timestamp}
categories:
  columns: {id: id, title: text, alias: text}
campaign_leads:
  columns: {campaign_id: id, lead_id: id, date_added: timestamp, manually_removed: boolean,
            date_last_exited: timestamp, rotation: integer}
campaign_form_xref:
  columns: {campaign_id: id, form_id: id}
campaign_events:
  columns: {id: id, campaign_id: id, name: text, type: text, event_type: text, channel: text,
            channel_id: id}
campaign_lead_event_log:
  columns: {id: id, event_id: id, lead_id: id, campaign_id: id, rotation: integer,
            date_triggered: timestamp, is_scheduled: boolean, non_action_path_taken: boolean}
campaign_lead_event_failed_log:
  columns: {log_id: id, date_added: timestamp}
emails:
  columns: {id: id, name: text, subject: text, variant_parent_id: id, date_added: timestamp}
email_stats:
  columns: {id: id, email_id: id, lead_id: id, date_sent: timestamp, is_failed: boolean,
            is_read: boolean, date_read: timestamp}
email_stats_devices:
  columns: {id: id, stat_id: id, date_opened: timestamp}
page_hits:
  columns: {id: id, date_hit: timestamp, page_id: id, redirect_id: id, email_id: id,
            lead_id: id, tracking_id: text, url: text, query: text}
form_submissions:
  columns: {id: id, form_id: id, lead_id: id, page_id: id, tracking_id: text,
            date_submitted: timestamp}
asset_downloads:
  columns: {id: id, asset_id: id, lead_id: id, email_id: id, date_download: timestamp,
            utm_campaign: text}
lead_points_change_log:
  columns: {id: id, lead_id: id, type: text, event_name: text, action_name: text,
            delta: integer, date_added: timestamp}
stages:
  columns: {id: id, name: text}
lead_stages_change_log:
  columns: {id: id, lead_id: id, stage_id: id, date_added: timestamp}
lead_donotcontact:
  columns: {id: id, lead_id: id, date_added: timestamp, reason: integer, channel: text,
            channel_id: id}
audit_log:
  columns: {id: id, bundle: text, object: text, object_id: id, action: text, details: text,
            date_added: timestamp}
{%- endset -%}
{{ return(fromyaml(tables_yaml)) }}
{% endmacro %}


{#- the contract tables the Mautic staging set fills; the others (deals, orders,
    campaign_costs, calls) are read in the contract's format from the same folder -#}
{% macro mautic_mapped_tables() %}
    {{ return(['contacts', 'contact_changes', 'campaigns', 'campaign_members',
               'campaign_actions', 'segments', 'segment_members', 'emails', 'email_events',
               'web_events', 'form_submissions', 'asset_downloads', 'score_events']) }}
{% endmacro %}


{#- var source_system, checked -#}
{% macro source_system() %}
    {%- set system = var('source_system', 'contract') | string | lower | trim -%}
    {%- if system not in ['contract', 'mautic', 'hubspot'] -%}
        {{ marketing_kpis.refuse(
            "var source_system is '" ~ system ~ "': use 'contract' (tables in the raw"
            ~ " contract's shape, the default), 'mautic' (a Mautic database export) or"
            ~ " 'hubspot' (the tables of Fivetran's HubSpot connector).") }}
    {%- endif -%}
    {{ return(system) }}
{% endmacro %}


{#- one Mautic value, typed -#}
{% macro mautic_typed(column, type) -%}
    {%- if type in ('id', 'text') -%}
        {#- '12.0' (an id a converter wrote as a float) is the id 12 -#}
        {%- if type == 'id' -%}
            coalesce(
                cast({{ marketing_kpis.to_integer(marketing_kpis.clean_text(column)) }}
                    as {{ dbt.type_string() }}),
                {{ marketing_kpis.clean_text(column) }}
            )
        {%- else -%}
            {{ marketing_kpis.clean_text(column) }}
        {%- endif -%}
    {%- elif type == 'timestamp' -%}
        {{ marketing_kpis.to_utc_timestamp(column) }}
    {%- elif type == 'integer' -%}
        {{ marketing_kpis.to_integer(column) }}
    {%- elif type == 'boolean' -%}
        {{ marketing_kpis.to_boolean(column) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("mautic_typed: unknown type " ~ type) }}
    {%- endif -%}
{%- endmacro %}


{#- A Mautic table as a relation with the columns of mautic_tables(), typed, plus
    extra_columns (names of text columns, such as the custom fields of leads). -#}
{% macro mautic_input(table_name, extra_columns=[]) %}
    {%- set spec = marketing_kpis.mautic_tables()[table_name] -%}
    {%- set columns = dict(spec.columns) -%}
    {%- for column in extra_columns -%}
        {%- if column and column | lower not in columns -%}
            {%- do columns.update({column | lower: 'text'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set stem = (var('mautic_table_prefix', '') or '') ~ table_name -%}
    {%- if not execute -%}
        {{ return('(select 1 as not_compiled_yet) as mautic_' ~ table_name) }}
    {%- endif -%}

    {%- if var('raw_data_path', none) is not none -%}
        {%- set input = adapter.dispatch('raw_file_input', 'marketing_kpis')(
            stem, var('raw_data_path'), null_strings=marketing_kpis.setting('mautic_null_strings')) -%}
    {%- elif var('raw_schema', none) is not none -%}
        {%- set existing = adapter.get_relation(
            database=marketing_kpis.target_database(), schema=var('raw_schema'),
            identifier=stem) -%}
        {%- set found = [] if existing is none else
            adapter.get_columns_in_relation(existing) | map(attribute='name') | list -%}
        {%- set input = {'from': existing, 'label': 'table ' ~ var('raw_schema') ~ '.' ~ stem,
                         'columns': found, 'exists': existing is not none,
                         'is_empty_file': false,
                         'looked_for': ' (looked for ' ~ var('raw_schema') ~ '.' ~ stem ~ ')'} -%}
    {%- else -%}
        {{ marketing_kpis.refuse(
            "var source_system is 'mautic' but neither var raw_data_path (a folder of"
            ~ " Mautic table exports) nor var raw_schema (a schema holding the Mautic"
            ~ " tables) is set. See README, section Mautic input.") }}
    {%- endif -%}

    {%- if spec.get('required') and (not input.exists or input.is_empty_file) -%}
        {{ marketing_kpis.refuse(
            "Bad Mautic input: the " ~ stem ~ " table is required (its identified leads are"
            ~ " the contacts) and " ~ input.label ~ (" is empty" if input.exists
            else " does not exist" ~ input.get('looked_for', '')) ~ "."
            ~ (" Is var mautic_table_prefix ('" ~ var('mautic_table_prefix', '')
               ~ "') right?" if not input.exists else "")) }}
    {%- endif -%}

    {%- set by_lower = {} -%}
    {%- for name in input.columns -%}
        {%- do by_lower.update({marketing_kpis.normalized_name(name): name}) -%}
    {%- endfor -%}
    {%- if spec.get('required') and 'id' not in by_lower -%}
        {{ marketing_kpis.refuse(
            "Bad Mautic input in " ~ input.label ~ ": no id column. Columns found: "
            ~ input.columns | join(', ') ~ ".") }}
    {%- endif -%}
    {%- set select_list = [] -%}
    {%- for column, type in columns.items() -%}
        {%- if column in by_lower -%}
            {%- do select_list.append(marketing_kpis.mautic_typed(
                adapter.quote(by_lower[column]), type) ~ ' as ' ~ adapter.quote(column)) -%}
        {%- else -%}
            {%- set null_type = {'timestamp': dbt.type_timestamp(),
                                 'integer': dbt.type_bigint(),
                                 'boolean': dbt.type_boolean()}.get(type, dbt.type_string()) -%}
            {%- do select_list.append('cast(null as ' ~ null_type ~ ') as '
                ~ adapter.quote(column)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if input.exists and not input.is_empty_file -%}
        {{ return('(select ' ~ select_list | join(', ') ~ ' from ' ~ input['from']
            ~ ' as raw_table) as mautic_' ~ table_name) }}
    {%- else -%}
        {{ return('(select ' ~ select_list | join(', ') ~ ' where 1 = 0) as mautic_'
            ~ table_name) }}
    {%- endif -%}
{% endmacro %}


{#- The first group of a regular expression in a text, null when it does not match.
    Patterns avoid backslashes (Spark literals would need them doubled). -#}
{% macro regexp_group(text, pattern, group=1) -%}
    {{ return(adapter.dispatch('regexp_group', 'marketing_kpis')(text, pattern, group)) }}
{%- endmacro %}

{% macro default__regexp_group(text, pattern, group=1) -%}
    nullif(regexp_extract({{ text }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro postgres__regexp_group(text, pattern, group=1) -%}
    nullif((regexp_match({{ text }}, '{{ pattern }}'))[{{ group }}], '')
{%- endmacro %}


{#- The text a PHP-serialized array (Doctrine `array` column) holds under a key, when it is
    a string: s:12:"utm_campaign";s:6:"spring" gives spring. -#}
{% macro php_serialized_value(column, key) -%}
    {{ marketing_kpis.regexp_group(
        column, 's:[0-9]+:"' ~ key ~ '";s:[0-9]+:"([^"]*)";') }}
{%- endmacro %}


{#- The old or new value of a field in a Mautic change set, serialized as
    s:<n>:"<field>";a:2:{i:0;<old>i:1;<new>} (audit_log.details); null when it is not a
    string (N; for null). -#}
{% macro php_serialized_change(column, field, which) -%}
    {%- set value = 'N;|[bid]:[^;]*;|s:[0-9]+:"[^"]*";' -%}
    {%- if which == 'old' -%}
        {{ marketing_kpis.regexp_group(
            column, 's:[0-9]+:"' ~ field ~ '";a:2:[{]i:0;s:[0-9]+:"([^"]*)";') }}
    {%- else -%}
        {{ marketing_kpis.regexp_group(
            column, 's:[0-9]+:"' ~ field ~ '";a:2:[{]i:0;(' ~ value ~ ')i:1;s:[0-9]+:"([^"]*)";',
            2) }}
    {%- endif -%}
{%- endmacro %}


{#- Membership intervals from lead_event_log: one row per (group_id, contact_id, added_at,
    removed_at), each 'added' paired with the 'removed' that ends it. Events that change
    nothing (an add while in, a removal while out) are ignored. events: a relation with
    group_id, contact_id, action ('added'/'removed'), occurred_at, event_order. -#}
{% macro mautic_membership_intervals(events) -%}
    select
        group_id,
        contact_id,
        action,
        occurred_at as added_at,
        case
            when lead(action) over (
                partition by group_id, contact_id order by occurred_at, event_order
            ) = 'removed'
                then lead(occurred_at) over (
                    partition by group_id, contact_id order by occurred_at, event_order
                )
        end as removed_at
    from (
        select
            group_id,
            contact_id,
            action,
            occurred_at,
            event_order
        from (
            select
                group_id,
                contact_id,
                action,
                occurred_at,
                event_order,
                lag(action) over (
                    partition by group_id, contact_id order by occurred_at, event_order
                ) as previous_action
            from {{ events }}
        ) as events_with_previous
        where
            (action = 'added' and coalesce(previous_action, 'removed') = 'removed')
            or (action = 'removed' and previous_action = 'added')
    ) as state_changes
{%- endmacro %}


{#- Post-hook of the Mautic models that keep unknown codes as `other`: a warning per
    unknown value, with its count. -#}
{% macro mautic_warn_unknown(column, what, consequence) %}
    {%- if execute -%}
        {%- set found = run_query(
            "select " ~ column ~ ", count(*) from " ~ this ~ " where is_unknown"
            ~ " group by " ~ column ~ " order by 2 desc, 1") -%}
        {%- for row in found.rows -%}
            {%- do exceptions.warn(
                "Mautic input: " ~ row[1] ~ " row" ~ ('s' if row[1] != 1 else '') ~ " of "
                ~ this.identifier ~ " with the unknown " ~ what ~ " '" ~ row[0] ~ "', "
                ~ consequence ~ ".") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#- The campaign a UTM campaign value names: (campaign_key, campaign_id) where the key is
    a campaign id or a campaign name in lower case (the lowest id when names repeat). -#}
{% macro mautic_campaign_keys() -%}
    select
        campaign_key,
        campaign_id
    from (
        select
            campaign_key,
            campaign_id,
            row_number() over (
                partition by campaign_key
                order by key_rank, {{ marketing_kpis.to_integer('campaign_id') }}, campaign_id
            ) as campaign_rank
        from (
            select
                campaign_id as campaign_key,
                campaign_id,
                1 as key_rank
            from {{ ref('stg_mautic__campaigns') }}
            union all
            select
                lower(trim(campaign_name)) as campaign_key,
                campaign_id,
                2 as key_rank
            from {{ ref('stg_mautic__campaigns') }}
            where campaign_name is not null
        ) as keys
    ) as ranked_keys
    where campaign_rank = 1
{%- endmacro %}


{#- utm_campaign of a page hit: from its query (PHP-serialized) or its url, lower case -#}
{% macro mautic_utm_campaign(query_column, url_column) -%}
    lower(trim(coalesce(
        {{ marketing_kpis.php_serialized_value(query_column, 'utm_campaign') }},
        {{ marketing_kpis.regexp_group(url_column, '[?&]utm_campaign=([^&#]*)') }}
    )))
{%- endmacro %}


{#- The membership events of lead_event_log for one kind of group: (bundle, object) is
    ('lead', 'segment') or ('campaign', 'campaign'); object_id is the group. -#}
{% macro mautic_membership_events(lead_event_log, bundle, object) -%}
    select
        object_id as group_id,
        lead_id as contact_id,
        lower(action) as action,
        date_added as occurred_at,
        {{ marketing_kpis.to_integer('id') }} as event_order
    from {{ lead_event_log }}
    where
        lower(bundle) = '{{ bundle }}'
        and lower(object) = '{{ object }}'
        and lower(action) in ('added', 'removed')
        and object_id is not null
        and lead_id is not null
        and date_added is not null
{%- endmacro %}
