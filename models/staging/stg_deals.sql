with

raw_deals as (

    select * from {{ marketing_kpis.raw_input('deals') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('deal_id') }} as deal_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,

        -- attributes
        {{ marketing_kpis.clean_code('stage') }} as stage,

        -- numbers
        {{ marketing_kpis.to_decimal('amount') }} as amount,

        -- flags
        {{ marketing_kpis.to_boolean('is_closed') }} as is_closed,
        {{ marketing_kpis.to_boolean('is_won') }} as is_won,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('created_at') }} as created_at,
        {{ marketing_kpis.to_utc_timestamp('closed_at') }} as closed_at

    from raw_deals

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
