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

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_allocated') }}

),

final as (

    select
        credits.campaign_id,
        credits.attribution_model,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end,
        credits.conversion_type,
        cast(sum(credits.credited_value) as {{ marketing_kpis.type_double() }}) as credit,
        cast(sum(credits.credit) as {{ marketing_kpis.type_double() }}) as conversions

    from credits
    inner join period_days
        on credits.converted_date = period_days.date_day
    group by
        credits.campaign_id,
        credits.attribution_model,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end,
        credits.conversion_type

)

select * from final
