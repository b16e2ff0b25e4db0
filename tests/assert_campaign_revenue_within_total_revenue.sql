-- Cross-check: revenue credited to campaigns (orders of the contacts each campaign
-- sourced) never exceeds the total revenue of completed orders, in sum or for one
-- campaign: a contact has one source campaign, so nothing is counted twice.

with

campaign_revenue as (

    select
        sum(revenue) as total_campaign_revenue,
        max(revenue) as largest_campaign_revenue
    from {{ ref('mart_campaign_performance') }}

),

total_revenue as (

    select sum(revenue) as total_revenue
    from {{ ref('mart_revenue') }}
    where period_grain = '{{ var("kpi_period_grains")[0] }}'

)

select
    campaign_revenue.total_campaign_revenue,
    campaign_revenue.largest_campaign_revenue,
    total_revenue.total_revenue
from campaign_revenue
cross join total_revenue
where
    campaign_revenue.total_campaign_revenue > coalesce(total_revenue.total_revenue, 0) + 0.005
