"""Build the demo on DuckDB, PostgreSQL and Spark and compare every mart row by row.

    python -m tools.compare_engines                 # build on the three engines, compare
    python -m tools.compare_engines --no-build      # compare what the last builds left
    python -m tools.compare_engines --engines duckdb postgres

Every table of the marts schema is read from each engine, its rows are sorted the same
way and compared column by column: numbers within 1e-9 relative (1e-12 absolute near
zero), everything else exactly (dates and timestamps by value, text by content, nulls
as nulls). The first engine is the reference. The table lists must be equal too. Exit
code 1 on any difference, with the first differing rows of each table printed.

How each engine is built (the demo data in seeds/, all tests included):
- duckdb    dbt build into target/engines/duckdb.duckdb (from the seeds)
- postgres  the server PGHOST/PGPORT name; when neither is set, the local one of
            tools/engines/postgres.sh start (started if need be, left running; its
            port is the one `postgres.sh env` prints), dbt build (dbt seed loads the demo)
- spark     python -m tools.load_raw --target spark --path seeds --schema raw_input
            (Spark reads the CSV files itself; `dbt seed` through agate takes minutes
            on Spark), then dbt build --vars '{raw_schema: raw_input}'
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENGINES = ("duckdb", "postgres", "spark")
DUCKDB_PATH = PROJECT_DIR / "target" / "engines" / "duckdb.duckdb"
REL_TOL = 1e-9
ABS_TOL = 1e-12
SHOWN_DIFFERENCES = 5


def _dbt() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def _env(engine: str) -> dict[str, str]:
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), DBT_TARGET=engine,
               PYTHONPATH=str(PROJECT_DIR), TZ="UTC")
    if engine == "duckdb":
        env["MARKETING_KPIS_DUCKDB_PATH"] = str(env.get("COMPARE_DUCKDB_PATH", DUCKDB_PATH))
    if engine == "postgres" and not _names_a_server(env):
        env.update(_local_postgres_env())
    return env


def _names_a_server(env: dict[str, str]) -> bool:
    return "PGHOST" in env or "PGPORT" in env


def _local_postgres_env() -> dict[str, str]:
    """PG* of the server `tools/engines/postgres.sh start` recorded; {} when none."""
    done = subprocess.run(["bash", "tools/engines/postgres.sh", "env"], cwd=PROJECT_DIR,
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {}
    # export PGHOST=127.0.0.1 PGPORT=... PGUSER=postgres PGDATABASE=marketing_kpis
    return dict(item.split("=", 1) for item in done.stdout.split() if "=" in item)


def _run(command: list[str], env: dict[str, str]) -> None:
    print("    $ " + " ".join(command), flush=True)
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env)
    if result.returncode != 0:
        raise SystemExit(f"error: command failed ({result.returncode}): {' '.join(command)}")


def build(engine: str) -> None:
    env = _env(engine)
    started = time.time()
    print(f"==> building the demo on {engine}", flush=True)
    target_path = f"target/engines/{engine}"
    if engine == "duckdb":
        path = Path(env["MARKETING_KPIS_DUCKDB_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        _run([_dbt(), "build", "--target-path", target_path], env)
    elif engine == "postgres":
        if not _names_a_server(os.environ):
            _run(["bash", "tools/engines/postgres.sh", "start"], env)
            env = _env(engine)
        _run([_dbt(), "build", "--full-refresh", "--target-path", target_path], env)
    else:
        _run([sys.executable, "-m", "tools.load_raw", "--target", "spark", "--path", "seeds",
              "--schema", "raw_input"], env)
        _run([_dbt(), "build", "--target-path", target_path,
              "--vars", "{raw_schema: raw_input}"], env)
    print(f"==> {engine} built in {time.time() - started:.0f} s", flush=True)


# --------------------------------------------------------------------------------------
# reading the marts

# tables of schema marts that are no mart: the log of publications says when and from
# what each engine's marts were published, which differs by engine and by run
NOT_MARTS = {"publication_log"}


def read_duckdb(schema: str) -> dict[str, tuple[list[str], list[tuple]]]:
    import duckdb

    path = _env("duckdb")["MARKETING_KPIS_DUCKDB_PATH"]
    with duckdb.connect(path, read_only=True) as connection:
        names = [row[0] for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "and table_type = 'BASE TABLE' order by 1", [schema]).fetchall()]
        tables = {}
        for name in (name for name in names if name not in NOT_MARTS):
            cursor = connection.execute(f'select * from "{schema}"."{name}"')
            tables[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return tables


def read_postgres(schema: str) -> dict[str, tuple[list[str], list[tuple]]]:
    from tools.load_raw import postgres_connection

    for key, value in _env("postgres").items():
        if key.startswith("PG"):
            os.environ.setdefault(key, value)
    with postgres_connection() as connection, connection.cursor() as cursor:
        cursor.execute(
            "select table_name from information_schema.tables where table_schema = %s "
            "and table_type = 'BASE TABLE' order by 1", [schema])
        names = [row[0] for row in cursor.fetchall()]
        tables = {}
        for name in (name for name in names if name not in NOT_MARTS):
            cursor.execute(f'select * from "{schema}"."{name}"')
            tables[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return tables


def read_spark(schema: str) -> dict[str, tuple[list[str], list[tuple]]]:
    from tools.load_raw import spark_session

    session = spark_session()
    names = sorted(row.tableName for row in session.sql(f"show tables in `{schema}`").collect()
                   if not row.isTemporary and row.tableName not in NOT_MARTS)
    tables = {}
    for name in names:
        frame = session.table(f"`{schema}`.`{name}`")
        tables[name] = (frame.columns, [tuple(row) for row in frame.collect()])
    session.stop()
    return tables


READERS = {"duckdb": read_duckdb, "postgres": read_postgres, "spark": read_spark}


# --------------------------------------------------------------------------------------
# comparing


def normalize(value):
    """One comparable Python value per cell, whatever driver returned it."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    return str(value)


