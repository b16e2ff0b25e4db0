-- Revenue KPIs, one row per period_grain and period (DESIGN.md section 5). Only
-- completed orders are revenue, dated by the local date of ordered_at.
--   revenue, orders, paying_customers, average_order_value: completed orders of the period
--   revenue_per_customer = revenue / paying_customers; revenue_per_lead = revenue / new_leads
--   promoter_rate = customers with 2+ completed orders / customers, both cumulative at
--     period end
--   retention_rate = customers before period start who ordered in the period /
--     customers before period start
--   customer_lifetime_value = revenue_12m / paying_customers_12m (the 12 months ending at
--     period end) x var customer_lifespan_years
--   roi = (revenue of contacts with a source campaign - marketing_cost) / marketing_cost

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

marketing_costs as (

    select * from {{ ref('int_marketing_costs_aggregated') }}

),

completed_orders as (

    select
        orders.order_id,
        orders.contact_id,
        orders.amount,
        {{ marketing_kpis.to_local_date('orders.ordered_at') }} as order_date,
        lifecycle.customer_date,
        case when lifecycle.source_campaign_id is not null then 1 else 0 end
            as has_source_campaign
    from orders
    left join lifecycle
        on orders.contact_id = lifecycle.contact_id
    where orders.status = 'completed'

),

orders_per_period as (

    {{ marketing_kpis.aggregate_by_period('completed_orders', 'order_date', [
        'sum(amount) as revenue',
        'count(*) as orders',
        'count(distinct contact_id) as paying_customers',
        'sum(case when has_source_campaign = 1 then amount else 0 end) as attributed_revenue',
        'count(distinct case when customer_date < __period_start__ then contact_id end)'
            ~ ' as retained_customers',
    ]) }}

),

trailing_year as (

    select
        periods.period_grain,
        periods.period_start,
        sum(completed_orders.amount) as revenue_12m,
        count(distinct completed_orders.contact_id) as paying_customers_12m
    from periods
    inner join completed_orders
        on
            periods.period_end >= completed_orders.order_date
            and completed_orders.order_date
            > {{ dbt.dateadd('month', -12, 'periods.period_end') }}
    group by periods.period_grain, periods.period_start

),

cumulative_customers as (

    select
        period_grain,
        period_start,
        new_leads,
        sum(new_customers) over (
            partition by period_grain order by period_start
            rows between unbounded preceding and current row
        ) as customers_to_date,
        sum(new_promoters) over (
            partition by period_grain order by period_start
            rows between unbounded preceding and current row
        ) as promoters_to_date,
        sum(new_customers) over (
            partition by period_grain order by period_start
            rows between unbounded preceding and current row
        ) - new_customers as customers_at_period_start
    from stage_entries

),

counts as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        coalesce(orders_per_period.revenue, 0) as revenue,
        coalesce(orders_per_period.orders, 0) as orders,
        coalesce(orders_per_period.paying_customers, 0) as paying_customers,
        cumulative_customers.new_leads,
        cumulative_customers.promoters_to_date,
        cumulative_customers.customers_to_date,
        cumulative_customers.customers_at_period_start,
        coalesce(orders_per_period.retained_customers, 0) as retained_customers,
        coalesce(trailing_year.revenue_12m, 0) as revenue_12m,
        coalesce(trailing_year.paying_customers_12m, 0) as paying_customers_12m,
        coalesce(orders_per_period.attributed_revenue, 0) as attributed_revenue,
        marketing_costs.marketing_cost

    {{ marketing_kpis.join_period_metrics('periods', [
        'orders_per_period', 'cumulative_customers', 'trailing_year', 'marketing_costs',
    ]) }}

),

final as (

    select
        period_grain,
        period_start,
        period_end,
        cast(revenue as {{ marketing_kpis.type_money() }}) as revenue,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(paying_customers as {{ dbt.type_bigint() }}) as paying_customers,
        {{ marketing_kpis.safe_divide('revenue', 'orders') }} as average_order_value,
        {{ marketing_kpis.safe_divide('revenue', 'paying_customers') }} as revenue_per_customer,
        cast(new_leads as {{ dbt.type_bigint() }}) as new_leads,
        {{ marketing_kpis.safe_divide('revenue', 'new_leads') }} as revenue_per_lead,
        cast(promoters_to_date as {{ dbt.type_bigint() }}) as promoters_to_date,
        cast(customers_to_date as {{ dbt.type_bigint() }}) as customers_to_date,
        {{ marketing_kpis.safe_divide('promoters_to_date', 'customers_to_date') }}
            as promoter_rate,
        cast(retained_customers as {{ dbt.type_bigint() }}) as retained_customers,
        cast(customers_at_period_start as {{ dbt.type_bigint() }}) as customers_at_period_start,
        {{ marketing_kpis.safe_divide('retained_customers', 'customers_at_period_start') }}
            as retention_rate,
        cast(revenue_12m as {{ marketing_kpis.type_money() }}) as revenue_12m,
        cast(paying_customers_12m as {{ dbt.type_bigint() }}) as paying_customers_12m,
        {{ marketing_kpis.safe_divide('revenue_12m', 'paying_customers_12m') }}
        * {{ marketing_kpis.setting('customer_lifespan_years') }} as customer_lifetime_value,
        cast(attributed_revenue as {{ marketing_kpis.type_money() }}) as attributed_revenue,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.safe_divide('attributed_revenue - marketing_cost', 'marketing_cost') }}
            as roi

    from counts

)

select * from final
