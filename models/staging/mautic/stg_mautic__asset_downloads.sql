-- Mautic asset downloads -> asset_downloads, identified leads only. campaign_id: the
-- campaign that utm_campaign names (by id or by name), else the campaign of the email the
-- download came from.

with

asset_downloads as (

    select * from {{ marketing_kpis.mautic_input('asset_downloads') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

emails as (

    select * from {{ ref('stg_mautic__emails') }}

),

campaign_keys as (

    {{ marketing_kpis.mautic_campaign_keys() }}

),

final as (

    select
        asset_downloads.asset_id,
        contacts.contact_id,
        coalesce(campaign_keys.campaign_id, emails.campaign_id) as campaign_id,
        asset_downloads.date_download as downloaded_at
    from asset_downloads
    inner join contacts
        on asset_downloads.lead_id = contacts.contact_id
    left join campaign_keys
        on lower(trim(asset_downloads.utm_campaign)) = campaign_keys.campaign_key
    left join emails
        on asset_downloads.email_id = emails.email_id

)

select * from final
