-- One row per reporting period: each grain of var kpi_period_grains (day, week, month,
-- quarter or year; weeks start on Monday) from the period holding the first activity to
-- the period holding the last one, with no gap: periods without activity are kept.
-- Dates are local dates of var reporting_timezone; period_end is the last day inside.

{%- set grains = marketing_kpis.setting('kpi_period_grains') %}
{%- for grain in grains %}
    {%- if grain not in ['day', 'week', 'month', 'quarter', 'year'] %}
        {{ exceptions.raise_compiler_error(
            "var kpi_period_grains: unknown grain '" ~ grain
            ~ "' (allowed: day, week, month, quarter, year)") }}
    {%- endif %}
{%- endfor %}

with

activity_bounds as (

    select * from {{ ref('int_activity_bounds_aggregated') }}

),

day_numbers as (

    -- 2^16 days: about 179 years
    {{ dbt.generate_series(65536) }}

),

days as (

    select
        {{ dbt.dateadd('day', 'day_numbers.generated_number - 1',
                       'activity_bounds.first_activity_date') }} as calendar_date
    from day_numbers
    cross join activity_bounds
    where
        day_numbers.generated_number - 1
        <= {{ dbt.datediff('activity_bounds.first_activity_date',
                           'activity_bounds.last_activity_date', 'day') }}

),

periods as (

    {%- for grain in grains %}
        select distinct
            '{{ grain }}' as period_grain,
            cast({{ dbt.date_trunc(grain, 'calendar_date') }} as date) as period_start
        from days
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        period_grain,
        period_start,
        cast(
            case period_grain
                {%- for grain in grains %}
                    when '{{ grain }}' then
                        {{ dbt.dateadd('day', -1, dbt.dateadd(grain, 1, 'period_start')) }}
                {%- endfor %}
            end as date
        ) as period_end

    from periods

)

select * from final
