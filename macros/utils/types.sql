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
