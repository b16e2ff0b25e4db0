-- One row per reporting period and local date inside it (every grain of var
-- kpi_period_grains): the bridge from a day to its period. Models count per local day
-- and join `on <event>_date = period_days.date_day` to group by period; a date outside
-- the calendar of int_reporting_periods_generated has no row, so it is in no period.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

day_offsets as (

    -- the longest period, a leap year, has 366 days
    {{ dbt.generate_series(366) }}

),

final as (

    select
        periods.period_grain,
        cast(
            {{ dbt.dateadd('day', 'day_offsets.generated_number - 1', 'periods.period_start') }}
            as date
        ) as date_day,
        periods.period_start,
        periods.period_end

    from periods
    cross join day_offsets
    where
        day_offsets.generated_number - 1
        <= {{ dbt.datediff('periods.period_start', 'periods.period_end', 'day') }}

)

select * from final
