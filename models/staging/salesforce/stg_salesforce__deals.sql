-- deals: Salesforce's live opportunities, and only those (one CRM): contact = the person
-- of the primary live contact role, else of the earliest live role (created_date, then
-- role id), else the person of the lead whose converted_opportunity_id it is; none: the
-- opportunity is dropped and warned (drop_reason 'contact'). stage = stage_name
-- (lower-cased by staging), is_closed and is_won as Salesforce has them, closed_at =
-- close_date at 00:00 in var reporting_timezone, as UTC, only when closed (an open
-- opportunity's close date is a forecast). campaign_id = the opportunity's campaign when
-- it is a live campaign: a touch of the deal's contact at created_at
-- (int_touches_unioned). The marketing input's own deals (deals.csv, HubSpot's deals)
-- stay here with drop_reason 'crm', counted in a warning.

{{ config(post_hook="{{ marketing_kpis.salesforce_warn(reasons={
    'contact': 'the opportunity has no live contact role and no lead was converted into it',
    'time': 'the opportunity has no created_date',
    'crm': 'a deal of the marketing input (' ~ ('HubSpot' if marketing_kpis.source_system() == 'hubspot' else 'deals file') ~ '): with crm_system salesforce, deals come from Salesforce alone'}) }}") }}

with

people as (

    select * from {{ ref('stg_salesforce__people') }}
    where drop_reason is null

),

campaigns as (

    {{ marketing_kpis.salesforce_campaign_ids() }}

),

opportunities as (

    select
        id,
        min(created_date) as created_date,
        max(close_date) as close_date,
        max(amount) as amount,
        max(stage_name) as stage_name,
        {{ dbt.bool_or('is_closed') }} as is_closed,
        {{ dbt.bool_or('is_won') }} as is_won,
        max(campaign_id) as campaign_id
    from {{ marketing_kpis.salesforce_input('opportunity') }}
    where id is not null and {{ marketing_kpis.salesforce_live() }}
    group by id

),

roles as (

    select * from {{ marketing_kpis.salesforce_input('opportunity_contact_role') }}
    where {{ marketing_kpis.salesforce_live() }}

),

leads as (

    select * from {{ marketing_kpis.salesforce_input('lead') }}
    where converted_opportunity_id is not null

),

role_contacts as (

    select
        opportunity_id,
        contact_id
    from (
        select
            roles.opportunity_id,
            people.contact_id,
            row_number() over (
                partition by roles.opportunity_id
                order by
                    case when coalesce(roles.is_primary, false) then 0 else 1 end,
                    roles.created_date,
                    roles.id
            ) as role_rank
        from roles
        inner join people on roles.contact_id = people.salesforce_id
    ) as ranked
    where role_rank = 1

),

converted_leads as (

    select
        opportunity_id,
        contact_id
    from (
        select
            leads.converted_opportunity_id as opportunity_id,
            people.contact_id,
            row_number() over (
                partition by leads.converted_opportunity_id order by leads.id
            ) as lead_rank
        from leads
        inner join people on leads.id = people.salesforce_id
    ) as ranked
    where lead_rank = 1

),

salesforce_deals as (

    select
        opportunities.id as deal_id,
        coalesce(role_contacts.contact_id, converted_leads.contact_id) as contact_id,
        opportunities.created_date as created_at,
        opportunities.stage_name as stage,
        opportunities.amount,
        opportunities.is_closed,
        opportunities.is_won,
        case
            when opportunities.is_closed
                then {{ marketing_kpis.salesforce_local_day('opportunities.close_date') }}
        end as closed_at,
        campaigns.id as campaign_id,
        case
            when coalesce(role_contacts.contact_id, converted_leads.contact_id) is null
                then 'contact'
            when opportunities.created_date is null then 'time'
        end as drop_reason
    from opportunities
    left join role_contacts on opportunities.id = role_contacts.opportunity_id
    left join converted_leads on opportunities.id = converted_leads.opportunity_id
    left join campaigns on opportunities.campaign_id = campaigns.id

),

final as (

    select
        deal_id,
        contact_id,
        created_at,
        stage,
        amount,
        is_closed,
        is_won,
        closed_at,
        campaign_id,
        'crm' as drop_reason
    from {{ marketing_kpis.marketing_rows('deals', remap=false) }}
    union all
    select
        deal_id,
        contact_id,
        {{ marketing_kpis.as_text('created_at') }} as created_at,
        stage,
        {{ marketing_kpis.as_text('amount') }} as amount,
        {{ marketing_kpis.as_text('is_closed') }} as is_closed,
        {{ marketing_kpis.as_text('is_won') }} as is_won,
        {{ marketing_kpis.as_text('closed_at') }} as closed_at,
        campaign_id,
        drop_reason
    from salesforce_deals

)

select * from final
