-- One row per campaign and cost date: the campaign costs booked that day, every cost
-- type. The one place costs are summed: the family marts group it by period, the
-- campaign marts by campaign and cadence period.

with

campaign_costs as (

    select * from {{ ref('stg_campaign_costs') }}

),

final as (

    select
        campaign_id,
        cost_date,
        sum(amount) as marketing_cost

    from campaign_costs
    group by campaign_id, cost_date

)

select * from final
