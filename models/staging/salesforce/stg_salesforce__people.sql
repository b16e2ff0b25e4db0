-- Salesforce leads and contacts -> people: one row per lead or contact id of the export
-- (live or not) with the person it belongs to and the contact_id every contract table
-- carries for it (README "Salesforce as the CRM", DESIGN: salesforce.md):
--   * a contact is a person; a contact merged into another (master_record_id) is its
--     master's;
--   * a lead merged into another (master_record_id) belongs to its master lead; a live,
--     unmerged lead converted into a kept contact (converted_contact_id) is that contact;
--     else, a live contact with the same address (lower(trim(email))) wins (the earliest
--     created, ties: the lowest id); else the lead is a person of its own;
--   * a person whose address matches a contact of the marketing tool takes the marketing
--     contact's id (the earliest created of them, ties: the lowest id; several of them are
--     reported in a warning naming the address and the ids); else its own Salesforce id.
-- Deleted rows (is_deleted, _fivetran_deleted) without a kept master belong to no person:
-- contact_id null, drop_reason 'deleted'; rows naming them elsewhere are dropped (warned
-- by each model). joined_by: self, merge, conversion or email.

{{ config(
    pre_hook="{{ marketing_kpis.salesforce_check_people() }}",
    post_hook="{{ marketing_kpis.salesforce_warn_address_conflicts() }}") }}

with

leads as (

    select * from {{ marketing_kpis.salesforce_input('lead') }}
    where id is not null

),

contacts as (

    select * from {{ marketing_kpis.salesforce_input('contact') }}
    where id is not null

),

accounts as (

    select
        id,
        max(name) as account_name
    from {{ marketing_kpis.salesforce_input('account') }}
    where id is not null and {{ marketing_kpis.salesforce_live() }}
    group by id

),

kept_contacts as (

    -- one row per live, unmerged contact
    select
        contacts.id,
        min(contacts.email) as email,
        min(lower(trim(contacts.email))) as email_key,
        min(contacts.created_date) as created_date,
        min(contacts.lead_source) as lead_source,
        min(contacts.mailing_country) as country,
        min(accounts.account_name) as company
    from contacts
    left join accounts on contacts.account_id = accounts.id
    where {{ marketing_kpis.salesforce_live('contacts') }} and contacts.master_record_id is null
    group by contacts.id

),

contact_owners as (

    -- every contact id -> the kept contact it is (itself, or its master, two merges deep)
    select distinct
        contacts.id as salesforce_id,
        case
            when contacts.master_record_id is null then own.id
            else coalesce(master.id, grand_master.id)
        end as person_id,
        case when contacts.master_record_id is null then 'self' else 'merge' end as joined_by
    from contacts
    left join kept_contacts as own on contacts.id = own.id
    left join kept_contacts as master on contacts.master_record_id = master.id
    left join contacts as merged_master on contacts.master_record_id = merged_master.id
    left join kept_contacts as grand_master on merged_master.master_record_id = grand_master.id

),

kept_leads as (

    -- one row per live, unmerged lead
    select
        id,
        min(email) as email,
        min(lower(trim(email))) as email_key,
        min(created_date) as created_date,
        min(company) as company,
        min(country) as country,
        min(lead_source) as lead_source,
        min(status) as status,
        max(case when is_converted then converted_contact_id end) as converted_contact_id
    from leads
    where {{ marketing_kpis.salesforce_live() }} and master_record_id is null
    group by id

),

contacts_by_address as (

    select
        email_key,
        id
    from (
        select
            email_key,
            id,
            row_number() over (partition by email_key order by created_date, id) as address_rank
        from kept_contacts
        where email_key is not null and email_key != ''
    ) as ranked
    where address_rank = 1

),

