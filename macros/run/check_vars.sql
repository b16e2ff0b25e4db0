{#-
    The documented vars (dbt_project.yml) and what a valid value of each is. The preflight
    (on-run-start) refuses a run whose vars are not valid, before any model runs, with one
    line per var naming it and saying what to set: a threshold that is not a number would
    otherwise surface as a Binder Error deep in a model, a time zone that does not exist as
    an engine error, a list written as a string as "unknown grain 'm'".

    Kinds: strings (a list of text values), number, positive (> 0), days (an integer >= 0),
    positive_days (an integer > 0), share (a number in [0, 0.5]), boolean, time_zone,
    grains, bands (increasing numbers), text (a non-empty text), optional_text (text or
    null), prefix (letters, digits, underscores), source_system, date, encoding,
    delimiter, mapping (name -> text or null), campaign_attributes, action_types.
    tools/tests/test_run_guarantees.py checks that every var of dbt_project.yml is here.
-#}
{% macro var_kinds() %}
    {{ return({
        'raw_data_path': 'optional_text',
        'raw_schema': 'optional_text',
        'raw_csv_encoding': 'encoding',
        'raw_csv_delimiter': 'delimiter',
        'earliest_valid_date': 'date',
        'source_system': 'source_system',
        'mautic_table_prefix': 'prefix',
        'mautic_null_strings': 'strings',
        'mautic_contact_fields': 'mapping',
        'mautic_campaign_attributes': 'campaign_attributes',
        'mautic_campaign_action_types': 'action_types',
        'hubspot_table_prefix': 'prefix',
        'hubspot_contact_fields': 'mapping',
        'hubspot_score_property': 'text',
        'hubspot_lifecycle_stage_map': 'mapping',
        'hubspot_email_campaigns': 'mapping',
        'hubspot_orders_from_won_deals': 'boolean',
        'hubspot_portals': 'portals',
        'crm_system': 'crm_system',
        'salesforce_data_path': 'optional_text',
        'salesforce_schema': 'optional_text',
        'salesforce_lifecycle_field': 'text',
        'salesforce_lifecycle_stage_map': 'mapping',
        'salesforce_contact_type_field': 'optional_text',
        'salesforce_score_field': 'optional_text',
        'salesforce_campaign_attributes': 'campaign_attributes',
        'salesforce_orders_from_won_opportunities': 'boolean',
        'lead_lifecycle_stages': 'strings',
        'lead_contact_types': 'strings',
        'lead_segments': 'strings',
        'mql_score_threshold': 'number',
        'mql_lifecycle_stages': 'strings',
        'sql_lifecycle_stages': 'strings',
        'customer_contact_types': 'strings',
        'customer_segments': 'strings',
        'former_customer_contact_types': 'strings',
        'customer_lifecycle_stages': 'strings',
        'recycled_lifecycle_stages': 'strings',
        'contact_type_field': 'text',
        'lifecycle_stage_field': 'text',
        'exclude_machine_opens': 'boolean',
        'attribution_lookback_days': 'days',
        'attribution_half_life_days': 'positive',
        'position_based_edge_share': 'share',
        'reporting_timezone': 'time_zone',
        'kpi_period_grains': 'grains',
        'scoring_horizon_days': 'positive_days',
        'score_bands': 'bands',
        'customer_lifespan_years': 'positive',
        'incremental_lookback_days': 'days',
        'schema_prefix': 'prefix',
    }) }}
{% endmacro %}


{#- the grains the family marts know (DESIGN.md section 4 names month and week) -#}
{% macro known_grains() %}
    {{ return(['day', 'week', 'month', 'quarter', 'year']) }}
{% endmacro %}


{#- a var's value as the user wrote it, for a message -#}
{% macro shown_value(value) -%}
    {%- if value is string -%}
        {{ return("'" ~ value ~ "'") }}
    {%- elif value is none -%}
        {{ return('null') }}
    {%- else -%}
        {{ return(tojson(value)) }}
    {%- endif -%}
{%- endmacro %}


{% macro _is_number(value) -%}
    {{ return(value is number and value is not boolean) }}
{%- endmacro %}


{#- what is wrong with one value of a kind, or none -#}
{% macro var_problem(name, value, kind) %}
    {%- set shown = marketing_kpis.shown_value(value) -%}
    {%- set is_number = marketing_kpis._is_number(value) -%}
    {%- set is_list = value is sequence and value is not string and value is not mapping -%}
    {%- if kind == 'optional_text' and value is not none
        and (value is not string or value | trim == '') -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": set it to a text (a folder or schema"
            ~ " name), or leave it unset.") }}
    {%- elif kind == 'text' and (value is not string or value | trim == '') -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": set it to a field name, e.g. '"
            ~ (name | replace('_field', '') if name.endswith('_field') else 'hubspotscore')
            ~ "'.") }}
    {%- elif kind == 'strings' and (not is_list or value | reject('string') | list) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a list of text values, e.g."
            ~ " --vars '{" ~ name ~ ": [" ~ (value if value is string else 'value') ~ "]}'"
            ~ " ([] switches it off).") }}
    {%- elif kind == 'number' and not is_number -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ", which is not a number: set a number,"
            ~ " e.g. --vars '{" ~ name ~ ": 80}'.") }}
    {%- elif kind == 'positive' and not (is_number and value > 0) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a number greater than 0.") }}
    {%- elif kind in ['days', 'positive_days']
        and not (value is integer and value is not boolean
                 and value >= (1 if kind == 'positive_days' else 0)) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a whole number of days"
            ~ (" greater than 0." if kind == 'positive_days' else " (0 or more).")) }}
    {%- elif kind == 'share' and not (is_number and value >= 0 and value <= 0.5) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a number from 0 to 0.5 (the"
            ~ " share of the first and of the last touch; 0.4 gives 40/20/40).") }}
    {%- elif kind == 'boolean' and value is not boolean -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be true or false (without"
            ~ " quotes).") }}
    {%- elif kind == 'time_zone' and (value is not string
        or value not in modules.pytz.all_timezones_set) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ", which is not a time zone: use an IANA"
            ~ " name such as 'Europe/Paris', 'America/New_York' or 'UTC'.") }}
    {%- elif kind == 'grains' -%}
        {%- set grains = marketing_kpis.known_grains() -%}
        {%- if not is_list or not value or value | reject('in', grains) | list
            or value | unique | list | length != value | length -%}
            {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a list of distinct grains"
                ~ " among " ~ grains | join(', ') ~ ", e.g. --vars '{" ~ name ~ ": [month]}'.") }}
        {%- endif -%}
    {%- elif kind == 'bands' -%}
        {%- if not is_list or not value or value | reject('number') | list
            or value | select('boolean') | list -%}
            {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a list of increasing"
                ~ " numbers (the lower bounds of the score bands), e.g. [0, 50, 100].") }}
        {%- endif -%}
        {%- for bound in value[1:] -%}
            {%- if bound <= value[loop.index0] -%}
                {{ return("var " ~ name ~ " is " ~ shown ~ ": its bounds must increase,"
                    ~ " e.g. [0, 50, 100].") }}
            {%- endif -%}
        {%- endfor -%}
    {%- elif kind == 'prefix' and (value is not string
        or not modules.re.match('^[A-Za-z0-9_]*$', value)) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": use letters, digits and underscores"
            ~ " only (e.g. 'acme_'), or ''.") }}
    {%- elif kind == 'source_system' and (value is not string
        or value | lower | trim not in ['contract', 'mautic', 'hubspot']) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": use 'contract' (tables in the raw"
            ~ " contract's shape, the default), 'mautic' (a Mautic database export) or"
            ~ " 'hubspot' (the tables of Fivetran's HubSpot connector).") }}
    {%- elif kind == 'crm_system' and (value is not string
        or value | lower | trim not in ['none', 'salesforce']) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": use 'none' (deals, orders, costs and"
            ~ " calls come with the marketing input, the default) or 'salesforce' (the tables"
            ~ " of Fivetran's Salesforce connector; README, Salesforce as the CRM).") }}
    {%- elif kind == 'portals' -%}
        {%- set names = [] -%}
        {%- for entry in (value if is_list else [none]) -%}
            {%- if entry is not mapping or not entry.get('portal')
                or not modules.re.match('^[A-Za-z0-9_-]+$', entry.get('portal') | string)
                or (entry.get('raw_data_path') is none) == (entry.get('raw_schema') is none)
                or entry.get('portal') in names -%}
                {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a list of portals,"
                    ~ " each with a distinct name (letters, digits, - and _) and either a"
                    ~ " folder or a schema, e.g. [{portal: acme, raw_data_path: exports/acme},"
                    ~ " {portal: beta, raw_schema: hubspot_beta}]; [] reads var raw_data_path"
                    ~ " or raw_schema as one portal.") }}
            {%- endif -%}
            {%- do names.append(entry.get('portal')) -%}
        {%- endfor -%}
    {%- elif kind == 'date' and (value is not string
        or not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | trim)
        or not marketing_kpis._is_date(value | trim)) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be a date written"
            ~ " 'YYYY-MM-DD', e.g. '2000-01-01'.") }}
    {%- elif kind == 'encoding' and (value is not string
        or marketing_kpis.csv_encoding() is none) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": the CSV files can be read as utf-8 (the"
            ~ " default), utf-16 or latin-1 (iso-8859-1); for another encoding convert them"
            ~ " first, e.g. iconv -f <encoding> -t utf-8 in.csv > out.csv.") }}
    {%- elif kind == 'delimiter' and value is not none
        and not (value is string and (value | length == 1 or value | lower in ['tab', '\\t'])) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must be one character (',', ';',"
            ~ " '|') or 'tab'; leave it unset to let DuckDB detect it.") }}
    {%- elif kind == 'mapping' and (value is not mapping
        or value.values() | reject('none') | reject('string') | list) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must map each contract column to"
            ~ " a name or to null, e.g. {contact_type: contact_type}.") }}
    {%- elif kind == 'campaign_attributes' and (value is not mapping
        or value.values() | reject('mapping') | list) -%}
        {{ return("var " ~ name ~ " is " ~ shown ~ ": it must map Mautic campaign ids to"
            ~ " attributes, e.g. {\"12\": {campaign_type: webinar, audience: prospect}}.") }}
    {%- elif kind == 'action_types' -%}
        {%- set accepted = marketing_kpis.raw_contract().campaign_actions.columns.action_type
            .accepted -%}
        {%- if value is not mapping or value.values() | reject('in', accepted) | list -%}
            {{ return("var " ~ name ~ " is " ~ shown ~ ": it must map Mautic event types to"
                ~ " one of " ~ accepted | join(', ') ~ ".") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}


{% macro _is_date(text) -%}
    {%- set parts = text.split('-') | map('int') | list -%}
    {%- if parts[0] < 1 or parts[0] > 9998 or parts[1] < 1 or parts[1] > 12 or parts[2] < 1 -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set next_month = modules.datetime.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1) -%}
    {{ return(parts[2] <= (next_month - modules.datetime.timedelta(days=1)).day) }}
{%- endmacro %}


