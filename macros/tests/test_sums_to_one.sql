{#- sums_to_one: within each group, the column sums to 1 (shares of one whole, such as the
    attribution credits of one conversion under one model), to within `tolerance`. -#}
{% test sums_to_one(model, column_name, group_by, tolerance=0.000000001) %}
    {{ return(adapter.dispatch('test_sums_to_one', 'marketing_kpis')(
        model, column_name, group_by, tolerance)) }}
{% endtest %}

{% macro default__test_sums_to_one(model, column_name, group_by, tolerance) %}
    select
        {{ group_by | join(', ') }},
        sum({{ column_name }}) as total
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endmacro %}
