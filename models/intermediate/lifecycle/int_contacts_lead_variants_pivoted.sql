-- One row per contact with a moment for at least one of the four "new prospect" variants
-- of article 000 (DESIGN.md section 3), whatever the contact's actual lead signal:
--   first_form_at              first form submission (any form)
--   first_prospect_segment_at  first entry into a segment named in var lead_segments
--   first_prospect_campaign_at first entry into a campaign whose audience is 'prospect'
--   first_prospect_email_at    first send of an email whose audience is 'prospect'
-- with their local dates (var reporting_timezone).

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

segments as (

    select * from {{ ref('stg_segments') }}

),

segment_members as (

    select * from {{ ref('stg_segment_members') }}

),

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}

),

variants as (

    select
        contact_id,
        'form' as variant,
        min(submitted_at) as first_at
    from form_submissions
    where contact_id is not null
    group by contact_id

    union all

    select
        segment_members.contact_id,
        'segment' as variant,
        min(segment_members.added_at)
            as first_at
    from segment_members
    inner join segments
        on segment_members.segment_id = segments.segment_id
    where lower(segments.segment_name) in {{ marketing_kpis.lower_literals(
        marketing_kpis.setting('lead_segments')) }}
    group by segment_members.contact_id

    union all

    select
        campaign_members.contact_id,
        'campaign' as variant,
        min(campaign_members.added_at)
            as first_at
    from campaign_members
    inner join campaigns
        on campaign_members.campaign_id = campaigns.campaign_id
    where campaigns.audience = 'prospect'
    group by campaign_members.contact_id

    union all

    select
        contact_id,
        'email' as variant,
        min(sent_at) as first_at
    from email_sends
    where email_audience = 'prospect'
    group by contact_id

),

pivoted as (

    select
        contact_id,
        min(case when variant = 'form' then first_at end) as first_form_at,
        min(case when variant = 'segment' then first_at end) as first_prospect_segment_at,
        min(case when variant = 'campaign' then first_at end) as first_prospect_campaign_at,
        min(case when variant = 'email' then first_at end) as first_prospect_email_at
    from variants
    group by contact_id

),

final as (

    select
        pivoted.contact_id,
        pivoted.first_form_at,
        pivoted.first_prospect_segment_at,
        pivoted.first_prospect_campaign_at,
        pivoted.first_prospect_email_at,
        {{ marketing_kpis.to_local_date('pivoted.first_form_at') }} as first_form_date,
        {{ marketing_kpis.to_local_date('pivoted.first_prospect_segment_at') }}
            as first_prospect_segment_date,
        {{ marketing_kpis.to_local_date('pivoted.first_prospect_campaign_at') }}
            as first_prospect_campaign_date,
        {{ marketing_kpis.to_local_date('pivoted.first_prospect_email_at') }}
            as first_prospect_email_date

    from pivoted
    inner join contacts
        on pivoted.contact_id = contacts.contact_id

)

select * from final
