-- Every HubSpot contact id the export names -> the kept contact it stands for.
-- Kept contacts: `contact` rows not deleted and not merged away. A merged-away id is one
-- listed in property_hs_merged_object_ids (';'-separated) of another contact row, or a
-- vid_to_merge of contact_merge_audit; merges are followed to the end of a chain (up to
-- 10 steps). canonical_contact_id is null when the id resolves to no kept contact (a
-- deleted contact, or one merged into a deleted contact): rows naming it are dropped,
-- with a warning, by the models that read this one.

{%- set max_chain = 10 %}
{%- set steps_latest_first = [] %}
{%- for step in range(max_chain, 0, -1) %}
    {%- do steps_latest_first.append('step_' ~ step ~ '.into_id') %}
{%- endfor %}
{%- set max_parts = 1 %}
{%- if execute %}
    {%- set counted = run_query(
        "select max(length(property_hs_merged_object_ids)"
        ~ " - length(replace(property_hs_merged_object_ids, ';', ''))) + 1 from "
        ~ marketing_kpis.hubspot_input('contact')) %}
    {%- set max_parts = counted.rows[0][0] or 1 %}
{%- endif %}

with

contact_rows as (

    -- one row per id (the latest synced, should an export hold an id twice)
    select
        contact_id,
        portal,
        email_key,
        created_at,
        merged_object_ids,
        is_deleted
    from (
        select
            id as contact_id,
            portal,
            lower(trim(property_email)) as email_key,
            property_createdate as created_at,
            property_hs_merged_object_ids as merged_object_ids,
            coalesce(_fivetran_deleted, false) as is_deleted,
            row_number() over (
                partition by id order by _fivetran_synced desc, _fivetran_deleted asc
            ) as sync_rank
        from {{ marketing_kpis.hubspot_input('contact') }}
        where id is not null
    ) as synced
    where sync_rank = 1

),

part_numbers as (

    {%- for part in range(1, max_parts + 1) %}
        select {{ part }} as part_number
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

listed_merges as (

    -- each id of a survivor's property_hs_merged_object_ids, with the survivor's portal
    select
        {{ marketing_kpis.hubspot_portal_id_by_row(
            'trim(split_part(contact_rows.merged_object_ids, \';\', part_numbers.part_number))',
            'contact_rows.portal') }} as merged_id,
        contact_rows.contact_id as into_id
    from contact_rows
    cross join part_numbers
    where
        contact_rows.merged_object_ids is not null
        and part_numbers.part_number
        <= length(contact_rows.merged_object_ids)
        - length(replace(contact_rows.merged_object_ids, ';', '')) + 1

),

audited_merges as (

    select
        vid_to_merge as merged_id,
        canonical_vid as into_id
    from {{ marketing_kpis.hubspot_input('contact_merge_audit') }}
    where vid_to_merge is not null and canonical_vid is not null

),

merge_edges as (

    select distinct
        merged_id,
        into_id
    from (
        select * from listed_merges
        union all
        select * from audited_merges
    ) as edges
    where merged_id is not null and merged_id <> '' and merged_id <> into_id

),

merged_ids as (

    select distinct merged_id from merge_edges

),

merge_targets as (

    -- one target per merged id: a target that is not itself merged away first
    select
        merged_id,
        into_id
    from (
        select
            merge_edges.merged_id,
            merge_edges.into_id,
            row_number() over (
                partition by merge_edges.merged_id
                order by
                    case when targets.merged_id is null then 0 else 1 end,
                    merge_edges.into_id
            ) as target_rank
        from merge_edges
        left join merged_ids as targets
            on merge_edges.into_id = targets.merged_id
    ) as ranked
    where target_rank = 1

),

all_ids as (

    select contact_rows.contact_id from contact_rows
    union
    select merge_targets.merged_id as contact_id from merge_targets

),

resolved as (

    -- the end of each id's merge chain (a join per step)
    select
        all_ids.contact_id,
        coalesce(
            {{ steps_latest_first | join(',\n            ') }},
            all_ids.contact_id
        ) as resolved_id
    from all_ids
    left join merge_targets as step_1
        on all_ids.contact_id = step_1.merged_id
    {%- for step in range(2, max_chain + 1) %}
        left join merge_targets as step_{{ step }}
            on step_{{ step - 1 }}.into_id = step_{{ step }}.merged_id
    {%- endfor %}

),

kept_contacts as (

    select contact_rows.contact_id
    from contact_rows
    left join merged_ids
        on contact_rows.contact_id = merged_ids.merged_id
    where not contact_rows.is_deleted and merged_ids.merged_id is null

),

final as (

    select
        resolved.contact_id,
        kept_contacts.contact_id as canonical_contact_id,
        contact_rows.portal,
        contact_rows.email_key,
        contact_rows.created_at,
        merged_ids.merged_id is not null as is_merged_away,
        coalesce(contact_rows.is_deleted, false) as is_deleted
    from resolved
    left join kept_contacts
        on resolved.resolved_id = kept_contacts.contact_id
    left join contact_rows
        on resolved.contact_id = contact_rows.contact_id
    left join merged_ids
        on resolved.contact_id = merged_ids.merged_id

)

select * from final
