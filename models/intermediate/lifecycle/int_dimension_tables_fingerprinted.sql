-- One row: the sum of a 64-bit hash of each row of the tables every contact's lifecycle
-- and touches may read through a join (emails: campaign, audience, family; campaigns:
-- audience; segments: name). A change in any of them refreshes every contact (see
-- int_contacts_refresh_scoped): they are small and seldom change.

with

emails as (

    select * from {{ ref('stg_emails') }}

),

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

segments as (

    select * from {{ ref('stg_segments') }}

),

hashed_rows as (

    select
        {{ marketing_kpis.row_hash_number([
            "'email'", 'email_id', 'campaign_id', 'parent_email_id', 'email_name', 'subject',
            'audience', 'created_at',
        ]) }} as row_hash
    from emails

    union all

    select
        {{ marketing_kpis.row_hash_number([
            "'campaign'", 'campaign_id', 'campaign_name', 'campaign_type', 'audience',
            'channel', 'launched_at', 'ended_at',
        ]) }} as row_hash
    from campaigns

    union all

    select
        {{ marketing_kpis.row_hash_number(["'segment'", 'segment_id', 'segment_name']) }}
            as row_hash
    from segments

),

final as (

    -- 0 when the three tables are empty
    select
        cast(coalesce(sum(row_hash), 0) as {{ marketing_kpis.type_text() }})
            as dimensions_fingerprint

    from hashed_rows

)

select * from final
