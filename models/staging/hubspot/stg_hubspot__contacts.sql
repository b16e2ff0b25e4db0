-- HubSpot contacts -> contacts: the kept contacts (not deleted, not merged away; see
-- stg_hubspot__contact_identities). created_at is property_createdate; contact_type,
-- lead_source and source_campaign_id come from the contact properties named in var
-- hubspot_contact_fields (column property_<name>; lead_source is lower-cased by staging).

{%- set fields = marketing_kpis.setting('hubspot_contact_fields') or {} %}
{%- set contract_columns = ['contact_type', 'lead_source', 'source_campaign_id'] %}
{%- set property_columns = [] %}
{%- for contract_column in contract_columns %}
    {%- set name = (fields.get(contract_column) or '') | lower | trim %}
    {%- do property_columns.append('property_' ~ name if name else '') %}
{%- endfor %}

with

contact_rows as (

    select * from {{ marketing_kpis.hubspot_input('contact', property_columns=property_columns) }}

),

identities as (

    select * from {{ ref('stg_hubspot__contact_identities') }}

),

final as (

    select
        contact_rows.id as contact_id,
        contact_rows.property_email as email,
        contact_rows.property_createdate as created_at,
        {% for column in property_columns -%}
            {% if column and contract_columns[loop.index0] == 'source_campaign_id' -%}
                {{ marketing_kpis.hubspot_portal_id_by_row(
                    'trim(' ~ adapter.quote(column) ~ ')', 'contact_rows.portal') }}
            {%- elif column -%}
                {{ adapter.quote(column) }}
            {%- else -%}
                cast(null as {{ dbt.type_string() }})
            {%- endif %} as {{ contract_columns[loop.index0] }},
        {% endfor -%}
        contact_rows.property_company as company,
        contact_rows.property_country as country,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from contact_rows
    inner join identities
        on
            contact_rows.id = identities.contact_id
            and identities.canonical_contact_id = identities.contact_id

)

select * from final
