{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy=marketing_kpis.event_model_strategy(),
        unique_key='occurred_at',
        partition_by=marketing_kpis.event_model_partitions(['event_utc_date']),
        on_schema_change='fail',
        post_hook="{{ marketing_kpis.record_incremental_history() }}",
    )
}}

-- Incremental: an incremental run restages the rows of the last
-- var incremental_lookback_days of occurred_at (the raw table is read in place; a window
-- is replaced whole, so exact duplicates stay collapsed). --full-refresh restages all.

with

raw_score_events as (

    select * from {{ marketing_kpis.raw_input('score_events') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,

        -- attributes
        {{ marketing_kpis.clean_text('reason') }} as reason,

        -- numbers
        {{ marketing_kpis.to_integer('delta') }} as delta,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('occurred_at') }} as occurred_at

    from raw_score_events

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct
        {{ marketing_kpis.event_utc_date_column('occurred_at') -}}
        normalized.*
    from normalized
    {{ marketing_kpis.incremental_window('occurred_at') }}

)

select * from final
