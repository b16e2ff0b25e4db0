with

raw_calls as (

    select * from {{ marketing_kpis.raw_input('calls') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('call_id') }} as call_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,

        -- numbers
        {{ marketing_kpis.to_integer('duration_seconds') }} as duration_seconds,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('started_at') }} as started_at

    from raw_calls

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
