-- emails: the marketing tool's emails; an email without an audience of its own whose
-- campaign is a Salesforce campaign takes that campaign's audience (var
-- salesforce_campaign_attributes), as an email takes its campaign's audience in the
-- marketing tools' own modes.

{%- set attributes = marketing_kpis.setting('salesforce_campaign_attributes') or {} %}

with

marketing as (

    select * from {{ marketing_kpis.marketing_rows('emails') }}

),

final as (

    select
        email_id,
        campaign_id,
        email_name,
        subject,
        coalesce(
            {{ marketing_kpis.clean_text('audience') }},
            case
                when 1 = 0 then null
                {%- for campaign_id, values in attributes.items()
                    if (values or {}).get('audience') %}
                when {{ marketing_kpis.clean_text('campaign_id') }} = '{{ campaign_id }}'
                    then '{{ values.audience }}'
                {%- endfor %}
            end
        ) as audience,
        parent_email_id,
        created_at,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from marketing

)

select * from final
