{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy=marketing_kpis.event_model_strategy(),
        unique_key=['email_id', 'contact_id'],
        partition_by=marketing_kpis.event_model_partitions(['sent_date']),
        on_schema_change='fail',
    )
}}

-- One row per email send, a pair with a 'sent' event (doc block int_email_sends_aggregated).
-- Incremental: a run recomputes, from all their events, the sends with an event in the
-- window (from the UTC midnight var incremental_lookback_days before the latest event),
-- and every send of an email whose campaign, audience or family changed; on Spark, which
-- replaces whole days (partitions of sent_date), every send of their days.

{%- set opens_excluded = 'true' if marketing_kpis.setting('exclude_machine_opens') else 'false' %}

with

email_events as (

    select * from {{ ref('stg_email_events') }}

),

email_families as (

    select * from {{ ref('int_email_families_resolved') }}

),

{%- if is_incremental() %}

    -- emails whose campaign, audience or family changed (or that left the export) since
    -- the last run: every send of theirs is recomputed
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
        -- (an email gone from the export compares with nulls: its sends lose their campaign)
        where
            previous_emails.campaign_id is distinct from email_families.campaign_id
            or previous_emails.email_audience is distinct from email_families.audience
            or previous_emails.parent_email_id is distinct from email_families.parent_email_id
            or previous_emails.root_email_id
            is distinct from coalesce(email_families.root_email_id, previous_emails.email_id)

    ),

{%- endif %}

{%- if is_incremental() and marketing_kpis.replaces_partitions() %}

    -- Spark: the days a send of the window or of a changed email was or is on, and their sends
    changed_events as (

        select
            email_id,
            contact_id,
            {{ marketing_kpis.to_local_date('occurred_at') }} as event_date
        from email_events
        where
            occurred_at >= {{ marketing_kpis.incremental_cutoff('last_event_at') }}
            or email_id in (select changed_emails.email_id from changed_emails)

    ),

    affected_dates as (

        select event_date as sent_date from changed_events
        union
        select previous.sent_date
        from {{ this }} as previous
        inner join changed_events
            on
                previous.email_id = changed_events.email_id
                and previous.contact_id = changed_events.contact_id

    ),

    sends_to_aggregate as (

        select email_id, contact_id from changed_events
        union
        select previous.email_id, previous.contact_id
        from {{ this }} as previous
        inner join affected_dates
            on previous.sent_date = affected_dates.sent_date

    ),

{%- endif %}

-- the events of the sends to compute, and which of them count as opens
events_to_aggregate as (

    select
        email_events.email_id,
        email_events.contact_id,
        email_events.event_type,
        email_events.occurred_at,
        coalesce(email_events.is_machine_open, false) as is_machine_open,
        email_events.event_type = 'opened' and not (
            coalesce(email_events.is_machine_open, false) and {{ opens_excluded }}
        ) as is_counted_open
    from email_events
    {%- if is_incremental() and marketing_kpis.replaces_partitions() %}
        inner join sends_to_aggregate
            on
                email_events.email_id = sends_to_aggregate.email_id
                and email_events.contact_id = sends_to_aggregate.contact_id
    {%- elif is_incremental() %}
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

events_per_send as (

    select
        email_id,
        contact_id,
        min(case when event_type = 'sent' then occurred_at end) as sent_at,
        min(case when event_type = 'delivered' then occurred_at end) as delivered_event_at,
        min(case when event_type = 'bounced' then occurred_at end) as bounced_at,
        min(case when is_counted_open then occurred_at end) as first_opened_at,
        min(case when event_type = 'opened' and is_machine_open then occurred_at end)
            as first_machine_opened_at,
        count(case when is_counted_open then 1 end) as opens,
        min(case when event_type = 'clicked' then occurred_at end) as first_clicked_at,
        count(case when event_type = 'clicked' then 1 end) as clicks,
        min(case when event_type = 'unsubscribed' then occurred_at end) as unsubscribed_at,
        min(case when event_type = 'complained' then occurred_at end) as complained_at,
        max(occurred_at) as last_event_at

    from events_to_aggregate
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
