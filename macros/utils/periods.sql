{#-
    Period helpers of the marts. Periods are local calendar periods (var
    reporting_timezone has already turned timestamps into local dates); weeks start on
    Monday on every engine (date_trunc('week') is ISO on DuckDB, PostgreSQL and Spark).
-#}

{#- the first day of the `grain` period that holds a local date -#}
{% macro period_start(grain, date_column) -%}
    cast({{ dbt.date_trunc(grain, date_column) }} as date)
{%- endmacro %}


{#- Aggregates of `relation` per period of every grain in var kpi_period_grains: one
    select per grain, unioned, each grouped by (period_grain, period_start) of
    date_column. `aggregates` is a list of 'expression as name' strings; the text
    __period_start__ in one of them stands for the row's period start. `dimensions` are
    columns to group by besides the period (page_id, campaign_id, ...). -#}
{% macro aggregate_by_period(relation, date_column, aggregates, where=none, dimensions=[]) -%}
    {%- for grain in marketing_kpis.setting('kpi_period_grains') %}
    select
        '{{ grain }}' as period_grain,
        {{ marketing_kpis.period_start(grain, date_column) }} as period_start,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        {{ aggregates | join(',\n        ')
            | replace('__period_start__', marketing_kpis.period_start(grain, date_column)) }}
    from {{ relation }}
    where {{ date_column }} is not null{% if where %} and ({{ where }}){% endif %}
    group by {{ marketing_kpis.period_start(grain, date_column) }}
        {%- for dimension in dimensions %}, {{ dimension }}{% endfor %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{#- `from periods left join m1 on (grain, start) left join m2 ...`: every period kept,
    each per-period metric CTE attached to it -#}
{% macro join_period_metrics(periods, metric_relations) -%}
    from {{ periods }}
    {%- for relation in metric_relations %}
    left join {{ relation }}
        on
            {{ periods }}.period_grain = {{ relation }}.period_grain
            and {{ periods }}.period_start = {{ relation }}.period_start
    {%- endfor %}
{%- endmacro %}
