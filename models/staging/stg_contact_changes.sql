with

raw_contact_changes as (

    select * from {{ marketing_kpis.raw_input('contact_changes') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,

        -- attributes
        {{ marketing_kpis.clean_code('field_name') }} as field_name,
        {{ marketing_kpis.clean_text('old_value') }} as old_value,
        {{ marketing_kpis.clean_text('new_value') }} as new_value,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('changed_at') }} as changed_at

    from raw_contact_changes

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
