{#-
    How the project refuses: one line that says what is wrong and what to do, and that the
    published marts did not change (DESIGN.md section 6, "Clear refusals").
-#}

{#- Stops the run with `message` (what is wrong and what to do). Raised before any model
    runs (the preflight of on-run-start), it ends dbt with "Runtime Error" and this line;
    raised while a model compiles, it fails that model and the run publishes nothing. -#}
{% macro refuse(message) %}
    {{ exceptions.raise_dependency_error(
        "marketing_kpis: " ~ message ~ ("\n" if "\n" in message else " ")
        ~ "Nothing was published: the marts in schema " ~ marketing_kpis.published_schema()
        ~ " are unchanged.") }}
{% endmacro %}


{#- A warning of the run (yellow in dbt's output; an error with --warn-error) -#}
{% macro warn(message) %}
    {%- do exceptions.warn("marketing_kpis warning: " ~ message) -%}
{% endmacro %}


{#- An information line of the run -#}
{% macro say(message) %}
    {%- do log("marketing_kpis: " ~ message, info=true) -%}
{% endmacro %}


{#- SQL that fails with `message` when it runs: how an on-run-end hook reports, in dbt's
    summary at the end of the run, that nothing was published and why. -#}
{% macro sql_failing_with(message) -%}
    {{ return(adapter.dispatch('sql_failing_with', 'marketing_kpis')(message)) }}
{%- endmacro %}

{% macro default__sql_failing_with(message) -%}
    select error({{ marketing_kpis.quote_string(message) }})
{%- endmacro %}

{% macro postgres__sql_failing_with(message) -%}
    do $marketing_kpis$ begin raise exception '%', {{ marketing_kpis.quote_string(message) }}; end $marketing_kpis$
{%- endmacro %}

{% macro spark__sql_failing_with(message) -%}
    select raise_error({{ marketing_kpis.quote_string(message) }})
{%- endmacro %}


{#- The target's database, or none where the adapter has none (Spark: a schema is a
    database there) -#}
{% macro target_database() %}
    {{ return(target.database if target.database is defined else none) }}
{% endmacro %}


{#- A relation of the target database, named directly (run hooks cannot use ref()) -#}
{% macro relation_in(schema, identifier) %}
    {{ return(api.Relation.create(database=marketing_kpis.target_database(), schema=schema,
                                  identifier=identifier)) }}
{% endmacro %}
