-- Cross-check: revenue credited to campaigns (orders of the contacts each campaign
-- sourced) never exceeds the revenue of all completed orders, in sum or for one
-- campaign: a contact has one source campaign, so nothing is counted twice. Orders with a
-- negative amount count as revenue as given (DESIGN.md section 2), so the bound is the sum
-- of the positive completed amounts: an unsourced contact's negative order lowers total
-- revenue, not campaign revenue.

with

campaign_revenue as (

    select
        sum(revenue) as total_campaign_revenue,
        max(revenue) as largest_campaign_revenue
    from {{ ref('mart_campaign_performance') }}

),

completed_revenue as (

    select sum(amount) as positive_revenue
    from {{ ref('stg_orders') }}
    where status = 'completed' and amount > 0

)

select
    campaign_revenue.total_campaign_revenue,
    campaign_revenue.largest_campaign_revenue,
    completed_revenue.positive_revenue
from campaign_revenue
cross join completed_revenue
where
    campaign_revenue.total_campaign_revenue
    > coalesce(completed_revenue.positive_revenue, 0) + 0.005
