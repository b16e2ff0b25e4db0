{#-
    What the database was built from (DESIGN.md section 6, "One input, one history").

    Two tables in the staging schema, beside the tables they describe:
      _build_state          name, value: the input identity (`identity`, JSON) and the
                            definition vars (`definitions`, JSON) the staging, intermediate
                            and audit tables were built with
      _incremental_history  per incremental staging table, the raw rows dated before the
                            cutoff the next incremental run will use, counted per day
                            (and in all, on a row with a null event_date) when the table
                            was last staged

    The preflight (on-run-start) compares the run's input and definitions with
    _build_state: another input or other definitions drop the incremental tables first, so
    that the run rebuilds them from scratch. On an incremental run it compares the export
    with _incremental_history: rows before the window that changed mean the export does not
    continue the one staged before, and the run is refused with `--full-refresh` as the fix.

    Spark builds its event models as plain tables on every run (no incremental state to
    carry over): none of this applies there.
-#}

{#- true where incremental models keep state between runs (DuckDB, PostgreSQL) -#}
{% macro keeps_history() %}
    {{ return(marketing_kpis.event_model_materialization() == 'incremental') }}
{% endmacro %}


{% macro staging_schema() %}
    {{ return(var('schema_prefix', '') ~ 'staging') }}
{% endmacro %}


{% macro state_relation(name) %}
    {{ return(api.Relation.create(database=target.database,
                                  schema=marketing_kpis.staging_schema(), identifier=name)) }}
{% endmacro %}


{#- creates the two state tables when missing (in the preflight, before any model runs:
    two staging models creating it at once would conflict) -#}
{% macro ensure_state_tables() %}
    {%- do run_query("create schema if not exists " ~ adapter.quote(marketing_kpis.staging_schema())) -%}
    {%- do run_query("create table if not exists " ~ marketing_kpis.state_relation('_build_state')
        ~ " (name " ~ dbt.type_string() ~ ", value " ~ dbt.type_string() ~ ", updated_at "
        ~ dbt.type_timestamp() ~ ")") -%}
    {%- do run_query("create table if not exists "
        ~ marketing_kpis.state_relation('_incremental_history') ~ " (table_name "
        ~ dbt.type_string() ~ ", event_date date, raw_rows " ~ dbt.type_bigint() ~ ", cutoff "
        ~ dbt.type_timestamp() ~ ")") -%}
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
    {%- set relation = marketing_kpis.state_relation('_build_state') -%}
    {%- do run_query("delete from " ~ relation) -%}
    {%- for name, value in state.items() -%}
        {%- do run_query("insert into " ~ relation ~ " values ("
            ~ marketing_kpis.quote_string(name) ~ ", " ~ marketing_kpis.quote_string(value)
            ~ ", " ~ marketing_kpis.run_timestamp() ~ ")") -%}
    {%- endfor -%}
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
                                'schema': target.database ~ '.' ~ var('raw_schema')}) -%}
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
    {%- endif -%}
    {{ return(identity) }}
{% endmacro %}


