-- Mautic emails -> emails. campaign_id: the campaign whose 'email.send' action sends the
-- email (campaign_events.channel_id); the lowest campaign id when several campaigns send
-- it; an A/B variant no campaign sends itself is sent through its parent's action and
-- takes its parent's campaign; null for an email no campaign sends (a segment broadcast,
-- a form's email). parent_email_id is
-- variant_parent_id: an A/B variant belongs to its parent's family, as a resend does.
-- audience is the audience of the email's campaign (Mautic has none for emails).

with

emails as (

    select * from {{ marketing_kpis.mautic_input('emails') }}

),

campaign_events as (

    select * from {{ marketing_kpis.mautic_input('campaign_events') }}

),

campaigns as (

    select * from {{ ref('stg_mautic__campaigns') }}

),

sending_campaigns as (

    select
        channel_id as email_id,
        campaign_id,
        row_number() over (
            partition by channel_id
            order by {{ marketing_kpis.to_integer('campaign_id') }}, campaign_id
        ) as campaign_rank
    from campaign_events
    where
        lower(type) = 'email.send'
        and coalesce(lower(channel), 'email') = 'email'
        and channel_id is not null
        and campaign_id is not null

),

email_campaigns as (

    select
        emails.id as email_id,
        coalesce(own_campaigns.campaign_id, parent_campaigns.campaign_id) as campaign_id
    from emails
    left join sending_campaigns as own_campaigns
        on
            emails.id = own_campaigns.email_id
            and own_campaigns.campaign_rank = 1
    left join sending_campaigns as parent_campaigns
        on
            emails.variant_parent_id = parent_campaigns.email_id
            and parent_campaigns.campaign_rank = 1

),

final as (

    select
        emails.id as email_id,
        email_campaigns.campaign_id,
        emails.name as email_name,
        emails.subject,
        campaigns.audience,
        emails.variant_parent_id as parent_email_id,
        emails.date_added as created_at
    from emails
    inner join email_campaigns
        on emails.id = email_campaigns.email_id
    left join campaigns
        on email_campaigns.campaign_id = campaigns.campaign_id

)

select * from final
