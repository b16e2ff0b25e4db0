{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per contact: its first interaction, the earliest of its created_at, an
-- identified web event, a form submission, a call, an email open or click and a
-- campaign entry (the start of days_to_close, DESIGN.md section 5).
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

with

contacts as (

    select * from {{ ref('stg_contacts') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

calls as (

    select * from {{ ref('stg_calls') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

interactions as (

    select
        contact_id,
        min(occurred_at) as engaged_at
    from web_events
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        min(submitted_at) as engaged_at
    from form_submissions
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        min(started_at) as engaged_at
    from calls
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        min(first_opened_at) as engaged_at
    from email_sends
    where first_opened_at is not null
    group by contact_id

    union all

    select
        contact_id,
        min(first_clicked_at) as engaged_at
    from email_sends
    where first_clicked_at is not null
    group by contact_id

    union all

    select
        contact_id,
        min(added_at) as engaged_at
    from campaign_members
    group by contact_id

),

first_interactions as (

    select
        contact_id,
        min(engaged_at) as first_interaction_at
    from interactions
    group by contact_id

),

final as (

    select
        contacts.contact_id,
        case
            when
                first_interactions.first_interaction_at is null
                or contacts.created_at < first_interactions.first_interaction_at
                then contacts.created_at
            else first_interactions.first_interaction_at
        end as first_interaction_at

    from contacts
    left join first_interactions
        on contacts.contact_id = first_interactions.contact_id

)

select * from final