{#- the identity in words: "folder /data/export", "schema raw_input", "the demo seeds" -#}
{% macro input_label(identity) -%}
    {%- if identity.get('input') == 'folder' -%}
        {%- set label = 'folder ' ~ identity.path -%}
    {%- elif identity.get('input') == 'schema' -%}
        {%- set label = 'schema ' ~ identity.schema -%}
    {%- else -%}
        {%- set label = 'the demo seeds' -%}
    {%- endif -%}
    {%- if identity.get('source_system') == 'mautic' -%}
        {%- set label = label ~ ' (a Mautic export' ~ (', table prefix '
            ~ identity.mautic_table_prefix if identity.mautic_table_prefix else '') ~ ')' -%}
    {%- endif -%}
    {{ return(label) }}
{%- endmacro %}


{#- The vars that change what the models compute (every documented var but those that say
    where the input is, how to check it and where to write). -#}
{% macro definition_vars() %}
    {%- set not_definitions = ['raw_data_path', 'raw_schema', 'source_system',
                               'mautic_table_prefix', 'schema_prefix', 'earliest_valid_date'] -%}
    {%- set values = {} -%}
    {%- set mautic = marketing_kpis.source_system() == 'mautic' -%}
    {%- for name in marketing_kpis.var_kinds() if name not in not_definitions
        and (mautic or not name.startswith('mautic_')) -%}
        {%- do values.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {{ return(values) }}
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
        {%- elif fromjson(state.identity) != identity -%}
            {%- do reasons.append("the input is " ~ marketing_kpis.input_label(identity)
                ~ ", the tables were built from " ~ marketing_kpis.input_label(
                fromjson(state.identity))) -%}
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
        {%- do run_query("delete from " ~ marketing_kpis.state_relation('_incremental_history')) -%}
        {%- do marketing_kpis.say("rebuilding from scratch, as --full-refresh would: "
            ~ reasons | join('; ') ~ ".") -%}
    {%- elif flags.FULL_REFRESH -%}
        {%- do run_query("delete from " ~ marketing_kpis.state_relation('_incremental_history')) -%}
    {%- endif -%}
    {%- do marketing_kpis.write_build_state({'identity': tojson(identity, sort_keys=true),
                                             'definitions': tojson(definitions, sort_keys=true)}) -%}
    {%- do adapter.commit() -%}
    {{ return(reasons | length > 0) }}
{% endmacro %}


{#- Post-hook of the incremental staging models: the raw rows dated before the cutoff the
    next incremental run will use (this table's latest event time minus var
    incremental_lookback_days), per day and in all. Runs inside the model's transaction, so
    the record always describes the staged table. -#}
{% macro record_incremental_history() %}
    {%- if not execute or not marketing_kpis.keeps_history() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set table_name = this.identifier[4:] -%}
    {%- set spec = marketing_kpis.raw_contract()[table_name] -%}
    {%- set history = marketing_kpis.state_relation('_incremental_history') -%}
    {%- set cutoff = marketing_kpis.incremental_cutoff_value(spec.event_time) -%}
    {%- set delete_sql = "delete from " ~ history ~ " where table_name = '" ~ table_name ~ "'" -%}
    {%- if cutoff is none -%}
        {{ return(delete_sql) }}
    {%- endif -%}
    {%- set raw = marketing_kpis.raw_input_info(table_name, windowed=false) -%}
    {%- set event_time = marketing_kpis.normalize_column(spec.event_time,
                                                          spec.columns[spec.event_time]) -%}
    {%- set record_sql -%}
        {{ delete_sql }};
        insert into {{ history }} (table_name, event_date, raw_rows, cutoff)
        select '{{ table_name }}', event_date, count(*), {{ cutoff }}
        from (
            select cast({{ event_time }} as date) as event_date
            from {{ raw.sql }}
            where {{ event_time }} < {{ cutoff }}
        ) as raw_before_cutoff
        group by event_date
        union all
        select '{{ table_name }}', null, count(*), {{ cutoff }}
        from {{ raw.sql }}
        where {{ event_time }} < {{ cutoff }}
    {%- endset -%}
    {{ return(record_sql) }}
{% endmacro %}


{#- On an incremental run: what contradicts the history of one incremental staging table,
    or none. The rows dated before the window (before the cutoff) are not restaged: the
    export must still hold exactly those that were staged. Fewer rows per day than were
    staged mean the export lost or changed history; more rows are exact duplicates of staged
    rows (harmless) or rows that would never be staged (late arrivals older than the
    window, or another export): those are the contradiction. -#}
{% macro incremental_history_problem(table_name, in_hook=false) %}
    {%- if not marketing_kpis.keeps_history() or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set spec = marketing_kpis.raw_contract()[table_name] -%}
    {%- set staged = adapter.get_relation(database=target.database,
        schema=marketing_kpis.staging_schema(), identifier='stg_' ~ table_name) -%}
    {%- if staged is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set recorded = run_query("select event_date, raw_rows, cutoff from "
        ~ marketing_kpis.state_relation('_incremental_history') ~ " where table_name = '"
        ~ table_name ~ "'") -%}
    {%- if not recorded.rows -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set cutoff_value = recorded.rows[0][2] -%}
    {%- set cutoff = "cast('" ~ cutoff_value ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set staged_cutoff = marketing_kpis.incremental_cutoff_value(spec.event_time, staged) -%}
    {%- if staged_cutoff != cutoff -%}
        {#- the staged table changed without its record (built by an earlier version) -#}
        {{ return(none) }}
    {%- endif -%}
    {%- set before = {} -%}
    {%- for row in recorded.rows -%}
        {%- do before.update({row[0] | string: row[1]}) -%}
    {%- endfor -%}

    {%- set raw = marketing_kpis.raw_input_info(table_name, windowed=false, in_hook=in_hook) -%}
    {%- set event_time = marketing_kpis.normalize_column(spec.event_time,
                                                          spec.columns[spec.event_time]) -%}
    {%- set now = {} -%}
    {%- for row in run_query("select cast(" ~ event_time ~ " as date), count(*) from "
        ~ raw.sql ~ " where " ~ event_time ~ " < " ~ cutoff ~ " group by cast(" ~ event_time
        ~ " as date)").rows -%}
        {%- do now.update({row[0] | string: row[1]}) -%}
    {%- endfor -%}
    {%- set fewer = [] -%}
    {%- set more = [] -%}
    {%- for day, rows in before.items() if day != 'None' -%}
        {%- if now.get(day, 0) < rows -%}{%- do fewer.append(day) -%}{%- endif -%}
    {%- endfor -%}
    {%- for day, rows in now.items() -%}
        {%- if rows > before.get(day, 0) -%}{%- do more.append(day) -%}{%- endif -%}
    {%- endfor -%}
    {%- set window = "before " ~ cutoff_value ~ " (the start of the incremental window: var"
        ~ " incremental_lookback_days = " ~ var('incremental_lookback_days') ~ " days before"
        ~ " the latest event staged)" -%}
    {%- set fix = " Run `dbt build --full-refresh` to rebuild everything from this export." -%}
    {%- if fewer -%}
        {%- set day = fewer | sort | first -%}
        {{ return(raw.label ~ " does not continue the export staged before: it holds fewer "
            ~ table_name ~ " rows dated " ~ window ~ " than were staged, e.g. " ~ now.get(day, 0)
            ~ " instead of " ~ before[day] ~ " on " ~ day ~ "." ~ fix) }}
    {%- endif -%}
    {%- if not more -%}
        {{ return(none) }}
    {%- endif -%}
    {#- the extra rows of those days that are not exact duplicates of staged rows -#}
    {%- set columns = [] -%}
    {%- for column, column_spec in spec.columns.items() -%}
        {%- do columns.append(marketing_kpis.normalize_column(column, column_spec)
            ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {%- set days = [] -%}
    {%- for day in more | sort -%}
        {%- do days.append("cast('" ~ day ~ "' as date)") -%}
    {%- endfor -%}
    {%- set unstaged -%}
        select count(*), min(occurred) from (
            select {{ columns | join(', ') }}, {{ event_time }} as occurred
            from {{ raw.sql }}
            where {{ event_time }} < {{ cutoff }}
                and cast({{ event_time }} as date) in ({{ days | join(', ') }})
            except
            select {{ spec.columns.keys() | join(', ') }}, {{ spec.event_time }} as occurred
            from {{ staged }}
            where {{ spec.event_time }} < {{ cutoff }}
                and cast({{ spec.event_time }} as date) in ({{ days | join(', ') }})
        ) as not_staged
    {%- endset -%}
    {%- set found = run_query(unstaged).rows[0] -%}
    {%- if found[0] > 0 -%}
        {{ return(raw.label ~ " holds " ~ found[0] ~ " " ~ table_name ~ " row"
            ~ ("s" if found[0] != 1 else "") ~ " dated " ~ window ~ " that were never staged,"
            ~ " e.g. one at " ~ found[1] ~ ": late arrivals older than the window, or an"
            ~ " export that does not continue the previous one; an incremental run would"
            ~ " miss them." ~ fix ~ " (Or raise incremental_lookback_days.)") }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}
