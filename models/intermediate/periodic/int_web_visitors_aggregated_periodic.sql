{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy=marketing_kpis.event_model_strategy(),
        unique_key=['period_grain', 'period_start'],
        partition_by=marketing_kpis.event_model_partitions(['period_grain', 'period_start']),
        on_schema_change='fail',
        post_hook="{{ marketing_kpis.periods_outside_the_calendar_deleted() }}",
    )
}}

-- depends_on: {{ ref('int_reporting_periods_generated') }} (the post-hook's calendar)

-- One row per reporting period with a web visitor: its unique visitors, the distinct
-- visitor_id of its local days (they do not add up across days), and its last day with a
-- visitor. Incremental: a run counts again only the periods that end on or after the first
-- day int_web_visitors_aggregated_daily can have replaced since this table was counted (the
-- latest last_visit_date, minus var incremental_lookback_days and one day); the others
-- keep their count.

{%- set lookback_days = marketing_kpis.setting('incremental_lookback_days') | int %}

with

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

visitors_daily as (

    select * from {{ ref('int_web_visitors_aggregated_daily') }}

),

periods_to_count as (

    select
        period_grain,
        period_start,
        date_day
    from period_days
    {%- if is_incremental() %}
        where period_end >= (
            select
                coalesce(
                    cast(
                        {{ dbt.dateadd('day', -1 * (lookback_days + 1),
                                       'max(last_visit_date)') }}
                        as date
                    ),
                    cast('0001-01-01' as date)
                )
            from {{ this }}
        )
    {%- endif %}

),

final as (

    select
        periods_to_count.period_grain,
        periods_to_count.period_start,
        count(distinct visitors_daily.visitor_id) as unique_visitors,
        max(visitors_daily.visit_date) as last_visit_date

    from visitors_daily
    inner join periods_to_count
        on visitors_daily.visit_date = periods_to_count.date_day
    group by periods_to_count.period_grain, periods_to_count.period_start

)

select * from final
