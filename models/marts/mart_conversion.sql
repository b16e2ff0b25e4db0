-- Conversion KPIs, one row per period_grain and period (DESIGN.md section 5): new
-- customers and promoters, MQL-to-customer rate, MQLs and SQLs per customer, customers
-- who were prospects (and of those, members of a prospect campaign while prospects),
-- time to close and cost per acquisition. Ratios divide counts of the same period.

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
        case
            when members_while_prospect.contact_id is not null then 1 else 0
        end as is_from_prospect_campaign,
        {{ marketing_kpis.local_days_between('lifecycle.first_interaction_at',
                                             'lifecycle.customer_at') }} as days_to_close
    from lifecycle
    left join members_while_prospect
        on lifecycle.contact_id = members_while_prospect.contact_id
    where lifecycle.customer_at is not null

),

closings as (

    {{ marketing_kpis.aggregate_by_period('new_customers', 'customer_date', [
        'sum(is_from_prospect_campaign) as customers_from_prospect_campaign',
        'avg(cast(days_to_close as ' ~ marketing_kpis.type_double() ~ ')) as avg_days_to_close',
        marketing_kpis.percentile_cont('days_to_close', 0.5) ~ ' as median_days_to_close',
    ]) }}

),

final as (

    select
        stage_entries.period_grain,
        stage_entries.period_start,
        stage_entries.period_end,
        cast(stage_entries.new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(stage_entries.new_promoters as {{ dbt.type_bigint() }}) as new_promoters,
        cast(stage_entries.new_mqls as {{ dbt.type_bigint() }}) as new_mqls,
        cast(stage_entries.new_sqls as {{ dbt.type_bigint() }}) as new_sqls,
        {{ marketing_kpis.safe_divide('stage_entries.new_customers', 'stage_entries.new_mqls') }}
            as mql_to_customer_rate,
        {{ marketing_kpis.safe_divide('stage_entries.new_mqls', 'stage_entries.new_customers') }}
            as mqls_per_customer,
        {{ marketing_kpis.safe_divide('stage_entries.new_sqls', 'stage_entries.new_customers') }}
            as sqls_per_customer,
        cast(stage_entries.customers_ever_prospect as {{ dbt.type_bigint() }})
            as customers_ever_prospect,
        cast(coalesce(closings.customers_from_prospect_campaign, 0) as {{ dbt.type_bigint() }})
            as customers_from_prospect_campaign,
        cast(closings.avg_days_to_close as {{ marketing_kpis.type_double() }})
            as avg_days_to_close,
        cast(closings.median_days_to_close as {{ marketing_kpis.type_double() }})
            as median_days_to_close,
        cast(marketing_costs.marketing_cost as {{ marketing_kpis.type_money() }})
            as marketing_cost,
        {{ marketing_kpis.safe_divide('marketing_costs.marketing_cost',
                                      'stage_entries.new_customers') }}
            as cost_per_acquisition

    from stage_entries
    inner join marketing_costs
        on
            stage_entries.period_grain = marketing_costs.period_grain
            and stage_entries.period_start = marketing_costs.period_start
    left join closings
        on
            stage_entries.period_grain = closings.period_grain
            and stage_entries.period_start = closings.period_start

)

select * from final
