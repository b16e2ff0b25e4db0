-- HubSpot email events -> email_events; occurred_at = created, email_id =
-- email_campaign_id. Types: SENT sent, DELIVERED delivered, BOUNCE bounced, OPEN opened
-- (is_machine_open = filtered_event: HubSpot's bot filter), CLICK clicked with the url of
-- email_event_click (a filtered click is dropped, drop_reason 'filtered_click'),
-- SPAMREPORT complained, STATUSCHANGE unsubscribed when portal_subscription_status is
-- UNSUBSCRIBED or subscriptions holds a "status": "UNSUBSCRIBED" entry (other status
-- changes: drop_reason 'ignored'). PROCESSED, DROPPED, DEFERRED, FORWARD, PRINT,
-- SUPPRESSED: 'ignored'. Any other type is kept here as event_type 'other' and reported
-- in a warning with its count; the contract table does not take it ('unknown_type').
-- The recipient is the contact whose property_email equals it (trimmed, lower case), of a
-- kept or merged-away contact row (then its canonical contact); two kept contacts with
-- one address: the earliest created. Events with no such contact are dropped with a
-- warning.

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(
    reasons={'recipient': 'no kept contact has the recipient address (an orphan, a deleted'
                          ~ ' contact, or an address changed since)',
             'email': 'the event names no email campaign',
             'time': 'the event has no created time'},
    unknown=('hubspot_type', 'email event type', 'kept here as other and left out of'
             ~ ' email_events')) }}") }}

with

events as (

    select * from {{ marketing_kpis.hubspot_input('email_event') }}
    where not coalesce(_fivetran_deleted, false)

),

clicks as (

    select * from {{ marketing_kpis.hubspot_input('email_event_click') }}

),

status_changes as (

    select * from {{ marketing_kpis.hubspot_input('email_event_status_change') }}

),

addresses as (

    -- one contact per address and portal
    select
        portal,
        email_key,
        canonical_contact_id
    from (
        select
            portal,
            email_key,
            canonical_contact_id,
            row_number() over (
                partition by portal, email_key
                order by
                    case when canonical_contact_id = contact_id then 0 else 1 end,
                    created_at,
                    contact_id
            ) as address_rank
        from {{ ref('stg_hubspot__contact_identities') }}
        where email_key is not null and email_key <> '' and (not is_deleted or is_merged_away)
    ) as ranked
    where address_rank = 1

),

typed as (

    select
        events.email_campaign_id as email_id,
        addresses.canonical_contact_id as contact_id,
        upper(trim(events.type)) as hubspot_type,
        case upper(trim(events.type))
            when 'SENT' then 'sent'
            when 'DELIVERED' then 'delivered'
            when 'BOUNCE' then 'bounced'
            when 'OPEN' then 'opened'
            when 'CLICK' then 'clicked'
            when 'SPAMREPORT' then 'complained'
            when 'STATUSCHANGE' then 'unsubscribed'
            when 'PROCESSED' then 'ignored'
            when 'DROPPED' then 'ignored'
            when 'DEFERRED' then 'ignored'
            when 'FORWARD' then 'ignored'
            when 'PRINT' then 'ignored'
            when 'SUPPRESSED' then 'ignored'
            else 'other'
        end as event_type,
        events.created as occurred_at,
        clicks.url,
        case
            when upper(trim(events.type)) = 'OPEN' then coalesce(events.filtered_event, false)
        end as is_machine_open,
        coalesce(events.filtered_event, false) as is_filtered,
        upper(trim(coalesce(status_changes.portal_subscription_status, ''))) = 'UNSUBSCRIBED'
        or upper(replace(coalesce(status_changes.subscriptions, ''), ' ', ''))
        like '%"STATUS":"UNSUBSCRIBED"%' as is_unsubscribe
    from events
    left join clicks
        on
            events.id = clicks.id
            and coalesce(events.portal, '') = coalesce(clicks.portal, '')
    left join status_changes
        on
            events.id = status_changes.id
            and coalesce(events.portal, '') = coalesce(status_changes.portal, '')
    left join addresses
        on
            lower(trim(events.recipient)) = addresses.email_key
            and coalesce(events.portal, '') = coalesce(addresses.portal, '')

),

final as (

    select
        email_id,
        contact_id,
        event_type,
        occurred_at,
        url,
        is_machine_open,
        hubspot_type,
        event_type = 'other' as is_unknown,
        case
            when event_type = 'other' then 'unknown_type'
            when event_type = 'ignored' then 'ignored'
            when event_type = 'unsubscribed' and not is_unsubscribe then 'ignored'
            when event_type = 'clicked' and is_filtered then 'filtered_click'
            when email_id is null then 'email'
            when occurred_at is null then 'time'
            when contact_id is null then 'recipient'
        end as drop_reason
    from typed

)

select * from final
