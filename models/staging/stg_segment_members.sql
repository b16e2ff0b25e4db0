with

raw_segment_members as (

    select * from {{ marketing_kpis.raw_input('segment_members') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('segment_id') }} as segment_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('added_at') }} as added_at,
        {{ marketing_kpis.to_utc_timestamp('removed_at') }} as removed_at

    from raw_segment_members

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
