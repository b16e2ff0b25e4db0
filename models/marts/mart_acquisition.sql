-- Acquisition KPIs, one row per period_grain and period: new leads and the four
-- seed-article variants, phone leads, unique visitors, visitor-to-lead rate, marketing
-- cost and cost per lead (doc blocks kpi_<name>; rates computed by the catalog). Every
-- period from the first to the last activity is present; counts are 0 and rates null
-- when nothing happened.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

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

visitors_per_period as (

    select * from {{ ref('int_web_visitors_aggregated_periodic') }}

),

-- one row per contact and seed variant it counts in, on the variant's local date
variant_dates as (

    select
        'form' as variant,
        first_form_date as variant_date
    from lead_variants
    where first_form_date is not null

    union all

    select
        'prospect_segment' as variant,
        first_prospect_segment_date as variant_date
    from lead_variants
    where first_prospect_segment_date is not null

    union all

    select
        'prospect_campaign' as variant,
        first_prospect_campaign_date as variant_date
    from lead_variants
    where first_prospect_campaign_date is not null

    union all

    select
        'prospect_email' as variant,
        first_prospect_email_date as variant_date
    from lead_variants
    where first_prospect_email_date is not null

),

variants_per_period as (

    select
        period_days.period_grain,
        period_days.period_start,
        sum(case when variant_dates.variant = 'form' then 1 else 0 end) as leads_by_form,
        sum(case when variant_dates.variant = 'prospect_segment' then 1 else 0 end)
            as leads_by_prospect_segment,
        sum(case when variant_dates.variant = 'prospect_campaign' then 1 else 0 end)
            as leads_by_prospect_campaign,
        sum(case when variant_dates.variant = 'prospect_email' then 1 else 0 end)
            as leads_by_first_prospect_email
    from variant_dates
    inner join period_days
        on variant_dates.variant_date = period_days.date_day
    group by period_days.period_grain, period_days.period_start

),

counts as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        stage_entries.new_leads,
        coalesce(variants_per_period.leads_by_form, 0) as leads_by_form,
        coalesce(variants_per_period.leads_by_prospect_segment, 0) as leads_by_prospect_segment,
        coalesce(variants_per_period.leads_by_prospect_campaign, 0)
            as leads_by_prospect_campaign,
        coalesce(variants_per_period.leads_by_first_prospect_email, 0)
            as leads_by_first_prospect_email,
        stage_entries.phone_leads,
        coalesce(visitors_per_period.unique_visitors, 0) as unique_visitors,
        marketing_costs.marketing_cost
    from periods
    left join stage_entries
        on
            periods.period_grain = stage_entries.period_grain
            and periods.period_start = stage_entries.period_start
    left join marketing_costs
        on
            periods.period_grain = marketing_costs.period_grain
            and periods.period_start = marketing_costs.period_start
    left join variants_per_period
        on
            periods.period_grain = variants_per_period.period_grain
            and periods.period_start = variants_per_period.period_start
    left join visitors_per_period
        on
            periods.period_grain = visitors_per_period.period_grain
            and periods.period_start = visitors_per_period.period_start

),

final as (

    select
        cast(period_grain as {{ marketing_kpis.type_text() }}) as period_grain,
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
        {{ marketing_kpis.kpi_ratio('visitor_to_lead_rate') }} as visitor_to_lead_rate,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.kpi_ratio('cost_per_lead') }} as cost_per_lead

    from counts

)

select * from final
