-- One row per campaign and reporting period of its launch cadence (article 001: weekly
-- for the 4 weeks after launch, every 2 weeks for the next 8 weeks, then monthly), with
-- what the campaign did in that period: new members, sends of its emails and their
-- unique opens and clicks (period of the send), the leads and customers it sourced
-- (source campaign, period of the stage date), their completed orders, its cost and ROI.

with

campaign_periods as (

    select * from {{ ref('int_campaign_periods_scheduled') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}

),

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

campaign_costs as (

    select * from {{ ref('stg_campaign_costs') }}

),

-- one row per campaign and local day, each metric from its own source
daily as (

    select
        campaign_id,
        {{ marketing_kpis.to_local_date('added_at') }} as activity_date,
        count(distinct contact_id) as members_added,
        0 as sends,
        0 as delivered,
        0 as unique_opens,
        0 as unique_clicks,
        0 as sourced_leads,
        0 as sourced_customers,
        0 as revenue,
        0 as marketing_cost
    from campaign_members
    group by campaign_id, {{ marketing_kpis.to_local_date('added_at') }}

    union all

    select
        campaign_id,
        sent_date as activity_date,
        0 as members_added,
        count(*) as sends,
        sum(case when is_delivered then 1 else 0 end) as delivered,
        sum(case when is_opened then 1 else 0 end) as unique_opens,
        sum(case when is_clicked then 1 else 0 end) as unique_clicks,
        0 as sourced_leads,
        0 as sourced_customers,
        0 as revenue,
        0 as marketing_cost
    from email_sends
    where campaign_id is not null
    group by campaign_id, sent_date

    union all

    select
        source_campaign_id as campaign_id,
        lead_date as activity_date,
        0 as members_added,
        0 as sends,
        0 as delivered,
        0 as unique_opens,
        0 as unique_clicks,
        count(*) as sourced_leads,
        0 as sourced_customers,
        0 as revenue,
        0 as marketing_cost
    from lifecycle
    where source_campaign_id is not null and lead_date is not null
    group by source_campaign_id, lead_date

    union all

    select
        source_campaign_id as campaign_id,
        customer_date as activity_date,
        0 as members_added,
        0 as sends,
        0 as delivered,
        0 as unique_opens,
        0 as unique_clicks,
        0 as sourced_leads,
        count(*) as sourced_customers,
        0 as revenue,
        0 as marketing_cost
    from lifecycle
    where source_campaign_id is not null and customer_date is not null
    group by source_campaign_id, customer_date

    union all

    select
        lifecycle.source_campaign_id as campaign_id,
        {{ marketing_kpis.to_local_date('orders.ordered_at') }} as activity_date,
        0 as members_added,
        0 as sends,
        0 as delivered,
        0 as unique_opens,
        0 as unique_clicks,
        0 as sourced_leads,
        0 as sourced_customers,
        sum(orders.amount) as revenue,
        0 as marketing_cost
    from orders
    inner join lifecycle
        on orders.contact_id = lifecycle.contact_id
    where orders.status = 'completed' and lifecycle.source_campaign_id is not null
    group by lifecycle.source_campaign_id, {{ marketing_kpis.to_local_date('orders.ordered_at') }}

    union all

    select
        campaign_id,
        cost_date as activity_date,
        0 as members_added,
        0 as sends,
        0 as delivered,
        0 as unique_opens,
        0 as unique_clicks,
        0 as sourced_leads,
        0 as sourced_customers,
        0 as revenue,
        sum(amount) as marketing_cost
    from campaign_costs
    group by campaign_id, cost_date

),

per_period as (

    select
        campaign_periods.campaign_id,
        campaign_periods.period_number,
        sum(daily.members_added) as members_added,
        sum(daily.sends) as sends,
        sum(daily.delivered) as delivered,
        sum(daily.unique_opens) as unique_opens,
        sum(daily.unique_clicks) as unique_clicks,
        sum(daily.sourced_leads) as sourced_leads,
        sum(daily.sourced_customers) as sourced_customers,
        sum(daily.revenue) as revenue,
        sum(daily.marketing_cost) as marketing_cost
    from campaign_periods
    inner join daily
        on
            campaign_periods.campaign_id = daily.campaign_id
            and campaign_periods.period_start <= daily.activity_date
            and campaign_periods.period_end >= daily.activity_date
    group by campaign_periods.campaign_id, campaign_periods.period_number

),

final as (

    select
        campaign_periods.campaign_id,
        campaign_periods.period_number,
        campaign_periods.cadence,
        campaign_periods.period_start,
        campaign_periods.period_end,
        cast(coalesce(per_period.members_added, 0) as {{ dbt.type_bigint() }}) as members_added,
        cast(coalesce(per_period.sends, 0) as {{ dbt.type_bigint() }}) as sends,
        cast(coalesce(per_period.delivered, 0) as {{ dbt.type_bigint() }}) as delivered,
        cast(coalesce(per_period.unique_opens, 0) as {{ dbt.type_bigint() }}) as unique_opens,
        cast(coalesce(per_period.unique_clicks, 0) as {{ dbt.type_bigint() }}) as unique_clicks,
        {{ marketing_kpis.safe_divide('per_period.unique_opens', 'per_period.delivered') }}
            as open_rate,
        {{ marketing_kpis.safe_divide('per_period.unique_clicks', 'per_period.delivered') }}
            as click_rate,
        cast(coalesce(per_period.sourced_leads, 0) as {{ dbt.type_bigint() }}) as sourced_leads,
        cast(coalesce(per_period.sourced_customers, 0) as {{ dbt.type_bigint() }})
            as sourced_customers,
        cast(coalesce(per_period.revenue, 0) as {{ marketing_kpis.type_money() }}) as revenue,
        cast(coalesce(per_period.marketing_cost, 0) as {{ marketing_kpis.type_money() }})
            as marketing_cost,
        {{ marketing_kpis.safe_divide('per_period.marketing_cost', 'per_period.sourced_leads') }}
            as cost_per_lead,
        {{ marketing_kpis.safe_divide('coalesce(per_period.revenue, 0)'
                                      ' - coalesce(per_period.marketing_cost, 0)',
                                      'per_period.marketing_cost') }} as roi

    from campaign_periods
    left join per_period
        on
            campaign_periods.campaign_id = per_period.campaign_id
            and campaign_periods.period_number = per_period.period_number

)

select * from final