def sort_key(row: tuple) -> tuple:
    key = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, float):
            # rounded, so that last-digit differences between engines sort alike
            key.append((1, f"{value:+.9e}"))
        else:
            key.append((2, str(value)))
    return tuple(key)


def same(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return left == right


def compare_table(name: str, reference: tuple, other: tuple) -> list[str]:
    ref_columns, ref_rows = reference
    columns, rows = other
    if [c.lower() for c in ref_columns] != [c.lower() for c in columns]:
        return [f"{name}: columns differ: {ref_columns} vs {columns}"]
    problems = []
    if len(ref_rows) != len(rows):
        problems.append(f"{name}: {len(ref_rows)} rows vs {len(rows)} rows")
    left = sorted(([normalize(v) for v in row] for row in ref_rows), key=sort_key)
    right = sorted(([normalize(v) for v in row] for row in rows), key=sort_key)
    for index, (a, b) in enumerate(zip(left, right)):
        cells = [f"{col}: {x!r} vs {y!r}" for col, x, y in zip(columns, a, b) if not same(x, y)]
        if cells:
            problems.append(f"{name} row {index}: " + "; ".join(cells))
            if len(problems) >= SHOWN_DIFFERENCES:
                problems.append(f"{name}: ... (more differences not shown)")
                break
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES),
                        help="engines to compare; the first one is the reference")
    parser.add_argument("--no-build", action="store_true",
                        help="compare the marts the last builds left, build nothing")
    parser.add_argument("--schema", action="append", metavar="ENGINE=SCHEMA", default=[],
                        help="read the marts of ENGINE from SCHEMA (default marts)")
    args = parser.parse_args(argv)
    os.environ["TZ"] = "UTC"
    time.tzset()
    schemas = {engine: "marts" for engine in args.engines}
    for item in args.schema:
        engine, _, schema = item.partition("=")
        schemas[engine] = schema
    if not args.no_build:
        for engine in args.engines:
            build(engine)
    data = {}
    for engine in args.engines:
        print(f"==> reading {schemas[engine]} from {engine}", flush=True)
        data[engine] = READERS[engine](schemas[engine])
        if not data[engine]:
            print(f"error: no tables in schema {schemas[engine]} on {engine}", file=sys.stderr)
            return 1
    reference_engine = args.engines[0]
    reference = data[reference_engine]
    failures = 0
    for engine in args.engines[1:]:
        tables = data[engine]
        missing = sorted(set(reference) - set(tables))
        extra = sorted(set(tables) - set(reference))
        problems = []
        if missing or extra:
            problems.append(f"tables differ: missing {missing}, extra {extra}")
        cells = 0
        for name in sorted(set(reference) & set(tables)):
            problems += compare_table(name, reference[name], tables[name])
            cells += len(reference[name][1]) * len(reference[name][0])
        if problems:
            failures += 1
            print(f"FAIL {engine} vs {reference_engine}:")
            for problem in problems:
                print("    " + problem)
        else:
            print(f"OK   {engine} = {reference_engine}: {len(reference)} mart tables, "
                  f"{cells:,} cells (numbers within {REL_TOL:g} relative)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
