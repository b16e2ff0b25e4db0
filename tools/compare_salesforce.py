"""The demo as Salesforce + a marketing tool gives the KPIs of the demo in the contract's shape.

    python -m tools.compare_salesforce [--source seeds] [--with contract|hubspot|mautic]
                                       [--original DATABASE] [--no-build]

1. tools.salesforce_export writes SOURCE as the tables of Fivetran's Salesforce connector
   beside its marketing side (contract files, or a HubSpot or Mautic export) in
   target/salesforce/<with>/export, and what the Salesforce CRM mode must read back, in the
   contract's shape, in target/salesforce/<with>/projected, each with the vars to build it.
2. dbt builds both into DuckDB files of their own: the export with var crm_system
   salesforce (and source_system <with>), the projection in contract mode with 'lead' in
   lead_lifecycle_stages (an open lead is a lead from its creation).
3. Every mart table is compared row by row, ids translated through the export's id map
   (campaigns are Salesforce's; HubSpot's and Mautic's email and page ids are integers):
   all values must be equal. It exits 1 otherwise.
4. It then lists the mart columns where SOURCE itself, built as is, differs from the
   Salesforce build: the KPIs the pair (marketing tool + Salesforce) cannot express.
   --original reads that build from a database instead (tools.compare_mautic).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path
from unittest import mock

from tools import compare_hubspot, compare_mautic
from tools.compare_mautic import differing_columns, read_marts, translate
from tools.salesforce_export import SHAPES, convert

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = PROJECT_DIR / "target" / "salesforce"


def build(work: Path, name: str, variables: dict) -> Path:
    """compare_mautic's dbt build, into <work>/<name>.duckdb."""
    with mock.patch.object(compare_hubspot, "WORK_DIR", work):
        return compare_hubspot.build(name, variables)


def id_map(export: Path) -> dict[tuple[str, str], str]:
    """(kind, contract id) -> id in the export (Salesforce's or the marketing tool's)."""
    with open(export / "_id_map.csv", newline="", encoding="utf-8") as handle:
        return {(entry["kind"], entry["contract_id"]): entry["export_id"]
                for entry in csv.DictReader(handle)}


def export_and_build(source: Path, work: Path, marketing: str) -> None:
    """SOURCE as Salesforce + marketing tables and as its projection, each built."""
    export, projected = work / "export", work / "projected"
    for folder in (export, projected):
        shutil.rmtree(folder, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    print(f"==> writing {source} as Fivetran's Salesforce tables + {marketing} ({export})"
          " and its projection", flush=True)
    convert(source, export, projected, marketing)
    for name, folder in (("salesforce", export), ("projected", projected)):
        build(work, name, compare_hubspot._vars(folder))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--with", dest="marketing", choices=SHAPES, default="contract",
                        help="shape of the marketing side (default: contract files)")
    parser.add_argument("--source", type=Path, default=PROJECT_DIR / "seeds",
                        help="folder of contract tables (default: the demo seeds)")
    parser.add_argument("--no-build", action="store_true",
                        help="compare what the last run built")
    compare_mautic.add_original_option(parser)
    args = parser.parse_args(argv)
    work = WORK_DIR / args.marketing
    if not args.no_build:
        export_and_build(args.source, work, args.marketing)
    original_database = compare_mautic.original_marts(args, work)
    ids = id_map(work / "export")
    salesforce = read_marts(work / "salesforce.duckdb")
    projection = translate(read_marts(work / "projected.duckdb"), ids)
    original = translate(read_marts(original_database), ids)

    problems, cells = compare_hubspot.mart_differences(projection, salesforce)
    pair = f"Salesforce + {args.marketing}"
    verdict = (f"OK   {pair} export = contract shape (without what the pair cannot hold):"
               f" {len(salesforce)} mart tables, {cells:,} cells equal")
    if problems:
        verdict = f"FAIL the {pair} build differs from the contract build of the same data:"
    print(verdict)
    for problem in problems:
        print(f"    {problem}")
    print(f"==> mart columns where the demo as it is differs from its {pair} export"
          " (what the pair cannot express):")
    for table in sorted(salesforce.keys() & original.keys()):
        columns = differing_columns(table, original[table], salesforce[table])
        if columns:
            print(f"    {table}: {', '.join(columns)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
