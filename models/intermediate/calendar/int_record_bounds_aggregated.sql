-- One row per dated column of the record tables (contacts and their changes,
-- memberships, deals, orders, costs): its first and last value (UTC; a cost date counts
-- as midnight UTC). With int_event_bounds_aggregated, what int_activity_bounds_aggregated
-- takes the bounds of the reporting calendar from.

{%- set dated = [
    ('stg_contacts', 'created_at'),
    ('stg_contact_changes', 'changed_at'),
    ('stg_campaign_members', 'added_at'),
    ('stg_segment_members', 'added_at'),
    ('stg_deals', 'created_at'),
    ('stg_deals', 'closed_at'),
    ('stg_orders', 'ordered_at'),
] %}

with

{% for model, column in dated | unique(attribute=0) -%}
    {{ model }} as (

        select * from {{ ref(model) }}

    ),

{% endfor -%}
campaign_costs as (

    select * from {{ ref('stg_campaign_costs') }}

),

final as (

    {%- for model, column in dated %}
        select
            '{{ model }}.{{ column }}' as dated_column,
            min({{ column }}) as first_at,
            max({{ column }}) as last_at
        from {{ model }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
    union all
    -- costs are booked on dates: midnight UTC of that date
    select
        'stg_campaign_costs.cost_date' as dated_column,
        cast(min(cost_date) as {{ dbt.type_timestamp() }}) as first_at,
        cast(max(cost_date) as {{ dbt.type_timestamp() }}) as last_at
    from campaign_costs

)

select * from final
