-- One row per conversion, attribution model and credited campaign: the share of the
-- conversion (credit, summing to 1 over the campaigns of one conversion and model) and of
-- its value (credited_value = credit x conversion_value). Touches count when they happen
-- at or before the conversion and at most var attribution_lookback_days before it; a
-- conversion without such a touch goes to campaign 'unattributed' (DESIGN.md section 4).
-- Models, over the n touches in time order (ties: touch type, then campaign id):
--   first_touch      1 to the first touch
--   last_touch       1 to the last touch
--   linear           1/n to each touch
--   time_decay       2^(-age / var attribution_half_life_days), normalised to sum to 1;
--                    age = whole local days from the touch to the conversion
--   position_based   var position_based_edge_share (0.4) to the first and to the last
--                    touch, the rest split evenly over the touches between; one touch
--                    gets 1, two touches 0.5 each
-- A campaign touched several times sums the credits of its touches.

{%- set edge = marketing_kpis.setting('position_based_edge_share') %}
{%- set half_life = marketing_kpis.setting('attribution_half_life_days') %}

with

conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

touches as (

    select * from {{ ref('int_touches_unioned') }}

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
        {{ marketing_kpis.local_days_between('touches.touched_at', 'conversions.converted_at') }}
            as age_days
    from conversions
    inner join touches
        on
            conversions.contact_id = touches.contact_id
            and conversions.converted_at >= touches.touched_at
            and touches.touched_at
            >= {{ dbt.dateadd('day', -1 * marketing_kpis.setting('attribution_lookback_days'),
                              'conversions.converted_at') }}

),

decay_weights as (

    select
        *,
        power(
            0.5, cast(age_days as {{ marketing_kpis.type_double() }}) / {{ half_life }}
        ) as decay_weight
    from eligible_touches

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
        decay_weight / sum(decay_weight) over (
            partition by conversion_type, conversion_id
        ) as time_decay,
        case
            when touch_count = 1 then 1.0
            when touch_count = 2 then 0.5
            when touch_number = 1 or touch_number = touch_count then {{ edge }}
            else (1.0 - 2 * {{ edge }}) / (touch_count - 2)
        end as position_based
    from decay_weights

),

attribution_models as (

    -- the five models as rows: each touch is read once and fanned out to them
    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
    union all
    select 'linear' as attribution_model
    union all
    select 'time_decay' as attribution_model
    union all
    select 'position_based' as attribution_model

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

per_campaign as (

    select
        conversion_type,
        conversion_id,
        attribution_model,
        campaign_id,
        sum(credit) as credit,
        sum(credit * conversion_value) as credited_value
    from credits
    group by conversion_type, conversion_id, attribution_model, campaign_id

),

final as (

    select
        per_campaign.conversion_type,
        per_campaign.conversion_id,
        per_campaign.attribution_model,
        per_campaign.campaign_id,
        conversions.contact_id,
        conversions.converted_at,
        conversions.converted_date,
        per_campaign.credit,
        per_campaign.credited_value

    from per_campaign
    inner join conversions
        on
            per_campaign.conversion_type = conversions.conversion_type
            and per_campaign.conversion_id = conversions.conversion_id
    where per_campaign.credit > 0

)

select * from final
