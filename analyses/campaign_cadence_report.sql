-- The cadence report of one campaign (article 001): weekly for the first month after
-- launch, every two weeks for the next two months, then monthly. Choose the campaign
-- with --vars '{report_campaign_id: cmp_ads_guide}'.

{%- set campaign_id = var('report_campaign_id', 'cmp_nurture') %}

with

scorecard as (

    select * from {{ marketing_kpis.published(ref('mart_campaign_scorecard')) }}

),

final as (

    select
        period_number,
        cadence,
        period_start,
        period_end,
        members_added,
        sends,
        open_rate,
        click_rate,
        sourced_leads,
        sourced_customers,
        revenue,
        marketing_cost,
        cost_per_sourced_lead,
        roi,
        sum(revenue) over (order by period_number) as revenue_to_date,
        sum(marketing_cost) over (order by period_number) as cost_to_date

    from scorecard
    where campaign_id = '{{ campaign_id }}'

)

select * from final
order by period_number
