-- HubSpot form submissions (contact_form_submission) -> form_submissions. submission_id =
-- conversion_id (when null: '<form_id>-<contact_id>-<timestamp>'), submitted_at =
-- timestamp, visitor_id null (Fivetran syncs no visitor cookie), campaign_id from a 'FORM'
-- marketing_campaign_asset of the form (the lowest campaign id when several), else null.
-- The contact resolves to its canonical contact; a submission whose contact is no kept
-- contact is dropped with a warning.

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(reasons={
    'contact': marketing_kpis.hubspot_contact_drop_reasons().contact,
    'time': 'the submission has no timestamp'}) }}") }}

with

submissions as (

    select * from {{ marketing_kpis.hubspot_input('contact_form_submission') }}

),

form_assets as (

    {{ marketing_kpis.hubspot_campaign_assets('FORM') }}

),

identities as (

    select * from {{ ref('stg_hubspot__contact_identities') }}

),

final as (

    select
        coalesce(
            {{ marketing_kpis.hubspot_portal_id_by_row('trim(submissions.conversion_id)',
                                                       'submissions.portal') }},
            submissions.form_id || '-' || submissions.contact_id || '-'
            || cast(submissions.timestamp as {{ dbt.type_string() }})
        ) as submission_id,
        submissions.form_id,
        coalesce(identities.canonical_contact_id, submissions.contact_id) as contact_id,
        cast(null as {{ dbt.type_string() }}) as visitor_id,
        submissions.page_id,
        form_assets.campaign_id,
        submissions.timestamp as submitted_at,
        case
            when identities.canonical_contact_id is null then 'contact'
            when submissions.timestamp is null then 'time'
        end as drop_reason
    from submissions
    left join form_assets
        on submissions.form_id = form_assets.asset_id
    left join identities
        on submissions.contact_id = identities.contact_id

)

select * from final
