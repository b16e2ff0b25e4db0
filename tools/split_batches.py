"""Cut a complete raw export into two successive exports, for incremental refreshes.

    python -m tools.split_batches SOURCE --cut 2025-12-30T00:00:00 --out DIR

writes DIR/batch_1 (the export as it stood at the cut) and DIR/batch_2 (the export after
it). Event tables (those with an `event_time` in the raw contract) are append-only part
files: batch_1/<table>/part-1.parquet, and batch_2/<table>/ holds that same part-1 plus
part-2 with what arrived after the cut. Around 3 % of the events of the two days before
the cut arrive late, in part-2: an incremental refresh must pick them up through its
lookback window. Other tables are snapshots: batch_2 holds the full table, batch_1 the
rows that existed at the cut, with what happened later undone (a deal closed after the
cut is still open, a membership ended after it is still running).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import time
from pathlib import Path

import duckdb

from tools import contract

LATE_SHARE_PERCENT = 3
LATE_DAYS = 2

# snapshot tables: the column that says when a row came to exist, and how to undo what
# happened after the cut
SNAPSHOTS = {
    "contacts": ("created_at", {}),
    "contact_changes": ("changed_at", {}),
    "campaigns": (None, {}),
    "campaign_costs": ("cost_date", {}),
    "campaign_members": ("added_at", {"removed_at": "case when removed_at > {cut} then null "
                                                    "else removed_at end"}),
    "segments": (None, {}),
    "segment_members": ("added_at", {"removed_at": "case when removed_at > {cut} then null "
                                                   "else removed_at end"}),
    "emails": ("created_at", {}),
    "form_submissions": ("submitted_at", {}),
    "asset_downloads": ("downloaded_at", {}),
    "calls": ("started_at", {}),
    "deals": ("created_at", {
        "stage": "case when closed_at > {cut} then 'negotiation' else stage end",
        "is_closed": "case when closed_at > {cut} then false else is_closed end",
        "is_won": "case when closed_at > {cut} then false else is_won end",
        "closed_at": "case when closed_at > {cut} then null else closed_at end",
    }),
    "orders": ("ordered_at", {}),
}


def _source(folder: Path, table: str) -> str | None:
    if (folder / f"{table}.parquet").exists():
        return f"read_parquet('{folder / f'{table}.parquet'}')"
    if (folder / table).is_dir():
        return f"read_parquet('{folder / table}/*.parquet')"
    if (folder / f"{table}.csv").exists():
        return f"read_csv('{folder / f'{table}.csv'}', header = true)"
    return None


def split(source: Path, cut: dt.datetime, out: Path, say=print) -> dict[str, tuple[int, int]]:
    """Write out/batch_1 and out/batch_2; return {table: (rows in batch 1, rows added in 2)}."""
    began = time.monotonic()
    first, second = out / "batch_1", out / "batch_2"
    for folder in (first, second):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    cut_sql = f"timestamp '{cut:%Y-%m-%d %H:%M:%S}'"
    late_sql = (f"(event_time > {cut_sql} - interval {LATE_DAYS} day and event_time <= {cut_sql}"
                f" and hash(row_text) % 100 < {LATE_SHARE_PERCENT})")
    con = duckdb.connect()
    counts = {}
    for table in contract.tables():
        relation = _source(source, table)
        if relation is None:
            continue
        spec = contract.load_contract()[table]
        event_time = spec.get("event_time")
        if event_time:
            (first / table).mkdir()
            (second / table).mkdir()
            columns = ", ".join(contract.columns(table))
            # row_text makes the choice of late rows deterministic
            con.execute(f"create or replace temp view rows_ as select *, "
                        f"concat_ws('|', {columns}) as row_text, {event_time} as event_time "
                        f"from {relation}")
            con.execute(f"copy (select {columns} from rows_ where event_time <= {cut_sql} "
                        f"and not {late_sql}) to '{first / table / 'part-1.parquet'}' "
                        "(format parquet, compression zstd)")
            con.execute(f"copy (select {columns} from rows_ where event_time > {cut_sql} "
                        f"or {late_sql}) to '{second / table / 'part-2.parquet'}' "
                        "(format parquet, compression zstd)")
            shutil.copy(first / table / "part-1.parquet", second / table / "part-1.parquet")
            n1 = con.execute(f"select count(*) from '{first / table / 'part-1.parquet'}'"
                             ).fetchone()[0]
            n2 = con.execute(f"select count(*) from '{second / table / 'part-2.parquet'}'"
                             ).fetchone()[0]
        else:
            created, undo = SNAPSHOTS[table]
            select = ", ".join(
                undo[c].format(cut=cut_sql) + f" as {c}" if c in undo else c
                for c in contract.columns(table))
            where = f"where {created} <= {cut_sql}" if created else ""
            con.execute(f"copy (select {select} from {relation} {where}) to "
                        f"'{first / f'{table}.parquet'}' (format parquet, compression zstd)")
            con.execute(f"copy (select * from {relation}) to '{second / f'{table}.parquet'}' "
                        "(format parquet, compression zstd)")
            n1 = con.execute(f"select count(*) from '{first / f'{table}.parquet'}'").fetchone()[0]
            n2 = con.execute(f"select count(*) from '{second / f'{table}.parquet'}'"
                             ).fetchone()[0] - n1
        counts[table] = (n1, n2)
    say(f"split {source} at {cut:%Y-%m-%d %H:%M} into {first} and {second} in "
        f"{time.monotonic() - began:.1f} s")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder of a complete raw export")
    parser.add_argument("--cut", type=dt.datetime.fromisoformat, required=True,
                        help="when the first export was taken (UTC)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    for table, (n1, n2) in split(args.source, args.cut, args.out).items():
        print(f"  {table:<18} {n1:>12,} + {n2:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
