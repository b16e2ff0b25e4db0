{#- unique_combination_of_columns: the columns together identify a row (the declared grain
    of a model); failures are the duplicated combinations.

    window_column (optional, on incremental models): a column that is at or after the
    model's incremental cutoff on every row an incremental run writes. When the preflight
    recorded a window for this run (audit_window_bound, build_state.sql: `dbt build`, an
    incremental run, and the previous run published after a whole audit of the same tests),
    only the combinations a row of the window holds are checked: the rows before it were
    audited then and no run changed them since, so a duplicate has a row in the window.
      - window_column in the combination: a duplicate lies wholly in the window; both
        sides are filtered (the scan skips what is older);
      - otherwise: the window's keys are looked up in the whole table (a join with the
        window's distinct keys, not dbt's `where` config, which would filter both sides and miss a window row whose
        key an older row holds). Keys with a null are left to the model's not_null_columns test
        (null never equals null in the lookup).
    Without a recorded window (a first or full build, `dbt test`, a selection or a failed
    run before) the whole table is checked. -#}
{% test unique_combination_of_columns(model, combination_of_columns, window_column=none) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns', 'marketing_kpis')(
        model, combination_of_columns, window_column)) }}
{% endtest %}

{% macro default__test_unique_combination_of_columns(model, combination_of_columns,
                                                     window_column=none) %}
    {%- set columns = combination_of_columns | join(', ') -%}
    {%- set bound = marketing_kpis.audit_window_bound(model, window_column) -%}
    {%- if bound is none %}
    select
        {{ columns }},
        count(*) as rows_with_this_key
    from {{ model }}
    group by {{ columns }}
    having count(*) > 1
    {%- elif window_column in combination_of_columns %}
    -- audit limited to this run's window: {{ window_column }} >= {{ bound }}
    select
        {{ columns }},
        count(*) as rows_with_this_key
    from {{ model }}
    where {{ window_column }} >= {{ bound }}
    group by {{ columns }}
    having count(*) > 1
    {%- else %}
    -- audit limited to the keys of this run's window: {{ window_column }} >= {{ bound }}
    -- (a join with the window's distinct keys: DuckDB builds its hash table on them; an
    -- `exists` took longer than grouping the whole table, 12.5 s against 9.5 s at L)
    select
        {%- for column in combination_of_columns %}
        audited.{{ column }},
        {%- endfor %}
        count(*) as rows_with_this_key
    from {{ model }} as audited
    inner join (
        select distinct {{ columns }}
        from {{ model }}
        where {{ window_column }} >= {{ bound }}
    ) as window_keys
        on
        {%- for column in combination_of_columns %}
            {% if not loop.first %}and {% endif %}audited.{{ column }} = window_keys.{{ column }}
        {%- endfor %}
    group by
        {%- for column in combination_of_columns %}
        audited.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    having count(*) > 1
    {%- endif %}
{% endmacro %}
