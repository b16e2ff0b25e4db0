{#-
    The preflight: on-run-start of every dbt command that runs nodes. Before any model runs
    it refuses, in one line per problem that names the var or the file and the fix:
      - invalid var values (check_vars.sql);
      - a raw_data_path that is missing or empty, a raw_schema without contacts, two
        candidate files for one table, a CSV file that cannot be read as it is (wrong
        encoding, a row with more or fewer fields than the header), a missing required
        column or two columns meaning one, timestamps before var earliest_valid_date or
        more than 366 days after the run;
      - an incremental run whose export contradicts what was staged before
        (`--full-refresh`).
    It warns about files of the folder that are no table and columns that are no contract
    column (each with the nearest name), prints the inventory of the input (per table the
    file read, its rows and its time range; the tables that are absent), and rebuilds from
    scratch when the input or the definition vars changed (build_state.sql).

    The database lock is checked before that, when dbt opens the DuckDB file
    (tools/dbt_plugins/marketing_kpis_guard.py).
-#}
{% macro preflight() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set problems = marketing_kpis.var_problems() -%}
    {%- if problems -%}
        {{ marketing_kpis.refuse_all(problems) }}
    {%- endif -%}
    {%- if flags.WHICH not in ['run', 'build'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set inventory = marketing_kpis.input_inventory() -%}
    {%- if inventory.problems -%}
        {{ marketing_kpis.refuse_all(inventory.problems) }}
    {%- endif -%}
    {%- if marketing_kpis.keeps_history() -%}
        {%- do marketing_kpis.rebuild_if_the_input_changed() -%}
        {#- the history of each incremental table: checked against the export (after a
            rebuild there is none), and recorded for the cutoff this run will reach -#}
        {%- set contradictions = [] -%}
        {%- for table_name in inventory.incremental_tables -%}
            {%- set problem = marketing_kpis.incremental_history_problem(table_name,
                in_hook=true, latest=inventory.latest.get(table_name)) -%}
            {%- if problem -%}{%- do contradictions.append(problem) -%}{%- endif -%}
        {%- endfor -%}
        {#- (a statement first, so that a transaction is open to commit on every engine) -#}
        {%- do marketing_kpis.state_statement("select 1") -%}
        {%- do adapter.commit() -%}
        {%- if contradictions -%}
            {{ marketing_kpis.refuse_all(contradictions) }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#- one refusal for one problem, a list for several -#}
{% macro refuse_all(problems) %}
    {%- if problems | length == 1 -%}
        {{ marketing_kpis.refuse(problems[0]) }}
    {%- else -%}
        {{ marketing_kpis.refuse(problems | length ~ " problems stop the run:\n  - "
            ~ problems | join("\n  - ")) }}
    {%- endif -%}
{% endmacro %}


{#- The contract tables the input itself holds (not those the Mautic mapping fills) -#}
{% macro direct_contract_tables() %}
    {%- set system = marketing_kpis.source_system() -%}
    {%- set tables = [] -%}
    {%- for table_name in marketing_kpis.raw_contract() -%}
        {%- if system == 'contract'
            or (system == 'mautic' and table_name not in marketing_kpis.mautic_mapped_tables())
            or (system == 'hubspot'
                and table_name in marketing_kpis.hubspot_contract_file_tables()) -%}
            {%- do tables.append(table_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{% endmacro %}


{#- The tool's own tables the input holds (Mautic or HubSpot), by name without prefix,
    with their prefix, the tool's name and how to read one: {} for contract input -#}
{% macro tool_input_tables() %}
    {%- set system = marketing_kpis.source_system() -%}
    {%- if system == 'mautic' -%}
        {{ return({'tables': marketing_kpis.mautic_tables(), 'name': 'Mautic export',
                   'prefix': (var('mautic_table_prefix', '') or '') | lower,
                   'mapped': marketing_kpis.mautic_mapped_tables()}) }}
    {%- elif system == 'hubspot' -%}
        {{ return({'tables': marketing_kpis.hubspot_tables(),
                   'name': 'Fivetran HubSpot export',
                   'prefix': (var('hubspot_table_prefix', '') or '') | lower,
                   'mapped': marketing_kpis.hubspot_mapped_tables()
                             | reject('in', marketing_kpis.hubspot_contract_file_tables())
                             | list}) }}
    {%- endif -%}
    {{ return({'tables': {}, 'name': 'raw contract', 'prefix': '', 'mapped': []}) }}
{% endmacro %}


{#- one of the tool's tables, as a relation (mautic_input or hubspot_input) -#}
{% macro tool_input(table_name) %}
    {%- if marketing_kpis.source_system() == 'hubspot' -%}
        {{ return(marketing_kpis.hubspot_input(table_name)) }}
    {%- endif -%}
    {{ return(marketing_kpis.mautic_input(table_name)) }}
{% endmacro %}


{#- Reads the input once before the run: problems that refuse it, warnings, and the
    inventory printed to the log. Returns {'problems': [...], 'incremental_tables': [...]}
    (the contract tables with an event time whose history the run must check). -#}
{% macro input_inventory() %}
    {%- set mode = marketing_kpis.raw_input_mode() -%}
    {%- set contract = marketing_kpis.raw_contract() -%}
    {%- set tool = marketing_kpis.tool_input_tables() -%}
    {%- set mautic = tool.tables | length > 0 -%}
    {%- set portals = var('hubspot_portals', []) if mode == 'portals' else [] -%}
    {%- set problems = [] -%}
    {%- set lines = [] -%}
    {%- set absent = [] -%}
    {%- set latest = {} -%}
    {%- set tables = marketing_kpis.direct_contract_tables() -%}
    {%- set mautic_tables = tool.tables -%}
    {%- set prefix = tool.prefix -%}

    {%- if mode == 'files' -%}
        {%- set expected = [] -%}
        {%- for table_name in tables -%}{%- do expected.append(table_name) -%}{%- endfor -%}
        {%- for table_name in mautic_tables -%}
            {%- do expected.append(prefix ~ table_name) -%}
        {%- endfor -%}
        {%- if marketing_kpis.crm_system() == 'salesforce'
            and var('salesforce_data_path', none) is none
            and var('salesforce_schema', none) is none -%}
            {#- the Salesforce tables sit in the same folder -#}
            {%- for table_name in marketing_kpis.salesforce_tables()
                if table_name not in expected -%}
                {%- do expected.append(table_name) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- set listing = marketing_kpis.raw_folder_listing(expected) -%}
        {%- if listing.file_count == 0 -%}
            {%- do problems.append("var raw_data_path is '" ~ listing.folder ~ "': no such"
                ~ " folder, or it holds no files. Point it at the folder of the export"
                ~ " (a relative path starts from " ~ "the project folder).") -%}
            {{ return({'problems': problems, 'incremental_tables': [], 'latest': {}}) }}
        {%- endif -%}
        {%- for table_name in expected -%}
            {%- set conflict = marketing_kpis.raw_folder_conflict(listing, table_name) -%}
            {%- if conflict -%}{%- do problems.append(conflict) -%}{%- endif -%}
        {%- endfor -%}
        {%- for name in listing.strays -%}
            {%- set stem = marketing_kpis.raw_file_stem(name) or name | replace('/', '') -%}
            {%- set note = '' -%}
            {%- if mautic and stem | lower in tool.mapped -%}
                {%- set note = '; with source_system ' ~ marketing_kpis.source_system() ~ ', '
                    ~ stem | lower ~ ' comes from the ' ~ tool.name ~ ' tables' -%}
            {%- endif -%}
            {%- do marketing_kpis.warn("raw_data_path " ~ listing.folder ~ ": " ~ name
                ~ " is not read: it is no table " ~ ("of the raw contract" if not mautic
                    else "that the " ~ tool.name ~ " input reads")
                ~ marketing_kpis.nearest_hint(stem, expected) ~ note
                ~ ". A table is <table>.csv, .csv.gz, .parquet or a <table>/ folder.") -%}
        {%- endfor -%}
        {%- for name in listing.ignored -%}
            {%- do marketing_kpis.warn("raw_data_path " ~ listing.folder ~ ": " ~ name
                ~ " is not read: a table folder holds .csv, .csv.gz or .parquet part files.") -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ return({'problems': problems, 'incremental_tables': [], 'latest': {}}) }}
        {%- endif -%}
        {%- do lines.append("input: folder " ~ listing.folder
            ~ (" (a " ~ tool.name ~ ")" if mautic else "") ~ ", " ~ listing.file_count
            ~ " files") -%}
    {%- elif mode == 'tables' -%}
        {%- do lines.append("input: tables of schema " ~ var('raw_schema')
            ~ (" (a " ~ tool.name ~ ")" if mautic else "")) -%}
    {%- elif portals -%}
        {%- do lines.append("input: " ~ portals | length ~ " HubSpot portals ("
            ~ portals | map(attribute='portal') | join(', ') ~ ", var hubspot_portals)") -%}
    {%- else -%}
        {%- do lines.append("input: the demo seeds (schema " ~ var('schema_prefix', '')
            ~ "raw)") -%}
    {%- endif -%}

    {#- the contract-format tables: readable, with their required columns, in bounds (the
        demo seeds are loaded by this very run: staging checks them) -#}
    {%- for table_name in (tables if mode != 'seeds' and not portals else []) -%}
        {%- set problem = marketing_kpis.csv_problem(table_name, listing)
            if mode == 'files' else none -%}
        {%- if problem -%}
            {%- do problems.append(problem) -%}
        {%- else -%}
            {%- set info = marketing_kpis.raw_input_info(table_name, windowed=false,
                in_hook=true, listing=listing if mode == 'files' else none) -%}
            {%- if not info.exists or info.is_empty_file -%}
                {%- do absent.append(table_name) -%}
            {%- else -%}
                {%- for name in info.unknown_columns -%}
                    {%- do marketing_kpis.warn(info.label ~ ": column '" ~ name ~ "' is not read:"
                        ~ " it is no column of the contract table " ~ table_name
                        ~ marketing_kpis.nearest_hint(name, contract[table_name].columns.keys(),
                                                      'column') ~ ".") -%}
                {%- endfor -%}
                {%- set profile = marketing_kpis.profile_dates(table_name, info) -%}
                {%- if contract[table_name].get('event_time') -%}
                    {%- do latest.update({table_name:
                        profile.latest.get(contract[table_name].event_time)}) -%}
                {%- endif -%}
                {%- do problems.extend(profile.problems) -%}
                {%- do lines.append(marketing_kpis.inventory_line(
                    table_name, info.label, profile.rows, profile.range)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}

    {#- the Mautic tables: readable, and their rows (the mapping checks the rest) -#}
    {%- for table_name, spec in mautic_tables.items() -%}
        {%- set problem = marketing_kpis.csv_problem(prefix ~ table_name, listing)
            if mode == 'files' and not portals else none -%}
        {%- if problem -%}
            {%- do problems.append(problem) -%}
        {%- else -%}
            {%- if marketing_kpis.source_system() == 'hubspot' -%}
                {#- HubSpot: the rows, and the timestamps that do not parse -#}
                {%- set checked = marketing_kpis.hubspot_table_check(table_name) -%}
                {%- set rows = checked.rows -%}
                {%- do problems.extend(checked.problems) -%}
            {%- else -%}
                {%- set relation_sql = marketing_kpis.tool_input(table_name) -%}
                {%- set rows = run_query("select count(*) from " ~ relation_sql).rows[0][0] -%}
            {%- endif -%}
            {%- if rows == 0 -%}
                {%- do absent.append(prefix ~ table_name) -%}
            {%- else -%}
                {%- do lines.append(marketing_kpis.inventory_line(prefix ~ table_name,
                    tool.name.split(' ')[-2] ~ ' table', rows, none)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if absent -%}
        {%- do lines.append("absent, read as empty: " ~ absent | join(', ')) -%}
    {%- endif -%}

    {#- Salesforce as the CRM: its tables, their rows, and the times that do not parse -#}
    {%- if marketing_kpis.crm_system() == 'salesforce' -%}
        {%- set location = marketing_kpis.salesforce_location() -%}
        {%- do lines.append("Salesforce: " ~ ("folder " ~ location.raw_data_path
            if location.raw_data_path is not none else "schema " ~ location.raw_schema)) -%}
        {%- set sf_absent = [] -%}
        {%- set people = [] -%}
        {%- for table_name in marketing_kpis.salesforce_tables() -%}
            {%- set checked = marketing_kpis.salesforce_table_check(table_name) -%}
            {%- do problems.extend(checked.problems) -%}
            {%- if checked.rows == 0 -%}
                {%- do sf_absent.append(table_name) -%}
            {%- else -%}
                {%- if table_name in ['lead', 'contact'] -%}{%- do people.append(table_name) -%}{%- endif -%}
                {%- do lines.append(marketing_kpis.inventory_line(table_name,
                    'Salesforce table', checked.rows, none)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not people -%}
            {%- do problems.append(marketing_kpis.salesforce_no_people_message()) -%}
        {%- endif -%}
        {%- if sf_absent -%}
            {%- do lines.append("Salesforce, absent, read as empty: " ~ sf_absent | join(', ')) -%}
        {%- endif -%}
    {%- endif -%}
    {#- the table lines aligned on their longest table name and label -#}
    {%- set widths = {'table': 17, 'label': 30} -%}
    {%- for line in lines if line is mapping -%}
        {%- do widths.update({'table': [widths.table, line.table | length] | max,
                              'label': [widths.label, line.label | length] | max}) -%}
    {%- endfor -%}
    {%- for line in lines -%}
        {%- if line is mapping -%}
            {%- set line = ("%-" ~ widths.table ~ "s %-" ~ widths.label ~ "s %13s%s") | format(
                line.table, line.label, line.rows, '  ' ~ line.range if line.range else '') -%}
        {%- endif -%}
        {%- do marketing_kpis.say(line if loop.first else '  ' ~ line) -%}
    {%- endfor -%}
    {%- set incremental_tables = [] -%}
    {%- for table_name in tables if contract[table_name].get('event_time')
        and mode != 'seeds' and marketing_kpis.source_system() != 'hubspot' -%}
        {%- do incremental_tables.append(table_name) -%}
    {%- endfor -%}
    {{ return({'problems': problems, 'incremental_tables': incremental_tables,
               'latest': latest}) }}
{% endmacro %}


{#- one line of the inventory, as its fields: input_inventory aligns the lines once it
    knows the longest table name and label -#}
{% macro inventory_line(table_name, label, rows, range) -%}
    {%- set rows_text = "{:,}".format(rows) ~ (" row" if rows == 1 else " rows") -%}
    {%- if var('raw_data_path', none) is not none
        and label.startswith(marketing_kpis.raw_folder() ~ '/') -%}
        {%- set label = label[(marketing_kpis.raw_folder() | length) + 1:] -%}
    {%- endif -%}
    {{ return({'table': table_name, 'label': label, 'rows': rows_text, 'range': range}) }}
{%- endmacro %}


{#- A CSV table that DuckDB cannot read as it stands: the first rejected line, said in
    words, with the var or the edit that fixes it; none when every line reads. -#}
{% macro csv_problem(table_name, listing) %}
    {%- set found = listing.tables.get(table_name) -%}
    {%- if found is none or found.format != 'csv' or found.bytes == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if marketing_kpis.csv_encoding() == 'latin-1' -%}
        {#- plain files up to 256 MB (a .csv.gz holds compressed bytes; a larger file is left
            to DuckDB, whose latin-1 decoder stops on such a byte) -#}
        {%- set plain = [] -%}
        {%- for file in found.files if not (file | lower).endswith('.gz') -%}
            {%- do plain.append(file) -%}
        {%- endfor -%}
        {%- set c1_byte = marketing_kpis.windows_1252_byte(plain)
            if found.bytes <= 268435456 else none -%}
        {%- if c1_byte -%}
            {{ return(c1_byte) }}
        {%- endif -%}
    {%- endif -%}
    {%- set checking = 'marketing_kpis_rejects_' ~ table_name -%}
    {%- set null_strings = var('mautic_null_strings')
        if marketing_kpis.source_system() == 'mautic' else none -%}
    {%- for file in found.files -%}
        {#- every value is decoded (a bare count(*) would skip the columns) -#}
        {%- do run_query("select count(*) from " ~ marketing_kpis.csv_reader(
            [file], null_strings, checking=checking) ~ " as csv_rows where csv_rows is not null") -%}
    {%- endfor -%}
    {%- set rejected = run_query(
        "select count(*), min(line), arg_min(error_type, line), arg_min(csv_line, line),"
        ~ " arg_min(error_message, line), arg_min(scan.file_path, line)"
        ~ " from " ~ checking ~ "_errors as errors join " ~ checking ~ "_scans as scan"
        ~ " using (scan_id, file_id)").rows[0] -%}
    {%- do run_query("drop table if exists " ~ checking ~ "_errors; drop table if exists "
        ~ checking ~ "_scans") -%}
    {%- if rejected[0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set where = rejected[5] ~ " line " ~ rejected[1] -%}
    {%- set text = (rejected[3] or '') | replace('\n', ' ') -%}
    {%- set text = "'" ~ (text[:80] ~ '...' if text | length > 80 else text) ~ "'" -%}
    {%- set others = (" (and " ~ (rejected[0] - 1) ~ " more line" ~ ('s' if rejected[0] > 2
        else '') ~ ")") if rejected[0] > 1 else "" -%}
    {%- if rejected[2] == 'INVALID ENCODING' -%}
        {{ return(where ~ " is not " ~ (marketing_kpis.csv_encoding() or 'utf-8') ~ " text "
            ~ text ~ others ~ ": set var raw_csv_encoding to the encoding of the export,"
            ~ " e.g. --vars '{raw_csv_encoding: latin-1}'.") }}
    {%- elif rejected[2] == 'TOO MANY COLUMNS' -%}
        {{ return(where ~ " has more fields than the header " ~ text ~ others ~ ": quote the"
            ~ " values that hold the delimiter, or remove the extra field"
            ~ " (var raw_csv_delimiter sets the delimiter if it was not detected).") }}
    {%- elif rejected[2] == 'MISSING COLUMNS' -%}
        {{ return(where ~ " has fewer fields than the header " ~ text ~ others
            ~ ": complete the row, or check var raw_csv_delimiter.") }}
    {%- else -%}
        {{ return(where ~ " cannot be read (" ~ rejected[4] | replace('\n', ' ') ~ ") " ~ text
            ~ others ~ ": fix the line and run again.") }}
    {%- endif -%}
{% endmacro %}


{#- One scan of a contract table: its rows, the time range of the column that dates it,
    and as problems naming the table, the column and an example: timestamps that do not
    parse, and timestamps out of bounds (before var earliest_valid_date, or more than 366
    days after the run). The other checks of the values are staging's (validate_raw_input).
    Typed columns (Parquet, warehouse tables) cannot be unparsable and are read as they
    are; the rows out of bounds are counted by a second query, only when the minimum or
    the maximum is out of bounds. Also returns the latest value of each column (`latest`),
    for the incremental history. -#}
{% macro profile_dates(table_name, info) %}
    {%- set spec = marketing_kpis.raw_contract()[table_name] -%}
    {%- set bounds = marketing_kpis.date_bounds() -%}
    {%- set columns = [] -%}
    {%- set aggregates = ['count(*)'] -%}
    {%- for column, column_spec in spec.columns.items()
        if column_spec.type in ['timestamp', 'date'] -%}
        {%- set value = marketing_kpis.typed_time(column, column_spec,
                                                  info.raw_types.get(column)) -%}
        {%- set entry = {'name': column, 'value': value, 'at': aggregates | length,
                         'text': value != column} -%}
        {%- do aggregates.append('min(' ~ value ~ ')') -%}
        {%- do aggregates.append('max(' ~ value ~ ')') -%}
        {%- if entry.text -%}
            {%- set unparsable = marketing_kpis.clean_text(column) ~ ' is not null and '
                ~ value ~ ' is null' -%}
            {%- do aggregates.append('sum(case when ' ~ unparsable ~ ' then 1 else 0 end)') -%}
            {%- do aggregates.append('min(case when ' ~ unparsable ~ ' then '
                ~ marketing_kpis.clean_text(column) ~ ' end)') -%}
        {%- endif -%}
        {%- do columns.append(entry) -%}
    {%- endfor -%}
    {%- set row = run_query("select " ~ aggregates | join(', ') ~ " from " ~ info.sql).rows[0] -%}
    {%- set problems = [] -%}
    {%- set latest = {} -%}
    {%- set range = {} -%}   {#- (a dict: a set inside the loop would not outlive it) #}
    {%- for column in columns -%}
        {%- set low, high = row[column.at], row[column.at + 1] -%}
        {%- do latest.update({column.name: high}) -%}
        {%- if column.text and row[column.at + 2] and row[column.at + 2] > 0 -%}
            {%- set unparsable = row[column.at + 2] -%}
            {%- do problems.append(info.label ~ ": column " ~ column.name ~ " has " ~ unparsable
                ~ " row" ~ ('s' if unparsable != 1 else '') ~ " with a value that is not a"
                ~ " valid " ~ spec.columns[column.name].type ~ ", e.g. '" ~ row[column.at + 3]
                ~ "'. Fix the export (timestamps are written 2025-01-31 14:05:00, in UTC or"
                ~ " with an offset).") -%}
        {%- endif -%}
        {%- if low is not none and ((low | string)[:10] < bounds.earliest
            or (high | string) > bounds.latest) -%}
            {%- set out = run_query("select count(*) from " ~ info.sql ~ " where "
                ~ column.value ~ " < " ~ bounds.earliest_sql ~ " or " ~ column.value ~ " > "
                ~ bounds.latest_sql).rows[0][0] -%}
            {%- set example = low if (low | string)[:10] < bounds.earliest else high -%}
            {%- if out > 0 -%}
                {%- do problems.append(info.label ~ ": column " ~ column.name ~ " has " ~ out
                    ~ " row" ~ ('s' if out != 1 else '') ~ " dated before " ~ bounds.earliest
                    ~ " (var earliest_valid_date) or after " ~ bounds.latest ~ " (366 days"
                    ~ " after this run), e.g. " ~ example ~ ": a typing mistake? Fix the export"
                    ~ " (or set earliest_valid_date for older data).") -%}
            {%- endif -%}
        {%- endif -%}
        {%- if column.name == spec.get('dated_by') and low is not none -%}
            {%- do range.update({'text': (low | string)[:10] ~ " .. " ~ (high | string)[:10]
                ~ " (" ~ column.name ~ ")"}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'rows': row[0], 'range': range.get('text'), 'problems': problems,
               'latest': latest}) }}
{% endmacro %}


{#- The plausible time span of raw timestamps: from var earliest_valid_date to 366 days
    after the run (UTC). Later or earlier values are typing mistakes that would stretch the
    calendar of every mart. -#}
{% macro date_bounds() %}
    {%- set earliest = var('earliest_valid_date', '2000-01-01') | string | trim -%}
    {%- set latest = (run_started_at + modules.datetime.timedelta(days=366))
        .strftime('%Y-%m-%d %H:%M:%S') -%}
    {{ return({'earliest': earliest, 'latest': latest,
               'earliest_sql': "cast('" ~ earliest ~ "' as " ~ dbt.type_timestamp() ~ ")",
               'latest_sql': "cast('" ~ latest ~ "' as " ~ dbt.type_timestamp() ~ ")"}) }}
{% endmacro %}


{#- With raw_csv_encoding latin-1 (or windows-1252): the first byte in 0x80-0x9F of the
    files, which latin-1 does not define and Windows-1252 uses for the euro sign, curly
    quotes and the oe ligature. DuckDB reads neither as such: the refusal says how to
    convert the file. none when there is none. -#}
{% macro windows_1252_byte(files) %}
    {%- for file in files -%}
        {%- set found_sql -%}
            select
                regexp_extract(bytes, '\\x[89][0-9A-F]') as c1,
                (length(head) - length(replace(head, '\x0A', ''))) // 4 + 1 as line
            from (
                select
                    bytes,
                    substr(bytes, 1, strpos(bytes, regexp_extract(bytes, '\\x[89][0-9A-F]')))
                        as head
                from (
                    select cast(content as {{ dbt.type_string() }}) as bytes
                    from read_blob({{ marketing_kpis.quote_string(file) }})
                ) as raw_bytes
            ) as scanned
        {%- endset -%}
        {%- set row = run_query(found_sql).rows[0] -%}
        {%- if row[0] -%}
            {{ return(file ~ " line " ~ row[1] ~ " holds the byte 0x" ~ row[0][2:]
                ~ ", which latin-1 does not define: the file is windows-1252 (Excel's ANSI),"
                ~ " whose euro signs and curly quotes DuckDB cannot decode. Convert it to"
                ~ " UTF-8 first (iconv -f windows-1252 -t utf-8 " ~ file.split('/')[-1]
                ~ " > utf8.csv, then put utf8.csv in its place) and leave raw_csv_encoding"
                ~ " unset.") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
