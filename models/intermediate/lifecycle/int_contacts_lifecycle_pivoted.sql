-- One row per contact: the first time it reached each lifecycle stage, the signal that
-- got it there, its first interaction and its source campaign (DESIGN.md sections 3, 4).
--
-- Stage dates are monotonic along lead -> mql -> sql -> customer -> promoter and
-- customer -> former_customer: a stage is reached at the first of its own signals and
-- of the signals of every later stage, so a contact whose first signal is an order is a
-- lead, mql, sql and customer at that moment. Choices where DESIGN.md is silent:
--   - a former customer was a customer: former_customer backfills customer (and so sql,
--     mql and lead) when no earlier customer signal exists;
--   - recycled backfills lead only (marketing can recycle a lead that never reached sql);
--     a lost deal counts for recycled only when it closed before the customer date;
--   - the *_signal columns name the signal that set the date; a backfilled stage names
--     the later stage's signal (lead_signal = 'order' for a first-order customer); ties
--     at one moment prefer the stage's own signals, then the order of DESIGN.md.
-- reopened: after recycled_at, the first email click, form submission, identified web
-- event or positive score delta (strictly after). first_interaction_at: the earliest of
-- created_at, an identified web event, a form submission, a call, an email open or
-- click, and a campaign entry. Source campaign: contacts.source_campaign_id when set,
-- else the campaign of the earliest touch at or before lead_at within var
-- attribution_lookback_days (ties: membership, form, call, web event, click, open, then
-- campaign id).

{%- set implied_stages = {
    'lead': ['lead'],
    'mql': ['lead', 'mql'],
    'sql': ['lead', 'mql', 'sql'],
    'customer': ['lead', 'mql', 'sql', 'customer'],
    'promoter': ['lead', 'mql', 'sql', 'customer', 'promoter'],
    'former_customer': ['lead', 'mql', 'sql', 'customer', 'former_customer'],
} %}
{%- set stage_rank = {
    'lead': 1, 'mql': 2, 'sql': 3, 'customer': 4, 'promoter': 5, 'former_customer': 6,
    'recycled': 7,
} %}
{%- set signal_rank = {
    'form': 1, 'call': 2, 'contact_type': 3, 'segment': 4, 'score': 5,
    'lifecycle_stage': 6, 'deal': 7, 'won_deal': 8, 'order': 9, 'lost_deal': 10,
} %}

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

signals as (

    select * from {{ ref('int_lifecycle_signals_unioned') }}

),

touches as (

    select * from {{ ref('int_touches_unioned') }}

),

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}

),

