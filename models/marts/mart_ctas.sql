-- One row per call to action, page it is on and period (every grain of var
-- kpi_period_grains) in which the CTA was clicked or its page viewed: CTA clicks, page
-- views of the page and the CTA click rate (doc block kpi_cta_click_rate). A CTA is on
-- the pages its cta_click events name.

with

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

page_events_daily as (

    select * from {{ ref('int_page_events_aggregated_daily') }}

),

cta_pages as (

    select distinct
        cta_id,
        page_id
    from page_events_daily
    where cta_clicks > 0

),

cta_clicks as (

    select
        page_events_daily.cta_id,
        page_events_daily.page_id,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end,
        sum(page_events_daily.cta_clicks) as cta_clicks
    from page_events_daily
    inner join period_days
        on page_events_daily.event_date = period_days.date_day
    where page_events_daily.cta_clicks > 0
    group by
        page_events_daily.cta_id,
        page_events_daily.page_id,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end

),

page_views as (

    select
        page_events_daily.page_id,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end,
        sum(page_events_daily.page_views) as page_views
    from page_events_daily
    inner join period_days
        on page_events_daily.event_date = period_days.date_day
    where page_events_daily.page_views > 0
    group by
        page_events_daily.page_id,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end

),

cta_periods as (

    select
        cta_pages.cta_id,
        cta_pages.page_id,
        page_views.period_grain,
        page_views.period_start,
        page_views.period_end
    from cta_pages
    inner join page_views
        on cta_pages.page_id = page_views.page_id

    union

    select
        cta_id,
        page_id,
        period_grain,
        period_start,
        period_end
    from cta_clicks

),

counts as (

    select
        cta_periods.cta_id,
        cta_periods.page_id,
        cta_periods.period_grain,
        cta_periods.period_start,
        cta_periods.period_end,
        coalesce(cta_clicks.cta_clicks, 0) as cta_clicks,
        coalesce(page_views.page_views, 0) as page_views
    from cta_periods
    left join cta_clicks
        on
            cta_periods.cta_id = cta_clicks.cta_id
            and cta_periods.page_id = cta_clicks.page_id
            and cta_periods.period_grain = cta_clicks.period_grain
            and cta_periods.period_start = cta_clicks.period_start
    left join page_views
        on
            cta_periods.page_id = page_views.page_id
            and cta_periods.period_grain = page_views.period_grain
            and cta_periods.period_start = page_views.period_start

),

final as (

    select
        cta_id,
        page_id,
        period_grain,
        period_start,
        period_end,
        cast(cta_clicks as {{ dbt.type_bigint() }}) as cta_clicks,
        cast(page_views as {{ dbt.type_bigint() }}) as page_views,
        {{ marketing_kpis.kpi_ratio('cta_click_rate') }} as cta_click_rate

    from counts

)

select * from final
