{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per contact, lifecycle stage and signal: the first time the signal was seen
-- (DESIGN.md section 3), for the contacts of the contacts table, with the ranks of its
-- stage and signal (int_contacts_stages_pivoted breaks ties with them: a new signal is
-- one more branch with its ranks). Here: form, call (lead), score (mql); the deal and
-- order signals come from int_contact_deal_signals_unioned, the field signals from
-- int_contact_field_signals_unioned. Refreshes by contact (doc block
-- int_contacts_refresh_scoped).
with

contacts as (

    select * from {{ ref('stg_contacts') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

field_signals as (

    select * from {{ ref('int_contact_field_signals_unioned') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

calls as (

    select * from {{ ref('stg_calls') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

scores as (

    select * from {{ ref('int_scores_accumulated') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

deal_signals as (

    select * from {{ ref('int_contact_deal_signals_unioned') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

signals as (

    select
        contact_id,
        'lead' as stage,
        'form' as signal,
        1 as stage_rank,
        1 as signal_rank,
        min(submitted_at) as reached_at
    from form_submissions
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        'lead' as stage,
        'call' as signal,
        1 as stage_rank,
        2 as signal_rank,
        min(started_at) as reached_at
    from calls
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        'mql' as stage,
        'score' as signal,
        2 as stage_rank,
        5 as signal_rank,
        min(valid_from) as reached_at
    from scores
    where score >= {{ marketing_kpis.setting('mql_score_threshold') }}
    group by contact_id

    union all

    select
        contact_id,
        stage,
        signal,
        stage_rank,
        signal_rank,
        reached_at
    from deal_signals
    union all

    select
        contact_id,
        stage,
        signal,
        stage_rank,
        signal_rank,
        reached_at
    from field_signals

),

final as (

    -- only contacts of the contacts table have a lifecycle
    select
        signals.contact_id,
        signals.stage,
        signals.signal,
        signals.reached_at,
        signals.stage_rank,
        signals.signal_rank

    from signals
    inner join contacts
        on signals.contact_id = contacts.contact_id
    where signals.reached_at is not null

)

select * from final
