{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per contact id, lifecycle stage and CRM signal (DESIGN.md section 3): the first
-- time its deals or completed orders said so, with the ranks of its stage and signal (as
-- int_contact_field_signals_unioned): deal (sql, at created_at), won_deal (customer, at
-- closed_at), order (customer at the first completed order, promoter at the second),
-- lost_deal (recycled: a deal closed and not won, at closed_at). Every contact id of the
-- deals and orders: int_lifecycle_signals_unioned keeps those of the contacts table.
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

with

deals as (

    select * from {{ ref('stg_deals') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

orders as (

    select * from {{ ref('stg_orders') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

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

final as (

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

)

select * from final
