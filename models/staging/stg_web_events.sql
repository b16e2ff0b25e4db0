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

raw_web_events as (

    select * from {{ marketing_kpis.raw_input('web_events') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('event_id') }} as event_id,
        {{ marketing_kpis.clean_text('visitor_id') }} as visitor_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,
        {{ marketing_kpis.clean_text('page_id') }} as page_id,
        {{ marketing_kpis.clean_text('cta_id') }} as cta_id,
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,

        -- attributes
        {{ marketing_kpis.clean_code('event_type') }} as event_type,
        {{ marketing_kpis.clean_text('page_url') }} as page_url,
        {{ marketing_kpis.clean_code('page_type') }} as page_type,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('occurred_at') }} as occurred_at

    from raw_web_events

),

windowed as (

    select
        {{ marketing_kpis.event_utc_date_column('occurred_at') -}}
        normalized.*
    from normalized
    {{ marketing_kpis.incremental_window('occurred_at') }}

),

final as (

    -- exact duplicate rows of the export are collapsed (on DuckDB only among the rows
    -- whose event_id repeats, which the input check found)
    {{ marketing_kpis.exact_duplicates_collapsed('windowed', 'web_events') }}

)

select * from final
