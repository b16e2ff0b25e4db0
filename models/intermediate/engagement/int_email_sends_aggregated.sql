{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy='delete+insert',
        unique_key=['email_id', 'contact_id'],
        on_schema_change='fail',
    )
}}

-- One row per email send: an (email_id, contact_id) pair with at least one 'sent' event.
-- DESIGN.md section 4: a bounced send is still a send; delivered = sent and not bounced;
-- an open or a click counts once per send, whenever it happened; opens flagged
-- is_machine_open are not opens while var exclude_machine_opens is true. Events of a pair
-- that was never sent are not sends and are left out.
-- Incremental: a run recomputes, from all their events, the sends that have an event in
-- the window (var incremental_lookback_days before the latest event already counted),
-- and every send of an email whose campaign, audience or family changed in the export.

{%- set machine_opens_excluded = 'true' if marketing_kpis.setting('exclude_machine_opens')
    else 'false' %}

with

email_events as (

    select * from {{ ref('stg_email_events') }}

),

email_families as (

    select * from {{ ref('int_email_families_resolved') }}

),

{%- if is_incremental() %}

    -- emails whose campaign, audience or family changed in the export since the last run
    -- (or that left it): every send of theirs is recomputed, whenever it was sent
    previous_emails as (

        select distinct
            email_id,
            campaign_id,
            email_audience,
            parent_email_id,
            root_email_id
        from {{ this }}

    ),

    changed_emails as (

        select previous_emails.email_id
        from previous_emails
        left join email_families
            on previous_emails.email_id = email_families.email_id
        -- an email gone from the export compares with nulls: its sends lose their campaign
        where
            previous_emails.campaign_id is distinct from email_families.campaign_id
            or previous_emails.email_audience is distinct from email_families.audience
            or previous_emails.parent_email_id is distinct from email_families.parent_email_id
            or previous_emails.root_email_id
            is distinct from coalesce(email_families.root_email_id, previous_emails.email_id)

    ),

{%- endif %}

events_to_aggregate as (

    select email_events.*
    from email_events
    {%- if is_incremental() %}
        where
            exists (
                select 1
                from email_events as window_events
                where
                    window_events.email_id = email_events.email_id
                    and window_events.contact_id = email_events.contact_id
                    and window_events.occurred_at
                    >= {{ marketing_kpis.incremental_cutoff('last_event_at') }}
            )
            or email_events.email_id in (select changed_emails.email_id from changed_emails)
    {%- endif %}

),

classified_events as (

    select
        email_id,
        contact_id,
        event_type,
        occurred_at,
        coalesce(is_machine_open, false) as is_machine_open,
        event_type = 'opened' and not (
            coalesce(is_machine_open, false) and {{ machine_opens_excluded }}
        ) as is_counted_open
    from events_to_aggregate

),

events_per_send as (

    select
        email_id,
        contact_id,
        min(case when event_type = 'sent' then occurred_at end) as sent_at,
        min(case when event_type = 'delivered' then occurred_at end) as delivered_event_at,
        min(case when event_type = 'bounced' then occurred_at end) as bounced_at,
        min(case when is_counted_open then occurred_at end) as first_opened_at,
        min(
            case
                when event_type = 'opened' and is_machine_open then occurred_at
            end
        ) as first_machine_opened_at,
        count(case when is_counted_open then 1 end) as opens,
        min(case when event_type = 'clicked' then occurred_at end) as first_clicked_at,
        count(case when event_type = 'clicked' then 1 end) as clicks,
        min(case when event_type = 'unsubscribed' then occurred_at end) as unsubscribed_at,
        min(case when event_type = 'complained' then occurred_at end) as complained_at,
        max(occurred_at) as last_event_at

    from classified_events
    group by email_id, contact_id

),

final as (

    select
        events_per_send.email_id,
        events_per_send.contact_id,
        email_families.campaign_id,
        email_families.audience as email_audience,
        email_families.parent_email_id,
        coalesce(email_families.root_email_id, events_per_send.email_id) as root_email_id,
        events_per_send.sent_at,
        {{ marketing_kpis.to_local_date('events_per_send.sent_at') }} as sent_date,
        events_per_send.bounced_at is not null as is_bounced,
        events_per_send.bounced_at is null as is_delivered,
        events_per_send.first_opened_at is not null as is_opened,
        events_per_send.first_clicked_at is not null as is_clicked,
        events_per_send.unsubscribed_at is not null as is_unsubscribed,
        events_per_send.complained_at is not null as is_complained,
        events_per_send.first_opened_at,
        events_per_send.first_machine_opened_at,
        events_per_send.opens,
        events_per_send.first_clicked_at,
        events_per_send.clicks,
        events_per_send.unsubscribed_at,
        events_per_send.delivered_event_at,
        events_per_send.bounced_at,
        events_per_send.last_event_at

    from events_per_send
    left join email_families
        on events_per_send.email_id = email_families.email_id
    where events_per_send.sent_at is not null

)

select * from final
