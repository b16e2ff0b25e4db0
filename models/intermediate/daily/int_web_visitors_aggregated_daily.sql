{#- unique_key is one column as a string: dbt then deletes with `in (select ...)`; as a
    list it joins every target row with every new row of its day (505 s at L). -#}
{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy=marketing_kpis.event_model_strategy(),
        unique_key='visit_date',
        partition_by=marketing_kpis.event_model_partitions(['visit_date']),
        on_schema_change='fail',
    )
}}

-- One row per local day and visitor with a web event (page view or CTA click) that day:
-- unique visitors of any period are the distinct visitor_id of its days (they do not
-- add up across days, so the daily grain keeps the visitor).
-- Incremental: a run replaces the days from var incremental_lookback_days (one day more
-- for the reporting time zone) before the latest day already counted; stg_web_events
-- restages no event older than that.

{%- set lookback_days = marketing_kpis.setting('incremental_lookback_days') | int %}

with

web_events as (

    select * from {{ ref('stg_web_events') }}

),

final as (

    select distinct
        {{ marketing_kpis.to_local_date('occurred_at') }} as visit_date,
        visitor_id

    from web_events
    where
        visitor_id is not null
        {%- if is_incremental() %}
            and {{ marketing_kpis.to_local_date('occurred_at') }} >= (
                select
                    coalesce(
                        cast(
                            {{ dbt.dateadd('day', -1 * (lookback_days + 1), 'max(visit_date)') }}
                            as date
                        ),
                        cast('0001-01-01' as date)
                    )
                from {{ this }}
            )
        {%- endif %}

)

select * from final
