{#-
    How a folder of exported files is read (var raw_data_path; DESIGN.md section 2, "How a
    folder of files is read"). Users export from spreadsheets and tools, not from us:

      - file names match table names whatever their case (`Orders.CSV` is orders). A table
        is one <table>.csv, <table>.csv.gz or <table>.parquet file, or one <table>/ folder
        of such part files; two candidates for one table are an error;
      - any other file or folder is never read; the run's inventory reports it by name in
        a warning, with the nearest table name when there is one. Hidden files (.DS_Store)
        and files and folders whose name starts with an underscore (_SUCCESS, a tool's
        _metadata) are skipped silently, at the top and inside a table folder;
      - CSV files are decoded with var raw_csv_encoding and split on var
        raw_csv_delimiter (sniffed when unset).

    The folder is listed whole: a table folder's part files may sit in sub-folders of it
    (Hive-style partitions such as email_events/date=2025-01-01/part-0.parquet). Reading in
    place is DuckDB's: other engines load the folder with tools/load_raw.py first.
-#}

{#- A name as the contract spells it: lower case, with every run of characters other than
    letters and digits (spaces, dashes, dots) as one underscore: `Contact Type` and
    ` contact-type ` are contact_type. -#}
{% macro normalized_name(name) -%}
    {{ return(modules.re.sub('[^a-z0-9]+', '_', (name | string | lower)).strip('_')) }}
{%- endmacro %}


{#- Levenshtein distance of two short strings (names of tables and columns). -#}
{% macro edit_distance(a, b) -%}
    {%- set previous = range(b | length + 1) | list -%}
    {%- for i in range(a | length) -%}
        {%- set current = [i + 1] -%}
        {%- for j in range(b | length) -%}
            {%- do current.append([previous[j + 1] + 1, current[j] + 1,
                                   previous[j] + (0 if a[i] == b[j] else 1)] | min) -%}
        {%- endfor -%}
        {%- do previous.clear() -%}
        {%- do previous.extend(current) -%}
    {%- endfor -%}
    {{ return(previous[-1]) }}
{%- endmacro %}


{#- The candidate nearest to `name` (both normalized), or none when none is near: a
    candidate the name contains or that contains it (`contacts_old` -> contacts), else the
    one at the smallest edit distance, if that is at most a third of its length. -#}
{% macro nearest_name(name, candidates) -%}
    {%- set wanted = marketing_kpis.normalized_name(name) -%}
    {%- for candidate in candidates | sort -%}
        {%- if candidate | length >= 4 and (candidate in wanted or wanted in candidate)
            and wanted | length >= 4 -%}
            {{ return(candidate) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set best = {'name': none, 'distance': 1000} -%}
    {%- for candidate in candidates | sort -%}
        {%- set distance = marketing_kpis.edit_distance(wanted, candidate) -%}
        {%- if distance < best.distance -%}
            {%- do best.update({'name': candidate, 'distance': distance}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if best.name is not none and best.distance <= [2, (best.name | length) // 3] | max -%}
        {{ return(best.name) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{#- " (nearest: x)" or "" -#}
{% macro nearest_hint(name, candidates, what='table') -%}
    {%- set nearest = marketing_kpis.nearest_name(name, candidates) -%}
    {{ return('' if nearest is none else ' (nearest ' ~ what ~ ': ' ~ nearest ~ ')') }}
{%- endmacro %}


{#- var raw_data_path without a trailing slash -#}
{% macro raw_folder(path=none) -%}
    {%- set folder = (path if path is not none else var('raw_data_path')) | string | trim -%}
    {{ return(folder[:-1] if folder.endswith('/') and folder | length > 1 else folder) }}
{%- endmacro %}


{#- The format of a file by its name (csv for .csv and .csv.gz, parquet), or none -#}
{% macro raw_file_format(name) -%}
    {%- set lower = name | lower -%}
    {%- if lower.endswith('.csv') or lower.endswith('.csv.gz') -%}
        {{ return('csv') }}
    {%- elif lower.endswith('.parquet') -%}
        {{ return('parquet') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{#- The table a top-level file name stands for (its name without .csv, .csv.gz or
    .parquet, lower case), or none -#}
{% macro raw_file_stem(name) -%}
    {%- set lower = name | lower -%}
    {%- for extension in ['.csv.gz', '.csv', '.parquet'] -%}
        {%- if lower.endswith(extension) -%}
            {{ return(lower[:-(extension | length)]) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}


{#- Lists the folder once, at every depth, and sorts what it holds (DuckDB). expected: the
    table names to look for (lower case). Returns
      {'folder': ..., 'file_count': n,
       'tables': {table: {'files': [paths], 'format': csv|parquet, 'bytes': n,
                          'label': ...}},
       'ambiguous': {table: [names of the candidates]},
       'mixed': {table: label},            a table folder with both CSV and Parquet parts
       'strays': [names of files and folders that are no table],
       'ignored': [files inside a table folder that are no part file]} -#}
{% macro raw_folder_listing(expected, path=none) %}
    {%- set folder = marketing_kpis.raw_folder(path) -%}
    {%- set quoted = folder | replace("'", "''") -%}
    {%- set listing = run_query(
        "select filename, size from read_blob('" ~ quoted ~ "/**') order by filename") -%}
    {%- set sizes = {} -%}
    {%- set candidates = {} -%}
    {%- set folder_parts = {} -%}
    {%- set strays = [] -%}
    {%- set ignored = [] -%}
    {%- for row in listing.rows -%}
        {%- do sizes.update({row[0]: row[1]}) -%}
        {%- set relative = row[0][(folder | length) + 1:] if row[0].startswith(folder ~ '/')
            else row[0] -%}
        {%- set parts = relative.split('/') -%}
        {%- if parts | length == 1 -%}
            {%- set name = parts[0] -%}
            {%- set stem = marketing_kpis.raw_file_stem(name) -%}
            {%- if name.startswith('.') or name.startswith('_') -%}
                {#- hidden files (.DS_Store, editor swap files) and files a tool keeps
                    beside its export (_SUCCESS, _dbt_vars.yml) are no exports -#}
            {%- elif stem is not none and stem in expected -%}
                {%- do candidates.setdefault(stem, []).append(
                    {'name': name, 'files': [row[0]],
                     'format': marketing_kpis.raw_file_format(name)}) -%}
            {%- else -%}
                {%- do strays.append(name) -%}
            {%- endif -%}
        {%- else -%}
            {%- set directory, name = parts[0], parts[-1] -%}
            {%- set hidden = [] -%}
            {%- for part in parts[1:] if part.startswith('.') or part.startswith('_') -%}
                {%- do hidden.append(part) -%}
            {%- endfor -%}
            {%- if directory.startswith('.') or directory.startswith('_') -%}
                {#- hidden and marker folders -#}
            {%- elif directory | lower in expected -%}
                {%- if hidden -%}
                    {#- _SUCCESS, .part-0.crc, _delta_log/: what a Spark or Hadoop writer
                        leaves beside the parts -#}
                {%- elif marketing_kpis.raw_file_format(name) is none -%}
                    {%- do ignored.append(relative) -%}
                {%- else -%}
                    {%- do folder_parts.setdefault(directory, []).append(row[0]) -%}
                {%- endif -%}
            {%- elif directory ~ '/' not in strays -%}
                {%- do strays.append(directory ~ '/') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for directory, files in folder_parts.items() -%}
        {%- set formats = [] -%}
        {%- for file in files -%}
            {%- set format = marketing_kpis.raw_file_format(file) -%}
            {%- if format not in formats -%}{%- do formats.append(format) -%}{%- endif -%}
        {%- endfor -%}
        {%- do candidates.setdefault(directory | lower, []).append(
            {'name': directory ~ '/', 'files': files,
             'format': formats[0] if formats | length == 1 else 'mixed'}) -%}
    {%- endfor -%}

    {%- set tables = {} -%}
    {%- set ambiguous = {} -%}
    {%- set mixed = {} -%}
    {%- for table, found in candidates.items() -%}
        {%- if found | length > 1 -%}
            {%- do ambiguous.update({table: found | map(attribute='name') | list}) -%}
        {%- elif found[0].format == 'mixed' -%}
            {%- do mixed.update({table: folder ~ '/' ~ found[0].name}) -%}
        {%- else -%}
            {%- set files = found[0].files -%}
            {%- set total = [] -%}
            {%- for file in files -%}{%- do total.append(sizes[file]) -%}{%- endfor -%}
            {%- do tables.update({table: {
                'files': files, 'format': found[0].format, 'bytes': total | sum,
                'label': files[0] if found[0].name == files[0].split('/')[-1]
                    else folder ~ '/' ~ found[0].name ~ ' (' ~ files | length
                    ~ (' file)' if files | length == 1 else ' files)')}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'folder': folder, 'file_count': listing.rows | length, 'tables': tables,
               'ambiguous': ambiguous, 'mixed': mixed, 'strays': strays,
               'ignored': ignored}) }}
{% endmacro %}


{#- The error of a table that the listing could not resolve, or none -#}
{% macro raw_folder_conflict(listing, table) -%}
    {%- if table in listing.ambiguous -%}
        {{ return("raw_data_path " ~ listing.folder ~ " holds " ~ listing.ambiguous[table]
            | length ~ " candidates for the table " ~ table ~ ": "
            ~ listing.ambiguous[table] | join(', ') ~ "; keep one of them (move the others"
            ~ " out of the folder) and run again.") }}
    {%- elif table in listing.mixed -%}
        {{ return("raw_data_path " ~ listing.folder ~ ": the folder " ~ listing.mixed[table]
            ~ " holds both CSV and Parquet files of " ~ table
            ~ "; keep one format and run again.") }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{#- var raw_csv_encoding, as DuckDB's CSV reader names it: utf-8, utf-16 or latin-1
    (windows-1252, what Excel writes on Windows, is latin-1 but for the 27 characters it
    puts in 0x80-0x9F, which DuckDB cannot decode: a file without them reads as latin-1,
    a file with them is refused by the preflight with the command that converts it). -#}
{% macro csv_encoding() -%}
    {%- set name = (var('raw_csv_encoding', 'utf-8') or 'utf-8') | string | lower | trim
        | replace('_', '-') -%}
    {%- set aliases = {
        'utf-8': 'utf-8', 'utf8': 'utf-8', 'utf-8-sig': 'utf-8',
        'utf-16': 'utf-16', 'utf16': 'utf-16',
        'latin-1': 'latin-1', 'latin1': 'latin-1', 'iso-8859-1': 'latin-1',
        'iso8859-1': 'latin-1', 'l1': 'latin-1',
        'windows-1252': 'latin-1', 'cp1252': 'latin-1', 'cp-1252': 'latin-1',
        'win-1252': 'latin-1', 'ansi': 'latin-1'} -%}
    {{ return(aliases.get(name)) }}
{%- endmacro %}


{#- The CSV reader of a list of files: every value as text, header names as written, the
    files of a table folder united by column name. null_strings: values read as null
    besides the empty field (a Mautic dump's \N and NULL). checking: the scan of the
    preflight, which sets errors aside (store_rejects) to report them by line instead of
    failing on the first. -#}
{% macro csv_reader(files, null_strings=none, checking=none) -%}
    {%- set file_list = [] -%}
    {%- for file in files -%}
        {%- do file_list.append("'" ~ file | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {#- the columns are the files' own: a Hive-style folder name (date=2025-01-01) adds none -#}
    {%- set options = ["header = true", "all_varchar = true", "hive_partitioning = false"] -%}
    {%- if not checking -%}
        {#- a table folder's parts united by column name (the checking scan, which keeps
            rejected lines, reads one file at a time: DuckDB keeps no rejects then) -#}
        {%- do options.append("union_by_name = true") -%}
    {%- endif -%}
    {%- if null_strings -%}
        {%- set markers = [] -%}
        {%- for marker in [''] + null_strings -%}
            {%- do markers.append("'" ~ marker | replace("'", "''") ~ "'") -%}
        {%- endfor -%}
        {%- do options.append("nullstr = [" ~ markers | join(', ') ~ "]") -%}
    {%- endif -%}
    {%- set encoding = marketing_kpis.csv_encoding() or 'utf-8' -%}
    {%- if encoding != 'utf-8' -%}
        {%- do options.append("encoding = '" ~ encoding ~ "'") -%}
    {%- endif -%}
    {%- set delimiter = var('raw_csv_delimiter', none) -%}
    {%- if delimiter is not none and delimiter | string != '' -%}
        {%- set delimiter = '\t' if delimiter | string | lower in ['tab', '\\t'] else delimiter
            | string -%}
        {%- do options.append("delim = '" ~ delimiter | replace("'", "''") ~ "'") -%}
    {%- endif -%}
    {%- if checking -%}
        {%- do options.append("ignore_errors = true") -%}
        {%- do options.append("store_rejects = true") -%}
        {%- do options.append("rejects_table = '" ~ checking ~ "_errors'") -%}
        {%- do options.append("rejects_scan = '" ~ checking ~ "_scans'") -%}
    {%- endif -%}
    {{ return("read_csv([" ~ file_list | join(', ') ~ "], " ~ options | join(', ') ~ ")") }}
{%- endmacro %}


{#- Files: find one table in the folder and describe it.
    Returns {'from', 'label', 'columns', 'types', 'format', 'exists', 'is_empty_file',
    'looked_for'}. -#}
{% macro default__raw_file_input(table_name, path, null_strings=none, listing=none) %}
    {{ marketing_kpis.refuse(
        "var raw_data_path is read in place on DuckDB only. On " ~ target.type
        ~ ", load the folder into a schema first (python -m tools.load_raw, see README) and"
        ~ " set var raw_schema instead.") }}
{% endmacro %}


{% macro duckdb__raw_file_input(table_name, path, null_strings=none, listing=none) %}
    {%- set folder = marketing_kpis.raw_folder(path) -%}
    {%- set looked_for = " (looked for " ~ table_name ~ ".csv, .csv.gz, .parquet or a "
        ~ table_name ~ "/ folder of such files in " ~ folder ~ ", in any letter case)" -%}
    {%- set listing = listing or marketing_kpis.raw_folder_listing([table_name | lower], path) -%}
    {%- set conflict = marketing_kpis.raw_folder_conflict(listing, table_name | lower) -%}
    {%- if conflict -%}
        {{ marketing_kpis.refuse(conflict) }}
    {%- endif -%}
    {%- set found = listing.tables.get(table_name | lower) -%}
    {%- if found is none -%}
        {{ return({'from': none, 'label': folder ~ '/' ~ table_name ~ '.csv', 'columns': [],
                   'exists': false, 'is_empty_file': false, 'looked_for': looked_for,
                   'format': none, 'files': []}) }}
    {%- endif -%}
    {%- set file_list = [] -%}
    {%- for file in found.files -%}
        {%- do file_list.append("'" ~ file | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- if found.format == 'parquet' -%}
        {%- set reader = "read_parquet([" ~ file_list | join(', ')
            ~ "], union_by_name = true, hive_partitioning = false)" -%}
    {%- else -%}
        {#- an empty (0-byte) CSV file has no header to describe -#}
        {%- if found.bytes == 0 -%}
            {{ return({'from': none, 'label': found.label, 'columns': [], 'exists': true,
                       'is_empty_file': true, 'format': 'csv', 'files': found.files}) }}
        {%- endif -%}
        {%- set reader = marketing_kpis.csv_reader(found.files, null_strings) -%}
    {%- endif -%}
    {%- set described = run_query("describe select * from " ~ reader) -%}
    {{ return({'from': reader, 'label': found.label,
               'columns': described.columns[0].values() | list,
               'types': described.columns[1].values() | list, 'format': found.format,
               'files': found.files, 'null_strings': null_strings,
               'exists': true, 'is_empty_file': false}) }}
{% endmacro %}
