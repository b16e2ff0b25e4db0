"""Benchmark the project at sizes S (10k contacts), M (100k) and L (1M, about 100M rows).

    python -m tools.benchmark                 # S and M
    python -m tools.benchmark --sizes S,M,L   # what `make bench` runs
    python -m tools.benchmark --sizes L --write BENCHMARKS.md

For each size: generate the raw export as Parquet (cached under .bench/), cut it one
day before its end into two successive exports (tools/split_batches.py), then
  full         `dbt build --full-refresh --exclude-resource-type unit_test` on the
               complete export, fresh database: models, data tests and publication, as a
               user runs it (its preflight, the checks and inventory of the input before
               any model runs, and its publication, the copy of the marts into schema
               marts, are also reported on their own)
  tests        `dbt test` after it: the audit alone
  incremental  the same build on the first export, then, timed, on the complete one
               (one day of new data plus late events) in the same folder: the export is
               reached through one symlink that moves from the first to the second, as a
               user's export folder stays where it is
  reference    tools/benchmark_reference.sql, the headline monthly KPIs computed by hand
               in one DuckDB script from the same raw files, timed before and after each
               of the full and the incremental build
and report raw rows, wall time, rows per second, peak memory (RSS of the dbt process,
DuckDB runs inside it), the five slowest models, and each build against the mean of the
two references around it (with their spread): on a shared machine a lone absolute time
says little, a ratio to what ran next to it says more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tools import contract
from tools.generate_data import DEFAULT_START, generate
from tools.split_batches import split

PROJECT_DIR = Path(__file__).resolve().parent.parent
SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
# what a user runs: models, data tests and the publication (unit tests test the SQL)
BUILD = ["build", "--exclude-resource-type", "unit_test"]
DBT = Path(sys.executable).with_name("dbt")


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run_dbt(args: list[str], database: Path, raw: Path, workdir: Path) -> dict:
    """Run dbt; return wall seconds, peak RSS (GiB) and the run results."""
    target = workdir / "target"
    workdir.mkdir(parents=True, exist_ok=True)
    command = [str(DBT), "--no-use-colors", *args, "--vars", json.dumps({"raw_data_path": str(raw)}),
               "--target-path", str(target), "--log-path", str(workdir / "logs")]
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR),
               MARKETING_KPIS_DUCKDB_PATH=str(database),
               MARKETING_KPIS_DUCKDB_TEMP_DIR=str(workdir / "duckdb_tmp"))
    began = time.monotonic()
    with open(workdir / "dbt.log", "a") as log:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - began
    if status != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed: see {workdir / 'dbt.log'}")
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {"wall": wall, "rss_gib": usage.ru_maxrss / 1024 / 1024, "results": results}


def hook_seconds(results: list[dict], hook: str) -> float:
    """Seconds spent in the project's on-run-start ('start') or on-run-end ('end') hooks."""
    return sum(r["execution_time"] for r in results
               if r["unique_id"].startswith(f"operation.marketing_kpis.marketing_kpis-on-run-{hook}"))


def slowest(results: list[dict], n: int = 5) -> list[tuple[str, float]]:
    models = [(r["unique_id"].split(".")[-1], r["execution_time"]) for r in results
              if r["unique_id"].startswith("model.")]
    return sorted(models, key=lambda m: -m[1])[:n]


def raw_rows(folder: Path) -> int:
    con = duckdb.connect()
    total = 0
    for table in contract.tables():
        if (folder / table).is_dir():
            total += con.execute(f"select count(*) from '{folder / table}/*.parquet'").fetchone()[0]
        elif (folder / f"{table}.parquet").exists():
            total += con.execute(f"select count(*) from '{folder / table}.parquet'").fetchone()[0]
    return total


def reference_sql(raw: Path) -> str:
    """tools/benchmark_reference.sql with the raw files of `raw` (files or part folders)."""
    sql = (PROJECT_DIR / "tools" / "benchmark_reference.sql").read_text()
    for table in contract.tables():
        path = f"{raw}/{table}/*.parquet" if (raw / table).is_dir() else f"{raw}/{table}.parquet"
        sql = sql.replace(f"'__RAW__/{table}/*.parquet'", f"'{path}'")
    return sql


def run_reference(raw: Path) -> float:
    sql = reference_sql(raw)
    con = duckdb.connect()
    began = time.monotonic()
    con.execute(sql)
    con.fetchall()
    return time.monotonic() - began


