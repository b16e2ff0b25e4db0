with

raw_score_events as (

    select * from {{ marketing_kpis.raw_input('score_events') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,

        -- attributes
        {{ marketing_kpis.clean_text('reason') }} as reason,

        -- numbers
        {{ marketing_kpis.to_integer('delta') }} as delta,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('occurred_at') }} as occurred_at

    from raw_score_events

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
