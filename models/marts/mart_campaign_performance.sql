-- One row per campaign (lifetime): members and what they did after joining (article
-- 000; "after joining" is after the member's first entry into the campaign), the leads,
-- customers and revenue it sourced (article 001), its cost and ROI. Rates: doc blocks
-- kpi_<name>, computed by the catalog.

with

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

member_counts as (

    select * from {{ ref('int_campaign_members_aggregated') }}

),

sourcing_daily as (

    select * from {{ ref('int_campaign_sourcing_aggregated_daily') }}

),

costs_daily as (

    select * from {{ ref('int_campaign_costs_aggregated_daily') }}

),

sourced as (

    select
        campaign_id,
        sum(sourced_leads) as sourced_leads,
        sum(sourced_customers) as sourced_customers,
        sum(revenue) as revenue
    from sourcing_daily
    group by campaign_id

),

costs as (

    select
        campaign_id,
        sum(marketing_cost) as marketing_cost
    from costs_daily
    group by campaign_id

),

counts as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.audience,
        campaigns.channel,
        campaigns.launched_at,
        campaigns.ended_at,
        coalesce(member_counts.members, 0) as members,
        coalesce(member_counts.updated_members, 0) as updated_members,
        coalesce(member_counts.visiting_members, 0) as visiting_members,
        coalesce(member_counts.downloading_members, 0) as downloading_members,
        coalesce(sourced.sourced_leads, 0) as sourced_leads,
        coalesce(sourced.sourced_customers, 0) as sourced_customers,
        coalesce(sourced.revenue, 0) as revenue,
        coalesce(costs.marketing_cost, 0) as marketing_cost
    from campaigns
    left join member_counts
        on campaigns.campaign_id = member_counts.campaign_id
    left join sourced
        on campaigns.campaign_id = sourced.campaign_id
    left join costs
        on campaigns.campaign_id = costs.campaign_id

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        audience,
        channel,
        launched_at,
        ended_at,
        cast(members as {{ dbt.type_bigint() }}) as members,
        cast(updated_members as {{ dbt.type_bigint() }}) as updated_members,
        {{ marketing_kpis.kpi_ratio('profile_update_rate') }} as profile_update_rate,
        cast(visiting_members as {{ dbt.type_bigint() }}) as visiting_members,
        {{ marketing_kpis.kpi_ratio('site_visit_rate') }} as site_visit_rate,
        cast(downloading_members as {{ dbt.type_bigint() }}) as downloading_members,
        {{ marketing_kpis.kpi_ratio('download_rate') }} as download_rate,
        cast(sourced_leads as {{ dbt.type_bigint() }}) as sourced_leads,
        cast(sourced_customers as {{ dbt.type_bigint() }}) as sourced_customers,
        cast(revenue as {{ marketing_kpis.type_money() }}) as revenue,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.kpi_ratio('cost_per_sourced_lead') }} as cost_per_sourced_lead,
        {{ marketing_kpis.kpi_ratio('campaign_roi') }} as roi

    from counts

)

select * from final
