"""Load a raw_data_path folder into a schema of PostgreSQL or Spark.

DuckDB reads a folder of raw contract files in place (var raw_data_path). PostgreSQL and
Spark read tables, so this loader copies the folder into a schema first; the project then
builds from it with var raw_schema:

    python -m tools.load_raw --target postgres --path my_export --schema raw_input
    dbt build --target postgres --vars '{raw_schema: raw_input}'

The folder holds, per table of the raw contract, <table>.csv, <table>.csv.gz,
<table>.parquet or a <table>/ folder of such files (the same layout raw_data_path
accepts). Files of tables the contract does not know are ignored (and listed). With
--source-system mautic, hubspot or salesforce the folder is that tool's export (its tables, as
macros/raw/<tool>_input.sql lists them, and the contract-format tables beside them):

    python -m tools.load_raw --target postgres --source-system hubspot --path hubspot_export \
        --schema hubspot
    dbt build --target postgres --vars '{source_system: hubspot, raw_schema: hubspot}'

- PostgreSQL: each table is created with one text column per column of the file (or
  emptied, when it exists with the same columns, so that views on it stay valid) and
  filled with COPY ... FROM STDIN (Parquet is streamed as CSV, one row group at a time),
  all in one transaction.
  Staging casts and checks the values as it does for a CSV folder. Connection: the
  libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, read with the same
  defaults as the `postgres` output of profiles.yml.
- Spark: each table is written as a Parquet-backed table by the same local Spark session
  settings as the `spark` output of profiles.yml (warehouse and metastore under target/).
  CSV columns stay strings; Parquet columns keep their types.

Tables are replaced, and contract tables of an earlier load that the folder lacks are
emptied (PostgreSQL) or dropped (Spark), so loading the next export into the same schema
is a full refresh of the raw layer; dbt's incremental models then pick up what changed.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import re
import sys
import time
from pathlib import Path

from tools import contract

PROJECT_DIR = contract.PROJECT_DIR
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class LoadError(Exception):
    """Bad input folder or arguments: printed without a traceback."""


def find_files(folder: Path, table: str) -> tuple[str, list[Path]]:
    """The files of one table in a raw folder: (format, files); format '' when absent."""
    candidates = sorted(folder.glob(f"{table}.*")) + sorted((folder / table).glob("*"))
    csv = [p for p in candidates if p.name.lower().endswith((".csv", ".csv.gz"))]
    parquet = [p for p in candidates if p.name.lower().endswith(".parquet")]
    if csv and parquet:
        raise LoadError(
            f"{folder}: {table} is there both as CSV ({', '.join(map(str, csv))}) and as "
            f"Parquet ({', '.join(map(str, parquet))}); keep one of them."
        )
    if parquet:
        return "parquet", parquet
    # a 0-byte CSV has no header: it holds no rows, as on DuckDB
    csv = [p for p in csv if p.stat().st_size > 0]
    if csv:
        return "csv", csv
    return "", []


def find_files_any(folder: Path, table: str) -> bool:
    """Whether the folder has any file of the table, empty ones included."""
    return any(folder.glob(f"{table}.*")) or any((folder / table).glob("*"))


# the tables of another tool's export (var source_system), read from the YAML block of
# its input macro, beside the contract tables that come in the contract's format
TOOL_TABLES = {
    "mautic": (PROJECT_DIR / "macros" / "raw" / "mautic_input.sql", "leads"),
    "hubspot": (PROJECT_DIR / "macros" / "raw" / "hubspot_input.sql", "contact"),
    # Fivetran's Salesforce tables (var crm_system salesforce): lead or contact
    "salesforce": (PROJECT_DIR / "macros" / "raw" / "salesforce_input.sql", "lead|contact"),
}


def table_names(source_system: str = "contract", prefix: str = "") -> tuple[list[str], str]:
    """The tables a folder of this source system may hold, and the one it requires."""
    if source_system == "contract":
        return contract.tables(), "contacts"
    macro, required = TOOL_TABLES[source_system]
    tool = [prefix + name for name in contract.macro_yaml_block(macro, "tables_yaml")]
    return tool + contract.tables(), prefix + required


def discover(folder: Path, source_system: str = "contract",
             prefix: str = "") -> dict[str, tuple[str, list[Path]]]:
    """Every table of the source system found in the folder, in order."""
    if not folder.is_dir():
        raise LoadError(f"{folder} is not a folder")
    names, required = table_names(source_system, prefix)
    found = {}
    for table in names:
        fmt, files = find_files(folder, table)
        if files:
            found[table] = (fmt, files)
    if "|" in required:
        # either table will do (a Salesforce org may hold only leads or only contacts)
        choices = required.split("|")
        required = next((name for name in choices if name in found), " or ".join(choices))
        if required not in found:
            raise LoadError(f"{folder}: no {required} table; one of them is required.")
    if required not in found and find_files_any(folder, required):
        raise LoadError(
            f"{folder}: the {required} file is empty; the {required} table is required and "
            "must hold at least one contact."
        )
    if required not in found:
        raise LoadError(
            f"{folder}: no {required} table (looked for {required}.csv, .csv.gz, .parquet or "
            f"a {required}/ folder); the {required} table is required."
        )
    known = set(names)
    others = sorted(
        p.name for p in folder.iterdir()
        if p.name.split(".")[0] not in known and not p.name.startswith(".")
    )
    if others:
        what = "the raw contract" if source_system == "contract" else f"a {source_system} export"
        print(f"    ignored (not tables of {what}): {', '.join(others)}")
    return found


def _open_text(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    # utf-8-sig: a byte-order mark (Excel, some exporters) is no part of the first name
    return open(path, encoding="utf-8-sig", newline="")


def _csv_header(path: Path) -> list[str]:
    import csv

    with _open_text(path) as handle:
        try:
            return next(csv.reader(handle))
        except StopIteration:
            return []


def _check_columns(table: str, columns: list[str], where: Path) -> list[str]:
    # a byte-order mark before the first header is no part of its name
    cleaned = [c.strip().lstrip("\ufeff") for c in columns]
    for column in cleaned:
        if not IDENTIFIER.match(column):
            raise LoadError(f"{where}: column name {column!r} is not a plain identifier")
    return cleaned


# --------------------------------------------------------------------------------------
# PostgreSQL


def postgres_connection():
    import psycopg2

    # the same defaults as the postgres output of profiles.yml
    return psycopg2.connect(
        host=os.environ.get("PGHOST", "localhost"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=os.environ.get("PGUSER", "postgres"),
        password=os.environ.get("PGPASSWORD", ""),
        dbname=os.environ.get("PGDATABASE", "marketing_kpis"),
    )


def _parquet_as_csv_chunks(path: Path, columns: list[str]):
    """A Parquet file as CSV text (no header), one row group at a time."""
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    for index in range(parquet.num_row_groups):
        batch = parquet.read_row_group(index, columns=columns)
        buffer = io.BytesIO()
        pa_csv.write_csv(batch, buffer, pa_csv.WriteOptions(include_header=False))
        yield buffer.getvalue()


class _ChunkReader(io.RawIOBase):
    """A file-like object over an iterator of byte strings (for COPY FROM STDIN)."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def load_postgres(found: dict, schema: str, names: list[str]) -> dict[str, int]:
    import pyarrow.parquet as pq

    counts = {}
    with postgres_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f'create schema if not exists "{schema}"')
        for table, (fmt, files) in found.items():
            started = time.time()
            if fmt == "parquet":
                columns = _check_columns(table, pq.read_schema(files[0]).names, files[0])
            else:
                columns = _check_columns(table, _csv_header(files[0]), files[0])
            cursor.execute(
                "select column_name from information_schema.columns "
                "where table_schema = %s and table_name = %s order by ordinal_position",
                [schema, table],
            )
            existing = [row[0] for row in cursor.fetchall()]
            column_list = ", ".join(f'"{c}"' for c in columns)
            if existing and existing == columns:
                # same columns: empty it in place, so that views on it (a user's own) stay valid
                cursor.execute(f'truncate table "{schema}"."{table}"')
            else:
                if existing:
                    print(f"    {table}: columns changed; the table is recreated (views on it "
                          "are dropped with it)")
                cursor.execute(f'drop table if exists "{schema}"."{table}" cascade')
                cursor.execute(
                    f'create table "{schema}"."{table}" ('
                    + ", ".join(f'"{c}" text' for c in columns) + ")"
                )
            for path in files:
                if fmt == "parquet":
                    names = pq.read_schema(path).names
                    if [n.strip() for n in names] != columns:
                        raise LoadError(f"{path}: columns differ from {files[0]}")
                    cursor.copy_expert(
                        f'copy "{schema}"."{table}" ({column_list}) from stdin '
                        "with (format csv)",
                        _ChunkReader(_parquet_as_csv_chunks(path, names)),
                    )
                else:
                    if [c.strip() for c in _csv_header(path)] != columns:
                        raise LoadError(f"{path}: header differs from {files[0]}")
                    with _open_text(path) as handle:
                        cursor.copy_expert(
                            f'copy "{schema}"."{table}" ({column_list}) from stdin '
                            "with (format csv, header true)",
                            handle,
                        )
            cursor.execute(f'select count(*) from "{schema}"."{table}"')
            counts[table] = cursor.fetchone()[0]
            print(f"    {table:<18} {counts[table]:>12,} rows  {time.time() - started:6.1f} s")
        # a table of an earlier load that this folder does not have: emptied, so that the
        # schema holds this export only (staging treats an empty table as absent data)
        for table in names:
            if table in found:
                continue
            cursor.execute(
                "select 1 from information_schema.tables where table_schema = %s "
                "and table_name = %s", [schema, table])
            if cursor.fetchone():
                cursor.execute(f'truncate table "{schema}"."{table}"')
                print(f"    {table:<18} emptied (not in this folder; left from an earlier load)")
    return counts


