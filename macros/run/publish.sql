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

    What publishes: `dbt build` of every model and every data test of the project, with
    every node of the run a success (warnings do not block; unit tests may be left out,
    they test the SQL, not the data). The publication also marks the staged tables as
    audited (`audited` in staging._build_state, in the same transaction on DuckDB and
    PostgreSQL), which lets the next incremental build limit some tests to its window
    (build_state.sql, audit_windows). `dbt run`, a selection (--select, --exclude) and
    --empty build and test the audit tables but publish nothing, and say so.
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
    {%- set failed = [] -%}
    {%- set skipped = [] -%}
    {%- set done = [] -%}
    {%- for result in results -%}
        {%- do done.append(result.node.unique_id) -%}
        {%- if result.status | string == 'skipped' -%}
            {%- do skipped.append(result) -%}
        {%- elif result.status | string not in ok -%}
            {%- do failed.append(result) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if failed or skipped -%}
        {%- set what = [] -%}
        {%- if failed -%}
            {%- set named = [] -%}
            {%- for result in failed[:3] -%}
                {%- do named.append(result.node.name ~ ' (' ~ result.status ~ ')') -%}
            {%- endfor -%}
            {%- if failed | length > 3 -%}
                {%- do named.append((failed | length - 3) ~ ' more') -%}
            {%- endif -%}
            {%- do what.append(named | join(', ') ~ ' did not pass') -%}
        {%- endif -%}
        {%- if skipped -%}
            {%- do what.append(skipped | length ~ (' node was' if skipped | length == 1
                else ' nodes were') ~ ' skipped') -%}
        {%- endif -%}
        {{ return({'publish': false, 'failed': true, 'reason':
            "nothing was published: " ~ what | join(', ') ~ "; the marts in schema "
            ~ marketing_kpis.published_schema() ~ " are those of the last run that passed."
            ~ " Fix what the messages above say and run dbt build again."}) }}
    {%- endif -%}
    {%- if flags.EMPTY or flags.SAMPLE -%}
        {{ return({'publish': false, 'failed': false, 'reason':
            "the marts were not published: --empty and --sample builds hold no real rows."}) }}
    {%- endif -%}
    {#- every model and every data test of the project, not a selection: all marts come
        from one input, and none is published untested -#}
    {%- set models = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | map(attribute='unique_id') | list -%}
    {#- (a test of a disabled model, such as the Mautic staging set outside Mautic input,
        can be in the graph, disabled, and never runs) -#}
    {%- set tests = [] -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'test') -%}
        {%- if node.config.enabled and node.depends_on.nodes
            and not (node.depends_on.nodes | reject('in', graph.nodes) | list) -%}
            {%- do tests.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set missing_models = models | reject('in', done) | list -%}
    {%- set missing_tests = tests | reject('in', done) | list -%}
    {%- if flags.WHICH == 'run' -%}
        {{ return({'publish': false, 'failed': false, 'reason':
            "the marts were not published: dbt run does not test them. This run's tables are in"
            ~ " schema " ~ marketing_kpis.audit_schema() ~ "; dbt build builds, tests and"
            ~ " publishes them."}) }}
    {%- elif missing_models or missing_tests -%}
        {{ return({'publish': false, 'failed': false, 'reason':
            "the marts were not published: this run built " ~ (models | length - missing_models
            | length) ~ " of the " ~ models | length ~ " models and ran " ~ (tests | length
            - missing_tests | length) ~ " of the " ~ tests | length ~ " data tests (a"
            ~ " selection); only a dbt build of every model and data test publishes, so that"
            ~ " all marts come from one input and none is untested. This run's tables are in"
            ~ " schema " ~ marketing_kpis.audit_schema() ~ "."}) }}
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
    {{ return(marketing_kpis.relation_in(marketing_kpis.published_schema(), identifier)) }}
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
    {%- do statements.append(marketing_kpis.audited_mark_sql()) -%}
    {%- do statements.append("commit") -%}
    {{ return(statements | join(";\n") ~ ";") }}
{% endmacro %}


{#- PostgreSQL: one transaction; a published table whose columns did not change is
    emptied and refilled (views a BI user made on it stay valid; delete, not truncate,
    which is not MVCC-safe for a reader's older snapshot), others are replaced -#}
{% macro postgres__publication_sql(marts) %}
    {%- set statements = ["begin",
                          "create schema if not exists "
                          ~ adapter.quote(marketing_kpis.published_schema())] -%}
    {%- for node in marts -%}
        {%- set audit = marketing_kpis.audit_relation(node) -%}
        {%- set published = marketing_kpis.published_relation(node.alias) -%}
        {%- if marketing_kpis.same_columns(published, audit) -%}
            {%- do statements.append("delete from " ~ published) -%}
            {%- do statements.append("insert into " ~ published ~ " select * from " ~ audit) -%}
        {%- else -%}
            {%- do statements.append("drop table if exists " ~ published) -%}
            {%- do statements.append("create table " ~ published ~ " as select * from " ~ audit) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do statements.extend(marketing_kpis.publication_log_sql(marts)) -%}
    {%- do statements.append(marketing_kpis.audited_mark_sql()) -%}
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
    {#- (no update on plain Parquet tables: _build_state is written again whole) -#}
    {%- set state = marketing_kpis.read_build_state() -%}
    {%- do state.update({'audited': marketing_kpis.test_definitions_checksum()}) -%}
    {%- do marketing_kpis.write_build_state(state) -%}
    {%- do adapter.commit() -%}
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
