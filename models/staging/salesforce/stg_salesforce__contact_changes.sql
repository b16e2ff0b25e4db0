-- contact_changes: the marketing tool's rows, then Salesforce field history (lead_history,
-- contact_history; Salesforce's own field history, not Fivetran's History Mode):
--   the field named by var salesforce_lifecycle_field (default Status) -> field var
--       lifecycle_stage_field, old_value and new_value through var
--       salesforce_lifecycle_stage_map (compared lower-cased; a value mapped to null is no
--       stage: null). A value the map does not list is kept lower-cased and reported in a
--       warning with its count (is_unknown).
--   the field named by var salesforce_contact_type_field (default none) -> field var
--       contact_type_field, values as Salesforce writes them.
--   Status at creation: field history logs changes, not a field's first value, so each
--       kept lead (not one merged into another) gets a row at its created_date with
--       old_value null and new_value its initial status: the old_value of its earliest
--       history row of the field, else its current value.
-- Each row goes to the contact_id of its lead or contact (stg_salesforce__people: a
-- converted lead's history is its contact's). Rows of a deleted lead or contact are
-- dropped (drop_reason 'person', warned); deleted history rows are left out.

{%- set lifecycle_field = (marketing_kpis.setting('salesforce_lifecycle_field') or '')
    | lower | trim %}
{%- set contact_type_field = (marketing_kpis.setting('salesforce_contact_type_field') or '')
    | lower | trim %}

{{ config(post_hook="{{ marketing_kpis.salesforce_warn(
    reasons={'person': 'the lead or contact of the history row is deleted or not in the export'},
    unknown=('salesforce_value', 'lead status',
             'kept as a stage of its own (map it with var salesforce_lifecycle_stage_map)')) }}") }}

with

people as (

    select * from {{ ref('stg_salesforce__people') }}

),

history as (

    select
        lead_id as salesforce_id,
        lower(trim(field)) as field,
        old_value,
        new_value,
        created_date
    from {{ marketing_kpis.salesforce_input('lead_history') }}
    where {{ marketing_kpis.salesforce_live() }}
    union all
    select
        contact_id as salesforce_id,
        lower(trim(field)) as field,
        old_value,
        new_value,
        created_date
    from {{ marketing_kpis.salesforce_input('contact_history') }}
    where {{ marketing_kpis.salesforce_live() }}

),

read_history as (

    select * from history
    where
        salesforce_id is not null
        and created_date is not null
        and field in ('{{ lifecycle_field }}', '{{ contact_type_field }}')

),

first_lifecycle as (

    select
        salesforce_id,
        old_value
    from (
        select
            salesforce_id,
            old_value,
            row_number() over (
                partition by salesforce_id order by created_date, old_value
            ) as history_rank
        from read_history
        where field = '{{ lifecycle_field }}'
    ) as ranked
    where history_rank = 1

),

leads as (

    select
        id,
        max(status) as status
    from {{ marketing_kpis.salesforce_input('lead') }}
    where id is not null and {{ marketing_kpis.salesforce_live() }} and master_record_id is null
    group by id

),

initial_status as (

    -- the status of each kept lead at its creation
    select
        people.salesforce_id,
        '{{ lifecycle_field }}' as field,
        cast(null as {{ dbt.type_string() }}) as old_value,
        {% if lifecycle_field == 'status' -%}
            coalesce(first_lifecycle.old_value, leads.status)
        {%- else -%}
        first_lifecycle.old_value
        {%- endif %} as new_value,
        people.created_at as created_date
    from people
    inner join leads on people.salesforce_id = leads.id
    left join first_lifecycle on people.salesforce_id = first_lifecycle.salesforce_id
    where people.drop_reason is null and people.salesforce_object = 'lead'

),

salesforce_rows as (

    select * from read_history
    union all
    select * from initial_status
    where new_value is not null

),

salesforce_changes as (

    select
        people.contact_id,
        case
            when salesforce_rows.field = '{{ lifecycle_field }}'
                then lower('{{ marketing_kpis.setting('lifecycle_stage_field') }}')
            else lower('{{ marketing_kpis.setting('contact_type_field') }}')
        end as field_name,
        case
            when salesforce_rows.field = '{{ lifecycle_field }}'
                then {{ marketing_kpis.salesforce_stage('salesforce_rows.old_value') }}
            else salesforce_rows.old_value
        end as old_value,
        case
            when salesforce_rows.field = '{{ lifecycle_field }}'
                then {{ marketing_kpis.salesforce_stage('salesforce_rows.new_value') }}
            else salesforce_rows.new_value
        end as new_value,
        salesforce_rows.created_date as changed_at,
        lower(trim(salesforce_rows.new_value)) as salesforce_value,
        salesforce_rows.field = '{{ lifecycle_field }}'
        and {{ marketing_kpis.salesforce_stage_is_unknown('salesforce_rows.new_value') }}
            as is_unknown,
        case when people.contact_id is null then 'person' end as drop_reason
    from salesforce_rows
    left join people on salesforce_rows.salesforce_id = people.salesforce_id

),

final as (

    select
        contact_id,
        field_name,
        old_value,
        new_value,
        changed_at,
        cast(null as {{ dbt.type_string() }}) as salesforce_value,
        false as is_unknown,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from {{ marketing_kpis.marketing_rows('contact_changes') }}
    union all
    select
        contact_id,
        field_name,
        old_value,
        new_value,
        {{ marketing_kpis.as_text('changed_at') }} as changed_at,
        salesforce_value,
        is_unknown,
        drop_reason
    from salesforce_changes

)

select * from final
