-- One row per completed order (the orders that are revenue): its local order date, and
-- its contact's customer date and source campaign. What mart_revenue, the trailing-year
-- figures and the campaigns' sourced revenue read, so that "revenue" is one set of rows.

with

orders as (

    select * from {{ ref('stg_orders') }}

),

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

final as (

    select
        orders.order_id,
        orders.contact_id,
        orders.amount,
        orders.ordered_at,
        {{ marketing_kpis.to_local_date('orders.ordered_at') }} as order_date,
        lifecycle.customer_date,
        lifecycle.source_campaign_id,
        coalesce(lifecycle.source_campaign_id is not null, false) as has_source_campaign

    from orders
    left join lifecycle
        on orders.contact_id = lifecycle.contact_id
    where orders.is_completed

)

select * from final
