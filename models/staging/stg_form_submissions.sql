with

raw_form_submissions as (

    select * from {{ marketing_kpis.raw_input('form_submissions') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('submission_id') }} as submission_id,
        {{ marketing_kpis.clean_text('form_id') }} as form_id,
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,
        {{ marketing_kpis.clean_text('visitor_id') }} as visitor_id,
        {{ marketing_kpis.clean_text('page_id') }} as page_id,
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('submitted_at') }} as submitted_at

    from raw_form_submissions

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
