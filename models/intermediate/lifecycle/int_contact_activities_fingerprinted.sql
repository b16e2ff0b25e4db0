-- One row per contact id of the contact activities (segment and campaign memberships,
-- form submissions): the sum of a 64-bit hash of each of its rows. See
-- int_contact_records_fingerprinted.

with

segment_members as (

    select * from {{ ref('stg_segment_members') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

hashed_rows as (

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'segment_member'", 'segment_id', 'added_at', 'removed_at',
        ]) }} as row_hash
    from segment_members

    union all

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'campaign_member'", 'campaign_id', 'added_at', 'removed_at',
        ]) }} as row_hash
    from campaign_members

    union all

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'form_submission'", 'submission_id', 'form_id', 'visitor_id', 'page_id',
            'campaign_id', 'submitted_at',
        ]) }} as row_hash
    from form_submissions

),

final as (

    select
        contact_id,
        cast(sum(row_hash) as {{ marketing_kpis.type_text() }}) as activities_fingerprint

    from hashed_rows
    where contact_id is not null
    group by contact_id

)

select * from final
