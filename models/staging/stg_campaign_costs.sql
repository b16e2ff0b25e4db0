with

raw_campaign_costs as (

    select * from {{ marketing_kpis.raw_input('campaign_costs') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,

        -- attributes
        {{ marketing_kpis.clean_code('cost_type') }} as cost_type,

        -- numbers
        {{ marketing_kpis.to_decimal('amount') }} as amount,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_date('cost_date') }} as cost_date

    from raw_campaign_costs

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
