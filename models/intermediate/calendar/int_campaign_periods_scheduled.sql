-- One row per campaign and reporting period of its launch cadence (article 001): weekly
-- for the 4 weeks after launch, every 2 weeks for the next 8 weeks, then monthly, up to
-- the last activity of the export. Periods start on the local launch date (var
-- reporting_timezone); period_end is the last day inside. A campaign without launched_at
-- starts at its first touch; one with neither has no period.

with

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

touches as (

    select * from {{ ref('int_touches_unioned') }}

),

activity_bounds as (

    select * from {{ ref('int_activity_bounds_aggregated') }}

),

period_numbers as (

    -- 8 periods of the first 12 weeks, then up to 40 years of months
    {{ dbt.generate_series(488) }}

),

first_touches as (

    select
        campaign_id,
        min(touched_at) as first_touched_at
    from touches
    group by campaign_id

),

launches as (

    select
        campaigns.campaign_id,
        {{ marketing_kpis.to_local_date(
            'coalesce(campaigns.launched_at, first_touches.first_touched_at)') }}
            as launch_date
    from campaigns
    left join first_touches
        on campaigns.campaign_id = first_touches.campaign_id
    where coalesce(campaigns.launched_at, first_touches.first_touched_at) is not null

),

schedule as (

    select
        launches.campaign_id,
        launches.launch_date,
        cast(period_numbers.generated_number as {{ dbt.type_bigint() }}) as period_number,
        case
            when period_numbers.generated_number <= 4 then 'weekly'
            when period_numbers.generated_number <= 8 then 'biweekly'
            else 'monthly'
        end as cadence,
        case
            when period_numbers.generated_number <= 4
                then {{ dbt.dateadd('day', '7 * (period_numbers.generated_number - 1)',
                                    'launches.launch_date') }}
            when period_numbers.generated_number <= 8
                then {{ dbt.dateadd('day', '28 + 14 * (period_numbers.generated_number - 5)',
                                    'launches.launch_date') }}
            else {{ dbt.dateadd('month', 'period_numbers.generated_number - 9',
                                dbt.dateadd('day', 84, 'launches.launch_date')) }}
        end as period_start,
        case
            when period_numbers.generated_number <= 4
                then {{ dbt.dateadd('day', '7 * period_numbers.generated_number - 1',
                                    'launches.launch_date') }}
            when period_numbers.generated_number <= 8
                then {{ dbt.dateadd('day', '28 + 14 * (period_numbers.generated_number - 4) - 1',
                                    'launches.launch_date') }}
            else {{ dbt.dateadd('day', -1, dbt.dateadd('month',
                                'period_numbers.generated_number - 8',
                                dbt.dateadd('day', 84, 'launches.launch_date'))) }}
        end as period_end
    from launches
    cross join period_numbers

),

final as (

    select
        schedule.campaign_id,
        schedule.launch_date,
        schedule.period_number,
        schedule.cadence,
        cast(schedule.period_start as date) as period_start,
        cast(schedule.period_end as date) as period_end

    from schedule
    cross join activity_bounds
    where schedule.period_start <= activity_bounds.last_activity_date

)

select * from final
