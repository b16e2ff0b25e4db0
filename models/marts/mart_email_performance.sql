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

email_sends_daily as (

    select * from {{ ref('int_email_sends_aggregated_daily') }}

),

sends_per_email as (

    select
        email_id,
        sum(sends) as sends,
        sum(delivered) as delivered,
        sum(bounces) as bounces,
        sum(unique_opens) as unique_opens,
        sum(unique_clicks) as unique_clicks,
        sum(unsubscribes) as unsubscribes,
        min(first_sent_at) as first_sent_at
    from email_sends_daily
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

counts as (

    select
        all_emails.email_id,
        emails.email_name,
        email_families.campaign_id,
        email_families.parent_email_id,
        coalesce(email_families.root_email_id, all_emails.email_id) as root_email_id,
        email_families.audience,
        sends_per_email.first_sent_at,
        coalesce(sends_per_email.sends, 0) as sends,
        coalesce(sends_per_email.delivered, 0) as delivered,
        coalesce(sends_per_email.bounces, 0) as bounces,
        coalesce(sends_per_email.unique_opens, 0) as unique_opens,
        coalesce(sends_per_email.unique_clicks, 0) as unique_clicks,
        coalesce(sends_per_email.unsubscribes, 0) as unsubscribes,
        -- a resend's openers count in its original's family, not in a family of its own
        case
            when email_families.parent_email_id is null
                then coalesce(family_openers.family_unique_openers, 0)
        end as family_unique_openers
    from all_emails
    left join email_families
        on all_emails.email_id = email_families.email_id
    left join emails
        on all_emails.email_id = emails.email_id
    left join sends_per_email
        on all_emails.email_id = sends_per_email.email_id
    left join family_openers
        on all_emails.email_id = family_openers.root_email_id

),

final as (

    select
        email_id,
        email_name,
        campaign_id,
        parent_email_id,
        root_email_id,
        audience,
        first_sent_at,
        cast(sends as {{ dbt.type_bigint() }}) as sends,
        cast(delivered as {{ dbt.type_bigint() }}) as delivered,
        cast(bounces as {{ dbt.type_bigint() }}) as bounces,
        cast(unique_opens as {{ dbt.type_bigint() }}) as unique_opens,
        cast(unique_clicks as {{ dbt.type_bigint() }}) as unique_clicks,
        cast(unsubscribes as {{ dbt.type_bigint() }}) as unsubscribes,
        {{ marketing_kpis.kpi_ratio('open_rate') }} as open_rate,
        {{ marketing_kpis.kpi_ratio('open_rate_on_sends') }} as open_rate_on_sends,
        {{ marketing_kpis.kpi_ratio('click_rate') }} as click_rate,
        {{ marketing_kpis.kpi_ratio('click_to_open_rate') }} as click_to_open_rate,
        cast(family_unique_openers as {{ dbt.type_bigint() }}) as family_unique_openers,
        {{ marketing_kpis.kpi_ratio('family_open_rate') }} as family_open_rate

    from counts

)

select * from final
