-- Revenue KPIs, one row per period_grain and period: completed orders (dated by the local
-- date of ordered_at), revenue per order, customer and lead, promoter and retention
-- rates, customer lifetime value, ROI and trailing-12-month ROI (doc blocks kpi_<name>;
-- every rate is computed by the catalog, macros/kpi_definitions.sql). "The 12 months
-- ending at period end" are the local days after the same day 12 months earlier, up to
-- and including period_end.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

completed_orders as (

    select * from {{ ref('int_completed_orders_enriched') }}

),

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

marketing_costs as (

    select * from {{ ref('int_marketing_costs_aggregated') }}

),

trailing_year as (

    select * from {{ ref('int_trailing_year_aggregated') }}

),

orders_per_period as (

    select
        period_days.period_grain,
        period_days.period_start,
        sum(completed_orders.amount) as revenue,
        count(*) as orders,
        count(distinct completed_orders.contact_id) as paying_customers,
        sum(
            case when completed_orders.has_source_campaign then completed_orders.amount else 0 end
        ) as attributed_revenue,
        count(distinct case
            when completed_orders.customer_date < period_days.period_start
                then completed_orders.contact_id
        end) as retained_customers
    from completed_orders
    inner join period_days
        on completed_orders.order_date = period_days.date_day
    group by period_days.period_grain, period_days.period_start

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
        trailing_year.revenue_12m,
        trailing_year.paying_customers_12m,
        coalesce(orders_per_period.attributed_revenue, 0) as attributed_revenue,
        marketing_costs.marketing_cost,
        trailing_year.attributed_revenue_12m,
        trailing_year.marketing_cost_12m
    from periods
    left join orders_per_period
        on
            periods.period_grain = orders_per_period.period_grain
            and periods.period_start = orders_per_period.period_start
    left join cumulative_customers
        on
            periods.period_grain = cumulative_customers.period_grain
            and periods.period_start = cumulative_customers.period_start
    left join trailing_year
        on
            periods.period_grain = trailing_year.period_grain
            and periods.period_start = trailing_year.period_start
    left join marketing_costs
        on
            periods.period_grain = marketing_costs.period_grain
            and periods.period_start = marketing_costs.period_start

),

final as (

    select
        period_grain,
        period_start,
        period_end,
        cast(revenue as {{ marketing_kpis.type_money() }}) as revenue,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(paying_customers as {{ dbt.type_bigint() }}) as paying_customers,
        {{ marketing_kpis.kpi_ratio('average_order_value') }} as average_order_value,
        {{ marketing_kpis.kpi_ratio('revenue_per_customer') }} as revenue_per_customer,
        cast(new_leads as {{ dbt.type_bigint() }}) as new_leads,
        {{ marketing_kpis.kpi_ratio('revenue_per_lead') }} as revenue_per_lead,
        cast(promoters_to_date as {{ dbt.type_bigint() }}) as promoters_to_date,
        cast(customers_to_date as {{ dbt.type_bigint() }}) as customers_to_date,
        {{ marketing_kpis.kpi_ratio('promoter_rate') }} as promoter_rate,
        cast(retained_customers as {{ dbt.type_bigint() }}) as retained_customers,
        cast(customers_at_period_start as {{ dbt.type_bigint() }}) as customers_at_period_start,
        {{ marketing_kpis.kpi_ratio('retention_rate') }} as retention_rate,
        cast(revenue_12m as {{ marketing_kpis.type_money() }}) as revenue_12m,
        cast(paying_customers_12m as {{ dbt.type_bigint() }}) as paying_customers_12m,
        {{ marketing_kpis.kpi_ratio('customer_lifetime_value') }} as customer_lifetime_value,
        cast(attributed_revenue as {{ marketing_kpis.type_money() }}) as attributed_revenue,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.kpi_ratio('roi') }} as roi,
        cast(attributed_revenue_12m as {{ marketing_kpis.type_money() }})
            as attributed_revenue_12m,
        cast(marketing_cost_12m as {{ marketing_kpis.type_money() }}) as marketing_cost_12m,
        {{ marketing_kpis.kpi_ratio('trailing_12m_roi') }} as trailing_12m_roi

    from counts

)

select * from final
