-- One row per contact id this run knows of (snapshot rows, events of the window, or the
-- record of the last refresh): whether the models that refresh by contact recompute it in
-- this run (is_refreshed). Doc block int_contacts_refresh_scoped: a contact is refreshed
-- when the fingerprint of its snapshot rows (and of the dimension tables) differs from
-- the one recorded after the last refresh (int_contacts_lifecycle_recorded), or when it
-- has an email, web or score event at or after the incremental window of that record.
-- Without a record (first build, --full-refresh, another input) every contact is.

{%- set record = marketing_kpis.refresh_record_relation() %}
{%- set has_record = record != '' %}

with

records as (

    select * from {{ ref('int_contact_records_fingerprinted') }}

),

activities as (

    select * from {{ ref('int_contact_activities_fingerprinted') }}

),

dimensions as (

    select * from {{ ref('int_dimension_tables_fingerprinted') }}

),

email_events as (

    select * from {{ ref('stg_email_events') }}

),

web_events as (

    select * from {{ ref('stg_web_events') }}

),

score_events as (

    select * from {{ ref('stg_score_events') }}

),

event_bounds as (

    select * from {{ ref('int_event_bounds_aggregated') }}

),

-- the latest event of each event table now
event_maxima as (

    select
        max(case when dated_column = 'stg_email_events.occurred_at' then last_at end)
            as email_events_through,
        max(case when dated_column = 'stg_web_events.occurred_at' then last_at end)
            as web_events_through,
        max(case when dated_column = 'stg_score_events.occurred_at' then last_at end)
            as score_events_through
    from event_bounds

),

current_fingerprints as (

    select
        coalesce(records.contact_id, activities.contact_id) as contact_id,
        {{ dbt.concat([
            "coalesce(records.records_fingerprint, '-')", "'/'",
            "coalesce(activities.activities_fingerprint, '-')", "'/'",
            'dimensions.dimensions_fingerprint',
        ]) }} as inputs_fingerprint
    from records
    full outer join activities
        on records.contact_id = activities.contact_id
    cross join dimensions

),

{%- if has_record %}

    recorded as (

        select last_record.* from {{ record }} as last_record

    ),

    -- the incremental window of each event table that followed the record: from
    -- window_start_sql of its latest event then, as staging computes it (none: all)
    window_starts as (

        select
            {{ marketing_kpis.window_start_sql('max(recorded.email_events_through)') }}
                as email_events_from,
            {{ marketing_kpis.window_start_sql('max(recorded.web_events_through)') }}
                as web_events_from,
            {{ marketing_kpis.window_start_sql('max(recorded.score_events_through)') }}
                as score_events_from
        from recorded

    ),

    -- contacts with an event the staging of this run can have added or replaced
    window_contacts as (

        {%- for events in ['email_events', 'web_events', 'score_events'] %}
            select {{ events }}.contact_id
            from {{ events }}
            cross join window_starts
            where
                {{ events }}.contact_id is not null
                and (
                    {{ events }}.occurred_at >= window_starts.{{ events }}_from
                    or window_starts.{{ events }}_from is null
                )
            {%- if not loop.last %}
                union
            {%- endif %}
        {%- endfor %}

    ),

    contact_ids as (

        select contact_id from current_fingerprints
        union
        select contact_id from recorded
        union
        select contact_id from window_contacts

    ),

    scoped as (

        select
            contact_ids.contact_id,
            current_fingerprints.inputs_fingerprint,
            -- a fingerprint is never empty text: '' stands for none
            case
                when recorded.contact_id is null then true
                when
                    coalesce(current_fingerprints.inputs_fingerprint, '')
                    <> coalesce(recorded.inputs_fingerprint, '')
                    then true
                when window_contacts.contact_id is not null then true
                else false
            end as is_refreshed
        from contact_ids
        left join current_fingerprints
            on contact_ids.contact_id = current_fingerprints.contact_id
        left join recorded
            on contact_ids.contact_id = recorded.contact_id
        left join window_contacts
            on contact_ids.contact_id = window_contacts.contact_id

    ),

{%- else %}

    scoped as (

        select
            contact_id,
            inputs_fingerprint,
            true as is_refreshed
        from current_fingerprints

    ),

{%- endif %}

final as (

    select
        scoped.contact_id,
        scoped.inputs_fingerprint,
        scoped.is_refreshed,
        '{{ marketing_kpis.run_id() }}' as scoped_in_run,
        -- the next run's window starts var incremental_lookback_days before them
        event_maxima.email_events_through,
        event_maxima.web_events_through,
        event_maxima.score_events_through

    from scoped
    cross join event_maxima

)

select * from final
