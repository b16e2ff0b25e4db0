-- Mautic point changes (lead_points_change_log) -> score_events, identified leads only
-- (with their points from before identification). reason is the action name (e.g.
-- "Form submitted"), else the event name, else the type. leads.points, the current total,
-- is not used: the score at a moment is the sum of the logged deltas up to it.

with

lead_points_change_log as (

    select * from {{ marketing_kpis.mautic_input('lead_points_change_log') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

final as (

    select
        contacts.contact_id,
        lead_points_change_log.delta,
        coalesce(
            lead_points_change_log.action_name,
            lead_points_change_log.event_name,
            lead_points_change_log.type
        ) as reason,
        lead_points_change_log.date_added as occurred_at
    from lead_points_change_log
    inner join contacts
        on lead_points_change_log.lead_id = contacts.contact_id

)

select * from final
