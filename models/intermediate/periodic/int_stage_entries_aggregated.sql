-- One row per reporting period (every grain of var kpi_period_grains, no gaps): how many
-- contacts entered each lifecycle stage in the period (the local date of their stage
-- moment falls in it). Shared by the family marts, so that "new leads" means the same
-- count in every mart.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

leads as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'lead_date', [
        'count(*) as new_leads',
        "sum(case when lead_signal = 'call' then 1 else 0 end) as phone_leads",
    ]) }}

),

mqls as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'mql_date', ['count(*) as new_mqls']) }}

),

sqls as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'sql_date', ['count(*) as new_sqls']) }}

),

customers as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'customer_date', [
        'count(*) as new_customers',
        'sum(case when lead_at < customer_at then 1 else 0 end) as customers_ever_prospect',
    ]) }}

),

promoters as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'promoter_date', [
        'count(*) as new_promoters',
    ]) }}

),

former_customers as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'former_customer_date', [
        'count(*) as new_former_customers',
    ]) }}

),

recycled as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'recycled_date', [
        'count(*) as recycled_leads',
    ]) }}

),

reopened as (

    {{ marketing_kpis.aggregate_by_period('lifecycle', 'reopened_date', [
        'count(*) as reopened_leads',
    ]) }}

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        coalesce(leads.new_leads, 0) as new_leads,
        coalesce(leads.phone_leads, 0) as phone_leads,
        coalesce(mqls.new_mqls, 0) as new_mqls,
        coalesce(sqls.new_sqls, 0) as new_sqls,
        coalesce(customers.new_customers, 0) as new_customers,
        coalesce(customers.customers_ever_prospect, 0) as customers_ever_prospect,
        coalesce(promoters.new_promoters, 0) as new_promoters,
        coalesce(former_customers.new_former_customers, 0) as new_former_customers,
        coalesce(recycled.recycled_leads, 0) as recycled_leads,
        coalesce(reopened.reopened_leads, 0) as reopened_leads

    {{ marketing_kpis.join_period_metrics('periods', [
        'leads', 'mqls', 'sqls', 'customers', 'promoters', 'former_customers', 'recycled',
        'reopened',
    ]) }}

)

select * from final
