-- campaign_members: the marketing tool's rows, then Salesforce's campaign_member rows:
-- contact = the person of contact_id, else of lead_id (a converted or merged lead's
-- membership is its contact's or master's); added_at = created_date; a row Salesforce
-- marks is_deleted is a removal: removed_at = last_modified_date. has_responded and
-- first_responded_date make no row of their own. Rows whose person is deleted or unknown
-- (drop_reason 'person') or whose campaign is deleted or unknown ('campaign') are dropped
-- and warned; rows Fivetran marks _fivetran_deleted are left out.

{{ config(post_hook="{{ marketing_kpis.salesforce_warn(reasons={
    'person': 'the lead or contact of the campaign_member row is deleted or not in the export',
    'campaign': 'the campaign of the campaign_member row is deleted or not in the export',
    'time': 'the campaign_member row has no created_date'}) }}") }}

with

people as (

    select * from {{ ref('stg_salesforce__people') }}
    where drop_reason is null

),

campaigns as (

    {{ marketing_kpis.salesforce_campaign_ids() }}

),

members as (

    select * from {{ marketing_kpis.salesforce_input('campaign_member') }}
    where not coalesce(_fivetran_deleted, false)

),

salesforce_members as (

    select distinct
        members.campaign_id,
        coalesce(by_contact.contact_id, by_lead.contact_id) as contact_id,
        members.created_date as added_at,
        case when coalesce(members.is_deleted, false) then members.last_modified_date end
            as removed_at,
        case
            when coalesce(by_contact.contact_id, by_lead.contact_id) is null then 'person'
            when campaigns.id is null then 'campaign'
            when members.created_date is null then 'time'
        end as drop_reason
    from members
    left join people as by_contact on members.contact_id = by_contact.salesforce_id
    left join people as by_lead on members.lead_id = by_lead.salesforce_id
    left join campaigns on members.campaign_id = campaigns.id

),

final as (

    select
        campaign_id,
        contact_id,
        added_at,
        removed_at,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from {{ marketing_kpis.marketing_rows('campaign_members') }}
    union all
    select
        campaign_id,
        contact_id,
        {{ marketing_kpis.as_text('added_at') }} as added_at,
        {{ marketing_kpis.as_text('removed_at') }} as removed_at,
        drop_reason
    from salesforce_members

)

select * from final
