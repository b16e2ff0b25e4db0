-- One row per email, with the root of its resend family: an original is its own root, a
-- resend ("A bis") points to its original through parent_email_id, a resend of a resend
-- to the original's original. Chains up to five resends deep are followed (a data test
-- fails on a deeper one); a parent missing from the export is taken as the root.

with

emails as (

    select * from {{ ref('stg_emails') }}

),

chains as (

    select
        emails.email_id,
        emails.campaign_id,
        emails.audience,
        emails.parent_email_id,
        emails.created_at,
        parent_1.parent_email_id as grandparent_email_id,
        parent_2.parent_email_id as ancestor_3_email_id,
        parent_3.parent_email_id as ancestor_4_email_id,
        parent_4.parent_email_id as ancestor_5_email_id,
        parent_5.parent_email_id as ancestor_6_email_id

    from emails
    left join emails as parent_1 on emails.parent_email_id = parent_1.email_id
    left join emails as parent_2 on parent_1.parent_email_id = parent_2.email_id
    left join emails as parent_3 on parent_2.parent_email_id = parent_3.email_id
    left join emails as parent_4 on parent_3.parent_email_id = parent_4.email_id
    left join emails as parent_5 on parent_4.parent_email_id = parent_5.email_id

),

final as (

    select
        email_id,
        campaign_id,
        audience,
        parent_email_id,
        coalesce(
            ancestor_5_email_id,
            ancestor_4_email_id,
            ancestor_3_email_id,
            grandparent_email_id,
            parent_email_id,
            email_id
        ) as root_email_id,
        case
            when parent_email_id is null then 0
            when grandparent_email_id is null then 1
            when ancestor_3_email_id is null then 2
            when ancestor_4_email_id is null then 3
            when ancestor_5_email_id is null then 4
            else 5
        end as resend_depth,
        ancestor_6_email_id is not null as is_chain_truncated,
        created_at

    from chains

)

select * from final
