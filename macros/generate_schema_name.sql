{#-
    Schemas are named after the layer, not glued to the target schema (dbt's default would
    give main_marts): raw, staging, intermediate, marts, each behind var schema_prefix.
    A model without a custom schema lands in the target schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ var('schema_prefix', '') ~ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
