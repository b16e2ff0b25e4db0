-- One row per reporting period (every grain of var kpi_period_grains, no gaps): how many
-- contacts entered each lifecycle stage in the period (the local date of their stage
-- moment falls in it). Shared by the family marts, so that "new leads" means the same
-- count in every mart.

with

periods as (

    select * from {{ ref('int_reporting_periods_generated') }}

),

period_days as (

    select * from {{ ref('int_period_days_enumerated') }}

),

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

-- one row per contact and stage entered, on the local date of the stage moment
stage_entries as (

    select
        'lead' as stage,
        lead_date as entry_date,
        lead_signal = 'call' as is_phone_lead,
        false as is_ever_prospect
    from lifecycle
    where lead_date is not null

    union all

    select
        'customer' as stage,
        customer_date as entry_date,
        false as is_phone_lead,
        coalesce(lead_at < customer_at, false) as is_ever_prospect
    from lifecycle
    where customer_date is not null

    union all

    select
        'mql' as stage,
        mql_date as entry_date,
        false as is_phone_lead,
        false as is_ever_prospect
    from lifecycle
    where mql_date is not null

    union all

    select
        'sql' as stage,
        sql_date as entry_date,
        false as is_phone_lead,
        false as is_ever_prospect
    from lifecycle
    where sql_date is not null

    union all

    select
        'promoter' as stage,
        promoter_date as entry_date,
        false as is_phone_lead,
        false as is_ever_prospect
    from lifecycle
    where promoter_date is not null

    union all

    select
        'former_customer' as stage,
        former_customer_date as entry_date,
        false as is_phone_lead,
        false as is_ever_prospect
    from lifecycle
    where former_customer_date is not null

    union all

    select
        'recycled' as stage,
        recycled_date as entry_date,
        false as is_phone_lead,
        false as is_ever_prospect
    from lifecycle
    where recycled_date is not null

    union all

    select
        'reopened' as stage,
        reopened_date as entry_date,
        false as is_phone_lead,
        false as is_ever_prospect
    from lifecycle
    where reopened_date is not null

),

entries_per_period as (

    select
        period_days.period_grain,
        period_days.period_start,
        sum(case when stage_entries.stage = 'lead' then 1 else 0 end) as new_leads,
        sum(case when stage_entries.is_phone_lead then 1 else 0 end) as phone_leads,
        sum(case when stage_entries.stage = 'mql' then 1 else 0 end) as new_mqls,
        sum(case when stage_entries.stage = 'sql' then 1 else 0 end) as new_sqls,
        sum(case when stage_entries.stage = 'customer' then 1 else 0 end) as new_customers,
        sum(case when stage_entries.is_ever_prospect then 1 else 0 end)
            as customers_ever_prospect,
        sum(case when stage_entries.stage = 'promoter' then 1 else 0 end) as new_promoters,
        sum(case when stage_entries.stage = 'former_customer' then 1 else 0 end)
            as new_former_customers,
        sum(case when stage_entries.stage = 'recycled' then 1 else 0 end) as recycled_leads,
        sum(case when stage_entries.stage = 'reopened' then 1 else 0 end) as reopened_leads
    from stage_entries
    inner join period_days
        on stage_entries.entry_date = period_days.date_day
    group by period_days.period_grain, period_days.period_start

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        coalesce(entries_per_period.new_leads, 0) as new_leads,
        coalesce(entries_per_period.phone_leads, 0) as phone_leads,
        coalesce(entries_per_period.new_mqls, 0) as new_mqls,
        coalesce(entries_per_period.new_sqls, 0) as new_sqls,
        coalesce(entries_per_period.new_customers, 0) as new_customers,
        coalesce(entries_per_period.customers_ever_prospect, 0) as customers_ever_prospect,
        coalesce(entries_per_period.new_promoters, 0) as new_promoters,
        coalesce(entries_per_period.new_former_customers, 0) as new_former_customers,
        coalesce(entries_per_period.recycled_leads, 0) as recycled_leads,
        coalesce(entries_per_period.reopened_leads, 0) as reopened_leads

    from periods
    left join entries_per_period
        on
            periods.period_grain = entries_per_period.period_grain
            and periods.period_start = entries_per_period.period_start

)

select * from final
