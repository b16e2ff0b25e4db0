-- Cross-check: under every attribution model, the revenue credited to campaigns
-- (unattributed included) adds up to the revenue of completed orders of known contacts.

with

credited as (

    select
        attribution_model,
        sum(credit) as credited_revenue
    from {{ ref('mart_attribution') }}
    where
        conversion_type = 'revenue'
        and period_grain = '{{ marketing_kpis.setting('kpi_period_grains')[0] }}'
    group by attribution_model

),

orders as (

    select sum(orders.amount) as revenue
    from {{ ref('stg_orders') }} as orders
    inner join {{ ref('stg_contacts') }} as contacts
        on orders.contact_id = contacts.contact_id
    where orders.status = 'completed'

)

select
    credited.attribution_model,
    credited.credited_revenue,
    orders.revenue
from credited
cross join orders
where abs(credited.credited_revenue - orders.revenue) > 0.01
