{#-
    How staging turns a raw value into a contract-typed value. The same macros serve the
    staging models and the raw-input checks, so that what the checks call "unparsable" is
    exactly what staging would turn into null, and the duplicate-key check sees the rows
    staging keeps.

    Raw values are text (CSV, seeds) or already typed (Parquet, warehouse tables); every
    macro accepts both. A value that cannot be converted becomes null (the checks refuse
    such input before staging is built).
-#}

{#- trimmed text, '' as null -#}
{% macro clean_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}


{#- a code compared across systems: trimmed and lower case -#}
{% macro clean_code(column) -%}
    lower({{ marketing_kpis.clean_text(column) }})
{%- endmacro %}


{#- the normalised value of a contract column, by its contract type -#}
{% macro normalize_column(column, spec) -%}
    {%- if spec.type == 'string' and spec.get('lower') -%}
        {{ marketing_kpis.clean_code(column) }}
    {%- elif spec.type == 'string' -%}
        {{ marketing_kpis.clean_text(column) }}
    {%- elif spec.type == 'timestamp' -%}
        {{ marketing_kpis.to_utc_timestamp(column) }}
    {%- elif spec.type == 'date' -%}
        {{ marketing_kpis.to_date(column) }}
    {%- elif spec.type == 'decimal' -%}
        {{ marketing_kpis.to_decimal(column) }}
    {%- elif spec.type == 'integer' -%}
        {{ marketing_kpis.to_integer(column) }}
    {%- elif spec.type == 'boolean' -%}
        {{ marketing_kpis.to_boolean(column) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("normalize_column: unknown type " ~ spec.type) }}
    {%- endif -%}
{%- endmacro %}


{#- UTC timestamp without time zone. Text with an offset ('...+02:00', '...Z') is
    converted to UTC; text without one is taken as UTC, as the contract says. -#}
{% macro to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'marketing_kpis')(column)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column) -%}
    {{ dbt.safe_cast(column, dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(column) -%}
    {#- the session time zone is UTC (profiles.yml), so timestamptz -> timestamp is UTC -#}
    cast(try_cast({{ column }} as timestamptz) as timestamp)
{%- endmacro %}

{% macro postgres__to_utc_timestamp(column) -%}
    {#- PostgreSQL has no try-cast before version 16: text that does not look like an
        ISO-8601 timestamp is null (reported by the raw-input checks); a value that looks
        like one but is out of range (month 13) stops the build with PostgreSQL's own
        message. With an offset it is converted to UTC; without one it is UTC already,
        whatever the session time zone. Typed columns go through their text form. -#}
    {%- set text = "trim(cast(" ~ column ~ " as text))" %}
    case
        when {{ text }} ~ '{{ marketing_kpis._iso_timestamp_pattern() }}(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$'
            then cast(cast({{ text }} as timestamptz) at time zone 'UTC' as timestamp)
        when {{ text }} ~ '{{ marketing_kpis._iso_timestamp_pattern() }}$'
            then cast({{ text }} as timestamp)
    end
{%- endmacro %}

{% macro spark__to_utc_timestamp(column) -%}
    {#- the session time zone is UTC (profiles.yml); an offset in the text is honoured -#}
    try_cast({{ column }} as timestamp)
{%- endmacro %}

{#- a date, optionally followed by a time with optional fraction (no offset) -#}
{% macro _iso_timestamp_pattern() -%}
    ^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?[ ]?
{%- endmacro %}


{% macro to_date(column) -%}
    {{ return(adapter.dispatch('to_date', 'marketing_kpis')(column)) }}
{%- endmacro %}

{% macro default__to_date(column) -%}
    cast({{ marketing_kpis.to_utc_timestamp(column) }} as date)
{%- endmacro %}


{% macro to_decimal(column) -%}
    {{ return(adapter.dispatch('to_decimal', 'marketing_kpis')(column)) }}
{%- endmacro %}

{% macro default__to_decimal(column) -%}
    {{ dbt.safe_cast(column, 'decimal(18, 4)') }}
{%- endmacro %}

{% macro duckdb__to_decimal(column) -%}
    try_cast({{ column }} as decimal(18, 4))
{%- endmacro %}

{% macro postgres__to_decimal(column) -%}
    {%- set text = "trim(cast(" ~ column ~ " as text))" %}
    case
        when {{ text }} ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            then cast(cast({{ text }} as numeric) as decimal(18, 4))
    end
{%- endmacro %}

{% macro spark__to_decimal(column) -%}
    try_cast({{ column }} as decimal(18, 4))
{%- endmacro %}


{% macro to_integer(column) -%}
    {{ return(adapter.dispatch('to_integer', 'marketing_kpis')(column)) }}
{%- endmacro %}

{% macro default__to_integer(column) -%}
    {{ dbt.safe_cast(column, dbt.type_bigint()) }}
{%- endmacro %}

{% macro duckdb__to_integer(column) -%}
    try_cast({{ column }} as bigint)
{%- endmacro %}

{% macro postgres__to_integer(column) -%}
    {#- '12.0' is 12, as DuckDB reads it -#}
    {%- set text = "trim(cast(" ~ column ~ " as text))" %}
    case
        when {{ text }} ~ '^[+-]?[0-9]{1,18}([.]0*)?$'
            then cast(cast({{ text }} as numeric) as bigint)
    end
{%- endmacro %}

{% macro spark__to_integer(column) -%}
    try_cast({{ column }} as bigint)
{%- endmacro %}


{#- true/false, t/f, 1/0, yes/no, y/n in any case -#}
{% macro to_boolean(column) -%}
    {{ return(adapter.dispatch('to_boolean', 'marketing_kpis')(column)) }}
{%- endmacro %}

{% macro default__to_boolean(column) -%}
    case lower({{ marketing_kpis.clean_text(column) }})
        when 'true' then true when 't' then true when '1' then true
        when 'yes' then true when 'y' then true
        when 'false' then false when 'f' then false when '0' then false
        when 'no' then false when 'n' then false
    end
{%- endmacro %}


{#- The staging value of a timestamp or date column, cheaply when the raw column is typed
    already: a timestamp without time zone (Parquet, warehouse tables) is UTC as it stands
    (staging's normalization is the identity on it), a date column of type date too; text
    (CSV) goes through normalize_column. raw_type: the column's type in the raw input. -#}
{% macro typed_time(column, spec, raw_type) -%}
    {%- set type_name = (raw_type or '') | lower | trim -%}
    {%- if (spec.type == 'timestamp' and type_name in marketing_kpis.naive_timestamp_types())
        or (spec.type == 'date' and type_name == 'date') -%}
        {{ return(column) }}
    {%- endif -%}
    {{ return(marketing_kpis.normalize_column(column, spec)) }}
{%- endmacro %}


{#- the names engines give a timestamp without time zone -#}
{% macro naive_timestamp_types() %}
    {{ return(['timestamp', 'timestamp without time zone', 'timestamp_ns', 'timestamp_ms',
               'timestamp_s', 'datetime']) }}
{% endmacro %}
