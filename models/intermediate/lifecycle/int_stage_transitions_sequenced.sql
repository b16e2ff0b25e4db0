-- One row per contact and lifecycle stage it reached, in the order reached: when, the
-- stage before it and the whole local days spent there (for funnels and time to close).
-- Stages reached at the same moment (backfilled ones) follow the funnel order: lead, mql,
-- sql, recycled, reopened, customer, promoter, former_customer; 0 days in between.

{%- set stages = ['lead', 'mql', 'sql', 'recycled', 'reopened', 'customer', 'promoter',
                  'former_customer'] %}

with

lifecycle as (

    select * from {{ ref('int_contacts_lifecycle_pivoted') }}

),

reached as (

    {%- for stage in stages %}
        select
            contact_id,
            '{{ stage }}' as stage,
            {{ loop.index }} as stage_rank,
            {{ stage }}_at as reached_at
        from lifecycle
        where {{ stage }}_at is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

sequenced as (

    select
        contact_id,
        stage,
        stage_rank,
        reached_at,
        row_number() over (
            partition by contact_id order by reached_at, stage_rank
        ) as stage_sequence,
        lag(stage) over (
            partition by contact_id order by reached_at, stage_rank
        ) as previous_stage,
        lag(reached_at) over (
            partition by contact_id order by reached_at, stage_rank
        ) as previous_reached_at
    from reached

),

final as (

    select
        contact_id,
        stage,
        stage_sequence,
        reached_at,
        {{ marketing_kpis.to_local_date('reached_at') }} as reached_date,
        previous_stage,
        previous_reached_at,
        {{ marketing_kpis.local_days_between('previous_reached_at', 'reached_at') }}
            as days_in_previous_stage

    from sequenced

)

select * from final
