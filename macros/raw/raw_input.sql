{#-
    Where the raw contract tables come from. Staging models read their table with
        from {{ marketing_kpis.raw_input('contacts') }} as raw_input
    and get a relation with exactly the contract's columns, in contract order: columns the
    contract does not know are dropped, optional columns missing from the input come out
    null, and an absent optional table is an empty relation. Values are untyped (text from
    CSV) or typed (Parquet, warehouse tables): staging casts them.

    With var source_system 'mautic', the 13 tables a Mautic export can fill come from the
    Mautic staging set (models/staging/mautic, macros/raw/mautic_input.sql) and the others
    (deals, orders, campaign_costs, calls) from the folder or schema below.

    Input modes (raw_input_mode):
      seeds   var raw_data_path and raw_schema unset: the demo seeds (ref(), so dbt orders
              the seed before the model)
      files   var raw_data_path: a folder of <table>.csv / .csv.gz / .parquet files, or of
              <table>/ folders of such files; read in place where the engine can
      tables  var raw_schema: warehouse tables in that schema (the `raw` source)
-#}

{% macro raw_input_mode() %}
    {%- if var('raw_data_path', none) is not none -%}
        {{ return('files') }}
    {%- elif var('raw_schema', none) is not none -%}
        {{ return('tables') }}
    {%- else -%}
        {{ return('seeds') }}
    {%- endif -%}
{% endmacro %}


{% macro raw_input(table_name) %}
    {{ return(marketing_kpis.raw_input_info(table_name).sql) }}
{% endmacro %}


{#- Everything known about one raw input: its sql, a label naming it for error messages,
    whether it exists and the columns it has. Raises a clear error for a missing
    required table or column. -#}
{% macro raw_input_info(table_name) %}
    {%- set contract = marketing_kpis.raw_contract() -%}
    {%- if table_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "raw_input: '" ~ table_name ~ "' is not a table of the raw contract ("
            ~ contract.keys() | join(', ') ~ ")") }}
    {%- endif -%}
    {%- set mode = marketing_kpis.raw_input_mode() -%}

    {%- if marketing_kpis.source_system() == 'mautic'
        and table_name in marketing_kpis.mautic_mapped_tables() -%}
        {#- the Mautic staging set maps the Mautic tables onto this contract table -#}
        {%- set relation = ref('stg_mautic__' ~ table_name) -%}
        {%- if not execute -%}
            {{ return({'sql': relation, 'label': 'Mautic mapping', 'exists': true}) }}
        {%- endif -%}
        {%- set input = {'from': relation,
                         'label': 'the Mautic export (mapped by stg_mautic__' ~ table_name ~ ')',
                         'columns': contract[table_name].columns.keys() | list,
                         'exists': true, 'is_empty_file': false} -%}
    {%- elif mode == 'seeds' and marketing_kpis.source_system() == 'mautic' -%}
        {{ exceptions.raise_compiler_error(
            "var source_system is 'mautic' but neither var raw_data_path (a folder of"
            ~ " Mautic table exports) nor var raw_schema is set. See README, Mautic input.") }}
    {%- elif mode == 'seeds' -%}
        {%- set relation = ref(table_name) -%}
        {%- if not execute -%}
            {{ return({'sql': relation, 'label': 'seed ' ~ table_name, 'exists': true}) }}
        {%- endif -%}
        {%- set found_columns = adapter.get_columns_in_relation(relation) -%}
        {%- set found = found_columns | map(attribute='name') | list -%}
        {%- set types = found_columns | map(attribute='dtype') | list -%}
        {%- if not found -%}
            {#- the seed is not loaded yet (dbt compile or a linter before dbt seed): the demo
                seeds are the project's own files and follow the contract -#}
            {%- set found = contract[table_name].columns.keys() | list -%}
        {%- endif -%}
        {%- set input = {'from': relation, 'label': 'seed seeds/' ~ table_name ~ '.csv',
                         'columns': found, 'types': types, 'exists': true,
                         'is_empty_file': false} -%}
    {%- elif mode == 'tables' -%}
        {%- set relation = source('raw', table_name) -%}
        {%- if not execute -%}
            {{ return({'sql': relation, 'label': 'table ' ~ table_name, 'exists': true}) }}
        {%- endif -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema,
            identifier=relation.identifier) -%}
        {%- set found_columns = [] if existing is none else
            adapter.get_columns_in_relation(existing) -%}
        {%- set input = {'from': relation, 'label': 'table ' ~ relation,
                         'columns': found_columns | map(attribute='name') | list,
                         'types': found_columns | map(attribute='dtype') | list,
                         'exists': existing is not none, 'is_empty_file': false} -%}
    {%- else -%}
        {%- if not execute -%}
            {{ return({'sql': '(select 1 as not_compiled_yet) as raw_files',
                       'label': table_name, 'exists': true}) }}
        {%- endif -%}
        {#- a Mautic export folder: its contract-format tables share the dump's null markers -#}
        {%- set input = adapter.dispatch('raw_file_input', 'marketing_kpis')(
            table_name, var('raw_data_path'),
            null_strings=var('mautic_null_strings') if marketing_kpis.source_system() == 'mautic'
            else none) -%}
    {%- endif -%}

    {%- if table_name == 'contacts' and not input.exists -%}
        {{ exceptions.raise_compiler_error(
            "Bad raw input: the contacts table is required and " ~ input.label
            ~ " does not exist" ~ input.get('looked_for', '') ~ ".") }}
    {%- endif -%}
    {%- if table_name == 'contacts' and input.is_empty_file -%}
        {{ exceptions.raise_compiler_error(
            "Bad raw input in " ~ input.label ~ ": the file is empty; the contacts table is"
            ~ " required and must hold at least one contact.") }}
    {%- endif -%}

    {%- set by_lower = {} -%}
    {%- set type_by_lower = {} -%}
    {%- for name in input.columns -%}
        {%- do by_lower.update({name | lower | trim: name}) -%}
        {%- if input.get('types') -%}
            {%- do type_by_lower.update({name | lower | trim: input.types[loop.index0]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column, spec in contract[table_name].columns.items() -%}
        {%- if input.exists and not input.is_empty_file and spec.required
            and column not in by_lower -%}
            {%- do missing.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "Bad raw input in " ~ input.label ~ ": missing required column"
            ~ ('s ' if missing | length > 1 else ' ') ~ missing | join(', ')
            ~ ". Columns found: " ~ (input.columns | join(', ') or 'none')
            ~ ". The raw contract of " ~ table_name ~ " is: "
            ~ contract[table_name].columns.keys() | join(', ') ~ ".") }}
    {%- endif -%}

    {%- set select_list = [] -%}
    {%- for column in contract[table_name].columns -%}
        {%- if input.exists and column in by_lower -%}
            {%- do select_list.append(adapter.quote(by_lower[column]) ~ ' as ' ~ column) -%}
        {%- else -%}
            {%- do select_list.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- an incremental run of the table's staging model reads only its window where the
        raw event time is typed (incremental_raw_filter) -#}
    {%- set event_time = contract[table_name].get('event_time') -%}
    {%- set raw_filter = none -%}
    {%- if event_time and event_time in by_lower -%}
        {%- set raw_filter = marketing_kpis.incremental_raw_filter(
            table_name, 'raw_table.' ~ adapter.quote(by_lower[event_time]),
            type_by_lower.get(event_time)) -%}
    {%- endif -%}
    {%- if input.exists and not input.is_empty_file -%}
        {%- set sql = '(select ' ~ select_list | join(', ') ~ ' from ' ~ input['from']
            ~ ' as raw_table' ~ (' where ' ~ raw_filter if raw_filter else '')
            ~ ') as raw_input_' ~ table_name -%}
    {%- else -%}
        {%- set sql = '(select ' ~ select_list | join(', ')
            ~ ' where 1 = 0) as raw_input_' ~ table_name -%}
    {%- endif -%}
    {{ return({'sql': sql, 'label': input.label, 'exists': input.exists,
               'columns': input.columns}) }}
{% endmacro %}


{#- Files: find <table>.csv|.csv.gz|.parquet or <table>/ in the folder and describe them.
    Returns {'from', 'label', 'columns', 'exists', 'is_empty_file', 'looked_for'}.
    null_strings: CSV values read as null besides the empty field (the Mautic input passes
    the markers a MySQL dump writes, '\N' and 'NULL'). -#}
{% macro default__raw_file_input(table_name, path, null_strings=none) %}
    {{ exceptions.raise_compiler_error(
        "var raw_data_path is read in place on DuckDB only. On " ~ target.type
        ~ ", load the folder into a schema first (python -m tools.load_raw, see README) and"
        ~ " set var raw_schema instead.") }}
{% endmacro %}


{% macro duckdb__raw_file_input(table_name, path, null_strings=none) %}
    {%- set folder = path | string | trim -%}
    {%- set folder = folder[:-1] if folder.endswith('/') and folder | length > 1 else folder -%}
    {%- set quoted = folder | replace("'", "''") -%}
    {%- set looked_for = " (looked for " ~ folder ~ "/" ~ table_name ~ ".csv, .csv.gz, .parquet"
        ~ " or a " ~ table_name ~ "/ folder of such files)" -%}
    {%- set listing = run_query(
        "select file from glob('" ~ quoted ~ "/" ~ table_name ~ ".*')"
        ~ " union all select file from glob('" ~ quoted ~ "/" ~ table_name ~ "/*')"
        ~ " order by file") -%}
    {%- set csv_files = [] -%}
    {%- set parquet_files = [] -%}
    {%- for row in listing.rows -%}
        {%- set name = row[0] | lower -%}
        {%- if name.endswith('.parquet') -%}
            {%- do parquet_files.append(row[0]) -%}
        {%- elif name.endswith('.csv') or name.endswith('.csv.gz') -%}
            {%- do csv_files.append(row[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if csv_files and parquet_files -%}
        {{ exceptions.raise_compiler_error(
            "Bad raw input in " ~ folder ~ ": " ~ table_name ~ " is there both as CSV ("
            ~ csv_files | join(', ') ~ ") and as Parquet (" ~ parquet_files | join(', ')
            ~ "); keep one of them.") }}
    {%- endif -%}
    {%- set files = csv_files or parquet_files -%}
    {%- if not files -%}
        {{ return({'from': none, 'label': folder ~ '/' ~ table_name ~ '.csv', 'columns': [],
                   'exists': false, 'is_empty_file': false, 'looked_for': looked_for}) }}
    {%- endif -%}
    {%- set file_list = [] -%}
    {%- for file in files -%}
        {%- do file_list.append("'" ~ file | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- set label = files[0] if files | length == 1 else
        folder ~ '/' ~ table_name ~ '/ (' ~ files | length ~ ' files)' -%}
    {%- if parquet_files -%}
        {%- set reader = "read_parquet([" ~ file_list | join(', ') ~ "], union_by_name = true)" -%}
    {%- else -%}
        {#- an empty (0-byte) CSV file has no header to describe -#}
        {%- set sizes = run_query("select coalesce(sum(size), 0) from read_blob(["
            ~ file_list | join(', ') ~ "])") -%}
        {%- if sizes.rows[0][0] == 0 -%}
            {{ return({'from': none, 'label': label, 'columns': [], 'exists': true,
                       'is_empty_file': true}) }}
        {%- endif -%}
        {%- set null_option = '' -%}
        {%- if null_strings -%}
            {%- set markers = [] -%}
            {%- for marker in [''] + null_strings -%}
                {%- do markers.append("'" ~ marker | replace("'", "''") ~ "'") -%}
            {%- endfor -%}
            {%- set null_option = ", nullstr = [" ~ markers | join(', ') ~ "]" -%}
        {%- endif -%}
        {%- set reader = "read_csv([" ~ file_list | join(', ') ~ "], header = true,"
            ~ " all_varchar = true, union_by_name = true" ~ null_option ~ ")" -%}
    {%- endif -%}
    {%- set described = run_query("describe select * from " ~ reader) -%}
    {%- set columns = described.columns[0].values() | list -%}
    {%- set types = described.columns[1].values() | list -%}
    {{ return({'from': reader, 'label': label, 'columns': columns, 'types': types,
               'exists': true, 'is_empty_file': false}) }}
{% endmacro %}
