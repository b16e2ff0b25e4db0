{#- expression_is_true: every row (optionally only those matching `where`) satisfies the
    SQL boolean expression; the rows that do not are the failures. -#}
{% test expression_is_true(model, expression, where_clause=none, column_name=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'marketing_kpis')(
        model, expression, where_clause)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression, where_clause) %}
    select *
    from {{ model }}
    where
        not coalesce(({{ expression }}), false)
        {%- if where_clause %}
        and ({{ where_clause }})
        {%- endif %}
{% endmacro %}
