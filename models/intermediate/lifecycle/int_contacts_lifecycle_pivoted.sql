{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per contact: the first time it reached each lifecycle stage and the signal
-- that got it there (int_contacts_stages_pivoted), when it was reopened
-- (int_contacts_reopened_resolved), its first interaction
-- (int_contacts_first_interactions_aggregated), its source campaign
-- (int_contacts_source_campaigns_resolved), and every moment as a local date of var
-- reporting_timezone. What the marts read about a contact.
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

with

stages as (

    select * from {{ ref('int_contacts_stages_pivoted') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

first_interactions as (

    select * from {{ ref('int_contacts_first_interactions_aggregated') }}

),

reopened as (

    select * from {{ ref('int_contacts_reopened_resolved') }}

),

source_campaigns as (

    select * from {{ ref('int_contacts_source_campaigns_resolved') }}

),

final as (

    select
        stages.contact_id,
        stages.created_at,
        first_interactions.first_interaction_at,
        stages.lead_at,
        stages.lead_signal,
        stages.mql_at,
        stages.mql_signal,
        stages.sql_at,
        stages.sql_signal,
        stages.customer_at,
        stages.customer_signal,
        stages.promoter_at,
        stages.former_customer_at,
        stages.recycled_at,
        stages.recycled_signal,
        reopened.reopened_at,
        reopened.reopened_signal,
        source_campaigns.source_campaign_id,
        source_campaigns.source_campaign_origin,
        {{ marketing_kpis.to_local_date('stages.created_at') }} as created_date,
        {{ marketing_kpis.to_local_date('stages.lead_at') }} as lead_date,
        {{ marketing_kpis.to_local_date('stages.mql_at') }} as mql_date,
        {{ marketing_kpis.to_local_date('stages.sql_at') }} as sql_date,
        {{ marketing_kpis.to_local_date('stages.customer_at') }} as customer_date,
        {{ marketing_kpis.to_local_date('stages.promoter_at') }} as promoter_date,
        {{ marketing_kpis.to_local_date('stages.former_customer_at') }} as former_customer_date,
        {{ marketing_kpis.to_local_date('stages.recycled_at') }} as recycled_date,
        {{ marketing_kpis.to_local_date('reopened.reopened_at') }} as reopened_date

    from stages
    left join first_interactions
        on stages.contact_id = first_interactions.contact_id
    left join reopened
        on stages.contact_id = reopened.contact_id
    left join source_campaigns
        on stages.contact_id = source_campaigns.contact_id

)

select * from final
