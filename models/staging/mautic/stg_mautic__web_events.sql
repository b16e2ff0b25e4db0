-- Mautic page hits -> web_events (page views). Every hit that is not a click through a
-- tracked link (redirect_id null) is a page view: a Mautic landing page (page_id set,
-- page_type landing_page) or a page of the tracked website (page_id null, page_type
-- other: Mautic cannot tell content from other pages). visitor_id is the tracking id of
-- the device (the lead id when there is none); contact_id is the lead when it is
-- identified, including its hits from before identification, as Mautic shows them on the
-- contact. campaign_id is the campaign that utm_campaign (in the hit's query or url)
-- names, by id or by name. Clicks through tracked links of emails are email events
-- (stg_mautic__email_events); other tracked-link clicks are not mapped (Mautic has no
-- CTA concept), so there are no cta_click events.

with

page_hits as (

    select * from {{ marketing_kpis.mautic_input('page_hits') }}

),

contacts as (

    select * from {{ ref('stg_mautic__contacts') }}

),

campaign_keys as (

    {{ marketing_kpis.mautic_campaign_keys() }}

),

page_views as (

    select
        id as event_id,
        coalesce(tracking_id, lead_id) as visitor_id,
        lead_id,
        page_id,
        url as page_url,
        {{ marketing_kpis.mautic_utm_campaign('query', 'url') }} as utm_campaign,
        date_hit as occurred_at
    from page_hits
    where redirect_id is null and date_hit is not null

),

final as (

    select
        page_views.event_id,
        page_views.visitor_id,
        contacts.contact_id,
        'page_view' as event_type,
        page_views.page_id,
        page_views.page_url,
        case when page_views.page_id is not null then 'landing_page' else 'other' end
            as page_type,
        cast(null as {{ dbt.type_string() }}) as cta_id,
        campaign_keys.campaign_id,
        page_views.occurred_at
    from page_views
    left join contacts
        on page_views.lead_id = contacts.contact_id
    left join campaign_keys
        on page_views.utm_campaign = campaign_keys.campaign_key

)

select * from final
