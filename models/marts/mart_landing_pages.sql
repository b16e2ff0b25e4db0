-- One row per landing page and period with activity (every grain of var
-- kpi_period_grains): its page views, the form submissions made on it and the form fill
-- rate (article 001: forms filled / page views of the landing page). A landing page is a
-- page whose web events carry page_type 'landing_page'.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

landing_pages as (

    select distinct page_id
    from web_events
    where page_type = 'landing_page' and page_id is not null

),

page_views as (

    select
        web_events.page_id,
        {{ marketing_kpis.to_local_date('web_events.occurred_at') }} as view_date
    from web_events
    inner join landing_pages
        on web_events.page_id = landing_pages.page_id
    where web_events.event_type = 'page_view'

),

submissions as (

    select
        form_submissions.page_id,
        {{ marketing_kpis.to_local_date('form_submissions.submitted_at') }} as submission_date
    from form_submissions
    inner join landing_pages
        on form_submissions.page_id = landing_pages.page_id

),

activity as (

    {{ marketing_kpis.aggregate_by_period('page_views', 'view_date', [
        'count(*) as page_views', '0 as form_submissions',
    ], dimensions=['page_id']) }}

    union all

    {{ marketing_kpis.aggregate_by_period('submissions', 'submission_date', [
        '0 as page_views', 'count(*) as form_submissions',
    ], dimensions=['page_id']) }}

),

per_page_and_period as (

    select
        page_id,
        period_grain,
        period_start,
        sum(page_views) as page_views,
        sum(form_submissions) as form_submissions
    from activity
    group by page_id, period_grain, period_start

),

final as (

    select
        per_page_and_period.page_id,
        per_page_and_period.period_grain,
        per_page_and_period.period_start,
        periods.period_end,
        cast(per_page_and_period.page_views as {{ dbt.type_bigint() }}) as page_views,
        cast(per_page_and_period.form_submissions as {{ dbt.type_bigint() }})
            as form_submissions,
        {{ marketing_kpis.safe_divide('per_page_and_period.form_submissions',
                                      'per_page_and_period.page_views') }} as form_fill_rate

    from per_page_and_period
    inner join periods
        on
            per_page_and_period.period_grain = periods.period_grain
            and per_page_and_period.period_start = periods.period_start

)

select * from final
