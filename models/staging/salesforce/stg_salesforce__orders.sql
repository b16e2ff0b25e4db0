-- orders: a contract orders file (or table) of the marketing input, when there is one;
-- else, while var salesforce_orders_from_won_opportunities is true, one completed order
-- per won opportunity of stg_salesforce__deals: order_id 'opp-<id>', ordered_at =
-- closed_at, amount, currency = currency_iso_code. A won opportunity without an amount
-- makes no order (drop_reason 'amount', warned). Orders the marketing tool derives from
-- its own deals (HubSpot's won deals) go with those deals (drop_reason 'crm'); Salesforce
-- orders an orders file replaces stay here with drop_reason 'orders_file'.

{%- set has_file = marketing_kpis.marketing_file_exists('orders') %}
{%- set from_won = marketing_kpis.setting('salesforce_orders_from_won_opportunities') %}

{{ config(post_hook="{{ marketing_kpis.salesforce_warn(reasons={
    'amount': 'the won opportunity has no amount, so it makes no order'}) }}") }}

with

deals as (

    select * from {{ ref('stg_salesforce__deals') }}
    where drop_reason is null

),

currencies as (

    select
        id,
        max(currency_iso_code) as currency
    from {{ marketing_kpis.salesforce_input('opportunity') }}
    where id is not null and {{ marketing_kpis.salesforce_live() }}
    group by id

),

won as (

    select
        'opp-' || deals.deal_id as order_id,
        deals.contact_id,
        deals.closed_at as ordered_at,
        deals.amount,
        currencies.currency,
        'completed' as status,
        case
            when {{ 'true' if has_file else 'false' }} then 'orders_file'
            when {{ marketing_kpis.to_decimal('deals.amount') }} is null then 'amount'
        end as drop_reason
    from deals
    left join currencies on deals.deal_id = currencies.id
    where {{ marketing_kpis.to_boolean('deals.is_won') }}

),

final as (

    select
        order_id,
        contact_id,
        ordered_at,
        amount,
        currency,
        status,
        {{ 'cast(null as ' ~ dbt.type_string() ~ ')' if has_file else "'crm'" }} as drop_reason
    from {{ marketing_kpis.marketing_rows('orders') }}
    {%- if from_won %}
        union all
        select * from won
    {%- endif %}

)

select * from final
