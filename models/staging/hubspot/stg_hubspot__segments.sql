-- HubSpot contact lists -> segments: lists of contacts only (object_type_id '0-1', or
-- null on older syncs), not deleted.

with

contact_lists as (

    select * from {{ marketing_kpis.hubspot_input('contact_list') }}

),

final as (

    select
        id as segment_id,
        coalesce(name, id) as segment_name,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from contact_lists
    where
        id is not null
        and not coalesce(_fivetran_deleted, false)
        and coalesce(trim(object_type_id), '0-1') = '0-1'

)

select * from final
