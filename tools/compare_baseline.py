"""The demo's marts equal, cell by cell, a stored copy built before a refactor.

    python -m tools.compare_baseline [--database target/test/marketing_kpis_test.duckdb]
    python -m tools.compare_baseline --write [--database DB]   # store a new copy

tools/baseline/demo_marts/ holds every table of schema `marts` of a demo build (default
vars, the bundled seeds) as Parquet, and manifest.json says from which commit. `make
test` compares the marts of its DuckDB test build (the same input and vars) with it:
a refactor that changes no definition must change no cell. The differences a change
means to make are listed below, each with the reason; any other difference fails.

Store a new copy (--write) only for a change of definition that CHANGELOG.md records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb

from tools.compare_engines import normalize, same, sort_key

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASELINE_DIR = PROJECT_DIR / "tools" / "baseline" / "demo_marts"
DEFAULT_DATABASE = PROJECT_DIR / "target" / "test" / "marketing_kpis_test.duckdb"
NOT_COMPARED = {"publication_log"}  # one row per run: its timestamps differ by design
SHOWN = 5

# ---- the differences since the stored copy (commit in manifest.json), each on purpose ----
# (table, old column) -> new column: issue 16, `cost_per_lead` of the campaign marts is
# cost / sourced leads, which is not mart_acquisition's cost / new leads (CHANGELOG.md)
RENAMED = {
    ("mart_campaign_performance", "cost_per_lead"): "cost_per_sourced_lead",
    ("mart_campaign_scorecard", "cost_per_lead"): "cost_per_sourced_lead",
}
# columns the copy does not have: issue 16, DESIGN.md section 5; issue 17
ADDED = {
    ("mart_revenue", "attributed_revenue_12m"),
    ("mart_revenue", "marketing_cost_12m"),
    ("mart_revenue", "trailing_12m_roi"),
    # issue 17: the other names of each KPI (CLV, CPL, ...), so that BI tools and the
    # search of dbt docs find it by them; the other columns of kpi_catalog are unchanged
    ("kpi_catalog", "synonyms"),
}
# kpi_catalog rows (kpi_name, model_name, column_name) that may differ or be new: the
# rows of the renamed and added columns, and the rates whose numerator and denominator
# the catalog now states per column (issue 16: the catalog computes every rate)
CATALOG_CHANGED = {
    ("cost_per_sourced_lead", "mart_campaign_performance", "cost_per_sourced_lead"),
    ("cost_per_sourced_lead", "mart_campaign_scorecard", "cost_per_sourced_lead"),
    ("trailing_12m_roi", "mart_revenue", "trailing_12m_roi"),
    ("funnel_conversion", "mart_funnel", "lead_to_mql_rate"),
    ("funnel_conversion", "mart_funnel", "mql_to_sql_rate"),
    ("funnel_conversion", "mart_funnel", "sql_to_customer_rate"),
    ("funnel_conversion", "mart_funnel", "lead_to_customer_rate"),
    ("score_band_share", "mart_lead_score_bands", "share_of_month_leads"),
}
CATALOG_KEY = ("kpi_name", "model_name", "column_name")


def read_marts(database: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        names = [row[0] for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " and table_type = 'BASE TABLE' order by 1").fetchall()]
        tables = {}
        for name in names:
            if name in NOT_COMPARED:
                continue
            cursor = connection.execute(f'select * from marts."{name}"')
            tables[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return tables


def read_baseline() -> dict[str, tuple[list[str], list[tuple]]]:
    tables = {}
    with duckdb.connect() as connection:
        for path in sorted(BASELINE_DIR.glob("*.parquet")):
            cursor = connection.execute("select * from read_parquet(?)", [str(path)])
            tables[path.stem] = ([d[0] for d in cursor.description], cursor.fetchall())
    return tables


def _cell(value):
    """Booleans compare with the 0/1 integers they replaced (issue 16)."""
    value = normalize(value)
    return float(value) if isinstance(value, bool) else value


def _rows(columns: list[str], rows: list[tuple], keep: list[str]) -> list[list]:
    index = [columns.index(c) for c in keep]
    return sorted(([_cell(row[i]) for i in index] for row in rows), key=sort_key)


def compare_table(name: str, stored: tuple, current: tuple) -> list[str]:
    stored_columns, stored_rows = stored
    columns, rows = current
    renamed = [RENAMED.get((name, c), c) for c in stored_columns]
    added = {c for (table, c) in ADDED if table == name}
    missing = [c for c in renamed if c not in columns]
    unexpected = [c for c in columns if c not in renamed and c not in added]
    if missing or unexpected:
        return [f"{name}: columns missing {missing}, unexpected {unexpected}"
                " (list an intended change in tools/compare_baseline.py)"]
    if name == "kpi_catalog":
        key = [renamed.index(c) for c in CATALOG_KEY]
        stored_rows = [r for r in stored_rows
                       if tuple(RENAMED.get((r[key[1]], r[key[2]]), r[key[2]])
                                if i == 2 else r[k] for i, k in enumerate(key))
                       not in CATALOG_CHANGED]
        current_key = [columns.index(c) for c in CATALOG_KEY]
        rows = [r for r in rows if tuple(r[k] for k in current_key) not in CATALOG_CHANGED]
        stored_rows = [tuple(RENAMED.get((r[key[1]], v), v) if i == key[2] else v
                             for i, v in enumerate(r)) for r in stored_rows]
    problems = []
    if len(stored_rows) != len(rows):
        problems.append(f"{name}: {len(stored_rows)} rows stored, {len(rows)} now")
    left = _rows(renamed, stored_rows, renamed)
    right = _rows(columns, rows, renamed)
    for number, (a, b) in enumerate(zip(left, right)):
        cells = [f"{c}: {x!r} stored, {y!r} now" for c, x, y in zip(renamed, a, b)
                 if not same(x, y)]
        if cells:
            problems.append(f"{name} row {number} (sorted): " + "; ".join(cells))
            if len(problems) >= SHOWN:
                problems.append(f"{name}: ... (more differences not shown)")
                break
    return problems


def write(database: Path) -> None:
    BASELINE_DIR.mkdir(parents=True, exist_ok=True)
    for old in BASELINE_DIR.glob("*.parquet"):
        old.unlink()
    with duckdb.connect(str(database), read_only=True) as connection:
        names = [row[0] for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " and table_type = 'BASE TABLE' order by 1").fetchall()
            if row[0] not in NOT_COMPARED]
        for name in names:
            target = BASELINE_DIR / f"{name}.parquet"
            connection.execute(f"copy (select * from marts.\"{name}\") to '{target}'"
                               " (format parquet, compression zstd)")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR,
                            capture_output=True, text=True).stdout.strip()
    (BASELINE_DIR / "manifest.json").write_text(json.dumps({
        "commit": commit, "written": dt.date.today().isoformat(),
        "input": "the demo seeds, default vars", "tables": names}, indent=2) + "\n")
    print(f"==> stored {len(names)} tables of {database} in {BASELINE_DIR}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE,
                        help="a DuckDB file built from the demo seeds with default vars")
    parser.add_argument("--write", action="store_true", help="store a new copy")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"error: {args.database} does not exist: build the demo into it first "
              "(make dbt-test)")
        return 2
    if args.write:
        write(args.database)
        return 0
    manifest = json.loads((BASELINE_DIR / "manifest.json").read_text())
    stored, current = read_baseline(), read_marts(args.database)
    problems = [f"{name}: missing now" for name in stored if name not in current]
    problems += [f"{name}: a new mart the stored copy lacks (store a new copy)"
                 for name in current if name not in stored]
    for name in stored:
        if name in current:
            problems += compare_table(name, stored[name], current[name])
    if problems:
        print("\n".join(problems))
        print(f"error: the marts of {args.database} differ from the copy stored from commit "
              f"{manifest['commit'][:7]} (tools/baseline/demo_marts): a refactor changed a "
              "number; fix it, or list an intended change in tools/compare_baseline.py")
        return 1
    print(f"==> {len(stored)} marts equal, cell by cell, the copy stored from commit "
          f"{manifest['commit'][:7]} (intended changes: {len(RENAMED)} renamed, "
          f"{len(ADDED)} added columns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
