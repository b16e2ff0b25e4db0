-- Cross-check: every KPI the catalog marks as a subset rate (bounded: true in
-- macros/kpi_definitions.sql) lies in [0, 1] in every mart column that carries it.
-- Fails with the model, column and offending value.

{%- set checks = [] %}
{%- for kpi in marketing_kpis.kpi_definitions() if kpi.get('bounded') %}
    {%- for column in kpi.columns %}
        {%- do checks.append(column.split('.')) %}
    {%- endfor %}
{%- endfor %}

{%- for model_name, column_name in checks %}
    select
        '{{ model_name }}' as model_name,
        '{{ column_name }}' as column_name,
        cast({{ column_name }} as {{ marketing_kpis.type_double() }}) as value
    from {{ ref(model_name) }}
    where {{ column_name }} < 0 or {{ column_name }} > 1
    {%- if not loop.last %}
        union all
    {%- endif %}
{%- endfor %}
