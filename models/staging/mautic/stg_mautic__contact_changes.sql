-- Mautic field history -> contact_changes, identified leads only:
--   lifecycle_stage  every stage change (lead_stages_change_log with the stage's name);
--                    the stage names that mean mql, sql, customer and recycled are the
--                    vars mql_lifecycle_stages, sql_lifecycle_stages,
--                    customer_lifecycle_stages and recycled_lifecycle_stages
--   contact_type     every change of the leads column that var
--                    mautic_contact_fields.contact_type names, read from the audit log of
--                    leads (audit_log.details, PHP-serialized: s:<n>:"<field>";a:2:{i:0;
--                    <old>i:1;<new>}), where the new value is text or null
-- field_name is var lifecycle_stage_field / contact_type_field.

{%- set mautic_fields = marketing_kpis.setting('mautic_contact_fields') or {} %}
{%- set contact_type_column = (mautic_fields.get('contact_type') or '') | lower | trim %}

with

lead_stages_change_log as (

    select * from {{ marketing_kpis.mautic_input('lead_stages_change_log') }}

),

stages as (

    select * from {{ marketing_kpis.mautic_input('stages') }}

),

audit_log as (

    select * from {{ marketing_kpis.mautic_input('audit_log') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

stage_changes as (

    select
        lead_stages_change_log.lead_id as contact_id,
        lower('{{ marketing_kpis.setting('lifecycle_stage_field') }}') as field_name,
        lag(stages.name) over (
            partition by lead_stages_change_log.lead_id
            order by
                lead_stages_change_log.date_added,
                {{ marketing_kpis.to_integer('lead_stages_change_log.id') }}
        ) as old_value,
        stages.name as new_value,
        lead_stages_change_log.date_added as changed_at
    from lead_stages_change_log
    left join stages
        on lead_stages_change_log.stage_id = stages.id
    where lead_stages_change_log.date_added is not null

),

contact_type_changes as (

    {% if contact_type_column -%}
        select
            object_id as contact_id,
            lower('{{ marketing_kpis.setting('contact_type_field') }}') as field_name,
            {{ marketing_kpis.php_serialized_change('details', contact_type_column, 'old') }}
                as old_value,
            {{ marketing_kpis.php_serialized_change('details', contact_type_column, 'new') }}
                as new_value,
            date_added as changed_at
        from audit_log
        where
            lower(object) = 'lead'
            and date_added is not null
            and details like '%"{{ contact_type_column }}";a:2:%'
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as contact_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        cast(null as {{ dbt.type_string() }}) as old_value,
        cast(null as {{ dbt.type_string() }}) as new_value,
        cast(null as {{ dbt.type_timestamp() }}) as changed_at
    where 1 = 0
    {%- endif %}

),

changes as (

    select * from stage_changes
    union all
    select * from contact_type_changes

),

final as (

    select changes.*
    from changes
    inner join contacts
        on changes.contact_id = contacts.contact_id

)

select * from final
