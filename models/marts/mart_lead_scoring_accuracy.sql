-- One row per score band of var score_bands (article 003, lead scoring accuracy): all
-- leads by their score at the end of their lead month, how many became customers within
-- var scoring_horizon_days of their lead date, the conversion rate, and the AUC of that
-- score (the same on every row): the probability that a converting lead outscores a
-- non-converting one, ties counting half (Mann-Whitney), null without both kinds.
-- Leads whose horizon has not elapsed yet count as not converted.

with

leads_scored as (

    select * from {{ ref('int_leads_scored') }}

),

bands as (

    {{ marketing_kpis.score_bands_sql() }}

),

leads_banded as (

    select
        {{ marketing_kpis.score_band_number('score_at_lead_month_end') }} as band_number,
        score_at_lead_month_end as score,
        case when is_customer_within_horizon then 1 else 0 end as is_positive
    from leads_scored

),

per_band as (

    select
        band_number,
        count(*) as leads,
        sum(is_positive) as customers
    from leads_banded
    group by band_number

),

per_score as (

    select
        score,
        sum(is_positive) as positives,
        sum(1 - is_positive) as negatives
    from leads_banded
    group by score

),

negatives_below as (

    select
        score,
        positives,
        negatives,
        coalesce(sum(negatives) over (
            order by score rows between unbounded preceding and 1 preceding
        ), 0) as lower_negatives
    from per_score

),

auc as (

    select
        sum(positives * (lower_negatives + 0.5 * negatives))
        / nullif(
            cast(sum(positives) as {{ marketing_kpis.type_double() }})
            * sum(negatives), 0
        ) as auc
    from negatives_below

),

final as (

    select
        cast(bands.band_number as {{ dbt.type_bigint() }}) as band_number,
        bands.band_min,
        bands.band_max,
        cast(coalesce(per_band.leads, 0) as {{ dbt.type_bigint() }}) as leads,
        cast(coalesce(per_band.customers, 0) as {{ dbt.type_bigint() }}) as customers,
        {{ marketing_kpis.kpi_ratio('scoring_conversion_rate', relation='per_band') }}
            as conversion_rate,
        cast(auc.auc as {{ marketing_kpis.type_double() }}) as auc

    from bands
    cross join auc
    left join per_band
        on bands.band_number = per_band.band_number

)

select * from final
