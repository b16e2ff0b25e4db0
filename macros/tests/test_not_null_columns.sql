{#- not_null_columns: none of the columns holds a null. One test per model instead of dbt's
    not_null per column: each data test is a node that dbt compiles, schedules and runs at a
    fixed cost whatever the table's size (91 nodes fewer took 3.7 s off a demo build's
    execution on DuckDB; about 0.65 s a node on Spark; DECISIONLOG, Tests). One scan of
    the model counts the nulls of every column; a failure is one row per column that holds
    nulls (column_name, null_rows), so the test's failure count is the number of such
    columns and `dbt show` or --store-failures names them. -#}
{% test not_null_columns(model, column_names) %}
    {%- if column_names is string or column_names | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "not_null_columns on " ~ model ~ ": column_names must be a non-empty list of"
            ~ " column names, got " ~ column_names) }}
    {%- endif %}
    with null_counts as (
        select
            {%- for column in column_names %}
            sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ model }}
    )
    {%- for column in column_names %}
    {% if not loop.first %}union all{% endif %}
    select
        '{{ column }}' as column_name,
        null_rows_{{ loop.index }} as null_rows
    from null_counts
    where null_rows_{{ loop.index }} > 0
    {%- endfor %}
{% endtest %}
