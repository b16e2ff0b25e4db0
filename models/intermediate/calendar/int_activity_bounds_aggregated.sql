-- One row: the first and the last activity of the whole export (any dated row of any raw
-- table but the campaigns' own launch and end dates: the dated columns of
-- int_event_bounds_aggregated and int_record_bounds_aggregated), in UTC and as local
-- dates of var reporting_timezone. Reporting periods run from the first to the last
-- activity.

with

event_bounds as (

    select * from {{ ref('int_event_bounds_aggregated') }}

),

record_bounds as (

    select * from {{ ref('int_record_bounds_aggregated') }}

),

bounds as (

    select * from event_bounds
    union all
    select * from record_bounds

),

overall as (

    select
        min(first_at) as first_activity_at,
        max(last_at) as last_activity_at
    from bounds

),

final as (

    select
        first_activity_at,
        last_activity_at,
        {{ marketing_kpis.to_local_date('first_activity_at') }} as first_activity_date,
        {{ marketing_kpis.to_local_date('last_activity_at') }} as last_activity_date

    from overall

)

select * from final