def bench_size(label: str, contacts: int, data_dir: Path) -> dict:
    export = data_dir / f"{label}_export"
    if not (export / "contacts.parquet").exists():
        say(f"{label}: generating {contacts:,} contacts")
        began = time.monotonic()
        generate(contacts, export, "parquet", chunk=20_000)
        say(f"{label}: generated in {time.monotonic() - began:.0f} s")
    end = dt.datetime.combine(DEFAULT_START, dt.time()) + dt.timedelta(days=365)
    batches = data_dir / f"{label}_batches"
    if not (batches / "batch_2" / "contacts.parquet").exists():
        split(export, end - dt.timedelta(days=1), batches, say=say)
    first, complete = batches / "batch_1", batches / "batch_2"
    rows = raw_rows(complete)
    work = data_dir / f"{label}_runs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # the machine is shared: the reference runs before and after each timed build, and
    # each build is compared with the mean of its two neighbours (their spread says how
    # much the machine moved meanwhile)
    references = [run_reference(complete)]
    say(f"{label}: reference {references[-1]:.1f} s; full build on {rows:,} raw rows")
    full = run_dbt(BUILD + ["--full-refresh"], work / "full.duckdb", complete, work / "full")
    references.append(run_reference(complete))
    say(f"{label}: full build {full['wall']:.1f} s, peak {full['rss_gib']:.2f} GiB; "
        f"reference {references[-1]:.1f} s; tests")
    tests = run_dbt(["test"], work / "full.duckdb", complete, work / "full")
    say(f"{label}: tests {tests['wall']:.1f} s; incremental")
    current = work / "export"
    current.symlink_to(first.resolve(), target_is_directory=True)
    run_dbt(BUILD + ["--full-refresh"], work / "incremental.duckdb", current, work / "incr")
    current.unlink()
    current.symlink_to(complete.resolve(), target_is_directory=True)
    references.append(run_reference(complete))
    incremental = run_dbt(BUILD, work / "incremental.duckdb", current, work / "incr")
    references.append(run_reference(complete))
    say(f"{label}: incremental {incremental['wall']:.1f} s; references "
        + ", ".join(f"{r:.1f} s" for r in references))
    full_reference = neighbours(references[0], references[1])
    incremental_reference = neighbours(references[2], references[3])
    return {
        "size": label, "contacts": contacts, "raw_rows": rows,
        "full_s": full["wall"], "full_rows_per_s": rows / full["wall"],
        "full_rss_gib": full["rss_gib"], "tests_s": tests["wall"],
        "preflight_s": hook_seconds(full["results"], "start"),
        "publish_s": hook_seconds(full["results"], "end"),
        "incremental_preflight_s": hook_seconds(incremental["results"], "start"),
        "incremental_publish_s": hook_seconds(incremental["results"], "end"),
        "tests_rss_gib": tests["rss_gib"], "incremental_s": incremental["wall"],
        "incremental_rss_gib": incremental["rss_gib"], "references_s": references,
        "reference_s": full_reference["mean"], "reference_spread": full_reference["spread"],
        "ratio": full["wall"] / full_reference["mean"],
        "incremental_reference_s": incremental_reference["mean"],
        "incremental_ratio": incremental["wall"] / incremental_reference["mean"],
        # the incremental build against the full one, each in units of its neighbouring
        # references: what the machine's load does to both cancels out
        "incremental_share": (incremental["wall"] / incremental_reference["mean"])
        / (full["wall"] / full_reference["mean"]),
        "incremental_share_raw": incremental["wall"] / full["wall"],
        "slowest": slowest(full["results"]),
        "slowest_incremental": slowest(incremental["results"]),
    }


def neighbours(before: float, after: float) -> dict:
    """The mean of the references timed before and after a build, and their spread (the
    difference over the mean: 0.1 means the machine's speed moved by about 10 %)."""
    mean = (before + after) / 2
    return {"mean": mean, "spread": abs(after - before) / mean if mean else 0.0}


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    return (f"{os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}")


def render(rows: list[dict]) -> str:
    lines = [f"Machine: {machine()}; measured {dt.date.today()}.", "",
             "| size | contacts | raw rows | full build | rows/s | peak RSS | tests alone | "
             "incremental (1 day) | incr./full (raw) | incr./full (reference units) | "
             "reference (full; spread) | full/reference | incremental/reference |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['contacts']:,} | {r['raw_rows']:,} | {r['full_s']:.1f} s | "
            f"{r['full_rows_per_s']:,.0f} | {r['full_rss_gib']:.2f} GiB | {r['tests_s']:.1f} s | "
            f"{r['incremental_s']:.1f} s | {100 * r['incremental_share_raw']:.0f} % | "
            f"{100 * r['incremental_share']:.0f} % | "
            f"{r['reference_s']:.1f} s; {100 * r['reference_spread']:.0f} % | "
            f"{r['ratio']:.1f}x | {r['incremental_ratio']:.1f}x |")
    lines.append("")
    for r in rows:
        lines.append(f"References, {r['size']} (before and after the full build, before and "
                     "after the incremental one): "
                     + ", ".join(f"{x:.1f} s" for x in r["references_s"]))
    for r in rows:
        lines.append(f"Preflight and publication, {r['size']}: full build {r['preflight_s']:.1f} s "
                     f"+ {r['publish_s']:.1f} s, incremental build "
                     f"{r['incremental_preflight_s']:.1f} s + {r['incremental_publish_s']:.1f} s")
    for r in rows:
        lines.append(f"Slowest models, {r['size']} full: " + ", ".join(
            f"{name} {seconds:.1f} s" for name, seconds in r["slowest"]))
        lines.append(f"Slowest models, {r['size']} incremental: " + ", ".join(
            f"{name} {seconds:.1f} s" for name, seconds in r["slowest_incremental"]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M", help="comma-separated: S, M, L")
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / ".bench")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; use S, M, L")
    rows = [bench_size(label, SIZES[label], args.data_dir) for label in sizes]
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
