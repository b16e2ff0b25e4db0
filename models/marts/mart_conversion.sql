-- Conversion KPIs, one row per period_grain and period: new customers and promoters,
-- their ratios to MQLs and SQLs, customers who were prospects (and of those, members of a
-- prospect campaign while prospects), time to close and cost per acquisition (doc blocks
-- kpi_<name>, rates computed by the catalog). Ratios divide counts of the same period.

with

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

marketing_costs as (

    select * from {{ ref('int_marketing_costs_aggregated') }}

),

-- "while a prospect": an entry into a prospect-audience campaign at or after the lead
-- moment and before the customer moment
members_while_prospect as (

    select distinct lifecycle.contact_id
    from lifecycle
    inner join campaign_members
        on lifecycle.contact_id = campaign_members.contact_id
    inner join campaigns
        on campaign_members.campaign_id = campaigns.campaign_id
    where
        campaigns.audience = 'prospect'
        and lifecycle.lead_at < lifecycle.customer_at
        and campaign_members.added_at >= lifecycle.lead_at
        and campaign_members.added_at < lifecycle.customer_at

),

new_customers as (

    select
        lifecycle.contact_id,
        lifecycle.customer_date,
        members_while_prospect.contact_id is not null as is_from_prospect_campaign,
        {{ marketing_kpis.local_days_between('lifecycle.first_interaction_at',
                                             'lifecycle.customer_at') }} as days_to_close
    from lifecycle
    left join members_while_prospect
        on lifecycle.contact_id = members_while_prospect.contact_id
    where lifecycle.customer_at is not null

),

closings as (

    select
        period_days.period_grain,
        period_days.period_start,
        sum(case when new_customers.is_from_prospect_campaign then 1 else 0 end)
            as customers_from_prospect_campaign,
        avg(cast(new_customers.days_to_close as {{ marketing_kpis.type_double() }}))
            as avg_days_to_close,
        {{ marketing_kpis.percentile_cont('new_customers.days_to_close', 0.5) }}
            as median_days_to_close
    from new_customers
    inner join period_days
        on new_customers.customer_date = period_days.date_day
    group by period_days.period_grain, period_days.period_start

),

counts as (

    select
        stage_entries.period_grain,
        stage_entries.period_start,
        stage_entries.period_end,
        stage_entries.new_customers,
        stage_entries.new_promoters,
        stage_entries.new_mqls,
        stage_entries.new_sqls,
        stage_entries.customers_ever_prospect,
        coalesce(closings.customers_from_prospect_campaign, 0)
            as customers_from_prospect_campaign,
        closings.avg_days_to_close,
        closings.median_days_to_close,
        marketing_costs.marketing_cost
    from stage_entries
    inner join marketing_costs
        on
            stage_entries.period_grain = marketing_costs.period_grain
            and stage_entries.period_start = marketing_costs.period_start
    left join closings
        on
            stage_entries.period_grain = closings.period_grain
            and stage_entries.period_start = closings.period_start

),

final as (

    select
        period_grain,
        period_start,
        period_end,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(new_promoters as {{ dbt.type_bigint() }}) as new_promoters,
        cast(new_mqls as {{ dbt.type_bigint() }}) as new_mqls,
        cast(new_sqls as {{ dbt.type_bigint() }}) as new_sqls,
        {{ marketing_kpis.kpi_ratio('mql_to_customer_rate') }} as mql_to_customer_rate,
        {{ marketing_kpis.kpi_ratio('mqls_per_customer') }} as mqls_per_customer,
        {{ marketing_kpis.kpi_ratio('sqls_per_customer') }} as sqls_per_customer,
        cast(customers_ever_prospect as {{ dbt.type_bigint() }}) as customers_ever_prospect,
        cast(customers_from_prospect_campaign as {{ dbt.type_bigint() }})
            as customers_from_prospect_campaign,
        cast(avg_days_to_close as {{ marketing_kpis.type_double() }}) as avg_days_to_close,
        cast(median_days_to_close as {{ marketing_kpis.type_double() }})
            as median_days_to_close,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.kpi_ratio('cost_per_acquisition') }} as cost_per_acquisition

    from counts

)

select * from final
