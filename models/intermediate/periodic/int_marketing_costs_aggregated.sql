-- One row per reporting period: the marketing cost booked in it (every campaign cost
-- whose cost_date falls in the period, any cost type), 0 when none.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

costs_daily as (

    select * from {{ ref('int_campaign_costs_aggregated_daily') }}

),

costs_per_period as (

    select
        period_days.period_grain,
        period_days.period_start,
        sum(costs_daily.marketing_cost) as marketing_cost
    from costs_daily
    inner join period_days
        on costs_daily.cost_date = period_days.date_day
    group by period_days.period_grain, period_days.period_start

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        coalesce(costs_per_period.marketing_cost, 0) as marketing_cost

    from periods
    left join costs_per_period
        on
            periods.period_grain = costs_per_period.period_grain
            and periods.period_start = costs_per_period.period_start

)

select * from final
