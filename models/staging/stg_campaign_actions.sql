{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy=marketing_kpis.event_model_strategy(),
        unique_key='executed_at',
        partition_by=marketing_kpis.event_model_partitions(['event_utc_date']),
        on_schema_change='fail',
        post_hook="{{ marketing_kpis.record_incremental_history() }}",
    )
}}

-- Incremental: an incremental run restages the rows of the last
-- var incremental_lookback_days of executed_at (the raw table is read in place; a window
-- is replaced whole, so exact duplicates stay collapsed). --full-refresh restages all.

with

raw_campaign_actions as (

    select * from {{ marketing_kpis.raw_input('campaign_actions') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,

        -- attributes
        {{ marketing_kpis.clean_code('action_type') }} as action_type,
        {{ marketing_kpis.clean_text('action_name') }} as action_name,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('executed_at') }} as executed_at

    from raw_campaign_actions

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct
        {{ marketing_kpis.event_utc_date_column('executed_at') -}}
        normalized.*
    from normalized
    {{ marketing_kpis.incremental_window('executed_at') }}

)

select * from final
