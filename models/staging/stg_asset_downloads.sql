with

raw_asset_downloads as (

    select * from {{ marketing_kpis.raw_input('asset_downloads') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('asset_id') }} as asset_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('downloaded_at') }} as downloaded_at

    from raw_asset_downloads

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
