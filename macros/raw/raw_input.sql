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
      portals var source_system hubspot with var hubspot_portals: the folders or schemas
              of several HubSpot portals (macros/raw/hubspot_input.sql)
-#}

{% macro raw_input_mode() %}
    {%- if var('raw_data_path', none) is not none -%}
        {{ return('files') }}
    {%- elif var('raw_schema', none) is not none -%}
        {{ return('tables') }}
    {%- elif var('hubspot_portals', []) and marketing_kpis.source_system() == 'hubspot' -%}
        {{ return('portals') }}
    {%- else -%}
        {{ return('seeds') }}
    {%- endif -%}
{% endmacro %}


{#- A table of a warehouse schema as a raw input: where it is, whether it exists, its
    columns and their types (the tables input mode, and a HubSpot portal's schema) -#}
{% macro schema_table_input(relation) %}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema,
        identifier=relation.identifier) -%}
    {%- set found_columns = [] if existing is none else
        adapter.get_columns_in_relation(existing) -%}
    {{ return({'from': relation, 'label': 'table ' ~ relation,
               'columns': found_columns | map(attribute='name') | list,
               'types': found_columns | map(attribute='dtype') | list,
               'exists': existing is not none, 'is_empty_file': false,
               'looked_for': ' (looked for ' ~ relation ~ ')'}) }}
{% endmacro %}


