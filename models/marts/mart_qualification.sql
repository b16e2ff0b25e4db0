-- Qualification KPIs, one row per period_grain and period (DESIGN.md section 5): new MQLs
-- and SQLs, lead-to-MQL and MQL-to-SQL rates and cost per MQL. The rates divide counts
-- of the same period (the source articles' "same time reference"), so they can exceed 1
-- when leads of earlier periods qualify; cohort conversion is in mart_funnel.

with

stage_entries as (

    select * from {{ ref('int_stage_entries_aggregated') }}

),

marketing_costs as (

    select * from {{ ref('int_marketing_costs_aggregated') }}

),

final as (

    select
        stage_entries.period_grain,
        stage_entries.period_start,
        stage_entries.period_end,
        cast(stage_entries.new_leads as {{ dbt.type_bigint() }}) as new_leads,
        cast(stage_entries.new_mqls as {{ dbt.type_bigint() }}) as new_mqls,
        cast(stage_entries.new_sqls as {{ dbt.type_bigint() }}) as new_sqls,
        {{ marketing_kpis.safe_divide('stage_entries.new_mqls', 'stage_entries.new_leads') }}
            as lead_to_mql_rate,
        {{ marketing_kpis.safe_divide('stage_entries.new_sqls', 'stage_entries.new_mqls') }}
            as mql_to_sql_rate,
        cast(marketing_costs.marketing_cost as {{ marketing_kpis.type_money() }})
            as marketing_cost,
        {{ marketing_kpis.safe_divide('marketing_costs.marketing_cost',
                                      'stage_entries.new_mqls') }} as cost_per_mql

    from stage_entries
    inner join marketing_costs
        on
            stage_entries.period_grain = marketing_costs.period_grain
            and stage_entries.period_start = marketing_costs.period_start

)

select * from final
