-- depends_on: {{ ref('int_leads_scored') }}

-- One row per contact id of int_contacts_refresh_scoped: the fingerprint of the inputs
-- its lifecycle, touches and lead score were computed from in this run, and the latest
-- event of each event table then. Built after every model that refreshes by contact (the
-- depends_on above: int_leads_scored comes after all the others), so that
-- a run that fails before the end leaves the previous record, and the next run refreshes
-- what this one did not finish. The next run's int_contacts_refresh_scoped compares with
-- it.

with

scoped as (

    select * from {{ ref('int_contacts_refresh_scoped') }}

),

final as (

    select
        contact_id,
        inputs_fingerprint,
        email_events_through,
        web_events_through,
        score_events_through

    from scoped

)

select * from final
