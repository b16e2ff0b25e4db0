-- One row per local date (var reporting_timezone) of the reporting calendar, from the
-- first day of the earliest reporting period to the last day of the latest: the time
-- spine of the MetricFlow semantic layer (declared with time_spine in
-- _calendar__models.yml; models/semantic/). Every grain of var kpi_period_grains covers
-- the same days, so the distinct days of any of them are the whole calendar.

with

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

final as (

    select distinct cast(date_day as date) as date_day

    from period_days

)

select * from final
