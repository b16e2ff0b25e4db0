"""Read the raw contract from its single source of truth, macros/raw/raw_contract.sql.

dbt reads the YAML block of that macro through ``raw_contract()``; the Python tools read
the very same block here, so the generator, the loader and the tests can never drift
from what the dbt project validates.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONTRACT_MACRO = PROJECT_DIR / "macros" / "raw" / "raw_contract.sql"



def macro_yaml_block(path: Path, variable: str):
    """Parse the YAML held by `{% set <variable> %} ... {% endset %}` in a macro file."""
    pattern = re.compile(r"\{%-?\s*set " + re.escape(variable)
                         + r"\s*-?%\}(.*?)\{%-?\s*endset\s*-?%\}", re.DOTALL)
    match = pattern.search(path.read_text(encoding="utf-8"))
    if match is None:
        raise RuntimeError(f"no `set {variable}` block in {path}")
    return yaml.safe_load(match.group(1))

TYPES = ("string", "timestamp", "date", "decimal", "integer", "boolean")


@functools.lru_cache(maxsize=1)
def load_contract(path: Path = CONTRACT_MACRO) -> dict:
    """Return {table: {"primary_key": str | None, "columns": {name: spec}}}."""
    contract = macro_yaml_block(path, "contract_yaml")
    for table, spec in contract.items():
        for column, column_spec in spec["columns"].items():
            if column_spec.get("type") not in TYPES:
                raise RuntimeError(f"{table}.{column}: unknown type {column_spec.get('type')!r}")
    return contract


def tables() -> list[str]:
    return list(load_contract())


def columns(table: str) -> list[str]:
    return list(load_contract()[table]["columns"])


def column_types(table: str) -> dict[str, str]:
    return {name: spec["type"] for name, spec in load_contract()[table]["columns"].items()}
