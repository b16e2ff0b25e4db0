{#- What the tables of Fivetran's connectors (HubSpot, Salesforce) share -#}

{#- A timestamp of a connector table as UTC: ' UTC' (BigQuery exports) is dropped; ISO
    'T...Z' and plain text read as UTC -#}
{% macro connector_utc_timestamp(column) -%}
    {{ marketing_kpis.to_utc_timestamp(
        "replace(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), ' UTC', '')") }}
{%- endmacro %}


{#- The preflight's check of one table of a tool's connector (HubSpot, Salesforce): its
    rows, and each time column whose text does not parse. `relation_sql` reads the table
    with every time column both typed and as text (`<column>__text`); `columns` maps each
    time column to 'timestamp' or 'date'; `system` and `table_label` name the table in the
    message. Returns {'rows': n, 'problems': [one line per column with a bad value]}. -#}
{% macro connector_table_check(system, table_label, relation_sql, columns) %}
    {%- set aggregates = ['count(*)'] -%}
    {%- for column in columns -%}
        {%- set bad = adapter.quote(column ~ '__text') ~ ' is not null and '
            ~ adapter.quote(column) ~ ' is null' -%}
        {%- do aggregates.append('sum(case when ' ~ bad ~ ' then 1 else 0 end)') -%}
        {%- do aggregates.append('min(case when ' ~ bad ~ ' then '
            ~ adapter.quote(column ~ '__text') ~ ' end)') -%}
    {%- endfor -%}
    {%- set row = run_query("select " ~ aggregates | join(', ') ~ " from "
        ~ relation_sql).rows[0] -%}
    {%- set problems = [] -%}
    {%- for column, type in columns.items() -%}
        {%- set count = row[1 + 2 * loop.index0] or 0 -%}
        {%- if count > 0 -%}
            {%- do problems.append("Bad " ~ system ~ " input in " ~ table_label ~ ": column "
                ~ column ~ " has " ~ count ~ " row" ~ ('s' if count != 1 else '')
                ~ " with a value that is not a valid " ~ type ~ ", e.g. '"
                ~ row[2 + 2 * loop.index0] ~ "'. Fix the export ("
                ~ ("dates are written 2025-01-31" if type == 'date'
                   else "timestamps are written 2025-01-31 14:05:00 in UTC, with a ' UTC'"
                        ~ " suffix, or 2025-01-31T14:05:00Z") ~ ").") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'rows': row[0], 'problems': problems}) }}
{% endmacro %}
