{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per contact with a source campaign (DESIGN.md section 4):
-- contacts.source_campaign_id when set, else the campaign of the earliest touch at or
-- before the lead moment within var attribution_lookback_days (ties: the touch type rank
-- of int_touches_unioned, membership, form, call, web event, click, open; then campaign
-- id); source_campaign_origin says which.
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

with

contacts as (

    select * from {{ ref('stg_contacts') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

stages as (

    select * from {{ ref('int_contacts_stages_pivoted') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

touches as (

    select * from {{ ref('int_touches_unioned') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

lead_touches as (

    select
        stages.contact_id,
        touches.campaign_id,
        touches.touch_type,
        row_number() over (
            partition by stages.contact_id
            order by touches.touched_at, touches.touch_type_rank, touches.campaign_id
        ) as touch_order
    from stages
    inner join touches
        on
            stages.contact_id = touches.contact_id
            and stages.lead_at >= touches.touched_at
            and touches.touched_at
            >= {{ dbt.dateadd(
                'day', -1 * marketing_kpis.setting('attribution_lookback_days'), 'stages.lead_at'
            ) }}

),

first_lead_touches as (

    select
        contact_id,
        campaign_id,
        touch_type
    from lead_touches
    where touch_order = 1

),

final as (

    select
        contacts.contact_id,
        coalesce(contacts.source_campaign_id, first_lead_touches.campaign_id)
            as source_campaign_id,
        case
            when contacts.source_campaign_id is not null then 'contact_field'
            else 'first_touch'
        end as source_campaign_origin

    from contacts
    left join first_lead_touches
        on contacts.contact_id = first_lead_touches.contact_id
    where
        contacts.source_campaign_id is not null
        or first_lead_touches.campaign_id is not null

)

select * from final
