-- One row per landing page and period with activity (every grain of var
-- kpi_period_grains): its page views, the form submissions made on it and the form fill
-- rate (doc block kpi_form_fill_rate). A landing page is a
-- page whose web events carry page_type 'landing_page'.

with

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

page_events_daily as (

    select * from {{ ref('int_page_events_aggregated_daily') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

landing_pages as (

    select distinct page_id
    from page_events_daily
    where landing_page_events > 0

),

activity as (

    select
        page_events_daily.page_id,
        page_events_daily.event_date as activity_date,
        page_events_daily.page_views,
        0 as form_submissions
    from page_events_daily
    inner join landing_pages
        on page_events_daily.page_id = landing_pages.page_id
    where page_events_daily.page_views > 0

    union all

    select
        form_submissions.page_id,
        {{ marketing_kpis.to_local_date('form_submissions.submitted_at') }} as activity_date,
        0 as page_views,
        1 as form_submissions
    from form_submissions
    inner join landing_pages
        on form_submissions.page_id = landing_pages.page_id

),

counts as (

    select
        activity.page_id,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end,
        sum(activity.page_views) as page_views,
        sum(activity.form_submissions) as form_submissions
    from activity
    inner join period_days
        on activity.activity_date = period_days.date_day
    group by
        activity.page_id,
        period_days.period_grain,
        period_days.period_start,
        period_days.period_end

),

final as (

    select
        page_id,
        period_grain,
        period_start,
        period_end,
        cast(page_views as {{ dbt.type_bigint() }}) as page_views,
        cast(form_submissions as {{ dbt.type_bigint() }}) as form_submissions,
        {{ marketing_kpis.kpi_ratio('form_fill_rate') }} as form_fill_rate

    from counts

)

select * from final
