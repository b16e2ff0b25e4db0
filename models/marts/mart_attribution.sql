-- One row per campaign, attribution model, period (every grain of var
-- kpi_period_grains) and conversion type with credited conversions (DESIGN.md section 4):
--   credit       for lead, mql and customer: the number of conversions credited to the
--                campaign (fractions of conversions; the credits of one conversion sum
--                to 1 over campaigns); for revenue: the revenue credited (order amount
--                x share)
--   conversions  the fractional number of conversions credited, for every type
-- The period is the local date of the conversion. Conversions without an eligible touch
-- are credited to campaign 'unattributed'.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_allocated') }}

),

per_period as (

    {{ marketing_kpis.aggregate_by_period('credits', 'converted_date', [
        'sum(credited_value) as credit',
        'sum(credit) as conversions',
    ], dimensions=['campaign_id', 'attribution_model', 'conversion_type']) }}

),

final as (

    select
        per_period.campaign_id,
        per_period.attribution_model,
        per_period.period_grain,
        per_period.period_start,
        periods.period_end,
        per_period.conversion_type,
        cast(per_period.credit as {{ marketing_kpis.type_double() }}) as credit,
        cast(per_period.conversions as {{ marketing_kpis.type_double() }}) as conversions

    from per_period
    inner join periods
        on
            per_period.period_grain = periods.period_grain
            and per_period.period_start = periods.period_start

)

select * from final
