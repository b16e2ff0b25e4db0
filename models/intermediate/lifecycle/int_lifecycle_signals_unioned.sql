-- One row per contact, lifecycle stage and signal: the first time that signal was seen
-- (DESIGN.md section 3). Stages and their signals, each driven by the vars of
-- dbt_project.yml:
--   lead             form (first form submission), call (first call), contact_type (set to
--                    one of lead_contact_types), segment (entry into one of lead_segments)
--   mql              score (running score first >= mql_score_threshold),
--                    lifecycle_stage (set to one of mql_lifecycle_stages)
--   sql              deal (first deal created), lifecycle_stage (sql_lifecycle_stages)
--   customer         order (first completed order), won_deal (first won deal, at closed_at),
--                    contact_type (customer_contact_types), segment (customer_segments),
--                    lifecycle_stage (customer_lifecycle_stages, empty by default)
--   promoter         order (second completed order)
--   former_customer  contact_type (former_customer_contact_types)
--   recycled         lost_deal (first deal closed lost; int_contacts_lifecycle_pivoted keeps
--                    it only before the customer date), lifecycle_stage
--                    (recycled_lifecycle_stages)
-- "contact_type set to X" comes from contact_changes; a contact with no history row for
-- that field whose current contact_type is X counts as set at created_at.
-- Segment names and field values are compared trimmed and in lower case.

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

contact_changes as (

    select * from {{ ref('stg_contact_changes') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

calls as (

    select * from {{ ref('stg_calls') }}

),

segments as (

    select * from {{ ref('stg_segments') }}

),

segment_members as (

    select * from {{ ref('stg_segment_members') }}

),

scores as (

    select * from {{ ref('int_scores_accumulated') }}

),

deals as (

    select * from {{ ref('stg_deals') }}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

contact_type_history as (

    select
        contact_id,
        lower(new_value) as contact_type,
        changed_at as set_at
    from contact_changes
    where field_name = lower('{{ marketing_kpis.setting('contact_type_field') }}')

),

contact_types_without_history as (

    select
        contacts.contact_id,
        contacts.contact_type,
        contacts.created_at as set_at
    from contacts
    where
        contacts.contact_type is not null
        and not exists (
            select 1
            from contact_type_history
            where contact_type_history.contact_id = contacts.contact_id
        )

),

contact_types_set as (

    select * from contact_type_history
    union all
    select * from contact_types_without_history

),

lifecycle_stages_set as (

    select
        contact_id,
        lower(new_value) as lifecycle_stage,
        changed_at as set_at
    from contact_changes
    where field_name = lower('{{ marketing_kpis.setting('lifecycle_stage_field') }}')

),

segment_entries as (

    select
        segment_members.contact_id,
        lower(segments.segment_name) as segment_name,
        segment_members.added_at
    from segment_members
    inner join segments
        on segment_members.segment_id = segments.segment_id

),

completed_orders as (

    select
        contact_id,
        ordered_at,
        row_number() over (
            partition by contact_id order by ordered_at, order_id
        ) as order_number
    from orders
    where status = 'completed'

),

signals as (

    select
        contact_id,
        'lead' as stage,
        'form' as signal,
        min(submitted_at) as reached_at
    from form_submissions
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        'lead' as stage,
        'call' as signal,
        min(started_at) as reached_at
    from calls
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        'lead' as stage,
        'contact_type' as signal,
        min(set_at) as reached_at
    from contact_types_set
    where contact_type in {{ marketing_kpis.lower_literals(
        marketing_kpis.setting('lead_contact_types')) }}
    group by contact_id

    union all

    select
        contact_id,
        'lead' as stage,
        'segment' as signal,
        min(added_at) as reached_at
    from segment_entries
    where segment_name in {{ marketing_kpis.lower_literals(
        marketing_kpis.setting('lead_segments')) }}
    group by contact_id

    union all

    select
        contact_id,
        'mql' as stage,
        'score' as signal,
        min(valid_from) as reached_at
    from scores
    where score >= {{ marketing_kpis.setting('mql_score_threshold') }}
    group by contact_id

    union all

    select
        contact_id,
        'mql' as stage,
        'lifecycle_stage' as signal,
        min(set_at) as reached_at
    from lifecycle_stages_set
    where lifecycle_stage in {{ marketing_kpis.lower_literals(
        marketing_kpis.setting('mql_lifecycle_stages')) }}
    group by contact_id

    union all

    select
        contact_id,
        'sql' as stage,
        'deal' as signal,
        min(created_at) as reached_at
    from deals
    group by contact_id

    union all

    select
        contact_id,
        'sql' as stage,
        'lifecycle_stage' as signal,
        min(set_at) as reached_at
    from lifecycle_stages_set
    where lifecycle_stage in {{ marketing_kpis.lower_literals(
        marketing_kpis.setting('sql_lifecycle_stages')) }}
    group by contact_id

    union all

    select
        contact_id,
        'customer' as stage,
        'order' as signal,
        ordered_at as reached_at
    from completed_orders
    where order_number = 1

    union all

    select
        contact_id,
        'customer' as stage,
        'won_deal' as signal,
        min(closed_at) as reached_at
    from deals
    where is_won and closed_at is not null
    group by contact_id

    union all

    select
        contact_id,
        'customer' as stage,
        'contact_type' as signal,
        min(set_at) as reached_at
    from contact_types_set
    where contact_type in {{ marketing_kpis.lower_literals(
        marketing_kpis.setting('customer_contact_types')) }}
    group by contact_id

    union all

    select
        contact_id,
        'customer' as stage,
        'segment' as signal,
        min(added_at) as reached_at
    from segment_entries
    where segment_name in {{ marketing_kpis.lower_literals(
        marketing_kpis.setting('customer_segments')) }}
    group by contact_id

    union all

    select
        contact_id,
        'customer' as stage,
        'lifecycle_stage' as signal,
        min(set_at) as reached_at
    from lifecycle_stages_set
    where
        lifecycle_stage
        in {{ marketing_kpis.lower_literals(
            marketing_kpis.setting('customer_lifecycle_stages')) }}
    group by contact_id

    union all

    select
        contact_id,
        'promoter' as stage,
        'order' as signal,
        ordered_at as reached_at
    from completed_orders
    where order_number = 2

    union all

    select
        contact_id,
        'former_customer' as stage,
        'contact_type' as signal,
        min(set_at) as reached_at
    from contact_types_set
    where
        contact_type
        in {{ marketing_kpis.lower_literals(
            marketing_kpis.setting('former_customer_contact_types')) }}
    group by contact_id

    union all

    select
        contact_id,
        'recycled' as stage,
        'lost_deal' as signal,
        min(closed_at) as reached_at
    from deals
    where closed_at is not null and coalesce(is_closed, true) and not coalesce(is_won, false)
    group by contact_id

    union all

    select
        contact_id,
        'recycled' as stage,
        'lifecycle_stage' as signal,
        min(set_at) as reached_at
    from lifecycle_stages_set
    where
        lifecycle_stage
        in {{ marketing_kpis.lower_literals(
            marketing_kpis.setting('recycled_lifecycle_stages')) }}
    group by contact_id

),

final as (

    -- only contacts of the contacts table have a lifecycle
    select
        signals.contact_id,
        signals.stage,
        signals.signal,
        signals.reached_at

    from signals
    inner join contacts
        on signals.contact_id = contacts.contact_id
    where signals.reached_at is not null

)

select * from final
