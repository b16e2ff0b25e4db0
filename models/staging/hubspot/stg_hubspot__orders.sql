-- Orders in HubSpot input. For each portal: orders.csv beside the export when there is
-- one (contract format, contacts resolved through merges); otherwise, while var
-- hubspot_orders_from_won_deals is true, one completed order per won deal
-- (stg_hubspot__deals): order_id 'deal-<deal_id>', ordered_at = closed_at, amount,
-- currency = property_deal_currency_code. A won deal without an amount or a close date
-- makes no order (warned). So a contact with two won deals is a promoter.

-- depends_on: {{ ref('stg_hubspot__contact_identities') }}

{%- set portals_with_file = [] %}
{%- set portals_without_file = [] %}
{%- if execute %}
    {%- for portal in marketing_kpis.hubspot_portals() %}
        {%- set info = marketing_kpis.raw_input_info('orders', windowed=false, direct=true,
                                                     portal=portal) %}
        {%- if info.exists and not info.is_empty_file %}
            {%- do portals_with_file.append(portal) %}
        {%- else %}
            {%- do portals_without_file.append(portal) %}
        {%- endif %}
    {%- endfor %}
{%- endif %}
{%- set from_deals = marketing_kpis.setting('hubspot_orders_from_won_deals')
    and portals_without_file %}

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(reasons={
    'contact': marketing_kpis.hubspot_contact_drop_reasons().contact,
    'amount': 'a won deal without property_amount makes no order',
    'closed_at': 'a won deal without property_closedate makes no order'}) }}") }}

with

order_files as (

    {{ marketing_kpis.hubspot_contract_file('orders') }}

),

won_deals as (

    select * from {{ ref('stg_hubspot__deals') }}
    where
        is_won
        and drop_reason is null
    {%- if var('hubspot_portals', []) %}
        and ({% for portal in portals_without_file -%}
            deal_id like '{{ portal.name }}:%'{% if not loop.last %} or {% endif %}
        {%- endfor %})
        {%- endif %}

),

final as (

    select
        order_id,
        contact_id,
        cast(ordered_at as {{ dbt.type_string() }}) as ordered_at,
        cast(amount as {{ dbt.type_string() }}) as amount,
        currency,
        status,
        drop_reason
    from order_files
    {%- if from_deals %}
        union all
        select
            {{ marketing_kpis.hubspot_derived_id("'deal-'", 'deal_id') }} as order_id,
            contact_id,
            cast(closed_at as {{ dbt.type_string() }}) as ordered_at,
            cast(amount as {{ dbt.type_string() }}) as amount,
            currency,
            'completed' as status,
            case
                when amount is null then 'amount'
                when closed_at is null then 'closed_at'
            end as drop_reason
        from won_deals
    {%- endif %}

)

select * from final
