"""The demo as Fivetran's HubSpot tables gives the KPIs of the demo in the contract's shape.

    python -m tools.compare_hubspot [--source seeds] [--original DATABASE] [--no-build]

1. tools.hubspot_export writes SOURCE as the tables of Fivetran's HubSpot connector
   (target/hubspot/export) and the same data without what HubSpot cannot hold, in the
   contract's shape (target/hubspot/projected), each with the vars to build it.
2. dbt builds both into DuckDB files of their own (target/hubspot/*.duckdb): the export
   with var source_system hubspot, the projection in contract mode with the stages
   'lead' and 'customer' as lead and customer signals, as in HubSpot mode.
3. Every mart table is compared row by row, ids translated through the export's id map
   (HubSpot's email and page ids are integers): all values must be equal. It exits 1
   otherwise.
4. It then lists the mart columns where SOURCE itself, built as is, differs from the
   HubSpot build: the KPIs a HubSpot export cannot express (README, "HubSpot input").
   --original reads that build from a database instead (tools.compare_mautic).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path

import yaml

from tools import compare_mautic
from tools.compare_engines import compare_table
from tools.compare_mautic import differing_columns, read_marts, translate
from tools.hubspot_export import convert

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = PROJECT_DIR / "target" / "hubspot"


def build(name: str, variables: dict) -> Path:
    """compare_mautic's dbt build, into target/hubspot/<name>.duckdb."""
    return compare_mautic.build(name, variables, work_dir=WORK_DIR)


def _vars(folder: Path) -> dict:
    return yaml.safe_load((folder / "_dbt_vars.yml").read_text(encoding="utf-8"))


def _id_map(export: Path) -> dict[tuple[str, str], str]:
    """(kind, contract id) -> HubSpot id, from the export's _id_map.csv."""
    with open(export / "_id_map.csv", newline="", encoding="utf-8") as handle:
        return {(entry["kind"], entry["contract_id"]): entry["hubspot_id"]
                for entry in csv.DictReader(handle)}


def mart_differences(expected: dict, built: dict) -> tuple[list[str], int]:
    """(the differences between two sets of marts, the number of cells compared)."""
    shared = sorted(expected.keys() & built.keys())
    missing = sorted(expected.keys() ^ built.keys())
    found = [f"tables differ: {missing}"] if missing else []
    for table in shared:
        found.extend(compare_table(table, expected[table], built[table]))
    return found, sum(len(built[t][0]) * len(built[t][1]) for t in shared)


def export_and_build(source: Path, export: Path, projected: Path) -> None:
    """SOURCE as HubSpot tables and as its projection, each built."""
    for folder in (export, projected):
        shutil.rmtree(folder, ignore_errors=True)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    print(f"==> writing {source} as Fivetran's HubSpot tables ({export}) and its projection",
          flush=True)
    convert(source, export, projected)
    for name, folder in (("hubspot", export), ("projected", projected)):
        build(name, _vars(folder))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true",
                        help="compare what the last run built")
    parser.add_argument("--source", type=Path, default=PROJECT_DIR / "seeds",
                        help="folder of contract tables (default: the demo seeds)")
    compare_mautic.add_original_option(parser)
    args = parser.parse_args(argv)
    export, projected = WORK_DIR / "export", WORK_DIR / "projected"
    if not args.no_build:
        export_and_build(args.source, export, projected)
    original_database = compare_mautic.original_marts(args, WORK_DIR)
    ids = _id_map(export)
    hubspot = read_marts(WORK_DIR / "hubspot.duckdb")
    projection = translate(read_marts(WORK_DIR / "projected.duckdb"), ids)
    original = translate(read_marts(original_database), ids)

    problems, cells = mart_differences(projection, hubspot)
    if problems:
        print("FAIL the HubSpot build differs from the contract build of the same data:\n"
              + "\n".join(f"    {problem}" for problem in problems))
    else:
        print(f"OK   HubSpot export = contract shape (without what HubSpot cannot hold): "
              f"{len(hubspot)} mart tables, {cells:,} cells equal")
    lost = {table: differing_columns(table, original[table], hubspot[table])
            for table in sorted(hubspot.keys() & original.keys())}
    print("==> mart columns where the demo as it is differs from its HubSpot export"
          " (what HubSpot cannot express):\n"
          + "\n".join(f"    {table}: {', '.join(columns)}"
                      for table, columns in lost.items() if columns))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
