-- One row per contact id of the contact records (contacts, field history, deals, orders,
-- calls): the sum of a 64-bit hash of each of its rows (the same rows in any order give
-- the same sum). With int_contact_activities_fingerprinted and
-- int_dimension_tables_fingerprinted, what tells int_contacts_refresh_scoped which
-- contacts' snapshot rows changed since the lifecycle was last computed.

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

contact_changes as (

    select * from {{ ref('stg_contact_changes') }}

),

deals as (

    select * from {{ ref('stg_deals') }}

),

orders as (

    select * from {{ ref('stg_orders') }}

),

calls as (

    select * from {{ ref('stg_calls') }}

),

hashed_rows as (

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'contact'", 'contact_id', 'source_campaign_id', 'email', 'contact_type',
            'lead_source', 'company', 'country', 'created_at',
        ]) }} as row_hash
    from contacts

    union all

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'contact_change'", 'field_name', 'old_value', 'new_value', 'changed_at',
        ]) }} as row_hash
    from contact_changes

    union all

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'deal'", 'deal_id', 'stage', 'amount', 'is_closed', 'is_won', 'created_at',
            'closed_at', 'campaign_id',
        ]) }} as row_hash
    from deals

    union all

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'order'", 'order_id', 'currency', 'status', 'amount', 'ordered_at',
            'is_completed',
        ]) }} as row_hash
    from orders

    union all

    select
        contact_id,
        {{ marketing_kpis.row_hash_number([
            "'call'", 'call_id', 'campaign_id', 'duration_seconds', 'started_at',
        ]) }} as row_hash
    from calls

),

final as (

    select
        contact_id,
        -- as text: a 128-bit sum, whose stored column would scan slowly
        cast(sum(row_hash) as {{ marketing_kpis.type_text() }}) as records_fingerprint

    from hashed_rows
    where contact_id is not null
    group by contact_id

)

select * from final
