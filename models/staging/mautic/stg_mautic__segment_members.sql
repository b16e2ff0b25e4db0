-- Mautic segment membership -> segment_members. lead_lists_leads only holds the current
-- members (Mautic deletes the row when a filter drops a contact), so the history comes
-- from lead_event_log ('lead', 'segment', 'added' / 'removed', object_id = the segment):
-- each add opens a membership that the next removal closes. A current member with no
-- logged history (an export from before the log, or a pruned log) gets one membership
-- from lead_lists_leads.date_added; if it was manually removed, the removal date is
-- unknown to Mautic and removed_at stays null. Identified leads only.

with

lead_event_log as (

    select * from {{ marketing_kpis.mautic_input('lead_event_log') }}

),

lead_lists_leads as (

    select * from {{ marketing_kpis.mautic_input('lead_lists_leads') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

segment_events as (

    {{ marketing_kpis.mautic_membership_events('lead_event_log', 'lead', 'segment') }}

),

logged_memberships as (

    {{ marketing_kpis.mautic_membership_intervals('segment_events') }}

),

unlogged_memberships as (

    select
        lead_lists_leads.leadlist_id as segment_id,
        lead_lists_leads.lead_id as contact_id,
        lead_lists_leads.date_added as added_at,
        cast(null as {{ dbt.type_timestamp() }}) as removed_at
    from lead_lists_leads
    where
        lead_lists_leads.date_added is not null
        and not exists (
            select 1
            from segment_events
            where
                segment_events.group_id = lead_lists_leads.leadlist_id
                and segment_events.contact_id = lead_lists_leads.lead_id
        )

),

memberships as (

    select
        group_id as segment_id,
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
