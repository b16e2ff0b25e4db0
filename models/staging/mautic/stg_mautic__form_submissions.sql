-- Mautic form submissions -> form_submissions. contact_id is the lead when it is
-- identified; visitor_id the tracking id (the lead id when there is none). campaign_id:
-- the campaign that has the form as a source (campaign_form_xref), the lowest id when
-- several do.

with

form_submissions as (

    select * from {{ marketing_kpis.mautic_input('form_submissions') }}

),

campaign_form_xref as (

    select * from {{ marketing_kpis.mautic_input('campaign_form_xref') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

form_campaigns as (

    select
        form_id,
        campaign_id,
        row_number() over (
            partition by form_id
            order by {{ marketing_kpis.to_integer('campaign_id') }}, campaign_id
        ) as campaign_rank
    from campaign_form_xref
    where form_id is not null and campaign_id is not null

),

final as (

    select
        form_submissions.id as submission_id,
        form_submissions.form_id,
        contacts.contact_id,
        coalesce(form_submissions.tracking_id, form_submissions.lead_id) as visitor_id,
        form_submissions.page_id,
        form_campaigns.campaign_id,
        form_submissions.date_submitted as submitted_at
    from form_submissions
    left join contacts
        on form_submissions.lead_id = contacts.contact_id
    left join form_campaigns
        on
            form_submissions.form_id = form_campaigns.form_id
            and form_campaigns.campaign_rank = 1

)

select * from final
