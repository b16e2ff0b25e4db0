-- Nurturing KPIs, one row per period_grain and period: email sends and their outcomes,
-- their rates (doc blocks kpi_<name>, computed by the catalog) and reopened leads. Email
-- metrics belong to the period of the send, not of the open (a send of 31 January opened
-- on 2 February counts in January).

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

email_sends_daily as (

    select * from {{ ref('int_email_sends_aggregated_daily') }}

),

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

sends_per_period as (

    select
        period_days.period_grain,
        period_days.period_start,
        sum(email_sends_daily.sends) as sends,
        sum(email_sends_daily.delivered) as delivered,
        sum(email_sends_daily.unique_opens) as unique_opens,
        sum(email_sends_daily.unique_clicks) as unique_clicks,
        sum(email_sends_daily.unsubscribes) as unsubscribes
    from email_sends_daily
    inner join period_days
        on email_sends_daily.sent_date = period_days.date_day
    group by period_days.period_grain, period_days.period_start

),

counts as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        coalesce(sends_per_period.sends, 0) as sends,
        coalesce(sends_per_period.delivered, 0) as delivered,
        coalesce(sends_per_period.unique_opens, 0) as unique_opens,
        coalesce(sends_per_period.unique_clicks, 0) as unique_clicks,
        coalesce(sends_per_period.unsubscribes, 0) as unsubscribes,
        stage_entries.reopened_leads
    from periods
    left join sends_per_period
        on
            periods.period_grain = sends_per_period.period_grain
            and periods.period_start = sends_per_period.period_start
    left join stage_entries
        on
            periods.period_grain = stage_entries.period_grain
            and periods.period_start = stage_entries.period_start

),

final as (

    select
        period_grain,
        period_start,
        period_end,
        cast(sends as {{ dbt.type_bigint() }}) as sends,
        cast(delivered as {{ dbt.type_bigint() }}) as delivered,
        cast(unique_opens as {{ dbt.type_bigint() }}) as unique_opens,
        cast(unique_clicks as {{ dbt.type_bigint() }}) as unique_clicks,
        cast(unsubscribes as {{ dbt.type_bigint() }}) as unsubscribes,
        {{ marketing_kpis.kpi_ratio('open_rate') }} as open_rate,
        {{ marketing_kpis.kpi_ratio('open_rate_on_sends') }} as open_rate_on_sends,
        {{ marketing_kpis.kpi_ratio('click_rate') }} as click_rate,
        {{ marketing_kpis.kpi_ratio('click_to_open_rate') }} as click_to_open_rate,
        {{ marketing_kpis.kpi_ratio('unsubscribe_rate') }} as unsubscribe_rate,
        cast(reopened_leads as {{ dbt.type_bigint() }}) as reopened_leads

    from counts

)

select * from final
