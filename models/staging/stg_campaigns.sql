with

raw_campaigns as (

    select * from {{ marketing_kpis.raw_input('campaigns') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,

        -- attributes
        {{ marketing_kpis.clean_text('campaign_name') }} as campaign_name,
        {{ marketing_kpis.clean_code('campaign_type') }} as campaign_type,
        {{ marketing_kpis.clean_code('audience') }} as audience,
        {{ marketing_kpis.clean_code('channel') }} as channel,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('launched_at') }} as launched_at,
        {{ marketing_kpis.to_utc_timestamp('ended_at') }} as ended_at

    from raw_campaigns

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
