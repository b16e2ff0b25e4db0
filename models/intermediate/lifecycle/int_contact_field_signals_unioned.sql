{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per contact, lifecycle stage and field signal (DESIGN.md section 3): the first
-- time a contact field or a segment said so. Each row carries its stage's rank and the
-- signal's rank, the order in which int_contacts_stages_pivoted breaks ties.
--   contact_type     set to one of lead_contact_types (lead), customer_contact_types
--                    (customer), former_customer_contact_types (former customer); from
--                    contact_changes, or, for a contact without history for that field,
--                    its current contact_type set at created_at
--   lifecycle_stage  set to one of lead_, mql_, sql_, customer_ or
--                    recycled_lifecycle_stages (HubSpot input adds 'lead' and 'customer')
--   segment          entry into one of lead_segments (lead) or customer_segments (customer)
-- Segment names and field values are compared trimmed and in lower case.
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

{#- (stage, its rank, the field values or segment names that signal it: a var) -#}
{%- set contact_type_stages = [
    ('lead', 1, marketing_kpis.setting('lead_contact_types')),
    ('customer', 4, marketing_kpis.setting('customer_contact_types')),
    ('former_customer', 6, marketing_kpis.setting('former_customer_contact_types')),
] %}
{%- set segment_stages = [
    ('lead', 1, marketing_kpis.setting('lead_segments')),
    ('customer', 4, marketing_kpis.setting('customer_segments')),
] %}
{%- set lifecycle_stage_stages = [
    ('lead', 1, marketing_kpis.lifecycle_stage_values('lead')),
    ('mql', 2, marketing_kpis.lifecycle_stage_values('mql')),
    ('sql', 3, marketing_kpis.lifecycle_stage_values('sql')),
    ('customer', 4, marketing_kpis.lifecycle_stage_values('customer')),
    ('recycled', 7, marketing_kpis.lifecycle_stage_values('recycled')),
] %}

with

contacts as (

    select * from {{ ref('stg_contacts') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

contact_changes as (

    select * from {{ ref('stg_contact_changes') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

segments as (

    select * from {{ ref('stg_segments') }}

),

segment_members as (

    select * from {{ ref('stg_segment_members') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

contact_type_history as (

    select
        contact_id,
        lower(new_value) as contact_type,
        changed_at as set_at
    from contact_changes
    where field_name = lower('{{ marketing_kpis.setting('contact_type_field') }}')

),

contact_types_without_history as (

    select
        contacts.contact_id,
        contacts.contact_type,
        contacts.created_at as set_at
    from contacts
    where
        contacts.contact_type is not null
        and not exists (
            select 1
            from contact_type_history
            where contact_type_history.contact_id = contacts.contact_id
        )

),

contact_types_set as (

    select * from contact_type_history
    union all
    select * from contact_types_without_history

),

lifecycle_stages_set as (

    select
        contact_id,
        lower(new_value) as lifecycle_stage,
        changed_at as set_at
    from contact_changes
    where field_name = lower('{{ marketing_kpis.setting('lifecycle_stage_field') }}')

),

segment_entries as (

    select
        segment_members.contact_id,
        lower(segments.segment_name) as segment_name,
        segment_members.added_at
    from segment_members
    inner join segments
        on segment_members.segment_id = segments.segment_id

),

final as (

    {%- for stage, stage_rank, values in contact_type_stages %}
        select
            contact_id,
            '{{ stage }}' as stage,
            'contact_type' as signal,
            {{ stage_rank }} as stage_rank,
            3 as signal_rank,
            min(set_at) as reached_at
        from contact_types_set
        where contact_type in {{ marketing_kpis.lower_literals(values) }}
        group by contact_id
        union all
    {%- endfor %}
    {%- for stage, stage_rank, values in segment_stages %}
        select
            contact_id,
            '{{ stage }}' as stage,
            'segment' as signal,
            {{ stage_rank }} as stage_rank,
            4 as signal_rank,
            min(added_at) as reached_at
        from segment_entries
        where segment_name in {{ marketing_kpis.lower_literals(values) }}
        group by contact_id
        union all
    {%- endfor %}
    {%- for stage, stage_rank, values in lifecycle_stage_stages %}
        select
            contact_id,
            '{{ stage }}' as stage,
            'lifecycle_stage' as signal,
            {{ stage_rank }} as stage_rank,
            6 as signal_rank,
            min(set_at) as reached_at
        from lifecycle_stages_set
        where
            lifecycle_stage
            in {{ marketing_kpis.lower_literals(values) }}
        group by contact_id
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

)

select * from final
