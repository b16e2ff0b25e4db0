with

raw_emails as (

    select * from {{ marketing_kpis.raw_input('emails') }}

),

normalized as (

    select
        -- ids
        {{ marketing_kpis.clean_text('email_id') }} as email_id,
        {{ marketing_kpis.clean_text('campaign_id') }} as campaign_id,
        {{ marketing_kpis.clean_text('parent_email_id') }} as parent_email_id,

        -- attributes
        {{ marketing_kpis.clean_text('email_name') }} as email_name,
        {{ marketing_kpis.clean_text('subject') }} as subject,
        {{ marketing_kpis.clean_code('audience') }} as audience,

        -- dates and UTC timestamps
        {{ marketing_kpis.to_utc_timestamp('created_at') }} as created_at

    from raw_emails

),

final as (

    -- exact duplicate rows of the export are collapsed
    select distinct * from normalized

)

select * from final