# --------------------------------------------------------------------------------------
# Spark


def spark_profile_parameters() -> dict[str, str]:
    """server_side_parameters of the spark output of profiles.yml, env_var() rendered."""
    import jinja2
    import yaml

    text = (PROJECT_DIR / "profiles.yml").read_text()
    profiles = yaml.safe_load(text)
    spark = profiles["marketing_kpis"]["outputs"]["spark"]
    env = jinja2.Environment()
    env.globals["env_var"] = lambda name, default=None: os.environ.get(name, default)
    return {
        key: env.from_string(str(value)).render()
        for key, value in spark.get("server_side_parameters", {}).items()
    }


def spark_session():
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("marketing_kpis load_raw").enableHiveSupport()
    for key, value in spark_profile_parameters().items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def load_spark(found: dict, schema: str, names: list[str]) -> dict[str, int]:
    session = spark_session()
    session.sql(f"create database if not exists `{schema}`")
    counts = {}
    for table, (fmt, files) in found.items():
        started = time.time()
        paths = [str(p.resolve()) for p in files]
        if fmt == "parquet":
            frame = session.read.parquet(*paths)
        else:
            frame = session.read.csv(
                paths, header=True, inferSchema=False, multiLine=True, escape='"'
            )
        columns = _check_columns(table, frame.columns, files[0])
        if columns != frame.columns:
            frame = frame.toDF(*columns)
        frame.write.mode("overwrite").format("parquet").saveAsTable(f"`{schema}`.`{table}`")
        counts[table] = session.table(f"`{schema}`.`{table}`").count()
        print(f"    {table:<18} {counts[table]:>12,} rows  {time.time() - started:6.1f} s")
    existing = {row.tableName for row in session.sql(f"show tables in `{schema}`").collect()}
    for table in names:
        if table not in found and table in existing:
            # a table of an earlier load that this folder does not have
            session.sql(f"drop table `{schema}`.`{table}`")
            print(f"    {table:<18} dropped (not in this folder; left from an earlier load)")
    session.stop()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, choices=["postgres", "spark"])
    parser.add_argument("--path", required=True, type=Path, help="the raw_data_path folder")
    parser.add_argument(
        "--schema", default="raw_input",
        help="schema to (re)create the tables in; then build with --vars '{raw_schema: ...}'",
    )
    parser.add_argument(
        "--source-system", default="contract",
        choices=["contract", "mautic", "hubspot", "salesforce"],
        help="what the folder holds (var source_system): the contract's tables (default), "
             "a Mautic export or Fivetran's HubSpot tables, each with the contract-format "
             "tables beside them; salesforce: Fivetran's Salesforce tables (var crm_system "
             "salesforce, read with var salesforce_schema or raw_schema)",
    )
    parser.add_argument("--table-prefix", default="",
                        help="prefix of the tool's table names (var mautic_table_prefix or "
                             "hubspot_table_prefix)")
    args = parser.parse_args(argv)
    try:
        if not IDENTIFIER.match(args.schema):
            raise LoadError(f"schema name {args.schema!r} is not a plain identifier")
        found = discover(args.path, args.source_system, args.table_prefix)
        names, _ = table_names(args.source_system, args.table_prefix)
        print(f"==> loading {len(found)} tables from {args.path} into {args.target} "
              f"schema {args.schema}")
        started = time.time()
        loader = load_postgres if args.target == "postgres" else load_spark
        counts = loader(found, args.schema, names)
    except LoadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    system = ("" if args.source_system == "contract" else "crm_system: salesforce, "
              if args.source_system == "salesforce" else f"source_system: {args.source_system}, ")
    print(f"==> loaded {sum(counts.values()):,} rows in {time.time() - started:.1f} s; build "
          f"with: dbt build --target {args.target} --vars '{{{system}raw_schema: {args.schema}}}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
