-- One row per dated column of the event tables: its first and last value (UTC). With
-- int_record_bounds_aggregated, what int_activity_bounds_aggregated takes the bounds of
-- the reporting calendar from.

{%- set dated = [
    ('stg_email_events', 'occurred_at'),
    ('stg_web_events', 'occurred_at'),
    ('stg_form_submissions', 'submitted_at'),
    ('stg_asset_downloads', 'downloaded_at'),
    ('stg_calls', 'started_at'),
    ('stg_score_events', 'occurred_at'),
    ('stg_campaign_actions', 'executed_at'),
] %}

with

{% for model, column in dated | unique(attribute=0) -%}
    {{ model }} as (

        select * from {{ ref(model) }}

    ),

{% endfor -%}
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

)

select * from final
