-- One row per conversion to attribute: each contact's lead, mql and customer moments
-- (value 1), and each completed order (value = its amount, conversion_type 'revenue').

with

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

conversions as (

    {%- for stage in ['lead', 'mql', 'customer'] %}
        select
            '{{ stage }}' as conversion_type,
            contact_id as conversion_id,
            contact_id,
            {{ stage }}_at as converted_at,
            cast(1 as {{ dbt.type_numeric() }}) as conversion_value
        from lifecycle
        where {{ stage }}_at is not null

        union all
    {%- endfor %}

    select
        'revenue' as conversion_type,
        orders.order_id as conversion_id,
        orders.contact_id,
        orders.ordered_at as converted_at,
        cast(orders.amount as {{ dbt.type_numeric() }}) as conversion_value
    from orders
    inner join lifecycle
        on orders.contact_id = lifecycle.contact_id
    where orders.is_completed

),

final as (

    select
        conversion_type,
        conversion_id,
        contact_id,
        converted_at,
        {{ marketing_kpis.to_local_date('converted_at') }} as converted_date,
        conversion_value

    from conversions

)

select * from final
