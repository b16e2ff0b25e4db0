{#-
    Incremental refresh. An incremental model reprocesses a window: everything whose
    event time is at or after its cutoff, var incremental_lookback_days before the latest
    event time already in the model. Events that arrive up to that late are counted;
    later arrivals need `dbt build --full-refresh`.
-#}

{#- The start of the incremental window after events up to `latest_sql` (SQL): the start
    of the UTC day var incremental_lookback_days before it. Whole days, so that an engine
    that replaces whole partitions of a day (Spark) restages exactly the window, and the
    same on every engine (the window is at most a day longer than the lookback). -#}
{% macro window_start_sql(latest_sql) -%}
    cast({{ dbt.date_trunc('day', dbt.dateadd('day',
        -1 * marketing_kpis.setting('incremental_lookback_days'), latest_sql)) }}
        as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- the same in Python, for a datetime (the preflight) -#}
{% macro window_start_value(latest) -%}
    {%- set start = latest - modules.datetime.timedelta(
        days=marketing_kpis.setting('incremental_lookback_days')) -%}
    {{ return(start.replace(hour=0, minute=0, second=0, microsecond=0)) }}
{%- endmacro %}


{#- The cutoff of the window: window_start_sql of the latest value of `column` in the
    model's table (or in `relation`), read once when the model runs and
    written into its SQL as a constant. A constant (unlike a subquery) lets the engine
    push the filter into the scan: Parquet readers and DuckDB's zone maps skip what is
    older. none when the table is empty or dbt is not executing. -#}
{% macro incremental_cutoff_value(column, relation=none) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set cutoff_sql -%}
        select {{ marketing_kpis.window_start_sql('max(' ~ column ~ ')') }} as cutoff
        from {{ relation or this }}
    {%- endset -%}
    {%- set value = run_query(cutoff_sql).columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}


{#- the cutoff as SQL: the same computation as a scalar subquery over the model's own
    table (or `relation`). The intermediate models use it inside a semi-join, where
    DuckDB plans the subquery better than a constant (measured at 1M contacts: 1.9 s
    against 9.6 s for int_email_sends_aggregated). An empty table (built while its input
    was absent, or by --empty) has no latest value: the cutoff is then the earliest
    timestamp there can be, so that the run recomputes everything (a null cutoff would
    keep nothing, on every run after). -#}
{% macro incremental_cutoff(column, relation=none) -%}
    (
        select coalesce(
            {{ marketing_kpis.window_start_sql('max(' ~ column ~ ')') }},
            cast('0001-01-01 00:00:00' as {{ dbt.type_timestamp() }})
        )
        from {{ relation or this }}
    )
{%- endmacro %}


{#- `where <column> >= cutoff` on an incremental run, nothing on a full build. An empty
    table (no cutoff) restages everything. -#}
{% macro incremental_window(column, cutoff_column=none) -%}
    {%- if is_incremental() -%}
        {%- set cutoff = marketing_kpis.incremental_cutoff_value(cutoff_column or column) -%}
        {%- if cutoff is not none -%}
        where {{ column }} >= {{ cutoff }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- The raw pre-filter of an incremental staging model: when the raw event-time column is
    already a timestamp without time zone (Parquet, warehouse tables), staging it is the
    identity, so `raw >= cutoff` selects exactly the rows of the window and is pushed
    into the scan of the raw files; rows without an event time are kept for the input
    checks. Text columns (CSV) have no such filter: the window is applied after the
    cast. Returns the condition, or none. -#}
{% macro incremental_raw_filter(table_name, raw_column, raw_type) -%}
    {%- if not execute or not is_incremental()
        or this.identifier != 'stg_' ~ table_name -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set type_name = (raw_type or '') | lower | trim -%}
    {%- if type_name not in marketing_kpis.naive_timestamp_types() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set spec = marketing_kpis.raw_contract()[table_name] -%}
    {%- set cutoff = marketing_kpis.incremental_cutoff_value(spec.event_time) -%}
    {%- if cutoff is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(raw_column ~ ' >= ' ~ cutoff ~ ' or ' ~ raw_column ~ ' is null') }}
{%- endmacro %}


{#- The materialization of the event-heavy models: incremental on every engine. DuckDB and
    PostgreSQL replace the rows a run recomputes by key (delete+insert); Spark's plain
    Parquet tables support neither delete nor merge (those need Delta Lake or Iceberg,
    whose jars a closed network cannot fetch), so there the models are partitioned by day
    and a run replaces the partitions of its window (insert_overwrite with dynamic
    partition overwrite, which may read the table it overwrites). -#}
{% macro event_model_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}


{#- The incremental strategy of the event models: delete+insert (the rows of the unique_key
    values the run recomputed replace the old ones) where the engine supports it. -#}
{% macro event_model_strategy() -%}
    {{ return(adapter.dispatch('event_model_strategy', 'marketing_kpis')()) }}
{%- endmacro %}

{% macro default__event_model_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__event_model_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}


{#- The partition column of an event model where the engine replaces partitions (Spark):
    `cast(<timestamp> as date) as event_utc_date,` at the head of its select list, the UTC
    day an incremental run replaces; nothing elsewhere. -#}
{% macro event_utc_date_column(timestamp_sql) -%}
    {%- if marketing_kpis.replaces_partitions() -%}
        cast({{ timestamp_sql }} as date) as event_utc_date,
    {%- endif -%}
{%- endmacro %}


{#- Whether the event models replace whole partitions (Spark's insert_overwrite of plain
    Parquet tables) rather than rows by key (delete+insert). Where they do, the models
    dated by a UTC event time carry its day as column event_utc_date, their partition. -#}
{% macro replaces_partitions() -%}
    {{ return(adapter.dispatch('replaces_partitions', 'marketing_kpis')()) }}
{%- endmacro %}

{% macro default__replaces_partitions() -%}
    {{ return(false) }}
{%- endmacro %}

{% macro spark__replaces_partitions() -%}
    {{ return(true) }}
{%- endmacro %}


{#- The partition columns of an event model: `columns` where whole partitions are
    replaced, none where rows are replaced by key. -#}
{% macro event_model_partitions(columns) -%}
    {{ return(columns if marketing_kpis.replaces_partitions() else none) }}
{%- endmacro %}


{#- Post-hook of int_web_visitors_aggregated_periodic: on an incremental run, remove the
    rows of periods the reporting calendar no longer holds (its bounds moved because a
    dated row of a snapshot table changed), which no recount replaced. -#}
{% macro periods_outside_the_calendar_deleted() -%}
    {%- if is_incremental() -%}
        {{ return(adapter.dispatch('periods_outside_the_calendar_deleted', 'marketing_kpis')(
            ref('int_reporting_periods_generated'))) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{% macro default__periods_outside_the_calendar_deleted(periods) -%}
    {%- set delete_sql -%}
        delete from {{ this }} as counted
        where not exists (
            select 1
            from {{ periods }} as periods
            where
                periods.period_grain = counted.period_grain
                and periods.period_start = counted.period_start
        )
    {%- endset -%}
    {{ return(delete_sql) }}
{%- endmacro %}

{#- Spark: the partitions of those periods are dropped here (the post-hook is empty) -#}
{% macro spark__periods_outside_the_calendar_deleted(periods) -%}
    {%- set stale = run_query("select distinct counted.period_grain, counted.period_start from "
        ~ this ~ " as counted left anti join " ~ periods ~ " as periods on"
        ~ " periods.period_grain = counted.period_grain"
        ~ " and periods.period_start = counted.period_start") -%}
    {%- for row in stale.rows -%}
        {%- do run_query("alter table " ~ this ~ " drop if exists partition (period_grain = '"
            ~ row[0] ~ "', period_start = '" ~ row[1] ~ "')") -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}


{#- Post-hook of int_attribution_credits_allocated: on an incremental run, remove the
    credits of contacts that no longer have a conversion (their fingerprint is gone, so no
    new rows replaced theirs). The credits of every other contact carry the fingerprint
    of the inputs they were computed from, which is the current one. -#}
{% macro attribution_stale_credits_deleted() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where contact_id in (
            select credits.contact_id
            from {{ this }} as credits
            left join {{ ref('int_attribution_inputs_fingerprinted') }} as fingerprints
                on
                    credits.contact_id = fingerprints.contact_id
                    and credits.inputs_fingerprint = fingerprints.inputs_fingerprint
            where fingerprints.contact_id is null
        )
    {%- endif -%}
{%- endmacro %}


{#- The models that refresh by contact (the lifecycle layer, touches, lead variants, lead
    scores; doc block int_contacts_refresh_scoped): incremental where delete and append
    are supported, rebuilt in full as tables on Spark (plain Parquet tables cannot delete
    the rows of some contacts). -#}
{% macro contact_model_materialization() -%}
    {{ return(adapter.dispatch('contact_model_materialization', 'marketing_kpis')()) }}
{%- endmacro %}

{% macro default__contact_model_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__contact_model_materialization() -%}
    {{ return('table') }}
{%- endmacro %}


{#- This run's id (dbt's invocation_id): int_contacts_refresh_scoped stamps its rows with
    it, and a model that refreshes by contact trusts a scope of this run only. A macro, so
    that unit tests can fix it. -#}
{% macro run_id() -%}
    {{ return(invocation_id) }}
{%- endmacro %}


{#- The record int_contacts_refresh_scoped compares with: the table
    int_contacts_lifecycle_recorded as the last run that finished the refresh left it, as
    SQL ('' when there is none, or on --full-refresh). Not a ref(): it is built after the
    models it scopes. A macro, so that unit tests can give a record of their own (under
    any flags). -#}
{% macro refresh_record_relation() -%}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{ return('') }}
    {%- endif -%}
    {%- set record = adapter.get_relation(database=this.database, schema=this.schema,
                                          identifier='int_contacts_lifecycle_recorded') -%}
    {{ return('' if record is none else record | string) }}
{%- endmacro %}


{#- The condition that keeps the rows of the contacts an incremental run of a model that
    refreshes by contact recomputes: those int_contacts_refresh_scoped marks refreshed, or
    every contact when the scope was not computed by this run (a selection that left it
    out, `dbt retry`): a scope of another run could miss contacts. `true` on a full build.
    The pre-hook refresh_scope_deleted removes the same contacts' rows first, so that a
    contact that no longer has any row loses its old ones. -#}
{% macro in_refresh_scope(column='contact_id') -%}
    {%- set scope = ref('int_contacts_refresh_scoped') -%}
    {%- if is_incremental() -%}
        (
            {{ column }} in (
                select refresh_scope.contact_id
                from {{ scope }} as refresh_scope
                where refresh_scope.is_refreshed
            )
            or not exists (
                select 1
                from {{ scope }} as refresh_scope
                where refresh_scope.scoped_in_run = '{{ marketing_kpis.run_id() }}'
            )
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook of the models that refresh by contact: on an incremental run, delete the rows
    of the contacts the run recomputes (the new rows are then appended). -#}
{% macro refresh_scope_deleted() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ marketing_kpis.in_refresh_scope('contact_id') }}
    {%- endif -%}
{%- endmacro %}

