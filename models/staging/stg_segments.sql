with

raw_segments as (

    select * from {{ marketing_kpis.raw_input('segments') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('segment_id') }} as segment_id,

        -- attributes
        {{ marketing_kpis.clean_text('segment_name') }} as segment_name

    from raw_segments

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
