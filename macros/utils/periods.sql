{#-
    Period helpers of the marts. Periods are local calendar periods (var
    reporting_timezone has already turned timestamps into local dates); weeks start on
    Monday on every engine (date_trunc('week') is ISO on DuckDB, PostgreSQL and Spark).
-#}

{#- the first day of the `grain` period that holds a local date -#}
{% macro period_start(grain, date_column) -%}
    cast({{ dbt.date_trunc(grain, date_column) }} as date)
{%- endmacro %}
