"""A dbt-duckdb plugin that refuses, in one line, to build into a DuckDB file another
process holds (DESIGN.md section 6, "Clear refusals").

DuckDB lets one process write to a database file, and a writer excludes readers: a BI
tool, a notebook or the duckdb shell with the file open makes the build fail when dbt
opens it. dbt then prints DuckDB's lock message inside some 240 lines of tracebacks.
profiles.yml loads this plugin (``plugins:``); dbt-duckdb initialises it before it opens
the database, and it opens the file once itself first: if another process holds the
lock, the run stops with one line that names that process and says what to do, before
any model runs.
"""

from __future__ import annotations

import os
import re

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError


def describe_process(pid: int) -> str:
    """'PID 1234: python3 -m superset ...' from /proc, or 'PID 1234' where it is hidden."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = ""
    if len(command) > 100:
        command = command[:97] + "..."
    return f"PID {pid}: {command}" if command else f"PID {pid}"


def lock_message(path: str, error: str) -> str | None:
    """The refusal for DuckDB's lock error, or None for another error."""
    if "lock" not in error.lower():
        return None
    match = re.search(r"PID (\d+)", error)
    holder = describe_process(int(match.group(1))) if match else "another process"
    return (
        f"marketing_kpis: the DuckDB file {path} is in use by another process ({holder}), "
        "and DuckDB lets a file be written only when no other process has it open. Close "
        "that program's connection to it (a BI tool, a notebook, the duckdb shell), or let "
        f"it read a copy instead (cp {path} {os.path.splitext(path)[0]}_copy.duckdb), then "
        "run dbt again. Nothing was built or published: the marts are unchanged."
    )


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict) -> None:
        path = getattr(self.creds, "path", None) if self.creds is not None else None
        if not path or path == ":memory:" or path.startswith("md:") or not os.path.exists(path):
            return
        try:
            duckdb.connect(path).close()
        except duckdb.Error as error:
            message = lock_message(path, str(error))
            if message is not None:
                raise DbtRuntimeError(message) from None
            # any other problem is DuckDB's to report when dbt opens the file
