-- One row per call to action, page it is on and period (every grain of var
-- kpi_period_grains) in which the CTA was clicked or its page viewed: CTA clicks, page
-- views of the page and the CTA click rate (article 001: clicks on the CTA / page views
-- of the page the CTA is on). A CTA is on the pages its cta_click events name.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

dated_events as (

    select
        event_type,
        page_id,
        cta_id,
        {{ marketing_kpis.to_local_date('occurred_at') }} as event_date
    from web_events
    where page_id is not null

),

cta_pages as (

    select distinct
        cta_id,
        page_id
    from dated_events
    where event_type = 'cta_click' and cta_id is not null

),

cta_clicks as (

    {{ marketing_kpis.aggregate_by_period('dated_events', 'event_date', [
        'count(*) as cta_clicks',
    ], where="event_type = 'cta_click' and cta_id is not null",
       dimensions=['cta_id', 'page_id']) }}

),

page_views as (

    {{ marketing_kpis.aggregate_by_period('dated_events', 'event_date', [
        'count(*) as page_views',
    ], where="event_type = 'page_view'", dimensions=['page_id']) }}

),

cta_periods as (

    select
        cta_pages.cta_id,
        cta_pages.page_id,
        page_views.period_grain,
        page_views.period_start
    from cta_pages
    inner join page_views
        on cta_pages.page_id = page_views.page_id

    union

    select
        cta_id,
        page_id,
        period_grain,
        period_start
    from cta_clicks

),

final as (

    select
        cta_periods.cta_id,
        cta_periods.page_id,
        cta_periods.period_grain,
        cta_periods.period_start,
        periods.period_end,
        cast(coalesce(cta_clicks.cta_clicks, 0) as {{ dbt.type_bigint() }}) as cta_clicks,
        cast(coalesce(page_views.page_views, 0) as {{ dbt.type_bigint() }}) as page_views,
        {{ marketing_kpis.safe_divide('coalesce(cta_clicks.cta_clicks, 0)',
                                      'page_views.page_views') }} as cta_click_rate

    from cta_periods
    inner join periods
        on
            cta_periods.period_grain = periods.period_grain
            and cta_periods.period_start = periods.period_start
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

)

select * from final
