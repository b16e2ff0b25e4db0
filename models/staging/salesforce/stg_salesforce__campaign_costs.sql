-- campaign_costs: a contract campaign_costs file (or table) of the marketing input, when
-- there is one, replaces Salesforce's costs; else one row per live Salesforce campaign with
-- actual_cost > 0: cost_date = start_date (else the UTC date of created_date), amount =
-- actual_cost, cost_type 'other'. Salesforce rows a costs file replaces stay here with
-- drop_reason 'costs_file'.

{%- set has_file = marketing_kpis.marketing_file_exists('campaign_costs') %}

with

salesforce_campaigns as (

    select
        id,
        max(actual_cost) as actual_cost,
        max(start_date) as start_date,
        min(created_date) as created_date
    from {{ marketing_kpis.salesforce_input('campaign') }}
    where id is not null and {{ marketing_kpis.salesforce_live() }}
    group by id

),

final as (

    select
        campaign_id,
        cost_date,
        amount,
        cost_type,
        cast(null as {{ dbt.type_string() }}) as drop_reason
    from {{ marketing_kpis.marketing_rows('campaign_costs') }}
    union all
    select
        id as campaign_id,
        {{ marketing_kpis.as_text("coalesce(start_date, cast(created_date as date))") }}
            as cost_date,
        {{ marketing_kpis.as_text('actual_cost') }} as amount,
        'other' as cost_type,
        {{ "'costs_file'" if has_file else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as drop_reason
    from salesforce_campaigns
    where actual_cost > 0

)

select * from final
