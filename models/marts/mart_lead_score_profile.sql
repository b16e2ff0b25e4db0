-- One row per lead month (article 002): the leads whose lead date falls in the month and
-- the distribution of their lead score at the end of that month: average, 25th
-- percentile, median and 75th percentile (interpolated, percentile_cont). The count per
-- score band is in mart_lead_score_bands.

with

leads_scored as (

    select * from {{ ref('int_leads_scored') }}

),

per_month as (

    select
        lead_month,
        count(*) as leads,
        avg(cast(score_at_lead_month_end as {{ marketing_kpis.type_double() }})) as avg_score,
        {{ marketing_kpis.percentile_cont('score_at_lead_month_end', 0.25) }} as p25_score,
        {{ marketing_kpis.percentile_cont('score_at_lead_month_end', 0.5) }} as median_score,
        {{ marketing_kpis.percentile_cont('score_at_lead_month_end', 0.75) }} as p75_score
    from leads_scored
    group by lead_month

),

final as (

    select
        lead_month,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(avg_score as {{ marketing_kpis.type_double() }}) as avg_score,
        cast(p25_score as {{ marketing_kpis.type_double() }}) as p25_score,
        cast(median_score as {{ marketing_kpis.type_double() }}) as median_score,
        cast(p75_score as {{ marketing_kpis.type_double() }}) as p75_score

    from per_month

)

select * from final
