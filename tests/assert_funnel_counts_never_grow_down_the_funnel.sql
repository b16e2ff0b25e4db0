-- Cross-check: within a lead cohort, leads >= reached mql >= reached sql >= reached
-- customer (stages are backfilled, so a customer always counts as mql and sql too).

select
    cohort_month,
    leads,
    reached_mql,
    reached_sql,
    reached_customer
from {{ ref('mart_funnel') }}
where
    not (
        leads >= reached_mql
        and reached_mql >= reached_sql
        and reached_sql >= reached_customer
    )
