{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per touch: an interaction of a contact with a campaign (DESIGN.md section 4):
-- an entry into the campaign, a form submission, an identified web event, a call or a
-- deal (at its creation) that carries the campaign, and the first open and the first
-- click of each send of one of the campaign's emails (a send is one interaction, however
-- often it is reopened; machine opens are not touches while var exclude_machine_opens is
-- true).
-- Refreshes by contact (doc block int_contacts_refresh_scoped): an incremental run reads
-- and rewrites the rows of the contacts int_contacts_refresh_scoped marks refreshed.

with

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

calls as (

    select * from {{ ref('stg_calls') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

deals as (

    select * from {{ ref('stg_deals') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

touches as (

    select
        contact_id,
        campaign_id,
        'campaign_membership' as touch_type,
        added_at as touched_at
    from campaign_members

    union all

    select
        contact_id,
        campaign_id,
        'form_submission' as touch_type,
        submitted_at as touched_at
    from form_submissions
    where contact_id is not null and campaign_id is not null

    union all

    select
        contact_id,
        campaign_id,
        'web_event' as touch_type,
        occurred_at as touched_at
    from web_events
    where contact_id is not null and campaign_id is not null

    union all

    select
        contact_id,
        campaign_id,
        'call' as touch_type,
        started_at as touched_at
    from calls
    where contact_id is not null and campaign_id is not null

    union all

    select
        contact_id,
        campaign_id,
        'deal' as touch_type,
        created_at as touched_at
    from deals
    where contact_id is not null and campaign_id is not null

    union all

    select
        contact_id,
        campaign_id,
        'email_open' as touch_type,
        first_opened_at as touched_at
    from email_sends
    where campaign_id is not null and first_opened_at is not null

    union all

    select
        contact_id,
        campaign_id,
        'email_click' as touch_type,
        first_clicked_at as touched_at
    from email_sends
    where campaign_id is not null and first_clicked_at is not null

),

final as (

    select
        contact_id,
        campaign_id,
        touch_type,
        touched_at,
        -- a stable order for touches at the same moment
        case touch_type
            when 'campaign_membership' then 1
            when 'form_submission' then 2
            when 'call' then 3
            when 'web_event' then 4
            when 'email_click' then 5
            when 'deal' then 7
            else 6
        end as touch_type_rank

    from touches

)

select * from final
