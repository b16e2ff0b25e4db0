with

raw_email_events as (

    select * from {{ marketing_kpis.raw_input('email_events') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('email_id') }} as email_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,

        -- attributes
        {{ marketing_kpis.clean_code('event_type') }} as event_type,
        {{ marketing_kpis.clean_text('url') }} as url,

        -- flags
        {{ marketing_kpis.to_boolean('is_machine_open') }} as is_machine_open,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('occurred_at') }} as occurred_at

    from raw_email_events

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
