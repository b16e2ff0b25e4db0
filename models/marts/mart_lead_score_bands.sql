-- One row per lead month and score band of var score_bands (article 002's "count per
-- band" of mart_lead_score_profile, kept long so that changing the bands changes rows,
-- not columns): the leads of the month whose score at the end of the month falls in the
-- band ([band_min, band_max); band_max null for the top band; scores below the first
-- bound count in the first band), and their share of the month's leads.

with

leads_scored as (

    select * from {{ ref('int_leads_scored') }}

),

bands as (

    {{ marketing_kpis.score_bands_sql() }}

),

months as (

    select distinct lead_month from leads_scored

),

per_band as (

    select
        lead_month,
        {{ marketing_kpis.score_band_number('score_at_lead_month_end') }} as band_number,
        count(*) as leads
    from leads_scored
    group by lead_month, {{ marketing_kpis.score_band_number('score_at_lead_month_end') }}

),

month_totals as (

    select
        lead_month,
        count(*) as month_leads
    from leads_scored
    group by lead_month

),

counts as (

    select
        months.lead_month,
        bands.band_number,
        bands.band_min,
        bands.band_max,
        coalesce(per_band.leads, 0) as leads,
        month_totals.month_leads
    from months
    cross join bands
    inner join month_totals
        on months.lead_month = month_totals.lead_month
    left join per_band
        on
            months.lead_month = per_band.lead_month
            and bands.band_number = per_band.band_number

),

final as (

    select
        lead_month,
        cast(band_number as {{ dbt.type_bigint() }}) as band_number,
        band_min,
        band_max,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(month_leads as {{ dbt.type_bigint() }}) as month_leads,
        {{ marketing_kpis.kpi_ratio('score_band_share') }} as share_of_month_leads

    from counts

)

select * from final
