-- HubSpot list memberships -> segment_members, for the lists of stg_hubspot__segments.
-- A member row with _fivetran_deleted true is a removal: removed_at is its
-- _fivetran_synced (the sync that saw the contact gone). Contacts resolve to their
-- canonical contact; a row whose contact is no kept contact, or that has no added_at, is
-- dropped (drop_reason, with a warning).

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(reasons={
    'contact': marketing_kpis.hubspot_contact_drop_reasons().contact,
    'added_at': 'the membership has no added_at'}) }}") }}

with

members as (

    select * from {{ marketing_kpis.hubspot_input('contact_list_member') }}

),

segments as (

    select * from {{ ref('stg_hubspot__segments') }}

),

identities as (

    select * from {{ ref('stg_hubspot__contact_identities') }}

),

final as (

    select
        members.contact_list_id as segment_id,
        coalesce(identities.canonical_contact_id, members.contact_id) as contact_id,
        members.added_at,
        case
            when coalesce(members._fivetran_deleted, false)
                then members._fivetran_synced
        end as removed_at,
        case
            when identities.canonical_contact_id is null then 'contact'
            when members.added_at is null then 'added_at'
        end as drop_reason
    from members
    inner join segments
        on members.contact_list_id = segments.segment_id
    left join identities
        on members.contact_id = identities.contact_id

)

select * from final
