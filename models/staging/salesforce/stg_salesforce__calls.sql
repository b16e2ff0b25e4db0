-- calls: the marketing tool's rows, then Salesforce's call tasks (task_subtype 'Call' or
-- type 'Call', any case): call_id = the task id, contact = the person of who_id (null when
-- the task names nobody), started_at = completed_date_time, else created_date,
-- duration_seconds = call_duration_in_seconds, campaign_id = what_id when it is the id of
-- a live campaign. Tasks whose who_id is a deleted or unknown lead or contact are dropped
-- and warned (drop_reason 'person'); deleted tasks are left out.

{{ config(post_hook="{{ marketing_kpis.salesforce_warn(reasons={
    'person': 'the lead or contact (who_id) of the call task is deleted or not in the export',
    'time': 'the call task has neither completed_date_time nor created_date'}) }}") }}

with

people as (

    select * from {{ ref('stg_salesforce__people') }}
    where drop_reason is null

),

campaigns as (

    {{ marketing_kpis.salesforce_campaign_ids() }}

),

tasks as (

    select * from {{ marketing_kpis.salesforce_input('task') }}
    where
        id is not null
        and {{ marketing_kpis.salesforce_live() }}
        and (lower(trim(task_subtype)) = 'call' or lower(trim(type)) = 'call')

),

salesforce_calls as (

    select distinct
        tasks.id as call_id,
        people.contact_id,
        campaigns.id as campaign_id,
        coalesce(tasks.completed_date_time, tasks.created_date) as started_at,
        {{ marketing_kpis.to_integer('round(tasks.call_duration_in_seconds)') }}
            as duration_seconds,
        case
            when tasks.who_id is not null and people.contact_id is null then 'person'
            when coalesce(tasks.completed_date_time, tasks.created_date) is null then 'time'
        end as drop_reason
    from tasks
    left join people on tasks.who_id = people.salesforce_id
    left join campaigns on tasks.what_id = campaigns.id

),

final as (

    select
        call_id,
        contact_id,
        campaign_id,
        started_at,
        duration_seconds,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from {{ marketing_kpis.marketing_rows('calls') }}
    union all
    select
        call_id,
        contact_id,
        campaign_id,
        {{ marketing_kpis.as_text('started_at') }} as started_at,
        {{ marketing_kpis.as_text('duration_seconds') }} as duration_seconds,
        drop_reason
    from salesforce_calls

)

select * from final
