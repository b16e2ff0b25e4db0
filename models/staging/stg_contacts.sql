with

raw_contacts as (

    select * from {{ marketing_kpis.raw_input('contacts') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,
        {{ marketing_kpis.clean_text('source_campaign_id') }} as source_campaign_id,

        -- attributes
        {{ marketing_kpis.clean_code('email') }} as email,
        {{ marketing_kpis.clean_code('contact_type') }} as contact_type,
        {{ marketing_kpis.clean_code('lead_source') }} as lead_source,
        {{ marketing_kpis.clean_text('company') }} as company,
        {{ marketing_kpis.clean_text('country') }} as country,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('created_at') }} as created_at

    from raw_contacts

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
