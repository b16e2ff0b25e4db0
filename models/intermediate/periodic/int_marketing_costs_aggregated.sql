-- One row per reporting period: the marketing cost booked in it (every campaign_costs
-- line whose cost_date falls in the period, any cost type), 0 when none.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

campaign_costs as (

    select * from {{ ref('stg_campaign_costs') }}

),

costs as (

    {{ marketing_kpis.aggregate_by_period('campaign_costs', 'cost_date', [
        'sum(amount) as marketing_cost',
    ]) }}

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        coalesce(costs.marketing_cost, 0) as marketing_cost

    {{ marketing_kpis.join_period_metrics('periods', ['costs']) }}

)

select * from final
