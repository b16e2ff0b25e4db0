-- Mautic email activity -> email_events:
--   sent          one per email_stats row (date_sent)
--   bounced       email_stats.is_failed (at date_sent), and do-not-contact reason 2 on the
--                 email channel (at the record's date)
--   opened        date_read (the first open) and every open logged in email_stats_devices
--                 (date_opened), once per moment
--   clicked       a page hit through a tracked link of an email (redirect_id and email_id
--                 set), with its url
--   unsubscribed  do-not-contact reason 1 on the email channel
-- Mautic records no deliveries (delivered = sent and not bounced, as the marts count it),
-- no spam complaints and does not flag machine opens (is_machine_open stays null).
-- Identified leads only.

with

email_stats as (

    select * from {{ marketing_kpis.mautic_input('email_stats') }}

),

email_stats_devices as (

    select * from {{ marketing_kpis.mautic_input('email_stats_devices') }}

),

page_hits as (

    select * from {{ marketing_kpis.mautic_input('page_hits') }}

),

do_not_contact as (

    select * from {{ ref('stg_mautic__do_not_contact') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

sends as (

    select * from email_stats
    where email_id is not null and lead_id is not null

),

events as (

    select
        email_id,
        lead_id as contact_id,
        'sent' as event_type,
        date_sent as occurred_at,
        cast(null as {{ dbt.type_string() }}) as url
    from sends
    where date_sent is not null

    union all

    select
        email_id,
        lead_id as contact_id,
        'bounced' as event_type,
        date_sent as occurred_at,
        cast(null as {{ dbt.type_string() }}) as url
    from sends
    where is_failed and date_sent is not null

    union all

    select
        email_id,
        lead_id as contact_id,
        'opened' as event_type,
        date_read as occurred_at,
        cast(null as {{ dbt.type_string() }}) as url
    from sends
    where date_read is not null

    union all

    select
        sends.email_id,
        sends.lead_id as contact_id,
        'opened' as event_type,
        email_stats_devices.date_opened as occurred_at,
        cast(null as {{ dbt.type_string() }}) as url
    from email_stats_devices
    inner join sends
        on email_stats_devices.stat_id = sends.id
    where email_stats_devices.date_opened is not null

    union all

    select
        email_id,
        lead_id as contact_id,
        'clicked' as event_type,
        date_hit as occurred_at,
        url
    from page_hits
    where
        redirect_id is not null
        and email_id is not null
        and lead_id is not null
        and date_hit is not null

    union all

    select
        email_id,
        contact_id,
        dnc_type as event_type,
        occurred_at,
        cast(null as {{ dbt.type_string() }}) as url
    from do_not_contact
    where
        channel = 'email'
        and dnc_type in ('unsubscribed', 'bounced')
        and email_id is not null
        and occurred_at is not null

),

final as (

    -- an open logged both as date_read and in email_stats_devices is one open
    select distinct
        events.email_id,
        events.contact_id,
        events.event_type,
        events.occurred_at,
        events.url,
        cast(null as {{ dbt.type_boolean() }}) as is_machine_open
    from events
    inner join contacts
        on events.contact_id = contacts.contact_id

)

select * from final
