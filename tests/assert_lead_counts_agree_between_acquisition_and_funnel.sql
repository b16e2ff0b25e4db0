-- Cross-check: the new leads of mart_acquisition are the leads of mart_funnel's cohort
-- months, for every grain of var kpi_period_grains (month need not be one of them). Days
-- and months are compared per month, quarters and years per quarter and year; weeks
-- straddle months, so for weeks only the totals are compared (compared_start null).
-- Fails with the grain and period where they differ.

with

acquisition as (

    select * from {{ ref('mart_acquisition') }}

),

funnel as (

    select * from {{ ref('mart_funnel') }}

),

-- the funnel's cohort months once per grain, beside the acquisition rows of that grain
leads as (

    select
        'acquisition' as source_mart,
        period_grain,
        period_start as period_date,
        new_leads as leads
    from acquisition
    {%- for grain in marketing_kpis.setting('kpi_period_grains') %}

        union all

        select
            'funnel' as source_mart,
            '{{ grain }}' as period_grain,
            cohort_month as period_date,
            leads
        from funnel
    {%- endfor %}

),

leads_by_compared_period as (

    select
        source_mart,
        period_grain,
        case period_grain
            when 'day' then {{ marketing_kpis.period_start('month', 'period_date') }}
            when 'month' then {{ marketing_kpis.period_start('month', 'period_date') }}
            when 'quarter' then {{ marketing_kpis.period_start('quarter', 'period_date') }}
            when 'year' then {{ marketing_kpis.period_start('year', 'period_date') }}
        end as compared_start,
        leads
    from leads

),

compared as (

    select
        period_grain,
        compared_start,
        sum(case when source_mart = 'acquisition' then leads else 0 end)
            as acquisition_new_leads,
        sum(case when source_mart = 'funnel' then leads else 0 end) as funnel_leads
    from leads_by_compared_period
    group by period_grain, compared_start

)

select *
from compared
where acquisition_new_leads != funnel_leads
