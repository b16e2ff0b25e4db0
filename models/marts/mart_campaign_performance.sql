-- One row per campaign (lifetime): members and what they did after joining (article
-- 000), the revenue of the contacts it sourced (article 001), its cost and ROI.
--   members: distinct contacts who entered the campaign
--   profile_update_rate: members the campaign ran an update_contact or change_segment
--     action on / members
--   site_visit_rate: members with an identified web event strictly after they joined /
--     members
--   download_rate: members who downloaded an asset (any) strictly after they joined /
--     members
--   revenue: completed orders of the contacts whose source campaign is this one
--   roi = (revenue - marketing_cost) / marketing_cost
-- "After joining" is after the member's first entry into the campaign.

with

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

campaign_actions as (

    select * from {{ ref('stg_campaign_actions') }}

),

campaign_costs as (

    select * from {{ ref('stg_campaign_costs') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

asset_downloads as (

    select * from {{ ref('stg_asset_downloads') }}

),

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

members as (

    select
        campaign_id,
        contact_id,
        min(added_at) as joined_at
    from campaign_members
    group by campaign_id, contact_id

),

updated_members as (

    select distinct
        members.campaign_id,
        members.contact_id
    from members
    inner join campaign_actions
        on
            members.campaign_id = campaign_actions.campaign_id
            and members.contact_id = campaign_actions.contact_id
    where campaign_actions.action_type in ('update_contact', 'change_segment')

),

-- "a web event strictly after joining" is "the contact's last web event is after
-- joining": one aggregate per contact instead of a join of every membership with every
-- event of the contact
last_web_events as (

    select
        contact_id,
        max(occurred_at) as last_occurred_at
    from web_events
    where contact_id is not null
    group by contact_id

),

last_downloads as (

    select
        contact_id,
        max(downloaded_at) as last_downloaded_at
    from asset_downloads
    where contact_id is not null
    group by contact_id

),

visiting_members as (

    select
        members.campaign_id,
        members.contact_id
    from members
    inner join last_web_events
        on
            members.contact_id = last_web_events.contact_id
            and members.joined_at < last_web_events.last_occurred_at

),

downloading_members as (

    select
        members.campaign_id,
        members.contact_id
    from members
    inner join last_downloads
        on
            members.contact_id = last_downloads.contact_id
            and members.joined_at < last_downloads.last_downloaded_at

),

member_counts as (

    select
        members.campaign_id,
        count(*) as members,
        count(updated_members.contact_id) as updated_members,
        count(visiting_members.contact_id) as visiting_members,
        count(downloading_members.contact_id) as downloading_members
    from members
    left join updated_members
        on
            members.campaign_id = updated_members.campaign_id
            and members.contact_id = updated_members.contact_id
    left join visiting_members
        on
            members.campaign_id = visiting_members.campaign_id
            and members.contact_id = visiting_members.contact_id
    left join downloading_members
        on
            members.campaign_id = downloading_members.campaign_id
            and members.contact_id = downloading_members.contact_id
    group by members.campaign_id

),

sourced as (

    select
        source_campaign_id as campaign_id,
        count(lead_at) as sourced_leads,
        count(customer_at) as sourced_customers
    from lifecycle
    where source_campaign_id is not null
    group by source_campaign_id

),

sourced_revenue as (

    select
        lifecycle.source_campaign_id as campaign_id,
        sum(orders.amount) as revenue
    from orders
    inner join lifecycle
        on orders.contact_id = lifecycle.contact_id
    where orders.status = 'completed' and lifecycle.source_campaign_id is not null
    group by lifecycle.source_campaign_id

),

costs as (

    select
        campaign_id,
        sum(amount) as marketing_cost
    from campaign_costs
    group by campaign_id

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.audience,
        campaigns.channel,
        campaigns.launched_at,
        campaigns.ended_at,
        cast(coalesce(member_counts.members, 0) as {{ dbt.type_bigint() }}) as members,
        cast(coalesce(member_counts.updated_members, 0) as {{ dbt.type_bigint() }})
            as updated_members,
        {{ marketing_kpis.safe_divide('member_counts.updated_members', 'member_counts.members') }}
            as profile_update_rate,
        cast(coalesce(member_counts.visiting_members, 0) as {{ dbt.type_bigint() }})
            as visiting_members,
        {{ marketing_kpis.safe_divide('member_counts.visiting_members', 'member_counts.members') }}
            as site_visit_rate,
        cast(coalesce(member_counts.downloading_members, 0) as {{ dbt.type_bigint() }})
            as downloading_members,
        {{ marketing_kpis.safe_divide('member_counts.downloading_members',
                                      'member_counts.members') }} as download_rate,
        cast(coalesce(sourced.sourced_leads, 0) as {{ dbt.type_bigint() }}) as sourced_leads,
        cast(coalesce(sourced.sourced_customers, 0) as {{ dbt.type_bigint() }})
            as sourced_customers,
        cast(coalesce(sourced_revenue.revenue, 0) as {{ marketing_kpis.type_money() }})
            as revenue,
        cast(coalesce(costs.marketing_cost, 0) as {{ marketing_kpis.type_money() }})
            as marketing_cost,
        {{ marketing_kpis.safe_divide('coalesce(costs.marketing_cost, 0)',
                                      'sourced.sourced_leads') }} as cost_per_lead,
        {{ marketing_kpis.safe_divide(
            'coalesce(sourced_revenue.revenue, 0) - coalesce(costs.marketing_cost, 0)',
            'costs.marketing_cost') }} as roi

    from campaigns
    left join member_counts
        on campaigns.campaign_id = member_counts.campaign_id
    left join sourced
        on campaigns.campaign_id = sourced.campaign_id
    left join sourced_revenue
        on campaigns.campaign_id = sourced_revenue.campaign_id
    left join costs
        on campaigns.campaign_id = costs.campaign_id

)

select * from final
