-- contacts: the marketing tool's contacts, their empty columns filled by the Salesforce
-- person matched to them (its address; the earliest created if several), created_at the
-- earliest of both; then every Salesforce person no marketing contact matched, under its
-- Salesforce id. A person's attributes are its own record's (a contact: company = its
-- account's name, country = mailing_country; a lead: company, country); its created_at is
-- the earliest of its record and the leads converted into it (leads merged into it or
-- joined to it by address do not count). Columns are text, as a contract file's.

with

people as (

    select * from {{ ref('stg_salesforce__people') }}
    where drop_reason is null

),

person_created as (

    select
        person_id,
        min(created_at) as created_at
    from people
    where joined_by in ('self', 'conversion')
    group by person_id

),

persons as (

    select
        people.person_id,
        people.contact_id,
        people.is_matched,
        {{ marketing_kpis.clean_code('people.email') }} as email,
        person_created.created_at,
        people.lead_source,
        people.company,
        people.country,
        row_number() over (
            partition by people.contact_id
            order by person_created.created_at, people.person_id
        ) as contact_rank
    from people
    inner join person_created on people.person_id = person_created.person_id
    where people.salesforce_id = people.person_id

),

matched as (

    -- per marketing contact: the attributes of its earliest matched person, the earliest
    -- creation of all of them
    select
        contact_id,
        max(case when contact_rank = 1 then email end) as email,
        min(created_at) as created_at,
        max(case when contact_rank = 1 then lead_source end) as lead_source,
        max(case when contact_rank = 1 then company end) as company,
        max(case when contact_rank = 1 then country end) as country
    from persons
    where is_matched
    group by contact_id

),

marketing as (

    select * from {{ marketing_kpis.marketing_rows('contacts', remap=false) }}

),

final as (

    select
        marketing.contact_id,
        coalesce({{ marketing_kpis.clean_text('marketing.email') }}, matched.email) as email,
        case
            when
                matched.created_at is not null
                and (
                    {{ marketing_kpis.to_utc_timestamp('marketing.created_at') }} is null
                    or matched.created_at
                    < {{ marketing_kpis.to_utc_timestamp('marketing.created_at') }}
                )
                then {{ marketing_kpis.as_text('matched.created_at') }}
            else marketing.created_at
        end as created_at,
        marketing.contact_type,
        coalesce(
            {{ marketing_kpis.clean_text('marketing.lead_source') }},
            matched.lead_source
        ) as lead_source,
        marketing.source_campaign_id,
        coalesce({{ marketing_kpis.clean_text('marketing.company') }}, matched.company) as company,
        coalesce({{ marketing_kpis.clean_text('marketing.country') }}, matched.country) as country,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from marketing
    left join matched
        on {{ marketing_kpis.clean_text('marketing.contact_id') }} = matched.contact_id
    union all
    select
        contact_id,
        email,
        {{ marketing_kpis.as_text('created_at') }} as created_at,
        cast(null as {{ dbt.type_string() }}) as contact_type,
        lead_source,
        cast(null as {{ dbt.type_string() }}) as source_campaign_id,
        company,
        country,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from persons
    where not is_matched

)

select * from final
