-- HubSpot property history -> contact_changes:
--   lifecyclestage       field var lifecycle_stage_field; new_value = the project stage of
--                        var hubspot_lifecycle_stage_map, old_value = the mapped value of
--                        the contact's previous lifecyclestage row. A value mapped to null
--                        (subscriber, other) or empty is no stage: the row is dropped
--                        (drop_reason 'no_stage', no warning). A value the map does not
--                        list (a custom stage's id) is kept as is, lower-cased, and
--                        reported in a warning with its count (is_unknown).
--   the contact_type property named by var hubspot_contact_fields (when set): field var
--                        contact_type_field, values as HubSpot writes them.
-- History of a merged-away id belongs to its canonical contact; rows of an id that is no
-- kept contact are dropped with a warning.

{%- set stage_map = marketing_kpis.setting('hubspot_lifecycle_stage_map') or {} %}
{%- set contact_type_property = ((marketing_kpis.setting('hubspot_contact_fields') or {})
    .get('contact_type') or '') | lower | trim %}

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(
    reasons={'contact': marketing_kpis.hubspot_contact_drop_reasons().contact},
    unknown=('hubspot_value', 'lifecycle stage',
             'kept as a stage of its own (map it with var hubspot_lifecycle_stage_map)')) }}") }}

with

history as (

    select * from {{ marketing_kpis.hubspot_input('contact_property_history') }}
    where
        timestamp is not null
        and lower(
            name) in (
            'lifecyclestage'
            {%- if contact_type_property %}, '{{ contact_type_property }}'{% endif %}
        )

),

identities as (

    select * from {{ ref('stg_hubspot__contact_identities') }}

),

mapped as (

    select
        history.contact_id as hubspot_contact_id,
        identities.canonical_contact_id,
        lower(history.name) as property_name,
        lower(trim(history.value)) as hubspot_value,
        history.timestamp as changed_at,
        history.source_id,
        case
            when lower(history.name) <> 'lifecyclestage' then trim(history.value)
            {%- for hubspot_value, stage in stage_map.items() %}
                when lower(trim(history.value)) = '{{ hubspot_value | lower | trim }}'
                    then {{ "'" ~ stage | lower | trim ~ "'" if stage else 'null' }}
            {%- endfor %}
            else nullif(lower(trim(history.value)), '')
        end as mapped_value,
        lower(history.name) = 'lifecyclestage'
        and nullif(lower(trim(history.value)), '') is not null
        and lower(trim(history.value)) not in (
            {%- for hubspot_value in stage_map %}'{{ hubspot_value | lower | trim }}',
            {% endfor -%}
            ''
        ) as is_unknown
    from history
    left join identities
        on history.contact_id = identities.contact_id

),

sequenced as (

    select
        *,
        lag(mapped_value) over (
            partition by coalesce(canonical_contact_id, hubspot_contact_id), property_name
            order by changed_at, source_id, mapped_value
        ) as previous_value
    from mapped

),

final as (

    select
        coalesce(canonical_contact_id, hubspot_contact_id) as contact_id,
        case
            when property_name = 'lifecyclestage'
                then lower('{{ marketing_kpis.setting('lifecycle_stage_field') }}')
            else lower('{{ marketing_kpis.setting('contact_type_field') }}')
        end as field_name,
        previous_value as old_value,
        mapped_value as new_value,
        changed_at,
        hubspot_value,
        is_unknown,
        case
            when canonical_contact_id is null then 'contact'
            when property_name = 'lifecyclestage' and mapped_value is null then 'no_stage'
        end as drop_reason
    from sequenced

)

select * from final
