-- The lead funnel by cohort month: how the leads of each month progressed so far, and
-- how long each step took (median days).

with

funnel as (

    select * from {{ marketing_kpis.published(ref('mart_funnel')) }}

),

final as (

    select
        cohort_month,
        leads,
        reached_mql,
        reached_sql,
        reached_customer,
        round(100 * lead_to_mql_rate, 1) as lead_to_mql_pct,
        round(100 * mql_to_sql_rate, 1) as mql_to_sql_pct,
        round(100 * sql_to_customer_rate, 1) as sql_to_customer_pct,
        round(100 * lead_to_customer_rate, 1) as lead_to_customer_pct,
        median_days_lead_to_mql,
        median_days_mql_to_sql,
        median_days_sql_to_customer,
        median_days_lead_to_customer

    from funnel

)

select * from final
order by cohort_month
