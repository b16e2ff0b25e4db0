{#- unique_key is one column as a string: dbt then deletes with `in (select ...)`; as a
    list it joins every target row with every new row of its day (505 s at L). -#}
{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy=marketing_kpis.event_model_strategy(),
        unique_key='event_date',
        partition_by=marketing_kpis.event_model_partitions(['event_date']),
        on_schema_change='fail',
    )
}}

-- One row per local day, page and call to action (null for page views) with a web event:
-- the page's views, the CTA's clicks (cta_click events naming a CTA) and how many of
-- the events carried page_type 'landing_page'. mart_ctas and mart_landing_pages group
-- it by period.
-- Incremental: a run replaces the days from var incremental_lookback_days (one day more
-- for the reporting time zone) before the latest day already counted.

{%- set lookback_days = marketing_kpis.setting('incremental_lookback_days') | int %}

with

web_events as (

    select * from {{ ref('stg_web_events') }}

),

dated_events as (

    select
        {{ marketing_kpis.to_local_date('occurred_at') }} as event_date,
        page_id,
        case when event_type = 'cta_click' then cta_id end as cta_id,
        event_type,
        page_type
    from web_events
    where page_id is not null

),

final as (

    select
        event_date,
        page_id,
        cta_id,
        count(case when event_type = 'page_view' then 1 end) as page_views,
        count(case when event_type = 'cta_click' and cta_id is not null then 1 end)
            as cta_clicks,
        count(case when page_type = 'landing_page' then 1 end) as landing_page_events

    from dated_events
    {%- if is_incremental() %}
        where event_date >= (
            select
                coalesce(
                    cast(
                        {{ dbt.dateadd('day', -1 * (lookback_days + 1), 'max(event_date)') }}
                        as date
                    ),
                    cast('0001-01-01' as date)
                )
            from {{ this }}
        )
    {%- endif %}
    group by event_date, page_id, cta_id

)

select * from final
