{#-
    Write, audit, publish (DESIGN.md section 6, "All or nothing").

    The mart models are built into schema marts_audit (write), where the data tests and the
    singular cross-checks read them (audit). When the whole run passed, on-run-end copies
    every one of them into schema marts, the schema BI tools read (publish), in one
    transaction on DuckDB and PostgreSQL, with a row in marts.publication_log saying what
    was published from what. A run that failed, was killed or was refused leaves schema
    marts exactly as it was, and its last lines say that nothing was published and why.

    On Spark (no multi-statement transactions on plain Parquet tables) each mart is replaced
    on its own with INSERT OVERWRITE once the whole audit passed: a failure during those
    few statements can leave some marts new and some old, which the next successful build
    mends; the log says so.

    What publishes: `dbt build` (or `dbt run`) of every model of the project, with every
    node of the run a success (warnings do not block). A run of a selection (--select,
    --exclude) builds and tests the audit tables but publishes nothing, nor does --empty.
-#}

{% macro published_schema() %}
    {{ return(var('schema_prefix', '') ~ 'marts') }}
{% endmacro %}


{% macro audit_schema() %}
    {{ return(var('schema_prefix', '') ~ 'marts_audit') }}
{% endmacro %}


{#- the published table of a mart (for analyses: `from {{ marketing_kpis.published(ref('mart_acquisition')) }}`) -#}
{% macro published(relation) %}
    {{ return(api.Relation.create(database=relation.database,
                                  schema=marketing_kpis.published_schema(),
                                  identifier=relation.identifier)) }}
{% endmacro %}


{#- the mart models (models/marts), by name -#}
{% macro mart_nodes() %}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | sort(attribute='name') if node.fqn[1] == 'marts' -%}
        {%- do marts.append(node) -%}
    {%- endfor -%}
    {{ return(marts) }}
{% endmacro %}


{#- Whether this run publishes: {'publish': bool, 'failed': bool, 'reason': text} -#}
{% macro publication_decision(results) %}
    {%- if flags.WHICH not in ['run', 'build'] -%}
        {{ return({'publish': false, 'failed': false, 'reason': none}) }}
    {%- endif -%}
    {%- set ok = ['success', 'pass', 'warn'] -%}
    {%- set bad = [] -%}
    {%- set done = [] -%}
    {%- for result in results -%}
        {%- do done.append(result.node.unique_id) -%}
        {%- if result.status | string not in ok -%}
            {%- do bad.append(result) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if bad -%}
        {%- set named = [] -%}
        {%- for result in bad[:4] -%}
            {%- do named.append(result.node.name ~ ' (' ~ result.status ~ ')') -%}
        {%- endfor -%}
        {{ return({'publish': false, 'failed': true, 'reason':
            "nothing was published: " ~ bad | length ~ " of " ~ results | length
            ~ " nodes of this run did not pass (" ~ named | join(', ')
            ~ (', ...' if bad | length > 4 else '') ~ "); the marts in schema "
            ~ marketing_kpis.published_schema() ~ " are those of the last run that passed."
            ~ " Fix what the messages above say and run dbt build again."}) }}
    {%- endif -%}
    {%- if flags.EMPTY or flags.SAMPLE -%}
        {{ return({'publish': false, 'failed': false, 'reason':
            "the marts were not published: --empty and --sample builds hold no real rows."}) }}
    {%- endif -%}
    {%- set models = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | map(attribute='unique_id') | list -%}
    {%- set missing = models | reject('in', done) | list -%}
    {%- if missing -%}
        {{ return({'publish': false, 'failed': false, 'reason':
            "the marts were not published: this run built " ~ (models | length - missing
            | length) ~ " of the " ~ models | length ~ " models (a selection); only a run of"
            ~ " every model publishes, so that all marts come from one input. This run's"
            ~ " tables are in schema " ~ marketing_kpis.audit_schema() ~ "."}) }}
    {%- endif -%}
    {{ return({'publish': true, 'failed': false, 'reason': none}) }}
{% endmacro %}


{#- on-run-end, first hook: publish, or end the run with why nothing was published -#}
{% macro publish_marts(results) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set decision = marketing_kpis.publication_decision(results) -%}
    {%- if decision.failed -%}
        {{ return(marketing_kpis.sql_failing_with("marketing_kpis: " ~ decision.reason)) }}
    {%- endif -%}
    {%- if not decision.publish -%}
        {%- if decision.reason -%}{%- do marketing_kpis.say(decision.reason) -%}{%- endif -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('publication_sql', 'marketing_kpis')(marketing_kpis.mart_nodes())) }}
{% endmacro %}


{#- on-run-end, second hook (runs only when the first passed): say what was published -#}
{% macro report_publication(results) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- if marketing_kpis.publication_decision(results).publish -%}
        {%- set marts = marketing_kpis.mart_nodes() -%}
        {%- do marketing_kpis.say("published " ~ marts | length ~ " marts to schema "
            ~ marketing_kpis.published_schema() ~ " (built from "
            ~ marketing_kpis.input_label(marketing_kpis.input_identity())
            ~ "; what and when: " ~ marketing_kpis.published_schema() ~ ".publication_log).") -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{% macro audit_relation(node) %}
    {{ return(api.Relation.create(database=node.database, schema=node.schema,
                                  identifier=node.alias)) }}
{% endmacro %}


{% macro published_relation(identifier) %}
    {{ return(api.Relation.create(database=target.database,
                                  schema=marketing_kpis.published_schema(),
                                  identifier=identifier)) }}
{% endmacro %}


{#- the statements that create the publication log and add this run's row -#}
{% macro publication_log_sql(marts) %}
    {%- set log_relation = marketing_kpis.published_relation('publication_log') -%}
    {%- set counts = [] -%}
    {%- for node in marts -%}
        {%- do counts.append("(select count(*) from " ~ marketing_kpis.audit_relation(node) ~ ")") -%}
    {%- endfor -%}
    {%- set create_sql -%}
        create table if not exists {{ log_relation }} (
            published_at {{ dbt.type_timestamp() }},
            invocation_id {{ dbt.type_string() }},
            command {{ dbt.type_string() }},
            input {{ dbt.type_string() }},
            definitions {{ dbt.type_string() }},
            marts {{ dbt.type_int() }},
            mart_rows {{ dbt.type_bigint() }},
            dbt_version {{ dbt.type_string() }}
        )
    {%- endset -%}
    {%- set insert_sql -%}
        insert into {{ log_relation }}
        select
            {{ marketing_kpis.run_timestamp() }},
            {{ marketing_kpis.quote_string(invocation_id) }},
            {{ marketing_kpis.quote_string(flags.WHICH) }},
            {{ marketing_kpis.quote_string(
                marketing_kpis.input_label(marketing_kpis.input_identity())) }},
            {{ marketing_kpis.quote_string(tojson(marketing_kpis.definition_vars(), sort_keys=true)) }},
            {{ marts | length }},
            {{ counts | join(' + ') }},
            {{ marketing_kpis.quote_string(dbt_version) }}
    {%- endset -%}
    {{ return([create_sql, insert_sql]) }}
{% endmacro %}


{#- DuckDB: one transaction replaces every published mart -#}
{% macro default__publication_sql(marts) %}
    {%- set statements = ["begin transaction",
                          "create schema if not exists "
                          ~ adapter.quote(marketing_kpis.published_schema())] -%}
    {%- for node in marts -%}
        {%- do statements.append("create or replace table "
            ~ marketing_kpis.published_relation(node.alias) ~ " as select * from "
            ~ marketing_kpis.audit_relation(node)) -%}
    {%- endfor -%}
    {%- do statements.extend(marketing_kpis.publication_log_sql(marts)) -%}
    {%- do statements.append("commit") -%}
    {{ return(statements | join(";\n") ~ ";") }}
{% endmacro %}


{#- PostgreSQL: one transaction; a published table whose columns did not change is
    emptied and refilled (views a BI user made on it stay valid), others are replaced -#}
{% macro postgres__publication_sql(marts) %}
    {%- set statements = ["begin",
                          "create schema if not exists "
                          ~ adapter.quote(marketing_kpis.published_schema())] -%}
    {%- for node in marts -%}
        {%- set audit = marketing_kpis.audit_relation(node) -%}
        {%- set published = marketing_kpis.published_relation(node.alias) -%}
        {%- if marketing_kpis.same_columns(published, audit) -%}
            {%- do statements.append("truncate table " ~ published) -%}
            {%- do statements.append("insert into " ~ published ~ " select * from " ~ audit) -%}
        {%- else -%}
            {%- do statements.append("drop table if exists " ~ published) -%}
            {%- do statements.append("create table " ~ published ~ " as select * from " ~ audit) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do statements.extend(marketing_kpis.publication_log_sql(marts)) -%}
    {%- do statements.append("commit") -%}
    {{ return(statements | join(";\n") ~ ";") }}
{% endmacro %}


{#- Spark: no transactions; each mart replaced on its own after the whole audit passed -#}
{% macro spark__publication_sql(marts) %}
    {%- do run_query("create schema if not exists " ~ marketing_kpis.published_schema()) -%}
    {%- for node in marts -%}
        {%- set audit = marketing_kpis.audit_relation(node) -%}
        {%- set published = marketing_kpis.published_relation(node.alias) -%}
        {%- if marketing_kpis.same_columns(published, audit) -%}
            {%- do run_query("insert overwrite table " ~ published ~ " select * from " ~ audit) -%}
        {%- else -%}
            {%- do run_query("drop table if exists " ~ published) -%}
            {%- do run_query("create table " ~ published ~ " using parquet as select * from "
                ~ audit) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for statement in marketing_kpis.publication_log_sql(marts) -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{#- whether a published table exists with the columns (names and types) of its audit table -#}
{% macro same_columns(published, audit) %}
    {%- set existing = adapter.get_relation(database=published.database,
        schema=published.schema, identifier=published.identifier) -%}
    {%- if existing is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set before = [] -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- do before.append(column.name | lower ~ ' ' ~ column.data_type | lower) -%}
    {%- endfor -%}
    {%- set after = [] -%}
    {%- for column in adapter.get_columns_in_relation(audit) -%}
        {%- do after.append(column.name | lower ~ ' ' ~ column.data_type | lower) -%}
    {%- endfor -%}
    {{ return(before == after) }}
{% endmacro %}
