-- HubSpot deals (deal + deal_contact + deal_pipeline_stage + merged_deal) -> deals: one
-- row per deal. contact_id: of the deal's associated contacts (resolved to their
-- canonical contact), the one created first (ties: the lowest id); a deal with no kept
-- contact is dropped with a warning. stage = the stage's label (lower-cased by staging);
-- is_closed = the stage's is_closed; is_won = is_closed and coalesce(closed_won,
-- probability >= 1); closed_at = property_closedate only when closed (an open deal's close
-- date is a forecast); amount = property_amount. Deleted deals (is_deleted,
-- _fivetran_deleted) and deals merged into another (merged_deal.merged_deal_id) are left
-- out. A stage the pipeline tables do not list is kept as stage 'other', open, and
-- reported in a warning with its count.

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(
    reasons={'contact': 'the deal has no associated kept contact',
             'time': 'the deal has no property_createdate'},
    unknown=('hubspot_stage_id', 'deal pipeline stage', 'kept as stage other, open')) }}") }}

with

deals as (

    select * from {{ marketing_kpis.hubspot_input('deal') }}
    where
        deal_id is not null
        and not coalesce(is_deleted, false)
        and not coalesce(_fivetran_deleted, false)

),

merged_away as (

    select distinct merged_deal_id as deal_id
    from {{ marketing_kpis.hubspot_input('merged_deal') }}
    where merged_deal_id is not null

),

stages as (

    select
        stage_id,
        label,
        is_closed,
        closed_won,
        probability
    from (
        select
            *,
            row_number() over (
                partition by stage_id
                order by case when coalesce(_fivetran_deleted, false) then 1 else 0 end
            ) as stage_rank
        from {{ marketing_kpis.hubspot_input('deal_pipeline_stage') }}
        where stage_id is not null
    ) as ranked
    where stage_rank = 1

),

associations as (

    select * from {{ marketing_kpis.hubspot_input('deal_contact') }}

),

deal_contacts as (

    -- the first-created kept contact associated with each deal
    select
        deal_id,
        contact_id
    from (
        select
            deal_contact.deal_id,
            identities.canonical_contact_id as contact_id,
            row_number() over (
                partition by deal_contact.deal_id
                order by
                    contacts.created_at,
                    {{ marketing_kpis.to_integer(
                        marketing_kpis.hubspot_unprefixed('identities.canonical_contact_id')) }},
                    identities.canonical_contact_id
            ) as contact_rank
        from associations as deal_contact
        inner join {{ ref('stg_hubspot__contact_identities') }} as identities
            on deal_contact.contact_id = identities.contact_id
        inner join {{ ref('stg_hubspot__contact_identities') }} as contacts
            on identities.canonical_contact_id = contacts.contact_id
    ) as ranked
    where contact_rank = 1

),

final as (

    select
        deals.deal_id,
        deal_contacts.contact_id,
        deals.property_createdate as created_at,
        case when stages.stage_id is null then 'other' else stages.label end as stage,
        deals.property_amount as amount,
        coalesce(stages.is_closed, false) as is_closed,
        coalesce(stages.is_closed, false)
        and coalesce(stages.closed_won, stages.probability >= 1, false) as is_won,
        case when stages.is_closed then deals.property_closedate end as closed_at,
        -- HubSpot writes no campaign on a deal
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        deals.property_deal_currency_code as currency,
        deals.deal_pipeline_stage_id as hubspot_stage_id,
        stages.stage_id is null as is_unknown,
        case
            when deal_contacts.contact_id is null then 'contact'
            when deals.property_createdate is null then 'time'
        end as drop_reason
    from deals
    left join stages
        on deals.deal_pipeline_stage_id = stages.stage_id
    left join deal_contacts
        on deals.deal_id = deal_contacts.deal_id
    where deals.deal_id not in (select merged_away.deal_id from merged_away)

)

select * from final
