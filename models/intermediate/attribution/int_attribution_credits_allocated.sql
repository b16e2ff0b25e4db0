{{
    config(
        materialized=marketing_kpis.contact_model_materialization(),
        incremental_strategy='delete+insert',
        unique_key='contact_id',
        on_schema_change='fail',
        post_hook="{{ marketing_kpis.attribution_stale_credits_deleted() }}",
    )
}}

-- One row per conversion, attribution model and credited campaign (doc block
-- int_attribution_credits_allocated: the five models, lookback, ties, the incremental
-- refresh by contact fingerprint; unique_key is a string so that dbt deletes with `in`).
-- credit sums to 1 over the campaigns of one conversion and model.

{%- set edge = marketing_kpis.setting('position_based_edge_share') %}
{%- set half_life = marketing_kpis.setting('attribution_half_life_days') %}
{%- set touch_age_days = marketing_kpis.local_days_between(
    'touches.touched_at', 'conversions.converted_at') %}

with

all_conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

touches as (

    select * from {{ ref('int_touches_unioned') }}

),

fingerprints as (

    select * from {{ ref('int_attribution_inputs_fingerprinted') }}

),

-- the conversions to credit with their contact's fingerprint: all, or on an incremental
-- run those of contacts whose fingerprint is not the one their rows were computed from
conversions as (

    select
        all_conversions.*,
        fingerprints.inputs_fingerprint
    from all_conversions
    inner join fingerprints
        on all_conversions.contact_id = fingerprints.contact_id
    {%- if is_incremental() %}
        where not exists (
            select 1
            from {{ this }} as previous
            where
                previous.contact_id = fingerprints.contact_id
                and previous.inputs_fingerprint = fingerprints.inputs_fingerprint
        )
    {%- endif %}

),

eligible_touches as (

    select
        conversions.conversion_type,
        conversions.conversion_id,
        conversions.conversion_value,
        touches.campaign_id,
        row_number() over (
            partition by conversions.conversion_type, conversions.conversion_id
            order by touches.touched_at, touches.touch_type_rank, touches.campaign_id
        ) as touch_number,
        count(*) over (
            partition by conversions.conversion_type, conversions.conversion_id
        ) as touch_count,
        -- whole local days from the touch to the conversion
        cast({{ touch_age_days }} as {{ marketing_kpis.type_double() }}) as age_days
    from conversions
    inner join touches
        on
            conversions.contact_id = touches.contact_id
            and conversions.converted_at >= touches.touched_at
            and touches.touched_at
            >= {{ dbt.dateadd('day', -1 * marketing_kpis.setting('attribution_lookback_days'),
                              'conversions.converted_at') }}

),

touch_credits as (

    select
        conversion_type,
        conversion_id,
        conversion_value,
        campaign_id,
        case when touch_number = 1 then 1.0 else 0.0 end as first_touch,
        case when touch_number = touch_count then 1.0 else 0.0 end as last_touch,
        1.0 / touch_count as linear,
        power(0.5, age_days / {{ half_life }})
        / sum(power(0.5, age_days / {{ half_life }})) over (
            partition by conversion_type, conversion_id
        ) as time_decay,
        case
            when touch_count = 1 then 1.0
            when touch_count = 2 then 0.5
            when touch_number = 1 or touch_number = touch_count then {{ edge }}
            else (1.0 - 2 * {{ edge }}) / (touch_count - 2)
        end as position_based
    from eligible_touches

),

attribution_models as (

    -- the five models as rows: each touch is read once and fanned out to them
    {%- for model in ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based'] %}
        select '{{ model }}' as attribution_model
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

credits as (

    select
        touch_credits.conversion_type,
        touch_credits.conversion_id,
        attribution_models.attribution_model,
        touch_credits.campaign_id,
        touch_credits.conversion_value,
        cast(
            case attribution_models.attribution_model
                when 'first_touch' then touch_credits.first_touch
                when 'last_touch' then touch_credits.last_touch
                when 'linear' then touch_credits.linear
                when 'time_decay' then touch_credits.time_decay
                when 'position_based' then touch_credits.position_based
            end as {{ marketing_kpis.type_double() }}
        ) as credit
    from touch_credits
    cross join attribution_models

    union all

    select
        conversions.conversion_type,
        conversions.conversion_id,
        attribution_models.attribution_model,
        'unattributed' as campaign_id,
        conversions.conversion_value,
        cast(1.0 as {{ marketing_kpis.type_double() }}) as credit
    from conversions
    cross join attribution_models
    where
        not exists (
            select 1
            from eligible_touches
            where
                eligible_touches.conversion_type = conversions.conversion_type
                and eligible_touches.conversion_id = conversions.conversion_id
        )

),

final as (

    select
        credits.conversion_type,
        credits.conversion_id,
        credits.attribution_model,
        credits.campaign_id,
        conversions.contact_id,
        conversions.converted_at,
        conversions.converted_date,
        sum(credits.credit) as credit,
        sum(credits.credit * credits.conversion_value) as credited_value,
        conversions.inputs_fingerprint

    from credits
    inner join conversions
        on
            credits.conversion_type = conversions.conversion_type
            and credits.conversion_id = conversions.conversion_id
    group by
        credits.conversion_type,
        credits.conversion_id,
        credits.attribution_model,
        credits.campaign_id,
        conversions.contact_id,
        conversions.converted_at,
        conversions.converted_date,
        conversions.inputs_fingerprint
    having sum(credits.credit) > 0

)

select * from final
