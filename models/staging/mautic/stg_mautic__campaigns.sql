-- Mautic campaigns -> campaigns. launched_at / ended_at are publish_up / publish_down
-- (null when the campaign has no publish schedule). Mautic has no campaign type, audience
-- or channel: they come from var mautic_campaign_attributes (by campaign id); without an
-- entry, campaign_type is the title of the campaign's category and the other two are null.

{%- set attributes = marketing_kpis.setting('mautic_campaign_attributes') or {} %}

with

campaigns as (

    select * from {{ marketing_kpis.mautic_input('campaigns') }}

),

categories as (

    select * from {{ marketing_kpis.mautic_input('categories') }}

),

campaign_attributes as (

    {% for campaign_id, attribute in attributes.items() -%}
    select
        {{ marketing_kpis.string_literal(campaign_id | string | trim) }} as campaign_id,
        {{ marketing_kpis.string_literal(attribute.get('campaign_type')) }} as campaign_type,
        {{ marketing_kpis.string_literal(attribute.get('audience')) }} as audience,
        {{ marketing_kpis.string_literal(attribute.get('channel')) }} as channel
    {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            cast(null as {{ dbt.type_string() }}) as campaign_type,
            cast(null as {{ dbt.type_string() }}) as audience,
            cast(null as {{ dbt.type_string() }}) as channel
        where 1 = 0
    {%- endfor %}

),

final as (

    select
        campaigns.id as campaign_id,
        campaigns.name as campaign_name,
        coalesce(campaign_attributes.campaign_type, categories.title) as campaign_type,
        campaign_attributes.audience,
        campaign_attributes.channel,
        campaigns.publish_up as launched_at,
        campaigns.publish_down as ended_at
    from campaigns
    left join categories
        on campaigns.category_id = categories.id
    left join campaign_attributes
        on campaigns.id = campaign_attributes.campaign_id

)

select * from final
