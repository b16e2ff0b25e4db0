-- One row per contact with a conversion: a fingerprint of everything its attribution
-- credits are computed from (its conversions and its touches). An incremental run of
-- int_attribution_credits_allocated credits again only the contacts whose fingerprint
-- differs from the one their credits were computed from: a new or late touch, a new or
-- changed conversion, a membership, form or call that changed anywhere in time. The
-- fingerprint is the sum of a 64-bit hash of each input row (the same rows in any order
-- give the same sum).

with

conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

touches as (

    select * from {{ ref('int_touches_unioned') }}

),

hashed_inputs as (

    select
        contact_id,
        1 as conversion_rows,
        {{ marketing_kpis.row_hash_number([
            "'conversion'", 'conversion_type', 'conversion_id', 'converted_at',
            'conversion_value',
        ]) }} as input_hash
    from conversions

    union all

    select
        contact_id,
        0 as conversion_rows,
        {{ marketing_kpis.row_hash_number([
            "'touch'", 'campaign_id', 'touch_type', 'touched_at', 'touch_type_rank',
        ]) }} as input_hash
    from touches
    where contact_id in (select conversions.contact_id from conversions)

),

final as (

    select
        contact_id,
        cast(sum(input_hash) as {{ marketing_kpis.type_text() }}) as inputs_fingerprint

    from hashed_inputs
    group by contact_id
    having sum(conversion_rows) > 0

)

select * from final
