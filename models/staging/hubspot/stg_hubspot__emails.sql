-- HubSpot marketing emails (email_campaign) -> emails. campaign_id: the campaign of a
-- 'MARKETING_EMAIL' marketing_campaign_asset whose id is the email's content_id (the
-- lowest campaign id when several), else var hubspot_email_campaigns, else null.
-- audience: its campaign's (campaigns.csv beside the export). parent_email_id is always
-- null: HubSpot keeps no link from a resend to its original. created_at: the email's first
-- SENT event.

{%- set email_campaigns = marketing_kpis.setting('hubspot_email_campaigns') or {} %}

with

email_campaigns as (

    select * from {{ marketing_kpis.hubspot_input('email_campaign') }}
    where id is not null and not coalesce(_fivetran_deleted, false)

),

assets as (

    {{ marketing_kpis.hubspot_campaign_assets('MARKETING_EMAIL') }}

),

campaigns as (

    select * from {{ ref('stg_hubspot__campaigns') }}

),

first_sends as (

    -- every SENT event, whoever received it (stg_hubspot__email_events keeps them all)
    select
        email_id as email_campaign_id,
        min(occurred_at) as first_sent_at
    from {{ ref('stg_hubspot__email_events') }}
    where hubspot_type = 'SENT'
    group by email_id

),

linked as (

    select
        email_campaigns.id as email_id,
        coalesce(
            assets.campaign_id
            {%- if email_campaigns %},
            case email_campaigns.id
                {%- for email_id, campaign_id in email_campaigns.items() %}
                when {{ marketing_kpis.hubspot_portal_id_by_row(
                    "'" ~ email_id | string | trim ~ "'", 'email_campaigns.portal') }}
                    then {{ marketing_kpis.hubspot_portal_id_by_row(
                        "'" ~ campaign_id | string | trim ~ "'", 'email_campaigns.portal') }}
                {%- endfor %}
            end
            {%- endif %}
        ) as campaign_id,
        email_campaigns.name as email_name,
        email_campaigns.subject,
        first_sends.first_sent_at as created_at
    from email_campaigns
    left join assets
        on email_campaigns.content_id = assets.asset_id
    left join first_sends
        on email_campaigns.id = first_sends.email_campaign_id

),

final as (

    select
        linked.email_id,
        linked.campaign_id,
        linked.email_name,
        linked.subject,
        campaigns.audience,
        cast(null as {{ dbt.type_string() }}) as parent_email_id,
        linked.created_at,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from linked
    left join campaigns
        on linked.campaign_id = campaigns.campaign_id

)

select * from final
