-- campaigns: the marketing tool's campaigns, then Salesforce's live campaigns:
-- campaign_id = id, campaign_name = name, campaign_type = type (lower-cased by staging),
-- audience and channel from var salesforce_campaign_attributes ({id: {audience,
-- channel}}, else null), launched_at = start_date at 00:00 and ended_at = end_date at
-- 23:59:59 in var reporting_timezone, as UTC (their local date is Salesforce's date).

{%- set attributes = marketing_kpis.setting('salesforce_campaign_attributes') or {} %}

with

salesforce_campaigns as (

    select
        id,
        max(name) as campaign_name,
        max(type) as campaign_type,
        max(start_date) as start_date,
        max(end_date) as end_date
    from {{ marketing_kpis.salesforce_input('campaign') }}
    where id is not null and {{ marketing_kpis.salesforce_live() }}
    group by id

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        audience,
        channel,
        launched_at,
        ended_at,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from {{ marketing_kpis.marketing_rows('campaigns') }}
    union all
    select
        id as campaign_id,
        campaign_name,
        campaign_type,
        case
            when 1 = 0 then null
            {%- for campaign_id, values in attributes.items() if (values or {}).get('audience') %}
            when id = '{{ campaign_id }}' then '{{ values.audience }}'
            {%- endfor %}
            else cast(null as {{ dbt.type_string() }})
        end as audience,
        case
            when 1 = 0 then null
            {%- for campaign_id, values in attributes.items() if (values or {}).get('channel') %}
            when id = '{{ campaign_id }}' then '{{ values.channel }}'
            {%- endfor %}
            else cast(null as {{ dbt.type_string() }})
        end as channel,
        {{ marketing_kpis.as_text(marketing_kpis.salesforce_local_day('start_date')) }}
            as launched_at,
        {{ marketing_kpis.as_text(
            marketing_kpis.salesforce_local_day('end_date', end_of_day=true)) }} as ended_at,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from salesforce_campaigns

)

select * from final
