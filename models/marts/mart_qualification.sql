-- Qualification KPIs, one row per period_grain and period: new MQLs and SQLs, their
-- rates and cost per MQL (doc blocks kpi_<name>, computed by the catalog). Rates divide counts
-- of the same period (the source articles' "same time reference"), so they can exceed 1
-- when leads of earlier periods qualify; cohort conversion is in mart_funnel.

with

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

marketing_costs as (

    select * from {{ ref('int_marketing_costs_aggregated') }}

),

counts as (

    select
        stage_entries.period_grain,
        stage_entries.period_start,
        stage_entries.period_end,
        stage_entries.new_leads,
        stage_entries.new_mqls,
        stage_entries.new_sqls,
        marketing_costs.marketing_cost
    from stage_entries
    inner join marketing_costs
        on
            stage_entries.period_grain = marketing_costs.period_grain
            and stage_entries.period_start = marketing_costs.period_start

),

final as (

    select
        period_grain,
        period_start,
        period_end,
        cast(new_leads as {{ dbt.type_bigint() }}) as new_leads,
        cast(new_mqls as {{ dbt.type_bigint() }}) as new_mqls,
        cast(new_sqls as {{ dbt.type_bigint() }}) as new_sqls,
        {{ marketing_kpis.kpi_ratio('lead_to_mql_rate') }} as lead_to_mql_rate,
        {{ marketing_kpis.kpi_ratio('mql_to_sql_rate') }} as mql_to_sql_rate,
        cast(marketing_cost as {{ marketing_kpis.type_money() }}) as marketing_cost,
        {{ marketing_kpis.kpi_ratio('cost_per_mql') }} as cost_per_mql

    from counts

)

select * from final
