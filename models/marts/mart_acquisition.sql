-- Acquisition KPIs, one row per period_grain and period (DESIGN.md section 5): new leads
-- and the four seed-article variants, phone leads, unique visitors, visitor-to-lead rate,
-- marketing cost and cost per lead. Every period from the first to the last activity is
-- present; counts are 0 and rates null when nothing happened.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

marketing_costs as (

    select * from {{ ref('int_marketing_costs_aggregated') }}

),

lead_variants as (

    select * from {{ ref('int_contacts_lead_variants_pivoted') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

visits as (

    select
        visitor_id,
        {{ marketing_kpis.to_local_date('occurred_at') }} as visit_date
    from web_events
    where visitor_id is not null

),

form_leads_per_period as (

    {{ marketing_kpis.aggregate_by_period('lead_variants', 'first_form_date', [
        'count(*) as leads_by_form',
    ]) }}

),

segment_leads_per_period as (

    {{ marketing_kpis.aggregate_by_period('lead_variants', 'first_prospect_segment_date', [
        'count(*) as leads_by_prospect_segment',
    ]) }}

),

campaign_leads_per_period as (

    {{ marketing_kpis.aggregate_by_period('lead_variants', 'first_prospect_campaign_date', [
        'count(*) as leads_by_prospect_campaign',
    ]) }}

),

email_leads_per_period as (

    {{ marketing_kpis.aggregate_by_period('lead_variants', 'first_prospect_email_date', [
        'count(*) as leads_by_first_prospect_email',
    ]) }}

),

visitors_per_period as (

    {{ marketing_kpis.aggregate_by_period('visits', 'visit_date', [
        'count(distinct visitor_id) as unique_visitors',
    ]) }}

),

counts as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        stage_entries.new_leads,
        coalesce(form_leads_per_period.leads_by_form, 0) as leads_by_form,
        coalesce(segment_leads_per_period.leads_by_prospect_segment, 0)
            as leads_by_prospect_segment,
        coalesce(campaign_leads_per_period.leads_by_prospect_campaign, 0)
            as leads_by_prospect_campaign,
        coalesce(email_leads_per_period.leads_by_first_prospect_email, 0)
            as leads_by_first_prospect_email,
        stage_entries.phone_leads,
        coalesce(visitors_per_period.unique_visitors, 0) as unique_visitors,
        marketing_costs.marketing_cost

    {{ marketing_kpis.join_period_metrics('periods', [
        'stage_entries', 'marketing_costs', 'form_leads_per_period',
        'segment_leads_per_period', 'campaign_leads_per_period', 'email_leads_per_period',
        'visitors_per_period',
    ]) }}

),

final as (

    select
        period_grain,
        period_start,
        period_end,
        cast(new_leads as {{ dbt.type_bigint() }}) as new_leads,
        cast(leads_by_form as {{ dbt.type_bigint() }}) as leads_by_form,
        cast(leads_by_prospect_segment as {{ dbt.type_bigint() }}) as leads_by_prospect_segment,
        cast(leads_by_prospect_campaign as {{ dbt.type_bigint() }})
            as leads_by_prospect_campaign,
        cast(leads_by_first_prospect_email as {{ dbt.type_bigint() }})
            as leads_by_first_prospect_email,
        cast(phone_leads as {{ dbt.type_bigint() }}) as phone_leads,
        cast(unique_visitors as {{ dbt.type_bigint() }}) as unique_visitors,
        {{ marketing_kpis.safe_divide('new_leads', 'unique_visitors') }} as visitor_to_lead_rate,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.safe_divide('marketing_cost', 'new_leads') }} as cost_per_lead

    from counts

)

select * from final
