{#- numerator / denominator as a 64-bit float, null when the denominator is 0 or null
    (DESIGN.md section 4: a rate is a fraction, null on a zero denominator) -#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ marketing_kpis.type_double() }})
    / nullif(cast({{ denominator }} as {{ marketing_kpis.type_double() }}), 0)
{%- endmacro %}


{#- continuous percentile (interpolating, like percentile_cont) of an aggregate group -#}
{% macro percentile_cont(column, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont', 'marketing_kpis')(column, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(column, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__percentile_cont(column, fraction) -%}
    quantile_cont({{ column }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile_cont(column, fraction) -%}
    percentile({{ column }}, {{ fraction }})
{%- endmacro %}
