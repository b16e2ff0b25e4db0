{#-
    references: every non-null value of column_name exists in `field` of `to`.
    Like dbt's relationships test, but it also says how many rows and which ids point
    nowhere, with an example, and where they come from. Used with severity warn on staging:
    an orphan id is kept (staging changes nothing) and simply finds no partner in joins.
    The orphans are looked up once, for the message: when there is none, the test's own
    query selects nothing without reading the tables again (2 s a test on the 29M email
    events of 1M contacts).
-#}
{% test references(model, column_name, to, field) %}
    {{ return(adapter.dispatch('test_references', 'marketing_kpis')(model, column_name, to, field)) }}
{% endtest %}

{% macro default__test_references(model, column_name, to, field) %}
    {%- set orphans_sql -%}
        select child.{{ column_name }} as orphan_id
        from {{ model }} as child
        left join {{ to }} as parent
            on child.{{ column_name }} = parent.{{ field }}
        where child.{{ column_name }} is not null
            and parent.{{ field }} is null
    {%- endset -%}
    {%- if execute -%}
        {%- set summary = run_query(
            "select count(*), count(distinct orphan_id), min(orphan_id) from ("
            ~ orphans_sql ~ ") as orphans").rows[0] -%}
        {%- if summary[0] == 0 -%}
            {{ return("select orphan_id from (" ~ orphans_sql ~ ") as orphans where 1 = 0") }}
        {%- endif -%}
        {%- if summary[0] > 0 -%}
            {%- set where = model.identifier -%}
            {%- if model.identifier.startswith('stg_')
                and model.identifier[4:] in marketing_kpis.raw_contract() -%}
                {%- set where = marketing_kpis.raw_input_info(model.identifier[4:]).label -%}
            {%- endif -%}
            {%- do exceptions.warn(
                "Orphan ids in " ~ where ~ ": column " ~ column_name ~ " has " ~ summary[0]
                ~ (" row" if summary[0] == 1 else " rows") ~ " (" ~ summary[1]
                ~ " distinct) pointing to no " ~ to.identifier ~ "." ~ field ~ ", e.g. '"
                ~ summary[2] ~ "'. They are kept, and drop out of joins downstream.") -%}
        {%- endif -%}
    {%- endif -%}
    {{ orphans_sql }}
{% endmacro %}
