-- One row per reporting period: what the 12 months ending at its end hold (the local days
-- after the same day 12 months before period_end, up to and including period_end):
-- revenue, paying customers and revenue from contacts with a source campaign of the
-- completed orders, and the marketing cost. Read by customer_lifetime_value and
-- trailing_12m_roi of mart_revenue.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

completed_orders as (

    select * from {{ ref('int_completed_orders_enriched') }}

),

costs_daily as (

    select * from {{ ref('int_campaign_costs_aggregated_daily') }}

),

orders_12m as (

    select
        periods.period_grain,
        periods.period_start,
        sum(completed_orders.amount) as revenue_12m,
        count(distinct completed_orders.contact_id) as paying_customers_12m,
        sum(
            case when completed_orders.has_source_campaign then completed_orders.amount else 0 end
        ) as attributed_revenue_12m
    from periods
    inner join completed_orders
        on
            periods.period_end >= completed_orders.order_date
            and completed_orders.order_date
            > {{ dbt.dateadd('month', -12, 'periods.period_end') }}
    group by periods.period_grain, periods.period_start

),

costs_12m as (

    select
        periods.period_grain,
        periods.period_start,
        sum(costs_daily.marketing_cost) as marketing_cost_12m
    from periods
    inner join costs_daily
        on
            periods.period_end >= costs_daily.cost_date
            and costs_daily.cost_date > {{ dbt.dateadd('month', -12, 'periods.period_end') }}
    group by periods.period_grain, periods.period_start

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        coalesce(orders_12m.revenue_12m, 0) as revenue_12m,
        coalesce(orders_12m.paying_customers_12m, 0) as paying_customers_12m,
        coalesce(orders_12m.attributed_revenue_12m, 0) as attributed_revenue_12m,
        coalesce(costs_12m.marketing_cost_12m, 0) as marketing_cost_12m

    from periods
    left join orders_12m
        on
            periods.period_grain = orders_12m.period_grain
            and periods.period_start = orders_12m.period_start
    left join costs_12m
        on
            periods.period_grain = costs_12m.period_grain
            and periods.period_start = costs_12m.period_start

)

select * from final
