{#- 64-bit floating point on every engine (dbt.type_float() is 32-bit FLOAT on DuckDB, too
    coarse for attribution credits that must sum to 1). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'marketing_kpis')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}


{#- amounts of money in the marts: exact decimals with cents -#}
{% macro type_money() -%}
    decimal(18, 2)
{%- endmacro %}


{#- A hash of a row's values (SQL expressions), equal for equal rows, nulls included:
    compares rows within a group without a distinct over every column. -#}
{% macro row_hash(expressions) -%}
    {{ return(adapter.dispatch('row_hash', 'marketing_kpis')(expressions)) }}
{%- endmacro %}

{#- PostgreSQL: md5 of the row's text form (a row constructor writes nulls as empty
    fields and quotes values that contain delimiters, so it is unambiguous) -#}
{% macro default__row_hash(expressions) -%}
    md5(cast(row({{ expressions | join(', ') }}) as text))
{%- endmacro %}

{#- DuckDB: its 64-bit hash of several values -#}
{% macro duckdb__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{#- Spark: sha2 of the values as JSON (a null is an absent key; the keys c1, c2, ...
    keep positions apart) -#}
{% macro spark__row_hash(expressions) -%}
    sha2(to_json(named_struct(
        {%- for expression in expressions -%}
            'c{{ loop.index }}', cast({{ expression }} as string){{ ', ' if not loop.last }}
        {%- endfor -%}
    )), 256)
{%- endmacro %}


{#- A row's hash as a whole number that sums without overflow: the per-day checksums of
    the incremental history (build_state.sql). Sums of it are text to store and compare.
    DuckDB: its 64-bit hash (a sum is a 128-bit integer); PostgreSQL: 60 bits of the md5
    of the row's text form (a sum of bigint is numeric); Spark: 60 bits of a sha2, as a
    decimal. Also the per-contact fingerprints of the attribution inputs. -#}
{% macro row_hash_number(expressions) -%}
    {{ return(adapter.dispatch('row_hash_number', 'marketing_kpis')(expressions)) }}
{%- endmacro %}

{% macro default__row_hash_number(expressions) -%}
    ('x' || substr({{ marketing_kpis.default__row_hash(expressions) }}, 1, 15))::bit(60)::bigint
{%- endmacro %}

{% macro duckdb__row_hash_number(expressions) -%}
    {{ marketing_kpis.duckdb__row_hash(expressions) }}
{%- endmacro %}

{#- Spark: 60 bits of the sha2 of the values, as a decimal so that sums cannot overflow
    (the attribution fingerprints; Spark keeps no incremental history) -#}
{% macro spark__row_hash_number(expressions) -%}
    cast(conv(substr({{ marketing_kpis.spark__row_hash(expressions) }}, 1, 15), 16, 10)
        as decimal(38, 0))
{%- endmacro %}


{#- text, as the mart contracts declare it (`*string` in _marts__models.yml): varchar, or
    string on Spark. A literal is `text` on PostgreSQL, which an incremental mart's
    schema check takes for a change of type against its varchar column. -#}
{% macro type_text() -%}
    {{ return(adapter.dispatch('type_text', 'marketing_kpis')()) }}
{%- endmacro %}

{% macro default__type_text() -%}
    varchar
{%- endmacro %}

{% macro spark__type_text() -%}
    string
{%- endmacro %}
