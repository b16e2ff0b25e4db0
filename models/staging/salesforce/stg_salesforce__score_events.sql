-- score_events (only while var salesforce_score_field names a lead or contact field): the
-- marketing tool's score events, then the field history of that field (lead_history,
-- contact_history): delta = new_value - old_value (an empty old value is 0), rounded to a
-- whole number, at the history row's created_date, reason = the field name lower-cased.
-- Zero deltas are dropped (drop_reason 'zero', no warning); rows of a deleted or unknown
-- person are dropped and warned (drop_reason 'person'); a value that is no number makes
-- drop_reason 'value', warned.

{%- set score_field = (marketing_kpis.setting('salesforce_score_field') or '') | lower | trim %}

{{ config(
    enabled=(var('crm_system', 'none') or 'none') | lower | trim == 'salesforce'
        and var('salesforce_score_field', none) is not none,
    post_hook="{{ marketing_kpis.salesforce_warn(reasons={
    'person': 'the lead or contact of the score history row is deleted or not in the export',
    'value': 'the score history row holds a value that is not a number'}) }}") }}

with

people as (

    select * from {{ ref('stg_salesforce__people') }}

),

history as (

    select
        lead_id as salesforce_id,
        old_value,
        new_value,
        created_date
    from {{ marketing_kpis.salesforce_input('lead_history') }}
    where
        {{ marketing_kpis.salesforce_live() }}
        and lower(trim(field)) = '{{ score_field }}'
    union all
    select
        contact_id as salesforce_id,
        old_value,
        new_value,
        created_date
    from {{ marketing_kpis.salesforce_input('contact_history') }}
    where
        {{ marketing_kpis.salesforce_live() }}
        and lower(trim(field)) = '{{ score_field }}'

),

scored as (

    select
        people.contact_id,
        history.created_date as occurred_at,
        {{ marketing_kpis.to_integer(
            'round(coalesce(' ~ marketing_kpis.to_decimal(marketing_kpis.clean_text('history.new_value'))
            ~ ', 0) - coalesce(' ~ marketing_kpis.to_decimal(marketing_kpis.clean_text('history.old_value'))
            ~ ', 0))') }} as delta,
        case
            when people.contact_id is null then 'person'
            when
                ({{ marketing_kpis.clean_text('history.new_value') }} is not null
                 and {{ marketing_kpis.to_decimal(marketing_kpis.clean_text('history.new_value')) }} is null)
                or ({{ marketing_kpis.clean_text('history.old_value') }} is not null
                    and {{ marketing_kpis.to_decimal(marketing_kpis.clean_text('history.old_value')) }} is null)
                then 'value'
        end as problem
    from history
    left join people on history.salesforce_id = people.salesforce_id
    where history.salesforce_id is not null and history.created_date is not null

),

final as (

    select
        contact_id,
        delta,
        reason,
        occurred_at,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from {{ marketing_kpis.marketing_rows('score_events') }}
    union all
    select
        contact_id,
        {{ marketing_kpis.as_text('delta') }} as delta,
        '{{ score_field }}' as reason,
        {{ marketing_kpis.as_text('occurred_at') }} as occurred_at,
        coalesce(problem, case when delta = 0 then 'zero' end) as drop_reason
    from scored

)

select * from final
