-- Mautic segments (lead_lists) -> segments.

with

lead_lists as (

    select * from {{ marketing_kpis.mautic_input('lead_lists') }}

),

final as (

    select
        id as segment_id,
        coalesce(name, alias, id) as segment_name
    from lead_lists

)

select * from final
