{{
    config(
        materialized=marketing_kpis.event_model_materialization(),
        incremental_strategy='delete+insert',
        unique_key='contact_id',
        on_schema_change='fail',
    )
}}

-- One row per contact and moment its lead score changed: the running score from then on.
-- The score at t is the score of the last row with valid_from <= t (valid_to > t or null);
-- a contact with no row has score 0.
-- Incremental: a run recomputes the whole history of the contacts that have a score
-- event in the window (var incremental_lookback_days before the latest one counted).

with

score_events as (

    select * from {{ ref('stg_score_events') }}

),

events_to_accumulate as (

    select score_events.*
    from score_events
    {%- if is_incremental() %}
        where score_events.contact_id in (
            select window_events.contact_id
            from score_events as window_events
            where window_events.occurred_at >= {{ marketing_kpis.incremental_cutoff('valid_from') }}
        )
    {%- endif %}

),

changes_per_moment as (

    -- deltas logged at the same moment move the score once
    select
        contact_id,
        occurred_at,
        -- sums as bigint: DuckDB sums to a 128-bit integer, whose stored columns scan
        -- 100 times slower (measured at 1M contacts: 3.2 s against 0.02 s for 11M rows)
        cast(sum(delta) as {{ dbt.type_bigint() }}) as delta,
        count(*) as score_events

    from events_to_accumulate
    group by contact_id, occurred_at

),

running as (

    select
        contact_id,
        occurred_at as valid_from,
        lead(occurred_at) over (
            partition by contact_id order by occurred_at
        ) as valid_to,
        delta,
        cast(sum(delta) over (
            partition by contact_id order by occurred_at
            rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as score,
        score_events

    from changes_per_moment

),

final as (

    select
        contact_id,
        valid_from,
        valid_to,
        delta,
        score,
        score - delta as previous_score,
        score_events

    from running

)

select * from final
