{{ config(post_hook="{{ marketing_kpis.mautic_warn_unknown('mautic_type',
    'campaign event type', 'kept as action_type other; map it with var mautic_campaign_action_types') }}") }}

-- Mautic campaign actions executed -> campaign_actions. One row per
-- campaign_lead_event_log row of an event whose event_type is 'action' (decisions and
-- conditions are not actions), executed: not scheduled, not the "no" path of a
-- decision, not in campaign_lead_event_failed_log. action_type comes from the event's
-- type through var mautic_campaign_action_types; a type it does not list is kept as
-- `other` (mautic_type holds it) and reported in a warning with its count.

{%- set action_types = marketing_kpis.setting('mautic_campaign_action_types') or {} %}

with

campaign_events as (

    select * from {{ marketing_kpis.mautic_input('campaign_events') }}

),

campaign_lead_event_log as (

    select * from {{ marketing_kpis.mautic_input('campaign_lead_event_log') }}

),

failed_log as (

    select * from {{ marketing_kpis.mautic_input('campaign_lead_event_failed_log') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

executed_actions as (

    select
        coalesce(campaign_lead_event_log.campaign_id, campaign_events.campaign_id)
            as campaign_id,
        campaign_lead_event_log.lead_id as contact_id,
        lower(campaign_events.type) as mautic_type,
        campaign_events.name as action_name,
        campaign_lead_event_log.date_triggered as executed_at
    from campaign_lead_event_log
    inner join campaign_events
        on campaign_lead_event_log.event_id = campaign_events.id
    where
        lower(campaign_events.event_type) = 'action'
        and not coalesce(campaign_lead_event_log.is_scheduled, false)
        and not coalesce(campaign_lead_event_log.non_action_path_taken, false)
        and campaign_lead_event_log.date_triggered is not null
        and not exists (
            select 1
            from failed_log
            where failed_log.log_id = campaign_lead_event_log.id
        )

),

typed as (

    select
        campaign_id,
        contact_id,
        {% if action_types -%}
            case mautic_type
                {% for mautic_type, action_type in action_types.items() -%}
                    when {{ marketing_kpis.string_literal(mautic_type | lower | trim) }}
                        then {{ marketing_kpis.string_literal(action_type | lower | trim) }}
                {% endfor -%}
                else 'other'
            end as action_type,
        {%- else %}
        'other' as action_type,
        {%- endif %}
        action_name,
        executed_at,
        mautic_type,
        coalesce(
            mautic_type not in
            {{ marketing_kpis.lower_literals(action_types.keys() | list) }}, true)
            as is_unknown
    from executed_actions

),

final as (

    select typed.*
    from typed
    inner join contacts
        on typed.contact_id = contacts.contact_id

)

select * from final