email_events as (

    select * from {{ ref('stg_email_events') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

form_submissions as (

    select * from {{ ref('stg_form_submissions') }}

),

calls as (

    select * from {{ ref('stg_calls') }}

),

campaign_members as (

    select * from {{ ref('stg_campaign_members') }}

),

score_events as (

    select * from {{ ref('stg_score_events') }}

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
                {{ stage_rank[signal_stage] }} as signal_stage_rank
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
        {{ stage_rank['recycled'] }} as signal_stage_rank
    from signals
    where stage = 'recycled' and signal = 'lifecycle_stage'
    union all
    select
        contact_id,
        'lead' as stage,
        signal,
        'recycled' as signal_stage,
        reached_at,
        {{ stage_rank['recycled'] }} as signal_stage_rank
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
                case signal
                    {%- for signal, rank in signal_rank.items() %}
                        when '{{ signal }}' then {{ rank }}
                    {%- endfor %}
                end
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

-- a lost deal recycles the lead when it closed before the customer date and before a
-- lifecycle_stage 'recycled'
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

stages as (

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

),

-- engagement after recycling: the first one strictly after recycled_at reopens the lead
recycled as (

    select
        contact_id,
        recycled_at
    from stages
    where recycled_at is not null

),

engagements_after_recycling as (

    select
        recycled.contact_id,
        'email_click' as signal,
        min(email_events.occurred_at) as engaged_at
    from recycled
    inner join email_events
        on
            recycled.contact_id = email_events.contact_id
            and email_events.event_type = 'clicked'
            and recycled.recycled_at < email_events.occurred_at
    group by recycled.contact_id

    union all

    select
        recycled.contact_id,
        'form' as signal,
        min(form_submissions.submitted_at) as engaged_at
    from recycled
    inner join form_submissions
        on
            recycled.contact_id = form_submissions.contact_id
            and recycled.recycled_at < form_submissions.submitted_at
    group by recycled.contact_id

    union all

    select
        recycled.contact_id,
        'web_visit' as signal,
        min(web_events.occurred_at) as engaged_at
    from recycled
    inner join web_events
        on
            recycled.contact_id = web_events.contact_id
            and recycled.recycled_at < web_events.occurred_at
    group by recycled.contact_id

    union all

    select
        recycled.contact_id,
        'score' as signal,
        min(score_events.occurred_at) as engaged_at
    from recycled
    inner join score_events
        on
            recycled.contact_id = score_events.contact_id
            and score_events.delta > 0
            and recycled.recycled_at < score_events.occurred_at
    group by recycled.contact_id

),

reopened as (

    select
        contact_id,
        engaged_at as reopened_at,
        signal as reopened_signal
    from (
        select
            contact_id,
            signal,
            engaged_at,
            row_number() over (
                partition by contact_id
                order by
                    engaged_at,
                    case signal
                        when 'email_click' then 1 when 'form' then 2
                        when 'web_visit' then 3 else 4
                    end
            ) as engagement_order
        from engagements_after_recycling
    ) as ordered_engagements
    where engagement_order = 1

),

-- first interaction
interactions as (

    select
        contact_id,
        min(occurred_at) as engaged_at
    from web_events
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        min(submitted_at) as engaged_at
    from form_submissions
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        min(started_at) as engaged_at
    from calls
    where contact_id is not null
    group by contact_id

    union all

    select
        contact_id,
        min(first_opened_at) as engaged_at
    from email_sends
    where first_opened_at is not null
    group by contact_id

    union all

    select
        contact_id,
        min(first_clicked_at) as engaged_at
    from email_sends
    where first_clicked_at is not null
    group by contact_id

    union all

    select
        contact_id,
        min(added_at) as engaged_at
    from campaign_members
    group by contact_id

),

first_interactions as (

    select
        contact_id,
        min(engaged_at) as first_interaction_at
    from interactions
    group by contact_id

),

-- source campaign: the earliest touch at or before the lead date, within the lookback
lead_touches as (

    select
        stages.contact_id,
        touches.campaign_id,
        touches.touch_type,
        row_number() over (
            partition by stages.contact_id
            order by touches.touched_at, touches.touch_type_rank, touches.campaign_id
        ) as touch_order
    from stages
    inner join touches
        on
            stages.contact_id = touches.contact_id
            and stages.lead_at >= touches.touched_at
            and touches.touched_at
            >= {{ dbt.dateadd(
                'day', -1 * marketing_kpis.setting('attribution_lookback_days'), 'stages.lead_at'
            ) }}

),

first_lead_touches as (

    select
        contact_id,
        campaign_id,
        touch_type
    from lead_touches
    where touch_order = 1

),

final as (

    select
        stages.contact_id,
        stages.created_at,
        case
            when
                first_interactions.first_interaction_at is null
                or stages.created_at < first_interactions.first_interaction_at
                then stages.created_at
            else first_interactions.first_interaction_at
        end as first_interaction_at,
        stages.lead_at,
        stages.lead_signal,
        stages.mql_at,
        stages.mql_signal,
        stages.sql_at,
        stages.sql_signal,
        stages.customer_at,
        stages.customer_signal,
        stages.promoter_at,
        stages.former_customer_at,
        stages.recycled_at,
        stages.recycled_signal,
        reopened.reopened_at,
        reopened.reopened_signal,
        coalesce(contacts.source_campaign_id, first_lead_touches.campaign_id)
            as source_campaign_id,
        case
            when contacts.source_campaign_id is not null then 'contact_field'
            when first_lead_touches.campaign_id is not null then 'first_touch'
        end as source_campaign_origin,
        {{ marketing_kpis.to_local_date('stages.created_at') }} as created_date,
        {{ marketing_kpis.to_local_date('stages.lead_at') }} as lead_date,
        {{ marketing_kpis.to_local_date('stages.mql_at') }} as mql_date,
        {{ marketing_kpis.to_local_date('stages.sql_at') }} as sql_date,
        {{ marketing_kpis.to_local_date('stages.customer_at') }} as customer_date,
        {{ marketing_kpis.to_local_date('stages.promoter_at') }} as promoter_date,
        {{ marketing_kpis.to_local_date('stages.former_customer_at') }} as former_customer_date,
        {{ marketing_kpis.to_local_date('stages.recycled_at') }} as recycled_date,
        {{ marketing_kpis.to_local_date('reopened.reopened_at') }} as reopened_date

    from stages
    inner join contacts
        on stages.contact_id = contacts.contact_id
    left join first_interactions
        on stages.contact_id = first_interactions.contact_id
    left join reopened
        on stages.contact_id = reopened.contact_id
    left join first_lead_touches
        on stages.contact_id = first_lead_touches.contact_id

)

select * from final
