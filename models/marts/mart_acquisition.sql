{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy='delete+insert',
        unique_key=['period_grain'],
        on_schema_change='fail',
    )
}}

-- Acquisition KPIs, one row per period_grain and period (DESIGN.md section 5): new leads
-- and the four seed-article variants, phone leads, unique visitors, visitor-to-lead rate,
-- marketing cost and cost per lead. Every period from the first to the last activity is
-- present; counts are 0 and rates null when nothing happened.
-- Incremental: every row is recomputed on each run except the unique visitors of the
-- periods that ended before the web events' window. Distinct visitors of a period need
-- all its visits (they do not add up across days), so a run counts them again only from
-- the start of the first period that may hold a visit restaged by stg_web_events (visits
-- at most var incremental_lookback_days before the latest one staged, one day more for
-- the reporting time zone); older periods keep the count of the previous run. All rows of
-- a grain are replaced at once (unique_key period_grain), so a period that no longer
-- exists disappears.

{%- set lookback_days = marketing_kpis.setting('incremental_lookback_days') | int %}

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

{%- if is_incremental() %}

    -- per grain, the first local day a restaged visit can fall on: the start of the latest
    -- period with visitors (it holds the latest visit) minus the lookback and one day
    visitor_recount_starts as (

        select
            period_grain,
            cast(
                {{ dbt.dateadd('day', -1 * (lookback_days + 1), 'max(period_start)') }} as date
            ) as recount_from
        from {{ this }}
        where unique_visitors > 0
        group by period_grain

    ),

    -- the periods that ended before it: their visitors are those of the previous run
    settled_visitors as (

        select
            previous.period_grain,
            previous.period_start,
            previous.unique_visitors
        from {{ this }} as previous
        inner join visitor_recount_starts
            on previous.period_grain = visitor_recount_starts.period_grain
        where previous.period_end < visitor_recount_starts.recount_from

    ),

    -- visits are read from the first day of the first period to count again
    visits_recounted_from as (

        select min(periods.period_start) as first_day
        from periods
        left join settled_visitors
            on
                periods.period_grain = settled_visitors.period_grain
                and periods.period_start = settled_visitors.period_start
        where settled_visitors.period_start is null

    ),

{%- endif %}

visits as (

    select
        visitor_id,
        {{ marketing_kpis.to_local_date('occurred_at') }} as visit_date
    from web_events
    where
        visitor_id is not null
        {%- if is_incremental() %}
            and {{ marketing_kpis.to_local_date('occurred_at') }}
            >= (select visits_recounted_from.first_day from visits_recounted_from)
        {%- endif %}

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
        {%- if is_incremental() %}
            case
                when settled_visitors.period_start is not null
                    then settled_visitors.unique_visitors
                else coalesce(visitors_per_period.unique_visitors, 0)
            end as unique_visitors,
        {%- else %}
            coalesce(visitors_per_period.unique_visitors, 0) as unique_visitors,
        {%- endif %}
        marketing_costs.marketing_cost

    {{ marketing_kpis.join_period_metrics('periods', [
        'stage_entries', 'marketing_costs', 'form_leads_per_period',
        'segment_leads_per_period', 'campaign_leads_per_period', 'email_leads_per_period',
        'visitors_per_period',
    ] + (['settled_visitors'] if is_incremental() else [])) }}

),

final as (

    select
        -- varchar as in the contract (a PostgreSQL literal is text, which the incremental
        -- schema check would take for a change of type)
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
        {{ marketing_kpis.safe_divide('new_leads', 'unique_visitors') }} as visitor_to_lead_rate,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.safe_divide('marketing_cost', 'new_leads') }} as cost_per_lead

    from counts

)

select * from final
