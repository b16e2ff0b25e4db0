{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per recycled contact that was reopened: the first engagement strictly after
-- its recycled moment (an email click, a form submission, an identified web event or a
-- positive score delta) and which one it was (DESIGN.md section 3). Ties at one moment
-- go by the rank each engagement carries: click, form, visit, score.
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

with

stages as (

    select * from {{ ref('int_contacts_stages_pivoted') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

email_events as (

    select * from {{ ref('stg_email_events') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

score_events as (

    select * from {{ ref('stg_score_events') }}

),

recycled as (

    select
        contact_id,
        recycled_at
    from stages
    where recycled_at is not null

),

engagements_after_recycling as (

    select
        recycled.contact_id,
        'email_click' as signal,
        1 as signal_rank,
        min(email_events.occurred_at) as engaged_at
    from recycled
    inner join email_events
        on
            recycled.contact_id = email_events.contact_id
            and email_events.event_type = 'clicked'
            and recycled.recycled_at < email_events.occurred_at
    group by recycled.contact_id

    union all

    select
        recycled.contact_id,
        'form' as signal,
        2 as signal_rank,
        min(form_submissions.submitted_at) as engaged_at
    from recycled
    inner join form_submissions
        on
            recycled.contact_id = form_submissions.contact_id
            and recycled.recycled_at < form_submissions.submitted_at
    group by recycled.contact_id

    union all

    select
        recycled.contact_id,
        'web_visit' as signal,
        3 as signal_rank,
        min(web_events.occurred_at) as engaged_at
    from recycled
    inner join web_events
        on
            recycled.contact_id = web_events.contact_id
            and recycled.recycled_at < web_events.occurred_at
    group by recycled.contact_id

    union all

    select
        recycled.contact_id,
        'score' as signal,
        4 as signal_rank,
        min(score_events.occurred_at) as engaged_at
    from recycled
    inner join score_events
        on
            recycled.contact_id = score_events.contact_id
            and score_events.delta > 0
            and recycled.recycled_at < score_events.occurred_at
    group by recycled.contact_id

),

ordered_engagements as (

    select
        contact_id,
        signal,
        engaged_at,
        row_number() over (
            partition by contact_id order by engaged_at, signal_rank
        ) as engagement_order
    from engagements_after_recycling

),

final as (

    select
        contact_id,
        engaged_at as reopened_at,
        signal as reopened_signal

    from ordered_engagements
    where engagement_order = 1

)

select * from final
