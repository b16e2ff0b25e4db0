"""The demo in Mautic's shape gives the KPIs of the demo in the contract's shape.

    python -m tools.compare_mautic [--source seeds] [--original DATABASE] [--no-build]

1. tools.mautic_export writes SOURCE as a Mautic export (target/mautic/export) and the
   same data without what Mautic cannot hold, in the contract's shape
   (target/mautic/projected).
2. dbt builds both into DuckDB files of their own: the export with var source_system
   mautic, the projection with exclude_machine_opens false (Mautic does not flag machine
   opens, so they count as opens on both sides).
3. Every mart table is compared row by row, ids translated through the export's id map
   (Mautic's ids are integers): all values must be equal. It exits 1 otherwise.
4. It then lists the mart columns where SOURCE itself, built as is, differs from the Mautic
   build: the KPIs a Mautic export cannot express (README, "Mautic input"). --original
   names a DuckDB database where SOURCE was already built as is with the default vars
   (`make test` passes the test build of `make dbt-test`, the demo seeds), instead of a
   third build.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import yaml

from tools.compare_engines import compare_table, normalize, same, sort_key
from tools.mautic_export import convert

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = PROJECT_DIR / "target" / "mautic"
# mart columns holding ids, and the kind of id
ID_COLUMNS = {"campaign_id": "campaign", "email_id": "email", "parent_email_id": "email",
              "root_email_id": "email", "page_id": "page"}


def _dbt() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def build(name: str, variables: dict, work_dir: Path = WORK_DIR) -> Path:
    """dbt build of the project with `variables` into <work_dir>/<name>.duckdb."""
    database = work_dir / f"{name}.duckdb"
    database.unlink(missing_ok=True)
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR),
               MARKETING_KPIS_DUCKDB_PATH=str(database))
    env.pop("DBT_TARGET", None)
    # unit tests do not depend on the input: `make test` runs them
    command = [_dbt(), "build", "--exclude-resource-type", "unit_test",
               "--target-path", str(work_dir / f"target_{name}"),
               "--vars", yaml.safe_dump(variables, default_flow_style=True).strip()]
    print(f"==> dbt build: {name}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-6000:] + done.stderr[-3000:])
        raise SystemExit(f"error: the {name} build failed")
    print(f"    built in {time.perf_counter() - started:.0f} s", flush=True)
    return database


def original_marts(args: argparse.Namespace, work_dir: Path) -> Path:
    """The database of args.source built as is, default vars (the listing of step 4): the
    one --original names, else a build of its own into <work_dir>/original.duckdb (with
    --no-build, the last one)."""
    own = work_dir / "original.duckdb"
    if args.original is None:
        if args.no_build:
            return own
        return build("original", {"raw_data_path": str(args.source.resolve())},
                     work_dir=work_dir)
    if not args.original.is_file():
        raise SystemExit(f"error: --original {args.original}: no such DuckDB file (build it"
                         " first, e.g. make dbt-test, or leave --original out)")
    print(f"==> {args.source} as it is: the build in {args.original}", flush=True)
    return args.original


def add_original_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--original", type=Path, default=None, metavar="DATABASE",
                        help="a DuckDB database where SOURCE was built as is with the default"
                             " vars (e.g. make dbt-test's), read instead of building it again")


def read_marts(database: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        names = [row[0] for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " and table_type = 'BASE TABLE' and table_name <> 'publication_log'"
            " order by 1").fetchall()]
        tables = {}
        for name in names:
            cursor = connection.execute(f'select * from marts."{name}"')
            tables[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return tables


def translate(tables: dict, id_map: dict[tuple[str, str], str]) -> dict:
    """The contract build's marts with their ids written as Mautic's."""
    translated = {}
    for name, (columns, rows) in tables.items():
        kinds = [ID_COLUMNS.get(column) for column in columns]
        new_rows = []
        for row in rows:
            new_rows.append(tuple(
                id_map.get((kind, value), value) if kind and value is not None else value
                for kind, value in zip(kinds, row)))
        translated[name] = (columns, new_rows)
    return translated


def differing_columns(name: str, left: tuple, right: tuple) -> list[str]:
    """Columns of one table whose values differ (rows matched after sorting)."""
    columns, left_rows = left
    _, right_rows = right
    if len(left_rows) != len(right_rows):
        return [f"(rows: {len(left_rows)} vs {len(right_rows)})"]
    a = sorted(([normalize(v) for v in row] for row in left_rows), key=sort_key)
    b = sorted(([normalize(v) for v in row] for row in right_rows), key=sort_key)
    found = []
    for index, column in enumerate(columns):
        if any(not same(x[index], y[index]) for x, y in zip(a, b)):
            found.append(column)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=PROJECT_DIR / "seeds",
                        help="folder of contract tables (default: the demo seeds)")
    parser.add_argument("--no-build", action="store_true",
                        help="compare what the last run built")
    add_original_option(parser)
    args = parser.parse_args(argv)
    export, projected = WORK_DIR / "export", WORK_DIR / "projected"
    if not args.no_build:
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        for folder in (export, projected):
            if folder.exists():
                for path in folder.iterdir():
                    path.unlink()
        print(f"==> writing {args.source} as a Mautic export ({export}) and its projection",
              flush=True)
        convert(args.source, export, projected)
        mautic_vars = yaml.safe_load((export / "_dbt_vars.yml").read_text(encoding="utf-8"))
        build("mautic", mautic_vars)
        build("projected", {"raw_data_path": str(projected), "exclude_machine_opens": False})
    original_database = original_marts(args, WORK_DIR)
    with open(export / "_id_map.csv", newline="", encoding="utf-8") as handle:
        id_map = {(row["kind"], row["contract_id"]): row["mautic_id"]
                  for row in csv.DictReader(handle)}
    mautic = read_marts(WORK_DIR / "mautic.duckdb")
    projection = translate(read_marts(WORK_DIR / "projected.duckdb"), id_map)
    original = translate(read_marts(original_database), id_map)

    problems, cells = [], 0
    if set(mautic) != set(projection):
        problems.append(f"tables differ: {sorted(set(mautic) ^ set(projection))}")
    for name in sorted(set(mautic) & set(projection)):
        problems += compare_table(name, projection[name], mautic[name])
        cells += len(mautic[name][0]) * len(mautic[name][1])
    if problems:
        print("FAIL the Mautic build differs from the contract build of the same data:")
        for problem in problems:
            print("    " + problem)
    else:
        print(f"OK   Mautic export = contract shape (without what Mautic cannot hold): "
              f"{len(mautic)} mart tables, {cells:,} cells equal")

    print("==> mart columns where the demo as it is differs from its Mautic export"
          " (what Mautic cannot express):")
    for name in sorted(set(mautic) & set(original)):
        columns = differing_columns(name, original[name], mautic[name])
        if columns:
            print(f"    {name}: {', '.join(columns)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
