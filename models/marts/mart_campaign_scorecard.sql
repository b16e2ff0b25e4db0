-- One row per campaign and reporting period of its launch cadence (article 001: weekly
-- for the 4 weeks after launch, every 2 weeks for the next 8 weeks, then monthly), with
-- what the campaign did in that period: new members, sends of its emails and their
-- unique opens and clicks (period of the send), the leads and customers it sourced
-- (source campaign, period of the stage date), their completed orders, its cost and ROI
-- (doc blocks kpi_<name>; rates computed by the catalog). Each count comes from a daily
-- model grouped here by cadence period.

with

campaign_periods as (

    select * from {{ ref('int_campaign_periods_scheduled') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

email_sends_daily as (

    select * from {{ ref('int_email_sends_aggregated_daily') }}

),

sourcing_daily as (

    select * from {{ ref('int_campaign_sourcing_aggregated_daily') }}

),

costs_daily as (

    select * from {{ ref('int_campaign_costs_aggregated_daily') }}

),

members_daily as (

    select
        campaign_id,
        {{ marketing_kpis.to_local_date('added_at') }} as added_date,
        count(distinct contact_id) as members_added
    from campaign_members
    group by campaign_id, {{ marketing_kpis.to_local_date('added_at') }}

),

members_per_period as (

    select
        campaign_periods.campaign_id,
        campaign_periods.period_number,
        sum(members_daily.members_added) as members_added
    from campaign_periods
    inner join members_daily
        on
            campaign_periods.campaign_id = members_daily.campaign_id
            and members_daily.added_date between campaign_periods.period_start
            and campaign_periods.period_end
    group by campaign_periods.campaign_id, campaign_periods.period_number

),

sends_per_period as (

    select
        campaign_periods.campaign_id,
        campaign_periods.period_number,
        sum(email_sends_daily.sends) as sends,
        sum(email_sends_daily.delivered) as delivered,
        sum(email_sends_daily.unique_opens) as unique_opens,
        sum(email_sends_daily.unique_clicks) as unique_clicks
    from campaign_periods
    inner join email_sends_daily
        on
            campaign_periods.campaign_id = email_sends_daily.campaign_id
            and email_sends_daily.sent_date between campaign_periods.period_start
            and campaign_periods.period_end
    group by campaign_periods.campaign_id, campaign_periods.period_number

),

sourcing_per_period as (

    select
        campaign_periods.campaign_id,
        campaign_periods.period_number,
        sum(sourcing_daily.sourced_leads) as sourced_leads,
        sum(sourcing_daily.sourced_customers) as sourced_customers,
        sum(sourcing_daily.revenue) as revenue
    from campaign_periods
    inner join sourcing_daily
        on
            campaign_periods.campaign_id = sourcing_daily.campaign_id
            and sourcing_daily.activity_date between campaign_periods.period_start
            and campaign_periods.period_end
    group by campaign_periods.campaign_id, campaign_periods.period_number

),

costs_per_period as (

    select
        campaign_periods.campaign_id,
        campaign_periods.period_number,
        sum(costs_daily.marketing_cost) as marketing_cost
    from campaign_periods
    inner join costs_daily
        on
            campaign_periods.campaign_id = costs_daily.campaign_id
            and costs_daily.cost_date between campaign_periods.period_start
            and campaign_periods.period_end
    group by campaign_periods.campaign_id, campaign_periods.period_number

),

counts as (

    select
        campaign_periods.campaign_id,
        campaign_periods.period_number,
        campaign_periods.cadence,
        campaign_periods.period_start,
        campaign_periods.period_end,
        coalesce(members_per_period.members_added, 0) as members_added,
        coalesce(sends_per_period.sends, 0) as sends,
        coalesce(sends_per_period.delivered, 0) as delivered,
        coalesce(sends_per_period.unique_opens, 0) as unique_opens,
        coalesce(sends_per_period.unique_clicks, 0) as unique_clicks,
        coalesce(sourcing_per_period.sourced_leads, 0) as sourced_leads,
        coalesce(sourcing_per_period.sourced_customers, 0) as sourced_customers,
        coalesce(sourcing_per_period.revenue, 0) as revenue,
        coalesce(costs_per_period.marketing_cost, 0) as marketing_cost
    from campaign_periods
    left join members_per_period
        on
            campaign_periods.campaign_id = members_per_period.campaign_id
            and campaign_periods.period_number = members_per_period.period_number
    left join sends_per_period
        on
            campaign_periods.campaign_id = sends_per_period.campaign_id
            and campaign_periods.period_number = sends_per_period.period_number
    left join sourcing_per_period
        on
            campaign_periods.campaign_id = sourcing_per_period.campaign_id
            and campaign_periods.period_number = sourcing_per_period.period_number
    left join costs_per_period
        on
            campaign_periods.campaign_id = costs_per_period.campaign_id
            and campaign_periods.period_number = costs_per_period.period_number

),

final as (

    select
        campaign_id,
        period_number,
        cadence,
        period_start,
        period_end,
        cast(members_added as {{ dbt.type_bigint() }}) as members_added,
        cast(sends as {{ dbt.type_bigint() }}) as sends,
        cast(delivered as {{ dbt.type_bigint() }}) as delivered,
        cast(unique_opens as {{ dbt.type_bigint() }}) as unique_opens,
        cast(unique_clicks as {{ dbt.type_bigint() }}) as unique_clicks,
        {{ marketing_kpis.kpi_ratio('open_rate') }} as open_rate,
        {{ marketing_kpis.kpi_ratio('click_rate') }} as click_rate,
        cast(sourced_leads as {{ dbt.type_bigint() }}) as sourced_leads,
        cast(sourced_customers as {{ dbt.type_bigint() }}) as sourced_customers,
        cast(revenue as {{ marketing_kpis.type_money() }}) as revenue,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.kpi_ratio('cost_per_sourced_lead') }} as cost_per_sourced_lead,
        {{ marketing_kpis.kpi_ratio('campaign_roi') }} as roi

    from counts

)

select * from final
