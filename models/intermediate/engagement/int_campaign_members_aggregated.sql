-- One row per campaign with members: its members (distinct contacts who entered it) and
-- how many of them it ran an update_contact or change_segment action on, had an
-- identified web event strictly after joining, or downloaded an asset strictly after
-- joining (article 000; "after joining" is after the member's first entry).

with

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

campaign_actions as (

    select * from {{ ref('stg_campaign_actions') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

asset_downloads as (

    select * from {{ ref('stg_asset_downloads') }}

),

members as (

    select
        campaign_id,
        contact_id,
        min(added_at) as joined_at
    from campaign_members
    group by campaign_id, contact_id

),

updated_members as (

    select distinct
        members.campaign_id,
        members.contact_id
    from members
    inner join campaign_actions
        on
            members.campaign_id = campaign_actions.campaign_id
            and members.contact_id = campaign_actions.contact_id
    where campaign_actions.action_type in ('update_contact', 'change_segment')

),

-- "a web event strictly after joining" is "the contact's last web event is after
-- joining": one aggregate per contact instead of a join of every membership with every
-- event of the contact
last_web_events as (

    select
        contact_id,
        max(occurred_at) as last_occurred_at
    from web_events
    where contact_id is not null
    group by contact_id

),

last_downloads as (

    select
        contact_id,
        max(downloaded_at) as last_downloaded_at
    from asset_downloads
    where contact_id is not null
    group by contact_id

),

visiting_members as (

    select
        members.campaign_id,
        members.contact_id
    from members
    inner join last_web_events
        on
            members.contact_id = last_web_events.contact_id
            and members.joined_at < last_web_events.last_occurred_at

),

downloading_members as (

    select
        members.campaign_id,
        members.contact_id
    from members
    inner join last_downloads
        on
            members.contact_id = last_downloads.contact_id
            and members.joined_at < last_downloads.last_downloaded_at

),

final as (

    select
        members.campaign_id,
        count(*) as members,
        count(updated_members.contact_id) as updated_members,
        count(visiting_members.contact_id) as visiting_members,
        count(downloading_members.contact_id) as downloading_members
    from members
    left join updated_members
        on
            members.campaign_id = updated_members.campaign_id
            and members.contact_id = updated_members.contact_id
    left join visiting_members
        on
            members.campaign_id = visiting_members.campaign_id
            and members.contact_id = visiting_members.contact_id
    left join downloading_members
        on
            members.campaign_id = downloading_members.campaign_id
            and members.contact_id = downloading_members.contact_id
    group by members.campaign_id

)

select * from final
