-- One row per email (lifetime): its sends, deliveries, unique opens and clicks,
-- unsubscribes and rates, and for an original email the open rate of its resend family:
-- contacts who opened it or one of its resends ("A + A bis") over its own delivered sends
-- (article 000); null on resend rows. Emails that were never sent are listed with 0.

with

email_families as (

    select * from {{ ref('int_email_families_resolved') }}

),

emails as (

    select * from {{ ref('stg_emails') }}

),

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}

),

sends_per_email as (

    select
        email_id,
        count(*) as sends,
        sum(case when is_delivered then 1 else 0 end) as delivered,
        sum(case when is_bounced then 1 else 0 end) as bounces,
        sum(case when is_opened then 1 else 0 end) as unique_opens,
        sum(case when is_clicked then 1 else 0 end) as unique_clicks,
        sum(case when is_unsubscribed then 1 else 0 end) as unsubscribes,
        min(sent_at) as first_sent_at
    from email_sends
    group by email_id

),

family_openers as (

    select
        root_email_id,
        count(distinct contact_id) as family_unique_openers
    from email_sends
    where is_opened
    group by root_email_id

),

-- every email of the export, and emails that only appear in email events
all_emails as (

    select email_id from email_families
    union
    select email_id from sends_per_email

),

final as (

    select
        all_emails.email_id,
        emails.email_name,
        email_families.campaign_id,
        email_families.parent_email_id,
        coalesce(email_families.root_email_id, all_emails.email_id) as root_email_id,
        email_families.audience,
        sends_per_email.first_sent_at,
        cast(coalesce(sends_per_email.sends, 0) as {{ dbt.type_bigint() }}) as sends,
        cast(coalesce(sends_per_email.delivered, 0) as {{ dbt.type_bigint() }}) as delivered,
        cast(coalesce(sends_per_email.bounces, 0) as {{ dbt.type_bigint() }}) as bounces,
        cast(coalesce(sends_per_email.unique_opens, 0) as {{ dbt.type_bigint() }})
            as unique_opens,
        cast(coalesce(sends_per_email.unique_clicks, 0) as {{ dbt.type_bigint() }})
            as unique_clicks,
        cast(coalesce(sends_per_email.unsubscribes, 0) as {{ dbt.type_bigint() }})
            as unsubscribes,
        {{ marketing_kpis.safe_divide('sends_per_email.unique_opens',
                                      'sends_per_email.delivered') }} as open_rate,
        {{ marketing_kpis.safe_divide('sends_per_email.unique_opens', 'sends_per_email.sends') }}
            as open_rate_on_sends,
        {{ marketing_kpis.safe_divide('sends_per_email.unique_clicks',
                                      'sends_per_email.delivered') }} as click_rate,
        {{ marketing_kpis.safe_divide('sends_per_email.unique_clicks',
                                      'sends_per_email.unique_opens') }} as click_to_open_rate,
        case
            when email_families.parent_email_id is null
                then cast(
                    coalesce(family_openers.family_unique_openers, 0)
                    as {{ dbt.type_bigint() }}
                )
        end as family_unique_openers,
        case
            when email_families.parent_email_id is null
                then {{ marketing_kpis.safe_divide(
                    'coalesce(family_openers.family_unique_openers, 0)',
                    'sends_per_email.delivered') }}
        end as family_open_rate

    from all_emails
    left join email_families
        on all_emails.email_id = email_families.email_id
    left join emails
        on all_emails.email_id = emails.email_id
    left join sends_per_email
        on all_emails.email_id = sends_per_email.email_id
    left join family_openers
        on all_emails.email_id = family_openers.root_email_id

)

select * from final
