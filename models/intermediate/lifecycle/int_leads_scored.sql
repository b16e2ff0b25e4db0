{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per lead: its lead month, its lead score at the end of that month (local time,
-- var reporting_timezone; 0 without score events) and whether it became a customer
-- within var scoring_horizon_days of its lead date (whole local days, DESIGN.md section 3).
-- Input of the lead-score profile and of the lead-scoring accuracy (articles 002, 003).
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

with

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

scores as (

    select * from {{ ref('int_scores_accumulated') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

leads as (

    select
        contact_id,
        lead_at,
        lead_date,
        {{ marketing_kpis.period_start('month', 'lead_date') }} as lead_month,
        -- the first local moment after the lead month
        cast(
            {{ dbt.dateadd('month', 1, marketing_kpis.period_start('month', 'lead_date')) }}
            as {{ dbt.type_timestamp() }}
        ) as lead_month_end_at,
        customer_at,
        customer_date
    from lifecycle
    where lead_at is not null

),

scores_before_month_end as (

    select
        leads.contact_id,
        scores.score,
        row_number() over (
            partition by leads.contact_id order by scores.valid_from desc
        ) as recency
    from leads
    inner join scores
        on
            leads.contact_id = scores.contact_id
            and {{ marketing_kpis.to_local_timestamp('scores.valid_from') }}
            < leads.lead_month_end_at

),

final as (

    select
        leads.contact_id,
        leads.lead_at,
        leads.lead_date,
        leads.lead_month,
        coalesce(scores_before_month_end.score, 0) as score_at_lead_month_end,
        leads.customer_at,
        {{ marketing_kpis.local_days_between('leads.lead_at', 'leads.customer_at') }}
            as days_lead_to_customer,
        coalesce(
            {{ marketing_kpis.local_days_between('leads.lead_at', 'leads.customer_at') }}
            <= {{ marketing_kpis.setting('scoring_horizon_days') }},
            false
        ) as is_customer_within_horizon

    from leads
    left join scores_before_month_end
        on
            leads.contact_id = scores_before_month_end.contact_id
            and scores_before_month_end.recency = 1

)

select * from final
