{#- equal_row_count: the model has as many rows as compare_model (a join did not fan out
    or drop rows); the failure row shows both counts. -#}
{% test equal_row_count(model, compare_model) %}
    {{ return(adapter.dispatch('test_equal_row_count', 'marketing_kpis')(
        model, compare_model)) }}
{% endtest %}

{% macro default__test_equal_row_count(model, compare_model) %}
    with

    model_rows as (
        select count(*) as row_count from {{ model }}
    ),

    compared_rows as (
        select count(*) as row_count from {{ compare_model }}
    )

    select
        model_rows.row_count as model_row_count,
        compared_rows.row_count as compare_model_row_count
    from model_rows
    cross join compared_rows
    where model_rows.row_count != compared_rows.row_count
{% endmacro %}
