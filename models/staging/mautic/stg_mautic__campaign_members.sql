-- Mautic campaign membership -> campaign_members, rotations kept: every add logged in
-- lead_event_log ('campaign', 'campaign', 'added' / 'removed', object_id = the campaign)
-- opens a membership that the next removal closes, so a contact removed and re-added
-- (a new rotation) has one row per rotation. A campaign_leads row with no logged history
-- gives one membership: date_added, and date_last_exited when manually removed.
-- Identified leads only.

with

lead_event_log as (

    select * from {{ marketing_kpis.mautic_input('lead_event_log') }}

),

campaign_leads as (

    select * from {{ marketing_kpis.mautic_input('campaign_leads') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

campaign_events as (

    {{ marketing_kpis.mautic_membership_events('lead_event_log', 'campaign', 'campaign') }}

),

logged_memberships as (

    {{ marketing_kpis.mautic_membership_intervals('campaign_events') }}

),

unlogged_memberships as (

    select
        campaign_leads.campaign_id,
        campaign_leads.lead_id as contact_id,
        campaign_leads.date_added as added_at,
        case
            when campaign_leads.manually_removed then campaign_leads.date_last_exited
        end as removed_at
    from campaign_leads
    where
        campaign_leads.date_added is not null
        and not exists (
            select 1
            from campaign_events
            where
                campaign_events.group_id = campaign_leads.campaign_id
                and campaign_events.contact_id = campaign_leads.lead_id
        )

),

memberships as (

    select
        group_id as campaign_id,
        contact_id,
        added_at,
        removed_at
    from logged_memberships
    where action = 'added'

    union all

    select * from unlogged_memberships

),

final as (

    select memberships.*
    from memberships
    inner join contacts
        on memberships.contact_id = contacts.contact_id

)

select * from final
