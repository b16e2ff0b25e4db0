-- Emails ranked by open rate among those delivered to at least 50 contacts, with click
-- rates and, for originals, the open rate of the email and its resends together.

with

emails as (

    select * from {{ marketing_kpis.published(ref('mart_email_performance')) }}

),

final as (

    select
        email_id,
        email_name,
        campaign_id,
        parent_email_id,
        delivered,
        open_rate,
        click_rate,
        click_to_open_rate,
        family_open_rate,
        unsubscribes,
        rank() over (order by open_rate desc) as open_rate_rank

    from emails
    where delivered >= 50

)

select * from final
order by open_rate_rank