lead_persons as (

    -- each kept lead -> its person: the contact it was converted into, else the contact of
    -- its address, else itself
    select
        kept_leads.id as lead_id,
        coalesce(converted.person_id, by_address.id, kept_leads.id) as person_id,
        case
            when converted.person_id is not null then 'conversion'
            when by_address.id is not null then 'email'
            else 'self'
        end as joined_by
    from kept_leads
    left join contact_owners as converted
        on kept_leads.converted_contact_id = converted.salesforce_id
    left join contacts_by_address as by_address
        on kept_leads.email_key = by_address.email_key

),

lead_owners as (

    -- every lead id -> the kept lead it is (itself, or its master, two merges deep)
    select distinct
        leads.id as salesforce_id,
        coalesce(own.person_id, master.person_id, grand_master.person_id) as person_id,
        case
            when leads.master_record_id is not null then 'merge'
            else own.joined_by
        end as joined_by
    from leads
    left join lead_persons as own
        on leads.id = own.lead_id and leads.master_record_id is null
    left join lead_persons as master on leads.master_record_id = master.lead_id
    left join leads as merged_master on leads.master_record_id = merged_master.id
    left join lead_persons as grand_master
        on merged_master.master_record_id = grand_master.lead_id

),

owners as (

    select
        salesforce_id,
        'contact' as salesforce_object,
        person_id,
        joined_by
    from contact_owners
    union all
    select
        salesforce_id,
        'lead' as salesforce_object,
        person_id,
        joined_by
    from lead_owners

),

persons as (

    -- one row per person, its address from its own record
    select
        id as person_id,
        email_key
    from kept_contacts
    union all
    select
        lead_persons.person_id,
        kept_leads.email_key
    from lead_persons
    inner join kept_leads on lead_persons.lead_id = kept_leads.id
    where lead_persons.joined_by = 'self'

),

marketing_contacts as (

    select
        {{ marketing_kpis.clean_text('contact_id') }} as contact_id,
        min(lower(trim(email))) as email_key,
        min({{ marketing_kpis.to_utc_timestamp('created_at') }}) as created_at
    from {{ marketing_kpis.marketing_rows('contacts', remap=false) }}
    where {{ marketing_kpis.clean_text('contact_id') }} is not null
    group by {{ marketing_kpis.clean_text('contact_id') }}

),

marketing_by_address as (

    select
        email_key,
        contact_id,
        row_number() over (partition by email_key order by created_at, contact_id) as address_rank,
        count(*) over (partition by email_key) as address_contacts
    from marketing_contacts
    where email_key is not null and email_key != ''

),

address_contact_ids as (

    select
        email_key,
        {{ dbt.listagg('contact_id', "', '", 'order by contact_id') }} as contact_ids
    from marketing_by_address
    where address_contacts > 1
    group by email_key

),

matched as (

    select
        persons.person_id,
        marketing_by_address.contact_id,
        marketing_by_address.email_key,
        marketing_by_address.address_contacts,
        address_contact_ids.contact_ids as address_contact_ids
    from persons
    inner join marketing_by_address
        on
            persons.email_key = marketing_by_address.email_key
            and marketing_by_address.address_rank = 1
    left join address_contact_ids
        on persons.email_key = address_contact_ids.email_key

),

records as (

    -- the attributes of each kept record
    select
        id as salesforce_id,
        email,
        created_date,
        company,
        country,
        lead_source
    from kept_contacts
    union all
    select
        id as salesforce_id,
        email,
        created_date,
        company,
        country,
        lead_source
    from kept_leads

),

final as (

    select
        owners.salesforce_id,
        owners.salesforce_object,
        owners.person_id,
        owners.joined_by,
        coalesce(matched.contact_id, owners.person_id) as contact_id,
        matched.contact_id is not null as is_matched,
        matched.email_key as matched_address,
        matched.address_contacts as matched_address_contacts,
        matched.address_contact_ids as matched_address_contact_ids,
        records.email,
        records.created_date as created_at,
        records.company,
        records.country,
        records.lead_source,
        case when owners.person_id is null then 'deleted' end as drop_reason
    from owners
    left join matched on owners.person_id = matched.person_id
    left join records on owners.salesforce_id = records.salesforce_id

)

select * from final
