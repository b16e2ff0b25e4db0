{#- A list var as an SQL list of lower-case string literals: ('a', 'b'). An empty list gives
    (null), which matches nothing, so an empty var switches its signal off. -#}
{% macro lower_literals(values) -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append(marketing_kpis.quote_string(value | string | lower | trim)) -%}
    {%- endfor -%}
    ({{ literals | join(', ') if literals else 'null' }})
{%- endmacro %}


{#- a Python value as an SQL string literal ('it''s'), or a typed null for none -#}
{% macro string_literal(value) -%}
    {%- if value is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {{ marketing_kpis.quote_string(value | string | trim) }}
    {%- endif -%}
{%- endmacro %}


{#- text as an SQL string literal: a quote is doubled in standard SQL (DuckDB,
    PostgreSQL), escaped with a backslash in Spark SQL (where a backslash is escaped too) -#}
{% macro quote_string(text) -%}
    {{ return(adapter.dispatch('quote_string', 'marketing_kpis')(text)) }}
{%- endmacro %}

{% macro default__quote_string(text) -%}
    {{ return("'" ~ text | replace("'", "''") ~ "'") }}
{%- endmacro %}

{% macro spark__quote_string(text) -%}
    {{ return("'" ~ text | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") }}
{%- endmacro %}
