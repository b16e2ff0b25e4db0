{#- A list var as an SQL list of lower-case string literals: ('a', 'b'). An empty list gives
    (null), which matches nothing, so an empty var switches its signal off. -#}
{% macro lower_literals(values) -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append("'" ~ (value | string | lower | trim | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    ({{ literals | join(', ') if literals else 'null' }})
{%- endmacro %}


{#- a Python value as an SQL string literal ('it''s'), or a typed null for none -#}
{% macro string_literal(value) -%}
    {%- if value is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        '{{ value | string | trim | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}
