-- HubSpot calls (engagement_call + engagement_contact) -> calls: one row per call and
-- associated contact, call_id '<engagement_id>-<contact_id>' (the canonical contact),
-- started_at = property_hs_timestamp, duration_seconds = round(property_hs_call_duration
-- / 1000) (HubSpot stores milliseconds), campaign_id null. A call whose contact is no kept
-- contact is dropped with a warning; a call with no associated contact is not a contact
-- event and is left out.

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(reasons={
    'contact': marketing_kpis.hubspot_contact_drop_reasons().contact,
    'time': 'the call has no property_hs_timestamp'}) }}") }}

with

calls as (

    select * from {{ marketing_kpis.hubspot_input('engagement_call') }}
    where engagement_id is not null and not coalesce(_fivetran_deleted, false)

),

call_contacts as (

    select distinct
        engagement_id,
        contact_id,
        portal
    from {{ marketing_kpis.hubspot_input('engagement_contact') }}
    where contact_id is not null

),

identities as (

    select * from {{ ref('stg_hubspot__contact_identities') }}

),

resolved as (

    select distinct
        calls.engagement_id,
        coalesce(identities.canonical_contact_id, call_contacts.contact_id) as contact_id,
        identities.canonical_contact_id is null as is_orphan,
        calls.property_hs_timestamp as started_at,
        cast(round(calls.property_hs_call_duration / 1000, 0) as {{ dbt.type_bigint() }})
            as duration_seconds
    from calls
    inner join call_contacts
        on calls.engagement_id = call_contacts.engagement_id
    left join identities
        on call_contacts.contact_id = identities.contact_id

),

final as (

    select
        engagement_id || '-' || {{ marketing_kpis.hubspot_unprefixed('contact_id') }}
            as call_id,
        contact_id,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        started_at,
        duration_seconds,
        case
            when is_orphan then 'contact'
            when started_at is null then 'time'
        end as drop_reason
    from resolved

)

select * from final
