{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ marketing_kpis.refresh_scope_deleted() }}",
    )
}}

-- One row per contact: the first time it reached each lifecycle stage and the signal that
-- got it there (DESIGN.md section 3). Stage dates are monotonic along lead -> mql -> sql
-- -> customer -> promoter and customer -> former_customer: a stage is reached at the first
-- of its own signals and of the signals of every later stage, so a contact whose first
-- signal is an order is a lead, mql, sql and customer at that moment. Choices where
-- DESIGN.md is silent (DECISIONLOG.md):
--   - a former customer was a customer: former_customer backfills customer (and so sql,
--     mql and lead) when no earlier customer signal exists;
--   - recycled backfills lead only (marketing can recycle a lead that never reached sql);
--     a lost deal counts for recycled only when it closed before the customer date;
--   - the *_signal columns name the signal that set the date; a backfilled stage names
--     the later stage's signal (lead_signal = 'order' for a first-order customer); ties
--     at one moment prefer the stage's own signals, then the stage rank and the signal
--     rank each signal carries from int_lifecycle_signals_unioned.
-- Refreshes by contact (doc block int_contacts_refresh_scoped).

{#- the stages a signal of each stage implies (itself and the earlier ones) -#}
{%- set implied_stages = {
    'lead': ['lead'],
    'mql': ['lead', 'mql'],
    'sql': ['lead', 'mql', 'sql'],
    'customer': ['lead', 'mql', 'sql', 'customer'],
    'promoter': ['lead', 'mql', 'sql', 'customer', 'promoter'],
    'former_customer': ['lead', 'mql', 'sql', 'customer', 'former_customer'],
} %}

with

contacts as (

    select * from {{ ref('stg_contacts') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

signals as (

    select * from {{ ref('int_lifecycle_signals_unioned') }}
    where {{ marketing_kpis.in_refresh_scope('contact_id') }}

),

-- every signal counts for its own stage and for the earlier stages it implies
candidates as (

    {%- for signal_stage, stages in implied_stages.items() %}
        {%- for stage in stages %}
            select
                contact_id,
                '{{ stage }}' as stage,
                signal,
                '{{ signal_stage }}' as signal_stage,
                reached_at,
                stage_rank as signal_stage_rank,
                signal_rank
            from signals
            where stage = '{{ signal_stage }}'
            union all
        {%- endfor %}
    {%- endfor %}
    -- a recycled lead was a lead
    select
        contact_id,
        stage,
        signal,
        stage as signal_stage,
        reached_at,
        stage_rank as signal_stage_rank,
        signal_rank
    from signals
    where stage = 'recycled' and signal = 'lifecycle_stage'
    union all
    select
        contact_id,
        'lead' as stage,
        signal,
        'recycled' as signal_stage,
        reached_at,
        stage_rank as signal_stage_rank,
        signal_rank
    from signals
    where stage = 'recycled' and signal = 'lifecycle_stage'

),

ranked as (

    select
        contact_id,
        stage,
        signal,
        reached_at,
        row_number() over (
            partition by contact_id, stage
            order by
                reached_at,
                case when signal_stage = stage then 0 else 1 end,
                signal_stage_rank,
                signal_rank
        ) as signal_order
    from candidates

),

first_signals as (

    select
        contact_id,
        {%- for stage in ['lead', 'mql', 'sql', 'customer', 'promoter', 'former_customer',
                          'recycled'] %}
            min(case when stage = '{{ stage }}' then reached_at end) as {{ stage }}_at,
            min(case when stage = '{{ stage }}' then signal end) as {{ stage }}_signal,
        {%- endfor %}
        count(*) as candidate_signals
    from ranked
    where signal_order = 1
    group by contact_id

),

lost_deals as (

    select
        contact_id,
        reached_at as lost_deal_at
    from signals
    where stage = 'recycled' and signal = 'lost_deal'

),

lost_deals_qualified as (

    select
        first_signals.contact_id,
        lost_deals.lost_deal_at
    from first_signals
    inner join lost_deals
        on first_signals.contact_id = lost_deals.contact_id
    where
        (first_signals.customer_at is null or lost_deals.lost_deal_at < first_signals.customer_at)
        and (
            first_signals.recycled_at is null
            or lost_deals.lost_deal_at < first_signals.recycled_at
        )

),

final as (

    select
        contacts.contact_id,
        contacts.created_at,
        first_signals.lead_at,
        first_signals.lead_signal,
        first_signals.mql_at,
        first_signals.mql_signal,
        first_signals.sql_at,
        first_signals.sql_signal,
        first_signals.customer_at,
        first_signals.customer_signal,
        first_signals.promoter_at,
        first_signals.former_customer_at,
        coalesce(lost_deals_qualified.lost_deal_at, first_signals.recycled_at) as recycled_at,
        case
            when lost_deals_qualified.lost_deal_at is not null then 'lost_deal'
            else first_signals.recycled_signal
        end as recycled_signal

    from contacts
    left join first_signals
        on contacts.contact_id = first_signals.contact_id
    left join lost_deals_qualified
        on contacts.contact_id = lost_deals_qualified.contact_id

)

select * from final
