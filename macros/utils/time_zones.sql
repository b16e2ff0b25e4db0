{#-
    Reporting-time-zone helpers. Raw timestamps are UTC without a time zone; reports count
    local calendar days, weeks and months in var reporting_timezone (an IANA name). The
    conversion goes through each engine's time-zone database, so daylight-saving changes
    neither shift nor lose events.
-#}

{#- the local wall-clock time of a UTC timestamp -#}
{% macro to_local_timestamp(column, time_zone=none) -%}
    {{ return(adapter.dispatch('to_local_timestamp', 'marketing_kpis')(
        column, time_zone or marketing_kpis.setting('reporting_timezone'))) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: timestamp at time zone 'UTC' is a timestamptz, which at time
    zone '<local>' turns into the local wall-clock timestamp -#}
{% macro default__to_local_timestamp(column, time_zone) -%}
    {%- if time_zone | upper == 'UTC' -%}
        {{ column }}
    {%- else -%}
        (({{ column }}) at time zone 'UTC') at time zone '{{ time_zone }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__to_local_timestamp(column, time_zone) -%}
    {%- if time_zone | upper == 'UTC' -%}
        {{ column }}
    {%- else -%}
        from_utc_timestamp({{ column }}, '{{ time_zone }}')
    {%- endif -%}
{%- endmacro %}


{#- the local calendar date of a UTC timestamp -#}
{% macro to_local_date(column, time_zone=none) -%}
    cast({{ marketing_kpis.to_local_timestamp(column, time_zone) }} as date)
{%- endmacro %}


{#- whole days between the local dates of two UTC timestamps (DESIGN.md section 3) -#}
{% macro local_days_between(from_column, to_column) -%}
    {{ return(adapter.dispatch('local_days_between', 'marketing_kpis')(
        marketing_kpis.to_local_date(from_column), marketing_kpis.to_local_date(to_column))) }}
{%- endmacro %}

{% macro default__local_days_between(from_date, to_date) -%}
    {{ dbt.datediff(from_date, to_date, 'day') }}
{%- endmacro %}

{% macro duckdb__local_days_between(from_date, to_date) -%}
    date_diff('day', {{ from_date }}, {{ to_date }})
{%- endmacro %}

{#- date - date is a whole number of days in PostgreSQL -#}
{% macro postgres__local_days_between(from_date, to_date) -%}
    ({{ to_date }} - {{ from_date }})
{%- endmacro %}

{% macro spark__local_days_between(from_date, to_date) -%}
    datediff({{ to_date }}, {{ from_date }})
{%- endmacro %}


{#- the UTC timestamp of a local wall-clock time in var reporting_timezone (the inverse of
    to_local_timestamp; a wall-clock time skipped by a daylight-saving change is read as
    the engine reads it) -#}
{% macro local_to_utc(column, time_zone=none) -%}
    {{ return(adapter.dispatch('local_to_utc', 'marketing_kpis')(
        column, time_zone or marketing_kpis.setting('reporting_timezone'))) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: a timestamp at time zone '<local>' is the timestamptz of that
    wall-clock time, which at time zone 'UTC' is the UTC timestamp -#}
{% macro default__local_to_utc(column, time_zone) -%}
    {%- if time_zone | upper == 'UTC' -%}
        {{ column }}
    {%- else -%}
        cast((({{ column }}) at time zone '{{ time_zone }}') at time zone 'UTC' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__local_to_utc(column, time_zone) -%}
    {%- if time_zone | upper == 'UTC' -%}
        {{ column }}
    {%- else -%}
        to_utc_timestamp({{ column }}, '{{ time_zone }}')
    {%- endif -%}
{%- endmacro %}
