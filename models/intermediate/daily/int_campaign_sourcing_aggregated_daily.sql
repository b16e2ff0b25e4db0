-- One row per campaign and local day with something it sourced: the contacts whose
-- source campaign it is that became leads or customers that day, and the revenue of
-- their completed orders placed that day. The campaign marts group it by campaign and
-- by cadence period, so "what a campaign sourced" is written once.

with

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

completed_orders as (

    select * from {{ ref('int_completed_orders_enriched') }}

),

sourced_events as (

    select
        source_campaign_id as campaign_id,
        lead_date as activity_date,
        1 as sourced_leads,
        0 as sourced_customers,
        cast(0 as {{ marketing_kpis.type_money() }}) as revenue
    from lifecycle
    where source_campaign_id is not null and lead_date is not null

    union all

    select
        source_campaign_id as campaign_id,
        customer_date as activity_date,
        0 as sourced_leads,
        1 as sourced_customers,
        cast(0 as {{ marketing_kpis.type_money() }}) as revenue
    from lifecycle
    where source_campaign_id is not null and customer_date is not null

    union all

    select
        source_campaign_id as campaign_id,
        order_date as activity_date,
        0 as sourced_leads,
        0 as sourced_customers,
        amount as revenue
    from completed_orders
    where source_campaign_id is not null

),

final as (

    select
        campaign_id,
        activity_date,
        sum(sourced_leads) as sourced_leads,
        sum(sourced_customers) as sourced_customers,
        -- exact: the scale of stg_orders.amount, summed without rounding
        cast(sum(revenue) as decimal(38, 4)) as revenue

    from sourced_events
    group by campaign_id, activity_date

)

select * from final
