-- Nurturing KPIs, one row per period_grain and period (DESIGN.md section 5): email sends
-- and their unique opens, clicks and unsubscribes, open and click rates, and reopened
-- leads. Email metrics belong to the period of the send, not of the open (a send of
-- 31 January opened on 2 February counts in January).

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}

),

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

sends_per_period as (

    {{ marketing_kpis.aggregate_by_period('email_sends', 'sent_date', [
        'count(*) as sends',
        'sum(case when is_delivered then 1 else 0 end) as delivered',
        'sum(case when is_opened then 1 else 0 end) as unique_opens',
        'sum(case when is_clicked then 1 else 0 end) as unique_clicks',
        'sum(case when is_unsubscribed then 1 else 0 end) as unsubscribes',
    ]) }}

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

    {{ marketing_kpis.join_period_metrics('periods', ['sends_per_period', 'stage_entries']) }}

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
        {{ marketing_kpis.safe_divide('unique_opens', 'delivered') }} as open_rate,
        {{ marketing_kpis.safe_divide('unique_opens', 'sends') }} as open_rate_on_sends,
        {{ marketing_kpis.safe_divide('unique_clicks', 'delivered') }} as click_rate,
        {{ marketing_kpis.safe_divide('unique_clicks', 'unique_opens') }} as click_to_open_rate,
        {{ marketing_kpis.safe_divide('unsubscribes', 'delivered') }} as unsubscribe_rate,
        cast(reopened_leads as {{ dbt.type_bigint() }}) as reopened_leads

    from counts

)

select * from final
