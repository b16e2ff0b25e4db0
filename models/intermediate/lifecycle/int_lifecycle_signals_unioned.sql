-- One row per contact, lifecycle stage and signal: the first time the signal was seen
-- (DESIGN.md section 3), for the contacts of the contacts table, with the ranks of its
-- stage and signal (int_contacts_stages_pivoted breaks ties with them: a new signal is
-- one more branch with its ranks). Here: form, call (lead), score (mql), deal (sql),
-- order, won_deal (customer), second order (promoter), lost_deal (recycled); the field
-- signals come from int_contact_field_signals_unioned.
with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

field_signals as (

    select * from {{ ref('int_contact_field_signals_unioned') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

calls as (

    select * from {{ ref('stg_calls') }}

),

scores as (

    select * from {{ ref('int_scores_accumulated') }}

),

deals as (

    select * from {{ ref('stg_deals') }}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

completed_orders as (

    select
        contact_id,
        ordered_at,
        row_number() over (
            partition by contact_id order by ordered_at, order_id
        ) as order_number
    from orders
    where is_completed

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
        'sql' as stage,
        'deal' as signal,
        3 as stage_rank,
        7 as signal_rank,
        min(created_at) as reached_at
    from deals
    group by contact_id

    union all

    select
        contact_id,
        'customer' as stage,
        'order' as signal,
        4 as stage_rank,
        9 as signal_rank,
        ordered_at as reached_at
    from completed_orders
    where order_number = 1

    union all

    select
        contact_id,
        'customer' as stage,
        'won_deal' as signal,
        4 as stage_rank,
        8 as signal_rank,
        min(closed_at) as reached_at
    from deals
    where is_won and closed_at is not null
    group by contact_id

    union all

    select
        contact_id,
        'promoter' as stage,
        'order' as signal,
        5 as stage_rank,
        9 as signal_rank,
        ordered_at as reached_at
    from completed_orders
    where order_number = 2

    union all

    select
        contact_id,
        'recycled' as stage,
        'lost_deal' as signal,
        7 as stage_rank,
        10 as signal_rank,
        min(closed_at) as reached_at
    from deals
    where closed_at is not null and coalesce(is_closed, true) and not coalesce(is_won, false)
    group by contact_id

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
