-- One row: the first and the last activity of the whole export (any dated row of any raw
-- table but the campaigns' own launch and end dates), in UTC and as local dates of var
-- reporting_timezone. Reporting periods run from the first to the last activity.

{%- set dated = [
    ('stg_contacts', 'created_at'),
    ('stg_contact_changes', 'changed_at'),
    ('stg_campaign_members', 'added_at'),
    ('stg_campaign_actions', 'executed_at'),
    ('stg_segment_members', 'added_at'),
    ('stg_email_events', 'occurred_at'),
    ('stg_web_events', 'occurred_at'),
    ('stg_form_submissions', 'submitted_at'),
    ('stg_asset_downloads', 'downloaded_at'),
    ('stg_calls', 'started_at'),
    ('stg_score_events', 'occurred_at'),
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

bounds as (

    {%- for model, column in dated %}
        select
            min({{ column }}) as first_at,
            max({{ column }}) as last_at
        from {{ model }}
        union all
    {%- endfor %}
    -- costs are booked on dates: midnight UTC of that date
    select
        cast(min(cost_date) as {{ dbt.type_timestamp() }}) as first_at,
        cast(max(cost_date) as {{ dbt.type_timestamp() }}) as last_at
    from campaign_costs

),

overall as (

    select
        min(first_at) as first_activity_at,
        max(last_at) as last_activity_at
    from bounds

),

final as (

    select
        first_activity_at,
        last_activity_at,
        {{ marketing_kpis.to_local_date('first_activity_at') }} as first_activity_date,
        {{ marketing_kpis.to_local_date('last_activity_at') }} as last_activity_date

    from overall

)

select * from final
