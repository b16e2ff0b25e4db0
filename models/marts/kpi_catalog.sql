-- One row per KPI and mart column that carries it: the KPI's family, definition,
-- formula, numerator and denominator (of the column, for a KPI of several rates), unit,
-- whether it is a subset rate bounded to [0, 1], its source articles (DESIGN.md
-- section 5) and its other names (synonyms: CLV, CPL, ...). BI tools
-- join it on (model_name, column_name) to show a definition next to a number. Built
-- from macros/kpi_definitions.sql, which also writes the KPI doc blocks.

with

catalog as (

    {%- for kpi in marketing_kpis.kpi_definitions() %}
        {%- set kpi_loop = loop %}
        {%- for column in kpi.columns %}
            {%- set terms = kpi.get('ratios', {}).get(column.split('.')[1])
                or [kpi.get('numerator'), kpi.get('denominator')] %}
            select
                {{ marketing_kpis.string_literal(kpi.name) }} as kpi_name,
                {{ marketing_kpis.string_literal(kpi.family) }} as family,
                {{ marketing_kpis.string_literal(column.split('.')[0]) }} as model_name,
                {{ marketing_kpis.string_literal(column.split('.')[1]) }} as column_name,
                {{ marketing_kpis.string_literal(kpi.definition) }} as definition,
                {{ marketing_kpis.string_literal(kpi.formula) }} as formula,
                {{ marketing_kpis.string_literal(terms[0]) }} as numerator,
                {{ marketing_kpis.string_literal(terms[1]) }} as denominator,
                {{ marketing_kpis.string_literal(kpi.unit) }} as unit,
                {{ 'true' if kpi.get('bounded') else 'false' }} as is_bounded_rate,
                {{ marketing_kpis.string_literal(kpi.articles) }} as source_articles,
                {{ marketing_kpis.string_literal(kpi.get('synonyms', []) | join(', ') or none) }}
                    as synonyms
            {%- if not (kpi_loop.last and loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}

),

final as (

    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(family as {{ dbt.type_string() }}) as family,
        cast(model_name as {{ dbt.type_string() }}) as model_name,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        cast(definition as {{ dbt.type_string() }}) as definition,
        cast(formula as {{ dbt.type_string() }}) as formula,
        cast(numerator as {{ dbt.type_string() }}) as numerator,
        cast(denominator as {{ dbt.type_string() }}) as denominator,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(is_bounded_rate as {{ dbt.type_boolean() }}) as is_bounded_rate,
        cast(source_articles as {{ dbt.type_string() }}) as source_articles,
        cast(synonyms as {{ dbt.type_string() }}) as synonyms

    from catalog

)

select * from final