{#- Every problem with the vars of this run, one line each -#}
{% macro var_problems() %}
    {%- set problems = [] -%}
    {%- for name, kind in marketing_kpis.var_kinds().items() -%}
        {%- set problem = marketing_kpis.var_problem(name, var(name, none), kind) -%}
        {%- if problem -%}{%- do problems.append(problem) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{% endmacro %}


{#- The value of a documented var, for the models and macros that compute with it. dbt
    renders every model once while it parses the project, before the preflight can refuse
    a bad value; a value of the wrong type (a string where a list is expected) would crash
    that parse with a Python error naming no var. While parsing, a value that is not valid
    is replaced by a harmless one of its kind; when a node runs, the preflight has refused
    it already, and a command without a preflight (dbt compile, dbt show) gets the var's
    one-line message. -#}
{% macro setting(name) %}
    {%- set value = var(name) -%}
    {%- set kind = marketing_kpis.var_kinds()[name] -%}
    {%- set problem = marketing_kpis.var_problem(name, value, kind) -%}
    {%- if problem is none -%}
        {{ return(value) }}
    {%- elif execute -%}
        {{ marketing_kpis.refuse(problem) }}
    {%- endif -%}
    {{ return({'strings': [], 'grains': ['month'], 'bands': [0], 'boolean': true,
               'time_zone': 'UTC', 'text': 'field', 'mapping': {}, 'campaign_attributes': {},
               'action_types': {}, 'portals': []}.get(kind, 1)) }}
{% endmacro %}


{#- The lifecycle_stage values that signal a stage: var <stage>_lifecycle_stages, plus,
    with source_system hubspot, the project stage itself for lead and customer (HubSpot's
    lifecycle stages are mapped onto the project's by var hubspot_lifecycle_stage_map). -#}
{% macro lifecycle_stage_values(stage) %}
    {%- set values = marketing_kpis.setting(stage ~ '_lifecycle_stages') | list -%}
    {%- if stage in ['lead', 'customer'] and var('source_system', 'contract') | lower | trim == 'hubspot'
        and stage not in values -%}
        {%- set values = values + [stage] -%}
    {%- endif -%}
    {#- Salesforce lead statuses map onto 'lead' (var salesforce_lifecycle_stage_map) -#}
    {%- if stage == 'lead' and marketing_kpis.crm_system() == 'salesforce'
        and stage not in values -%}
        {%- set values = values + [stage] -%}
    {%- endif -%}
    {{ return(values) }}
{% endmacro %}
