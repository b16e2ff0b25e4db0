-- HubSpot score history -> score_events. The history of the property named by var
-- hubspot_score_property (default hubspotscore) holds the running score; per contact in
-- timestamp order, delta = value - previous value (the first: value - 0; an empty value
-- is 0), rounded to a whole number. Zero deltas are dropped (drop_reason 'zero', no
-- warning).
-- History of a merged-away id is ignored (HubSpot recomputes the survivor's score, which
-- continues under the canonical id); rows of an id that is no kept contact are dropped
-- with a warning.

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(
    reasons={'contact': marketing_kpis.hubspot_contact_drop_reasons().contact}) }}") }}

with

history as (

    select * from {{ marketing_kpis.hubspot_input('contact_property_history') }}
    where
        timestamp is not null
        and lower(name) = lower('{{ marketing_kpis.setting('hubspot_score_property') }}')

),

identities as (

    select * from {{ ref('stg_hubspot__contact_identities') }}

),

scored as (

    select
        history.contact_id,
        identities.canonical_contact_id,
        coalesce(identities.is_merged_away, false) as is_merged_away,
        history.timestamp as occurred_at,
        history.source_id,
        coalesce({{ marketing_kpis.to_decimal('history.value') }}, 0) as score
    from history
    left join identities
        on history.contact_id = identities.contact_id

),

sequenced as (

    select
        *,
        cast(round(score - coalesce(lag(score) over (
            partition by contact_id order by occurred_at, source_id, score
        ), 0), 0) as {{ dbt.type_bigint() }}) as delta
    from scored
    where not is_merged_away

),

final as (

    select
        coalesce(canonical_contact_id, contact_id) as contact_id,
        delta,
        'hubspotscore' as reason,
        occurred_at,
        case
            when canonical_contact_id is null then 'contact'
            when delta = 0 then 'zero'
        end as drop_reason
    from sequenced

)

select * from final
