{#-
    Incremental refresh. An incremental model reprocesses a window: everything whose
    event time is at or after its cutoff, var incremental_lookback_days before the latest
    event time already in the model. Events that arrive up to that late are counted;
    later arrivals need `dbt build --full-refresh`.
-#}

{#- the cutoff of the window, as an SQL scalar subquery over the model's own table -#}
{% macro incremental_cutoff(column, relation=none) -%}
    (
        select {{ dbt.dateadd('day', -1 * var('incremental_lookback_days'),
                              'max(' ~ column ~ ')') }}
        from {{ relation or this }}
    )
{%- endmacro %}


{#- `where <column> >= cutoff` on an incremental run, nothing on a full build -#}
{% macro incremental_window(column, cutoff_column=none) -%}
    {%- if is_incremental() -%}
        where {{ column }} >= {{ marketing_kpis.incremental_cutoff(cutoff_column or column) }}
    {%- endif -%}
{%- endmacro %}


{#- The materialization of the event-heavy models: incremental with the delete+insert
    strategy where the engine supports it (DuckDB, PostgreSQL). Spark's plain Parquet
    tables support neither delete+insert nor merge (those need Delta Lake or Iceberg,
    whose jars a closed network cannot fetch), so on Spark these models are rebuilt in
    full as tables: same rows, no incremental saving. -#}
{% macro event_model_materialization() -%}
    {{ return(adapter.dispatch('event_model_materialization', 'marketing_kpis')()) }}
{%- endmacro %}

{% macro default__event_model_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__event_model_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
