with

raw_orders as (

    select * from {{ marketing_kpis.raw_input('orders') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('order_id') }} as order_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,

        -- attributes
        {{ marketing_kpis.clean_text('currency') }} as currency,
        {{ marketing_kpis.clean_code('status') }} as status,

        -- numbers
        {{ marketing_kpis.to_decimal('amount') }} as amount,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('ordered_at') }} as ordered_at

    from raw_orders

),

deduplicated as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

),

final as (

    select
        *,
        -- the one place that says which orders are revenue (DESIGN.md section 5)
        coalesce(status = 'completed', false) as is_completed
    from deduplicated

)

select * from final