{% macro raw_input(table_name) %}
    {%- if marketing_kpis.raw_window_kept(table_name) -%}
        {#- an incremental run of an event table's staging model on DuckDB: the window its
            input check read from the raw files (validate_raw_input) -#}
        {{ return('(select * from ' ~ marketing_kpis.raw_window_relation(table_name)
                  ~ ') as raw_input_' ~ table_name) }}
    {%- endif -%}
    {{ return(marketing_kpis.raw_input_info(table_name).sql) }}
{% endmacro %}


{#- Everything known about one raw input: its sql, a label naming it for messages, whether
    it exists, the columns it has and how they map onto the contract's. Raises a clear
    error for a missing required table or column, or two columns meaning one.
    windowed: an incremental run of the table's own staging model reads only its window
    where the raw event time is typed (incremental_raw_filter); false reads everything.
    in_hook: called from a run hook (the preflight), where ref() and source() cannot be
    used: the relations are named directly. listing: the folder's raw_folder_listing(),
    when the caller has it already. -#}
{% macro raw_input_info(table_name, windowed=true, in_hook=false, listing=none, direct=false,
                         portal=none, crm=true) %}
    {%- set contract = marketing_kpis.raw_contract() -%}
    {%- if table_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "raw_input: '" ~ table_name ~ "' is not a table of the raw contract ("
            ~ contract.keys() | join(', ') ~ ")") }}
    {%- endif -%}
    {%- set mode = marketing_kpis.raw_input_mode() -%}

    {%- set system = marketing_kpis.source_system() -%}
    {%- set with_crm = marketing_kpis.crm_system() == 'salesforce' -%}
    {%- if with_crm and crm and table_name in marketing_kpis.salesforce_mapped_tables()
        and not (direct or in_hook) -%}
        {#- the Salesforce staging set combines the marketing tool's rows of this table with
            the CRM's (models/staging/salesforce); rows it drops stay visible there -#}
        {%- set relation = ref('stg_salesforce__' ~ table_name) -%}
        {%- if not execute -%}
            {{ return({'sql': relation, 'label': 'Salesforce mapping', 'exists': true}) }}
        {%- endif -%}
        {%- set input = {'from': '(select * from ' ~ relation ~ ' where drop_reason is null)',
                         'label': 'the marketing input and Salesforce (combined by stg_salesforce__'
                                  ~ table_name ~ ')',
                         'columns': contract[table_name].columns.keys() | list,
                         'exists': true, 'is_empty_file': false, 'mapped': true} -%}
    {%- elif system == 'hubspot' and table_name in marketing_kpis.hubspot_mapped_tables()
        and not (direct or in_hook) -%}
        {#- the HubSpot staging set maps the connector's tables (and the contract-format
            files beside them) onto this contract table; rows it drops stay visible there -#}
        {%- set relation = ref('stg_hubspot__' ~ table_name) -%}
        {%- if not execute -%}
            {{ return({'sql': relation, 'label': 'HubSpot mapping', 'exists': true}) }}
        {%- endif -%}
        {%- set input = {'from': '(select * from ' ~ relation ~ ' where drop_reason is null)',
                         'label': 'the HubSpot export (mapped by stg_hubspot__' ~ table_name ~ ')',
                         'columns': contract[table_name].columns.keys() | list,
                         'exists': true, 'is_empty_file': false, 'mapped': true} -%}
    {%- elif system == 'mautic'
        and table_name in marketing_kpis.mautic_mapped_tables() -%}
        {#- the Mautic staging set maps the Mautic tables onto this contract table -#}
        {%- set relation = ref('stg_mautic__' ~ table_name) -%}
        {%- if not execute -%}
            {{ return({'sql': relation, 'label': 'Mautic mapping', 'exists': true}) }}
        {%- endif -%}
        {%- set input = {'from': relation,
                         'label': 'the Mautic export (mapped by stg_mautic__' ~ table_name ~ ')',
                         'columns': contract[table_name].columns.keys() | list,
                         'exists': true, 'is_empty_file': false, 'mapped': true} -%}
    {%- elif portal is not none and portal.raw_schema is not none
        and portal.raw_data_path is none -%}
        {#- a contract-format table in the schema of one HubSpot portal -#}
        {%- set relation = marketing_kpis.relation_in(portal.raw_schema, table_name) -%}
        {%- set input = marketing_kpis.schema_table_input(relation) -%}
    {%- elif portal is not none -%}
        {%- set input = adapter.dispatch('raw_file_input', 'marketing_kpis')(
            table_name, portal.raw_data_path) -%}
    {%- elif mode == 'seeds' and system in ['mautic', 'hubspot'] -%}
        {{ marketing_kpis.refuse(
            "var source_system is '" ~ system ~ "' but neither var raw_data_path (a folder of"
            ~ " the " ~ ('Mautic' if system == 'mautic' else 'Fivetran HubSpot')
            ~ " tables) nor var raw_schema is set. See README, "
            ~ ('Mautic' if system == 'mautic' else 'HubSpot') ~ " input.") }}
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
        {%- set relation = marketing_kpis.relation_in(var('raw_schema'), table_name) if in_hook
            else source('raw', table_name) -%}
        {%- if not execute -%}
            {{ return({'sql': relation, 'label': 'table ' ~ table_name, 'exists': true}) }}
        {%- endif -%}
        {%- set input = marketing_kpis.schema_table_input(relation) -%}
    {%- else -%}
        {%- if not execute -%}
            {{ return({'sql': '(select 1 as not_compiled_yet) as raw_files',
                       'label': table_name, 'exists': true}) }}
        {%- endif -%}
        {#- a Mautic export folder: its contract-format tables share the dump's null markers -#}
        {%- set input = adapter.dispatch('raw_file_input', 'marketing_kpis')(
            table_name, var('raw_data_path'),
            null_strings=marketing_kpis.setting('mautic_null_strings') if marketing_kpis.source_system() == 'mautic'
            else none, listing=listing) -%}
    {%- endif -%}

    {%- if table_name == 'contacts' and not input.exists and not with_crm -%}
        {{ marketing_kpis.refuse(
            "the contacts table is required and " ~ input.label ~ " does not exist"
            ~ input.get('looked_for', '') ~ ".") }}
    {%- endif -%}
    {%- if table_name == 'contacts' and input.is_empty_file and not with_crm -%}
        {{ marketing_kpis.refuse(
            "Bad raw input in " ~ input.label ~ ": the file is empty; the contacts table is"
            ~ " required and must hold at least one contact.") }}
    {%- endif -%}

    {#- columns match by their normalized name (Contact Type is contact_type) -#}
    {%- set by_name = {} -%}
    {%- set type_by_name = {} -%}
    {%- set unknown = [] -%}
    {%- set doubled = [] -%}
    {%- for name in input.columns -%}
        {%- set normalized = marketing_kpis.normalized_name(name) -%}
        {%- if normalized not in contract[table_name].columns -%}
            {%- do unknown.append(name) -%}
        {%- elif normalized in by_name -%}
            {%- do doubled.append("'" ~ by_name[normalized] ~ "' and '" ~ name ~ "' both mean "
                ~ normalized) -%}
        {%- else -%}
            {%- do by_name.update({normalized: name}) -%}
            {%- if input.get('types') -%}
                {%- do type_by_name.update({normalized: input.types[loop.index0]}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if doubled and input.exists and not input.is_empty_file -%}
        {{ marketing_kpis.refuse(
            "Bad raw input in " ~ input.label ~ ": columns " ~ doubled | join('; ')
            ~ " (names match whatever their case, spaces and dashes); keep one of each.") }}
    {%- endif -%}
    {%- set missing = [] -%}
    {%- for column, spec in contract[table_name].columns.items() -%}
        {%- if input.exists and not input.is_empty_file and spec.required
            and column not in by_name -%}
            {%- do missing.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ marketing_kpis.refuse(
            "Bad raw input in " ~ input.label ~ ": missing required column"
            ~ ('s ' if missing | length > 1 else ' ') ~ missing | join(', ')
            ~ ". Columns found: " ~ (input.columns | join(', ') or 'none')
            ~ ". The raw contract of " ~ table_name ~ " is: "
            ~ contract[table_name].columns.keys() | join(', ') ~ ".") }}
    {%- endif -%}

    {%- set select_list = [] -%}
    {%- for column in contract[table_name].columns -%}
        {%- if input.exists and column in by_name -%}
            {%- do select_list.append(adapter.quote(by_name[column]) ~ ' as ' ~ column) -%}
        {%- else -%}
            {%- do select_list.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- an incremental run of the table's staging model reads only its window where the
        raw event time is typed (incremental_raw_filter) -#}
    {%- set event_time = contract[table_name].get('event_time') -%}
    {%- set raw_filter = none -%}
    {%- if windowed and event_time and event_time in by_name -%}
        {%- set raw_filter = marketing_kpis.incremental_raw_filter(
            table_name, 'raw_table.' ~ adapter.quote(by_name[event_time]),
            type_by_name.get(event_time)) -%}
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
               'is_empty_file': input.is_empty_file, 'columns': input.columns,
               'unknown_columns': unknown, 'format': input.get('format'),
               'files': input.get('files', []), 'mapped': input.get('mapped', false),
               'reader': input['from'], 'raw_types': type_by_name}) }}
{% endmacro %}
