{#-
    What the database was built from (DESIGN.md section 6, "One input, one history").

    Two tables in the staging schema, beside the tables they describe:
      _build_state          name, value: the input identity (`identity`, JSON), the
                            definition vars (`definitions`, JSON) and a checksum of the
                            models (`models`) the staging, intermediate and audit tables
                            were built with
      _incremental_history  per incremental staging table and day, the raw rows dated
                            before the cutoff the next incremental run will use and a
                            checksum of them, recorded when the table was last staged

    The preflight (on-run-start) compares the run's input and definitions with
    _build_state: another input or other definitions drop the incremental tables first, so
    that the run rebuilds them from scratch. On an incremental run it compares the export
    with _incremental_history: rows before the window that changed mean the export does not
    continue the one staged before, and the run is refused with `--full-refresh` as the fix.

    On Spark, whose plain Parquet tables can neither delete nor update rows,
    _incremental_history is partitioned by table_name and state, and its rows are
    replaced a partition at a time (history_* macros below); _build_state is rewritten
    whole with insert overwrite.
-#}

{#- true where incremental models keep state between runs (every engine) -#}
{% macro keeps_history() %}
    {{ return(marketing_kpis.event_model_materialization() == 'incremental') }}
{% endmacro %}


{% macro staging_schema() %}
    {{ return(var('schema_prefix', '') ~ 'staging') }}
{% endmacro %}


{% macro state_relation(name) %}
    {{ return(marketing_kpis.relation_in(marketing_kpis.staging_schema(), name)) }}
{% endmacro %}


{#- One statement of the preflight's writes, inside a transaction dbt knows of (it begins
    one if none is open), so that `adapter.commit()` commits them all before any model
    runs, on every engine. -#}
{% macro state_statement(sql) %}
    {%- call statement('marketing_kpis_build_state', auto_begin=true) -%}
        {{ sql }}
    {%- endcall -%}
{% endmacro %}


{#- creates the two state tables when missing (in the preflight, before any model runs:
    two staging models creating it at once would conflict) -#}
{% macro ensure_state_tables() %}
    {%- do marketing_kpis.state_statement("create schema if not exists "
        ~ adapter.quote(marketing_kpis.staging_schema())) -%}
    {%- do marketing_kpis.state_statement("create table if not exists "
        ~ marketing_kpis.state_relation('_build_state') ~ " (name " ~ dbt.type_string()
        ~ ", value " ~ dbt.type_string() ~ ", updated_at " ~ dbt.type_timestamp() ~ ")") -%}
    {%- do marketing_kpis.state_statement(marketing_kpis.history_table_ddl(
        marketing_kpis.state_relation('_incremental_history'))) -%}
{% endmacro %}


{#- _incremental_history: per incremental staging table (table_name), record state
    ('staged', or 'pending' while a run has not staged it yet) and day, the raw rows dated
    before the cutoff and their checksum -#}
{% macro history_table_ddl(relation) %}
    {{ return(adapter.dispatch('history_table_ddl', 'marketing_kpis')(relation)) }}
{% endmacro %}

{% macro default__history_table_ddl(relation) %}
    {{ return("create table if not exists " ~ relation ~ " (table_name " ~ dbt.type_string()
        ~ ", state " ~ dbt.type_string() ~ ", event_date date, raw_rows " ~ dbt.type_bigint()
        ~ ", raw_checksum " ~ dbt.type_string() ~ ", cutoff " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}

{#- Spark: partitioned by table_name and state, so that one record is replaced or dropped
    as a partition -#}
{% macro spark__history_table_ddl(relation) %}
    {{ return("create table if not exists " ~ relation ~ " (event_date date, raw_rows bigint,"
        ~ " raw_checksum string, cutoff timestamp, table_name string, state string)"
        ~ " using parquet partitioned by (table_name, state)") }}
{% endmacro %}


{#- Deletes the history rows of one table (all states, or one), or of every table -#}
{% macro history_rows_deleted(table_name=none, state=none) %}
    {%- do adapter.dispatch('history_rows_deleted', 'marketing_kpis')(table_name, state) -%}
{% endmacro %}

{% macro default__history_rows_deleted(table_name, state) %}
    {%- set conditions = [] -%}
    {%- if table_name -%}{%- do conditions.append("table_name = '" ~ table_name ~ "'") -%}{%- endif -%}
    {%- if state -%}{%- do conditions.append("state = '" ~ state ~ "'") -%}{%- endif -%}
    {%- do marketing_kpis.state_statement("delete from "
        ~ marketing_kpis.state_relation('_incremental_history')
        ~ (" where " ~ conditions | join(' and ') if conditions else "")) -%}
{% endmacro %}

{% macro spark__history_rows_deleted(table_name, state) %}
    {%- set history = marketing_kpis.state_relation('_incremental_history') -%}
    {%- if not table_name -%}
        {%- do marketing_kpis.state_statement("truncate table " ~ history) -%}
    {%- else -%}
        {%- for each_state in ([state] if state else ['pending', 'staged']) -%}
            {%- do marketing_kpis.state_statement("alter table " ~ history ~ " drop if exists"
                ~ " partition (table_name = '" ~ table_name ~ "', state = '" ~ each_state
                ~ "')") -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{#- Adds history rows of one table and state: `rows`, a list of SQL tuples
    (event_date, raw_rows, raw_checksum, cutoff) -#}
{% macro history_rows_inserted(table_name, state, rows) %}
    {%- do adapter.dispatch('history_rows_inserted', 'marketing_kpis')(table_name, state,
                                                                       rows) -%}
{% endmacro %}

{% macro default__history_rows_inserted(table_name, state, rows) %}
    {%- for batch in rows | batch(500) -%}
        {%- set values = [] -%}
        {%- for row in batch -%}
            {%- do values.append("('" ~ table_name ~ "', '" ~ state ~ "', " ~ row[1:]) -%}
        {%- endfor -%}
        {%- do marketing_kpis.state_statement("insert into "
            ~ marketing_kpis.state_relation('_incremental_history')
            ~ " (table_name, state, event_date, raw_rows, raw_checksum, cutoff) values "
            ~ values | join(', ')) -%}
    {%- endfor -%}
{% endmacro %}

{% macro spark__history_rows_inserted(table_name, state, rows) %}
    {%- for batch in rows | batch(500) -%}
        {%- do marketing_kpis.state_statement("insert into "
            ~ marketing_kpis.state_relation('_incremental_history') ~ " partition (table_name = '"
            ~ table_name ~ "', state = '" ~ state ~ "') values " ~ batch | join(', ')) -%}
    {%- endfor -%}
{% endmacro %}


{#- {name: value} of _build_state -#}
{% macro read_build_state() %}
    {%- set state = {} -%}
    {%- for row in run_query("select name, value from "
        ~ marketing_kpis.state_relation('_build_state')).rows -%}
        {%- do state.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {{ return(state) }}
{% endmacro %}


{% macro write_build_state(state) %}
    {%- set rows = [] -%}
    {%- for name, value in state.items() -%}
        {%- do rows.append("(" ~ marketing_kpis.quote_string(name) ~ ", "
            ~ marketing_kpis.quote_string(value) ~ ", " ~ marketing_kpis.run_timestamp() ~ ")") -%}
    {%- endfor -%}
    {%- do adapter.dispatch('write_build_state', 'marketing_kpis')(
        marketing_kpis.state_relation('_build_state'), rows) -%}
{% endmacro %}

{% macro default__write_build_state(relation, rows) %}
    {%- do marketing_kpis.state_statement("delete from " ~ relation) -%}
    {%- for row in rows -%}
        {%- do marketing_kpis.state_statement("insert into " ~ relation ~ " values " ~ row) -%}
    {%- endfor -%}
{% endmacro %}

{#- Spark: the whole table in one statement -#}
{% macro spark__write_build_state(relation, rows) %}
    {%- do marketing_kpis.state_statement("insert overwrite table " ~ relation ~ " values "
        ~ rows | join(', ')) -%}
{% endmacro %}


{#- the run's start (UTC) as an SQL timestamp -#}
{% macro run_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- What the run reads: {'input': ..., ...}, the same for the same input. A folder is
    known by its path, a schema by its name, the demo by the checksums of its seed files;
    the source system (and Mautic's table prefix) are part of it. -#}
{% macro input_identity() %}
    {%- set mode = marketing_kpis.raw_input_mode() -%}
    {%- set identity = {'source_system': marketing_kpis.source_system()} -%}
    {%- if mode == 'files' -%}
        {%- do identity.update({'input': 'folder', 'path': marketing_kpis.raw_folder()}) -%}
    {%- elif mode == 'tables' -%}
        {%- do identity.update({'input': 'schema',
                                'schema': ((marketing_kpis.target_database() ~ '.')
                                           if marketing_kpis.target_database() else '')
                                          ~ var('raw_schema')}) -%}
    {%- elif mode == 'portals' -%}
        {%- do identity.update({'input': 'portals'}) -%}
    {%- else -%}
        {%- set checksums = [] -%}
        {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed')
            | sort(attribute='name') -%}
            {%- do checksums.append(node.name ~ ':' ~ node.checksum.checksum) -%}
        {%- endfor -%}
        {%- do identity.update({'input': 'demo seeds',
                                'checksum': local_md5(checksums | join(','))}) -%}
    {%- endif -%}
    {%- if identity.source_system == 'mautic' -%}
        {%- do identity.update({'mautic_table_prefix': var('mautic_table_prefix', '')}) -%}
    {%- elif identity.source_system == 'hubspot' -%}
        {%- do identity.update({'hubspot_table_prefix': var('hubspot_table_prefix', ''),
                                'hubspot_portals': tojson(var('hubspot_portals', []))}) -%}
    {%- endif -%}
    {%- if marketing_kpis.crm_system() == 'salesforce' -%}
        {%- set location = marketing_kpis.salesforce_location() -%}
        {%- do identity.update({'crm_system': 'salesforce',
                                'salesforce_location': location.raw_data_path
                                    or location.raw_schema}) -%}
    {%- endif -%}
    {{ return(identity) }}
{% endmacro %}


{#- the identity in words: "folder /data/export", "schema raw_input", "the demo seeds" -#}
{% macro input_label(identity) -%}
    {%- if identity.get('input') == 'folder' -%}
        {%- set label = 'folder ' ~ identity.path -%}
    {%- elif identity.get('input') == 'schema' -%}
        {%- set label = 'schema ' ~ identity.schema -%}
    {%- elif identity.get('input') == 'portals' -%}
        {%- set label = 'the HubSpot portals of var hubspot_portals' -%}
    {%- else -%}
        {%- set label = 'the demo seeds' -%}
    {%- endif -%}
    {%- if identity.get('source_system') == 'mautic' -%}
        {%- set label = label ~ ' (a Mautic export' ~ (', table prefix '
            ~ identity.mautic_table_prefix if identity.mautic_table_prefix else '') ~ ')' -%}
    {%- endif -%}
    {%- if identity.get('source_system') == 'hubspot' -%}
        {%- set label = label ~ ' (a Fivetran HubSpot export' ~ (', table prefix '
            ~ identity.hubspot_table_prefix if identity.hubspot_table_prefix else '')
            ~ (', portals ' ~ identity.hubspot_portals
               if identity.hubspot_portals not in [none, '[]'] else '') ~ ')' -%}
    {%- endif -%}
    {%- if identity.get('crm_system') == 'salesforce' -%}
        {%- set label = label ~ ' with Salesforce from ' ~ identity.salesforce_location -%}
    {%- endif -%}
    {{ return(label) }}
{%- endmacro %}


{#- The vars that change what the models compute (every documented var but those that say
    where the input is, how to check it and where to write). -#}
{% macro definition_vars() %}
    {%- set not_definitions = ['raw_data_path', 'raw_schema', 'source_system',
                               'mautic_table_prefix', 'hubspot_table_prefix',
                               'hubspot_portals', 'schema_prefix', 'earliest_valid_date',
                               'crm_system', 'salesforce_data_path', 'salesforce_schema'] -%}
    {%- set values = {} -%}
    {%- set system = marketing_kpis.source_system() -%}
    {%- for name in marketing_kpis.var_kinds() if name not in not_definitions
        and (system == 'mautic' or not name.startswith('mautic_'))
        and (system == 'hubspot' or not name.startswith('hubspot_'))
        and (marketing_kpis.crm_system() == 'salesforce' or not name.startswith('salesforce_')) -%}
        {%- do values.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {{ return(values) }}
{% endmacro %}


{#- A checksum of the project's models (their files): a new version of a model is a new
    definition too. (Macros have no checksum dbt exposes: after a change of a macro alone,
    run `dbt build --full-refresh`.) -#}
{% macro models_checksum() %}
    {%- set checksums = [] -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | sort(attribute='unique_id') -%}
        {%- do checksums.append(node.unique_id ~ ':' ~ node.checksum.checksum) -%}
    {%- endfor -%}
    {{ return(local_md5(checksums | join(','))) }}
{% endmacro %}


{#- The models whose tables carry rows over from one run to the next -#}
{% macro incremental_nodes() %}
    {{ return(graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('config.materialized', 'equalto', 'incremental')
        | sort(attribute='name') | list) }}
{% endmacro %}


{#- Another input or other definitions than the tables were built from: drop the
    incremental tables so that this run rebuilds them from scratch, and say why in one line.
    Records the run's input and definitions. -#}
{% macro rebuild_if_the_input_changed() %}
    {%- do marketing_kpis.ensure_state_tables() -%}
    {%- set identity = marketing_kpis.input_identity() -%}
    {%- if identity.source_system == 'hubspot' -%}
        {#- merges and deletions re-key a contact's whole history -#}
        {%- do identity.update({'hubspot_contacts': marketing_kpis.hubspot_contacts_fingerprint()}) -%}
    {%- endif -%}
    {%- set definitions = marketing_kpis.definition_vars() -%}
    {%- set state = marketing_kpis.read_build_state() -%}
    {%- set existing = [] -%}
    {%- for node in marketing_kpis.incremental_nodes() -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema,
                                                identifier=node.alias) -%}
        {%- if relation is not none -%}{%- do existing.append(relation) -%}{%- endif -%}
    {%- endfor -%}

    {%- set reasons = [] -%}
    {%- if existing and not flags.FULL_REFRESH -%}
        {%- if 'identity' not in state -%}
            {%- do reasons.append("the tables of schema " ~ marketing_kpis.staging_schema()
                ~ " carry no record of the input they were built from") -%}
        {%- elif fromjson(state.identity).get('hubspot_contacts', none) not in [none,
            identity.get('hubspot_contacts')] and marketing_kpis.without_key(
            fromjson(state.identity), 'hubspot_contacts') == marketing_kpis.without_key(
            identity, 'hubspot_contacts') -%}
            {%- do reasons.append("contacts of the HubSpot export were merged or deleted"
                ~ " since the tables were built, which moves or drops rows of every day of"
                ~ " their history") -%}
        {%- elif fromjson(state.identity) != identity -%}
            {%- do reasons.append("the input is " ~ marketing_kpis.input_label(identity)
                ~ ", the tables were built from " ~ marketing_kpis.input_label(
                fromjson(state.identity))) -%}
        {%- elif state.get('models') != marketing_kpis.models_checksum() -%}
            {%- do reasons.append("the models changed since the tables were built (another"
                ~ " version of the project)") -%}
        {%- else -%}
            {%- set before = fromjson(state.get('definitions', '{}')) -%}
            {%- for name, value in definitions.items() -%}
                {%- if name not in before or before[name] != value -%}
                    {%- do reasons.append("var " ~ name ~ " is "
                        ~ marketing_kpis.shown_value(value) ~ ", the tables were built with "
                        ~ (marketing_kpis.shown_value(before[name]) if name in before
                           else 'its default of an earlier version')) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {%- if reasons -%}
        {%- for relation in existing -%}
            {%- do adapter.drop_relation(relation) -%}
        {%- endfor -%}
        {%- do marketing_kpis.history_rows_deleted() -%}
        {%- do marketing_kpis.say("rebuilding from scratch, as --full-refresh would: "
            ~ reasons | join('; ') ~ ".") -%}
    {%- endif -%}
    {#- the audit of this run: windows where the previous run published after an audit of
        the same tests; marked not audited until this run publishes -#}
    {%- set windows = marketing_kpis.audit_windows(state, reasons) -%}
    {%- do marketing_kpis.write_build_state({'identity': tojson(identity, sort_keys=true),
                                             'definitions': tojson(definitions, sort_keys=true),
                                             'models': marketing_kpis.models_checksum(),
                                             'audited': '',
                                             'audit_windows': tojson(windows, sort_keys=true)}) -%}
    {%- do adapter.commit() -%}
    {{ return(reasons | length > 0) }}
{% endmacro %}


{#- The data tests limited to the window of an incremental run (tests with a
    window_column: macros/tests/test_unique_combination_of_columns.sql). A window is only
    sound when every row outside it passed an audit and no run changed it since, so one is
    recorded when all of these hold:
      - the command is `dbt build`, not a full refresh, and the tables are kept (no rebuild
        from scratch: same input, definitions and models);
      - the previous run published, which needs every model and data test of the project
        to have passed: its publication wrote `audited` with the checksum of the tests
        (test_definitions_checksum), and the tests are the same now. Every run's preflight
        clears the mark first, so a run that failed, was killed, or did not publish (dbt
        run, a selection) leaves it cleared, and the next build audits whole tables.
    Only tests of severity error: a warning does not stop the publication, so the rows
    outside the window may hold what it warned of, and it must be seen again.
    The bound of a test: the latest value of its window_column in the table before any
    model runs, minus var incremental_lookback_days plus two days. Every incremental model
    of the project writes only rows at or after its cutoff, which is at most the lookback
    plus one day (a day for the reporting time zone or the truncation to a UTC day) before
    its latest value, so the bound is at or before it.
    Returns {'invocation_id': ..., 'bounds': {"<relation>.<column>": SQL literal}}. -#}
{% macro audit_windows(state, reasons) %}
    {%- set bounds = {} -%}
    {%- if flags.WHICH == 'build' and not flags.FULL_REFRESH and not reasons
        and state.get('audited', '') != ''
        and state.get('audited') == marketing_kpis.test_definitions_checksum() -%}
        {%- set margin = modules.datetime.timedelta(
            days=marketing_kpis.setting('incremental_lookback_days') | int + 2) -%}
        {%- for test in graph.nodes.values() | selectattr('resource_type', 'equalto', 'test')
            if test.config.enabled and test.test_metadata is defined and test.test_metadata
            and (test.test_metadata.kwargs or {}).get('window_column')
            and (test.config.severity or 'error') | lower == 'error'
            and test.depends_on.nodes | length == 1
            and test.depends_on.nodes[0] in graph.nodes -%}
            {%- set node = graph.nodes[test.depends_on.nodes[0]] -%}
            {%- set column = test.test_metadata.kwargs.window_column -%}
            {%- set relation = adapter.get_relation(database=node.database,
                schema=node.schema, identifier=node.alias) -%}
            {%- if node.config.materialized == 'incremental' and relation is not none -%}
                {%- set latest = run_query("select max(" ~ column ~ ") from "
                    ~ relation).columns[0].values()[0] -%}
                {%- if latest is not none -%}
                    {%- set bound = latest - margin -%}
                    {%- do bounds.update({marketing_kpis.audit_window_key(relation, column):
                        ("cast('" ~ bound.strftime('%Y-%m-%d %H:%M:%S') ~ "' as "
                         ~ dbt.type_timestamp() ~ ")") if bound.hour is defined
                        else ("cast('" ~ bound.strftime('%Y-%m-%d') ~ "' as date)")}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return({'invocation_id': invocation_id, 'bounds': bounds}) }}
{% endmacro %}


{% macro audit_window_key(relation, column) %}
    {{ return((relation | string | lower) ~ '.' ~ column | lower) }}
{% endmacro %}


{#- The window bound this run's preflight recorded for a test of `model` on `column`, as
    SQL, or none: the test then checks the whole table (any other command than dbt build,
    a model filtered by a `where` config, no window recorded for this run). -#}
{% macro audit_window_bound(model, column) %}
    {%- if not execute or not column or flags.WHICH != 'build' or flags.FULL_REFRESH
        or model.identifier is not defined -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set windows = fromjson(marketing_kpis.read_build_state().get('audit_windows')
                               or '{}') -%}
    {%- if windows.get('invocation_id') != invocation_id -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(windows.get('bounds', {}).get(marketing_kpis.audit_window_key(model, column))) }}
{% endmacro %}


{#- A checksum of the project's data tests: their ids, the generic test and its arguments,
    and the configs that change what fails (a singular test by its file). A changed test
    makes the next build audit whole tables. (As for models, a change of a macro alone is
    not seen: run `dbt build --full-refresh` after one.) -#}
{% macro test_definitions_checksum() %}
    {%- set parts = [] -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'test')
        | sort(attribute='unique_id') if node.config.enabled -%}
        {%- do parts.append(node.unique_id ~ ':' ~ node.checksum.checksum ~ ':'
            ~ tojson(node.test_metadata if node.test_metadata is defined else none,
                     sort_keys=true)
            ~ ':' ~ tojson([node.config.severity, node.config.where, node.config.error_if,
                            node.config.warn_if, node.config.fail_calc, node.config.limit])) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join(','))) }}
{% endmacro %}


{#- After a publication: this database's tables passed the audit of these tests -#}
{% macro audited_mark_sql() %}
    {{ return("update " ~ marketing_kpis.state_relation('_build_state') ~ " set value = "
        ~ marketing_kpis.quote_string(marketing_kpis.test_definitions_checksum())
        ~ " where name = 'audited'") }}
{% endmacro %}


{#- a copy of a dict without one key -#}
{% macro without_key(mapping, key) %}
    {%- set copy = {} -%}
    {%- for name, value in mapping.items() if name != key -%}
        {%- do copy.update({name: value}) -%}
    {%- endfor -%}
    {{ return(copy) }}
{% endmacro %}


{#- The expressions of one incremental table's history: its raw event time (as it stands
    when typed, normalized when text), the hash of its raw row (the values as exported:
    no normalization, the same on every pass), and its normalized columns (to compare
    with the staged rows). -#}
{% macro history_columns(table_name, raw) %}
    {%- set spec = marketing_kpis.raw_contract()[table_name] -%}
    {%- set columns = [] -%}
    {%- set named = [] -%}
    {%- for column, column_spec in spec.columns.items() -%}
        {%- do columns.append(marketing_kpis.normalize_column(column, column_spec)) -%}
        {%- do named.append(columns[-1] ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {{ return({'event_time': marketing_kpis.typed_time(spec.event_time,
                   spec.columns[spec.event_time], (raw.raw_types or {}).get(spec.event_time)),
               'row_hash': marketing_kpis.row_hash_number(spec.columns.keys() | list),
               'named': named, 'names': spec.columns.keys() | list}) }}
{% endmacro %}


{#- Per day of the raw rows dated before each of `cutoffs` (SQL timestamps; scan_until,
    the latest of them, defaults to the last): the rows and the sum of their hashes
    (duplicates included: a raw count, not a staged one). One scan. Columns: event_date,
    then rows and checksum per cutoff. -#}
{% macro history_per_day_sql(table_name, raw, cutoffs, scan_until=none) %}
    {%- set history = marketing_kpis.history_columns(table_name, raw) -%}
    {%- set per_day_sql -%}
        select
            event_date
            {%- for cutoff in cutoffs %},
            count(case when event_time < {{ cutoff }} then 1 end) as raw_rows_{{ loop.index }},
            cast(sum(case when event_time < {{ cutoff }} then row_hash end)
                as {{ dbt.type_string() }}) as raw_checksum_{{ loop.index }}
            {%- endfor %}
        from (
            select
                {{ history.event_time }} as event_time,
                cast({{ history.event_time }} as date) as event_date,
                {{ history.row_hash }} as row_hash
            from {{ raw.sql }}
            where {{ history.event_time }} < {{ scan_until or cutoffs | last }}
        ) as raw_before_cutoff
        group by event_date
    {%- endset -%}
    {{ return(per_day_sql) }}
{% endmacro %}


{#- the SQL of a cutoff value -#}
{% macro timestamp_sql(value) -%}
    cast('{{ value }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Post-hook of the incremental staging models: the history of the table as staged now
    (per day, the raw rows dated before the cutoff the next run will use, and their
    checksum). The preflight computed it already, in the scan of its own check, as a
    pending record for the cutoff this build would reach; when the table reached it, the
    pending record becomes the record, else (Mautic input, or a build that ended
    elsewhere) the raw table is scanned here. Runs inside the model's transaction, so the
    record always describes the staged table. -#}
{% macro record_incremental_history() %}
    {%- if not execute or not marketing_kpis.keeps_history() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set table_name = this.identifier[4:] -%}
    {%- set spec = marketing_kpis.raw_contract()[table_name] -%}
    {%- set history = marketing_kpis.state_relation('_incremental_history') -%}
    {%- set cutoff = marketing_kpis.incremental_cutoff_value(spec.event_time) -%}
    {%- set this_table = "table_name = '" ~ table_name ~ "'" -%}
    {%- set promote = false -%}
    {%- if cutoff is not none -%}
        {%- set pending = run_query("select count(*), min(cutoff), max(cutoff) from " ~ history
            ~ " where " ~ this_table ~ " and state = 'pending'").rows[0] -%}
        {%- set promote = pending[0] > 0 and pending[1] == pending[2]
            and marketing_kpis.timestamp_sql(pending[1]) == cutoff -%}
    {%- endif -%}
    {%- set raw = marketing_kpis.raw_input_info(table_name, windowed=false)
        if cutoff is not none and not promote else none -%}
    {{ return(adapter.dispatch('record_incremental_history', 'marketing_kpis')(
        table_name, history, cutoff, promote, raw)) }}
{% endmacro %}

{#- DuckDB, PostgreSQL: SQL the post-hook runs inside the model's transaction -#}
{% macro default__record_incremental_history(table_name, history, cutoff, promote, raw) %}
    {%- set this_table = "table_name = '" ~ table_name ~ "'" -%}
    {%- if cutoff is none -%}
        {{ return("delete from " ~ history ~ " where " ~ this_table) }}
    {%- elif promote -%}
        {{ return("delete from " ~ history ~ " where " ~ this_table ~ " and state = 'staged';"
            ~ " update " ~ history ~ " set state = 'staged' where " ~ this_table) }}
    {%- endif -%}
    {%- set record_sql -%}
        delete from {{ history }} where {{ this_table }};
        insert into {{ history }} (table_name, state, event_date, raw_rows, raw_checksum, cutoff)
        select '{{ table_name }}', 'staged', event_date, raw_rows_1, raw_checksum_1, {{ cutoff }}
        from ({{ marketing_kpis.history_per_day_sql(table_name, raw, [cutoff]) }}) as per_day
        where raw_rows_1 > 0
    {%- endset -%}
    {{ return(record_sql) }}
{% endmacro %}

{#- Spark (no transactions, no delete or update): the record's partitions are written
    here, and the post-hook itself is empty. A promotion reads the pending rows and writes
    them as the staged partition (Spark cannot overwrite a partition from a query that
    reads its own table). -#}
{% macro spark__record_incremental_history(table_name, history, cutoff, promote, raw) %}
    {%- set rows = [] -%}
    {%- if cutoff is not none -%}
        {%- set source_sql = ("select event_date, raw_rows, raw_checksum, cutoff from " ~ history
            ~ " where table_name = '" ~ table_name ~ "' and state = 'pending'") if promote
            else ("select event_date, raw_rows_1, raw_checksum_1, " ~ cutoff ~ " from ("
                ~ marketing_kpis.history_per_day_sql(table_name, raw, [cutoff])
                ~ ") as per_day where raw_rows_1 > 0") -%}
        {%- for row in run_query(source_sql).rows -%}
            {%- do rows.append("(cast('" ~ row[0] ~ "' as date), " ~ row[1] ~ ", '" ~ row[2]
                ~ "', " ~ marketing_kpis.timestamp_sql(row[3]) ~ ")") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do marketing_kpis.history_rows_deleted(table_name) -%}
    {%- do marketing_kpis.history_rows_inserted(table_name, 'staged', rows) -%}
    {{ return('') }}
{% endmacro %}


{#- On an incremental run: what contradicts the history of one incremental staging table,
    or none. The rows dated before the window (before the cutoff) are not restaged: the
    export must still hold exactly those that were staged. Per day, their count and
    checksum are compared with the record; on the days that differ, the distinct rows of
    the export are compared with the staged ones: rows staged that the export lost or
    changed, or rows never staged (late arrivals older than the window, another export),
    are the contradiction; exact duplicates (an overlapping export) are not. In the window,
    a staged event time the export no longer holds would survive the restaging (it
    replaces rows by event time): a contradiction too. An absent input whose staged table
    has rows is one as well.
    latest: the latest raw event time (the preflight's inventory read it). The same scan
    then writes the pending record of the history this run will stage (the post-hook
    makes it the record), so that the raw history is read once per run. -#}
{% macro incremental_history_problem(table_name, in_hook=false, latest=none) %}
    {%- if not marketing_kpis.keeps_history() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set spec = marketing_kpis.raw_contract()[table_name] -%}
    {%- set history_table = marketing_kpis.state_relation('_incremental_history') -%}
    {%- set this_table = "table_name = '" ~ table_name ~ "'" -%}
    {%- do marketing_kpis.history_rows_deleted(table_name, 'pending') -%}
    {%- set staged = adapter.get_relation(database=marketing_kpis.target_database(),
        schema=marketing_kpis.staging_schema(), identifier='stg_' ~ table_name) -%}
    {%- set fix = " Run `dbt build --full-refresh` to rebuild everything from this export." -%}
    {%- set raw = marketing_kpis.raw_input_info(table_name, windowed=false, in_hook=in_hook) -%}
    {%- set check = staged is not none and not flags.FULL_REFRESH -%}
    {%- if not raw.exists or raw.is_empty_file -%}
        {%- set staged_rows = run_query("select count(*) from " ~ staged).rows[0][0]
            if check else 0 -%}
        {%- if staged_rows > 0 -%}
            {{ return(raw.label ~ " is " ~ ("empty" if raw.exists else "absent") ~ ", but "
                ~ "{:,}".format(staged_rows) ~ " " ~ table_name ~ " rows were staged from the"
                ~ " export before: an incremental run would keep them. Put the table back,"
                ~ " or, if it is meant to be empty now, run `dbt build --full-refresh`.") }}
        {%- endif -%}
        {{ return(none) }}
    {%- endif -%}

    {#- the record of the staged table, and the cutoff it was made for -#}
    {%- set recorded = run_query("select event_date, raw_rows, raw_checksum, cutoff from "
        ~ history_table ~ " where " ~ this_table ~ " and state = 'staged'")
        if check else none -%}
    {%- set check = check and recorded.rows | length > 0 -%}
    {%- set cutoff_value = recorded.rows[0][3] if check else none -%}
    {%- if check and marketing_kpis.incremental_cutoff_value(spec.event_time, staged)
        != marketing_kpis.timestamp_sql(cutoff_value) -%}
        {{ return("the staged table " ~ staged ~ " does not match the record of the export it"
            ~ " was staged from (" ~ history_table ~ "): it was changed by something else"
            ~ " than this project." ~ fix) }}
    {%- endif -%}

    {#- one scan: per day before the recorded cutoff (the check) and before the cutoff this
        run will reach (the pending record) -#}
    {%- set next_value = marketing_kpis.window_start_value(latest) if latest is not none
        else none -%}
    {%- set cutoffs = [] -%}
    {%- if check -%}{%- do cutoffs.append(cutoff_value) -%}{%- endif -%}
    {%- if next_value is not none -%}{%- do cutoffs.append(next_value) -%}{%- endif -%}
    {%- if not cutoffs -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set cutoff_sqls = [] -%}
    {%- for value in cutoffs -%}
        {%- do cutoff_sqls.append(marketing_kpis.timestamp_sql(value)) -%}
    {%- endfor -%}
    {%- set per_day = run_query(marketing_kpis.history_per_day_sql(table_name, raw, cutoff_sqls,
        marketing_kpis.timestamp_sql(cutoffs | max))).rows -%}
    {%- if next_value is not none -%}
        {%- set at = 1 + 2 * (cutoffs | length - 1) -%}
        {%- set values = [] -%}
        {%- for row in per_day if row[at] > 0 -%}
            {%- do values.append("(cast('" ~ row[0] ~ "' as date), " ~ row[at] ~ ", '"
                ~ row[at + 1] ~ "', " ~ marketing_kpis.timestamp_sql(next_value) ~ ")") -%}
        {%- endfor -%}
        {%- do marketing_kpis.history_rows_inserted(table_name, 'pending', values) -%}
    {%- endif -%}
    {%- if not check -%}
        {{ return(none) }}
    {%- endif -%}

    {%- set before = {} -%}
    {%- for row in recorded.rows -%}
        {%- do before.update({row[0] | string: [row[1], row[2]]}) -%}
    {%- endfor -%}
    {%- set now = {} -%}
    {%- for row in per_day if row[1] > 0 -%}
        {%- do now.update({row[0] | string: [row[1], row[2]]}) -%}
    {%- endfor -%}
    {%- set cutoff = marketing_kpis.timestamp_sql(cutoff_value) -%}
    {%- set history = marketing_kpis.history_columns(table_name, raw) -%}
    {%- set suspects = [] -%}
    {%- for day in (before.keys() | list) + (now.keys() | list) -%}
        {%- if before.get(day) != now.get(day) and day not in suspects -%}
            {%- do suspects.append(day) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set window = "dated before " ~ cutoff_value ~ " (before the incremental window, var"
        ~ " incremental_lookback_days = " ~ marketing_kpis.setting('incremental_lookback_days')
        ~ " days before the latest event staged)" -%}
    {%- set problems = [] -%}
    {%- if suspects -%}
        {%- set days = [] -%}
        {%- for day in suspects | sort -%}
            {%- do days.append("cast('" ~ day ~ "' as date)") -%}
        {%- endfor -%}
        {%- set exported -%}
            select distinct {{ history.named | join(', ') }}
            from {{ raw.sql }}
            where {{ history.event_time }} < {{ cutoff }}
                and cast({{ history.event_time }} as date) in ({{ days | join(', ') }})
        {%- endset -%}
        {%- set staged_before -%}
            select {{ history.names | join(', ') }}
            from {{ staged }}
            where {{ spec.event_time }} < {{ cutoff }}
                and cast({{ spec.event_time }} as date) in ({{ days | join(', ') }})
        {%- endset -%}
        {%- set compared -%}
            select 'gone', count(*), min({{ spec.event_time }})
            from ({{ staged_before }} except {{ exported }}) as gone
            union all
            select 'new', count(*), min({{ spec.event_time }})
            from ({{ exported }} except {{ staged_before }}) as new_rows
        {%- endset -%}
        {%- for row in run_query(compared).rows if row[1] > 0 -%}
            {%- if row[0] == 'gone' -%}
                {%- do problems.append("{:,}".format(row[1]) ~ " row" ~ ("s" if row[1] != 1 else "")
                    ~ " staged from it " ~ ("are" if row[1] != 1 else "is") ~ " no longer in it"
                    ~ " (e.g. the one at " ~ row[2] ~ ")") -%}
            {%- else -%}
                {%- do problems.append("{:,}".format(row[1]) ~ " row" ~ ("s" if row[1] != 1 else "")
                    ~ " in it " ~ ("were" if row[1] != 1 else "was") ~ " never staged (e.g. the"
                    ~ " one at " ~ row[2] ~ "): late arrivals, or rows changed since") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if problems -%}
        {{ return(raw.label ~ " does not continue the export staged before: of its "
            ~ table_name ~ " " ~ window ~ ", " ~ problems | join('; ') ~ ". An incremental run"
            ~ " would count them wrong." ~ fix) }}
    {%- endif -%}
    {#- the window is restaged by event time: a staged event time the export lost stays -#}
    {%- set lost_sql -%}
        select count(*), min(staged.{{ spec.event_time }})
        from (
            select distinct {{ spec.event_time }}
            from {{ staged }}
            where {{ spec.event_time }} >= {{ cutoff }}
        ) as staged
        where staged.{{ spec.event_time }} not in (
            select {{ history.event_time }}
            from {{ raw.sql }}
            where {{ history.event_time }} >= {{ cutoff }}
        )
    {%- endset -%}
    {%- set lost = run_query(lost_sql).rows[0] -%}
    {%- if lost[0] > 0 -%}
        {{ return(raw.label ~ " does not continue the export staged before: it no longer holds"
            ~ " the " ~ table_name ~ " rows staged at " ~ "{:,}".format(lost[0]) ~ " moment"
            ~ ("s" if lost[0] != 1 else "") ~ " of the incremental window (from "
            ~ cutoff_value ~ "), e.g. " ~ lost[1] ~ "; an incremental run would keep them."
            ~ fix) }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}
