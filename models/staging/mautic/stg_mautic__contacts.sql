-- Mautic leads -> contacts. Only identified leads (date_identified set) are contacts; an
-- anonymous lead is a visitor, whose page hits become web events without a contact.
-- created_at is date_identified: the moment Mautic knew who the lead is (date_added is
-- the first anonymous visit of a lead identified later). contact_type, lead_source and
-- source_campaign_id are custom fields, read from the leads columns named in var
-- mautic_contact_fields.

{%- set fields = marketing_kpis.setting('mautic_contact_fields') or {} %}
{%- set field_columns = [] %}
{%- for contract_column in ['contact_type', 'lead_source', 'source_campaign_id'] %}
    {%- do field_columns.append((fields.get(contract_column) or '') | lower | trim) %}
{%- endfor %}

with

leads as (

    select * from {{ marketing_kpis.mautic_input('leads', extra_columns=field_columns) }}

),

final as (

    select
        id as contact_id,
        email,
        date_identified as created_at,
        {% for column in field_columns -%}
            {{ adapter.quote(column) if column else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
                as {{ ['contact_type', 'lead_source', 'source_campaign_id'][loop.index0] }},
        {% endfor -%}
        company,
        country
    from leads
    where date_identified is not null

)

select * from final
