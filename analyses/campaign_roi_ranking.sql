-- Campaigns ranked by ROI (revenue of the contacts each sourced, over its cost), with
-- the revenue the linear attribution model gives it for comparison.

with

campaigns as (

    select * from {{ marketing_kpis.published(ref('mart_campaign_performance')) }}

),

attribution as (

    select * from {{ marketing_kpis.published(ref('mart_attribution')) }}

),

linear_revenue as (

    select
        campaign_id,
        sum(credit) as linear_attributed_revenue
    from attribution
    where
        attribution_model = 'linear'
        and conversion_type = 'revenue'
        and period_grain = 'month'
    group by campaign_id

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.sourced_leads,
        campaigns.sourced_customers,
        campaigns.revenue,
        linear_revenue.linear_attributed_revenue,
        campaigns.marketing_cost,
        campaigns.cost_per_sourced_lead,
        campaigns.roi,
        rank() over (order by campaigns.roi desc nulls last) as roi_rank

    from campaigns
    left join linear_revenue
        on campaigns.campaign_id = linear_revenue.campaign_id

)

select * from final
order by roi_rank
