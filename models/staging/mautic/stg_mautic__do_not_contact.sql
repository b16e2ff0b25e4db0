{{ config(post_hook="{{ marketing_kpis.mautic_warn_unknown('reason',
    'do-not-contact reason', 'kept as dnc_type other, not as an email event') }}") }}

-- One row per Mautic do-not-contact record (lead_donotcontact), with its meaning:
-- reason 1 unsubscribed (by the contact), 2 bounced, 3 manual (set by a user); any other
-- reason is kept as `other` and reported in a warning with its count. For the email
-- channel, email_id is the email that caused it (channel_id) or, when Mautic did not
-- record one, the last email sent to the contact at or before the record.
-- stg_mautic__email_events turns the unsubscribed and bounced ones into email events.

with

lead_donotcontact as (

    select * from {{ marketing_kpis.mautic_input('lead_donotcontact') }}

),

email_stats as (

    select * from {{ marketing_kpis.mautic_input('email_stats') }}

),

records as (

    select
        id as do_not_contact_id,
        lead_id as contact_id,
        lower(coalesce(channel, 'email')) as channel,
        channel_id,
        reason,
        case reason
            when 1 then 'unsubscribed'
            when 2 then 'bounced'
            when 3 then 'manual'
            else 'other'
        end as dnc_type,
        date_added as occurred_at
    from lead_donotcontact
    where lead_id is not null

),

last_sends as (

    select
        records.do_not_contact_id,
        email_stats.email_id,
        row_number() over (
            partition by records.do_not_contact_id
            order by email_stats.date_sent desc, email_stats.email_id asc
        ) as send_rank
    from records
    inner join email_stats
        on
            records.contact_id = email_stats.lead_id
            and records.occurred_at >= email_stats.date_sent
    where records.channel = 'email' and records.channel_id is null

),

final as (

    select
        records.do_not_contact_id,
        records.contact_id,
        records.channel,
        case
            when records.channel = 'email'
                then coalesce(records.channel_id, last_sends.email_id)
        end as email_id,
        cast(records.reason as {{ dbt.type_string() }}) as reason,
        records.dnc_type,
        records.dnc_type = 'other' as is_unknown,
        records.occurred_at
    from records
    left join last_sends
        on
            records.do_not_contact_id = last_sends.do_not_contact_id
            and last_sends.send_rank = 1

)

select * from final
