-- Cross-check: the new leads of each month in mart_acquisition are the leads of that
-- cohort month in mart_funnel. Fails with the months where they differ.

with

acquisition as (

    select
        period_start as month_start,
        new_leads
    from {{ ref('mart_acquisition') }}
    where period_grain = 'month'

),

funnel as (

    select
        cohort_month as month_start,
        leads
    from {{ ref('mart_funnel') }}

),

compared as (

    select
        coalesce(acquisition.month_start, funnel.month_start) as month_start,
        coalesce(acquisition.new_leads, 0) as acquisition_new_leads,
        coalesce(funnel.leads, 0) as funnel_leads
    from acquisition
    full outer join funnel
        on acquisition.month_start = funnel.month_start

)

select *
from compared
where acquisition_new_leads != funnel_leads
