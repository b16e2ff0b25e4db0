-- The monthly KPI report: one row per month with the headline KPI of every family.
-- Compile with `dbt compile --select monthly_kpi_report` and run the SQL of
-- target/compiled/marketing_kpis/analyses/ (or copy the select into your BI tool).

with

acquisition as (

    select * from {{ marketing_kpis.published(ref('mart_acquisition')) }}
    where period_grain = 'month'

),

nurturing as (

    select * from {{ marketing_kpis.published(ref('mart_nurturing')) }}
    where period_grain = 'month'

),

qualification as (

    select * from {{ marketing_kpis.published(ref('mart_qualification')) }}
    where period_grain = 'month'

),

conversion as (

    select * from {{ marketing_kpis.published(ref('mart_conversion')) }}
    where period_grain = 'month'

),

revenue as (

    select * from {{ marketing_kpis.published(ref('mart_revenue')) }}
    where period_grain = 'month'

),

final as (

    select
        acquisition.period_start as report_month,
        acquisition.new_leads,
        acquisition.phone_leads,
        acquisition.visitor_to_lead_rate,
        acquisition.cost_per_lead,
        nurturing.sends,
        nurturing.open_rate,
        nurturing.click_rate,
        qualification.new_mqls,
        qualification.lead_to_mql_rate,
        qualification.cost_per_mql,
        conversion.new_customers,
        conversion.median_days_to_close,
        conversion.cost_per_acquisition,
        revenue.revenue,
        revenue.average_order_value,
        revenue.retention_rate,
        revenue.customer_lifetime_value,
        revenue.marketing_cost,
        revenue.roi

    from acquisition
    inner join nurturing on acquisition.period_start = nurturing.period_start
    inner join qualification on acquisition.period_start = qualification.period_start
    inner join conversion on acquisition.period_start = conversion.period_start
    inner join revenue on acquisition.period_start = revenue.period_start

)

select * from final
order by report_month
