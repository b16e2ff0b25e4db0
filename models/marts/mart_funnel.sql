-- One row per lead cohort month (the local month of the lead date): the leads of the
-- cohort, how many of them reached mql, sql and customer so far (backfilled stages count,
-- so the counts never grow down the funnel), the stage-to-stage rates and the median
-- whole local days between stages of those who reached them.

with

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

cohorts as (

    select
        {{ marketing_kpis.period_start('month', 'lead_date') }} as cohort_month,
        contact_id,
        mql_at is not null as has_mql,
        sql_at is not null as has_sql,
        customer_at is not null as has_customer,
        {{ marketing_kpis.local_days_between('lead_at', 'mql_at') }} as days_lead_to_mql,
        {{ marketing_kpis.local_days_between('mql_at', 'sql_at') }} as days_mql_to_sql,
        {{ marketing_kpis.local_days_between('sql_at', 'customer_at') }}
            as days_sql_to_customer,
        {{ marketing_kpis.local_days_between('lead_at', 'customer_at') }}
            as days_lead_to_customer
    from lifecycle
    where lead_at is not null

),

per_cohort as (

    select
        cohort_month,
        count(*) as leads,
        sum(case when has_mql then 1 else 0 end) as reached_mql,
        sum(case when has_sql then 1 else 0 end) as reached_sql,
        sum(case when has_customer then 1 else 0 end) as reached_customer,
        {{ marketing_kpis.percentile_cont('days_lead_to_mql', 0.5) }} as median_days_lead_to_mql,
        {{ marketing_kpis.percentile_cont('days_mql_to_sql', 0.5) }} as median_days_mql_to_sql,
        {{ marketing_kpis.percentile_cont('days_sql_to_customer', 0.5) }}
            as median_days_sql_to_customer,
        {{ marketing_kpis.percentile_cont('days_lead_to_customer', 0.5) }}
            as median_days_lead_to_customer
    from cohorts
    group by cohort_month

),

final as (

    select
        cohort_month,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(reached_mql as {{ dbt.type_bigint() }}) as reached_mql,
        cast(reached_sql as {{ dbt.type_bigint() }}) as reached_sql,
        cast(reached_customer as {{ dbt.type_bigint() }}) as reached_customer,
        {{ marketing_kpis.kpi_ratio('funnel_conversion', 'lead_to_mql_rate') }} as lead_to_mql_rate,
        {{ marketing_kpis.kpi_ratio('funnel_conversion', 'mql_to_sql_rate') }} as mql_to_sql_rate,
        {{ marketing_kpis.kpi_ratio('funnel_conversion', 'sql_to_customer_rate') }}
            as sql_to_customer_rate,
        {{ marketing_kpis.kpi_ratio('funnel_conversion', 'lead_to_customer_rate') }}
            as lead_to_customer_rate,
        cast(median_days_lead_to_mql as {{ marketing_kpis.type_double() }})
            as median_days_lead_to_mql,
        cast(median_days_mql_to_sql as {{ marketing_kpis.type_double() }})
            as median_days_mql_to_sql,
        cast(median_days_sql_to_customer as {{ marketing_kpis.type_double() }})
            as median_days_sql_to_customer,
        cast(median_days_lead_to_customer as {{ marketing_kpis.type_double() }})
            as median_days_lead_to_customer

    from per_cohort

)

select * from final
