"""Every unit test fixes the vars its model reads (DESIGN.md section 6: `dbt build` passes,
unit tests included, for any valid value of every documented var).

A unit test's expectations are worked out by hand for one value of each var its model
reads; a var it leaves open takes the value of the run (`--vars`), and the test then fails
under any other configuration. The vars a model reads are found in the manifest of
`dbt parse`: the model's raw_code and the macro_sql of every macro it depends on,
transitively, searched for var('name') and for marketing_kpis.setting('name') (how models
and macros read a definition var, checked against its kind; macros/run/check_vars.sql).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tools import render_kpi_docs
from tools.tests.conftest import PROJECT_DIR, DbtProject

VAR_CALL = re.compile(r"""\b(?:var|setting)\s*\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")
# setting(name) reads the var it names: the search counts that var and does not follow
# setting's own macros (the checks of every var's kind, the refusal message)
SETTING = "macro.marketing_kpis.setting"
# the macros that read vars by a computed name: they go over the list of documented vars
# (var_kinds) to check each one (var_problems), to record the definitions a build used
# (definition_vars), or read the one var a caller names (setting)
# kpi_ratio reads the var a catalog entry names under `scale` (counted by vars_read)
VAR_REGISTRY = {"setting", "var_problems", "definition_vars", "kpi_ratio"}

# Vars that choose where the input is read or where the output is written. A unit test
# gives its model's inputs as rows and compares the model's rows, so these cannot change
# its result. They are exempt only where they are read by the input and schema macros
# below: read anywhere else (a model's SQL, another macro) they may change a definition,
# and a unit test whose model reads them there must fix them.
EXEMPT_VARS = {
    "raw_data_path": "the folder the staging models read the raw files from; a unit "
                     "test's inputs are its given rows, no file is read",
    "raw_schema": "the warehouse schema the staging models read the raw tables from; a "
                  "unit test's inputs are its given rows, no table is read",
    "source_system": "which staging set (contract or Mautic) reads the raw input; above "
                     "staging the tables have the contract's shape either way, and a unit "
                     "test's inputs are its given rows",
    "mautic_table_prefix": "the name prefix of the Mautic tables that are read; a unit "
                           "test reads no raw table",
    "mautic_null_strings": "how Mautic CSV files are parsed; a unit test reads no file",
    "schema_prefix": "the names of the schemas the project writes to, not what the rows "
                     "hold",
}
# the macros that may read an exempt var: the input layer and the schema naming
EXEMPT_SOURCES = ("macros/raw/", "macros/generate_schema_name.sql")


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("unit_test_vars")
    DbtProject(workdir).run("parse", check=True)
    return json.loads((workdir / "target" / "manifest.json").read_text())


def declared_vars() -> dict:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


# kpi_ratio('name') multiplies by the var the catalog entry names under `scale`
KPI_RATIO_CALL = re.compile(r"""\bkpi_ratio\s*\(\s*['"]([a-z_0-9]+)['"]""")


def _catalog_scales() -> dict[str, str]:
    return {kpi["name"]: kpi["scale"] for kpi in render_kpi_docs.load_kpis() if kpi.get("scale")}


def vars_read(manifest: dict, node: dict) -> dict[str, set[str]]:
    """{var: the files that read it} for a model and every macro it calls, transitively."""
    found: dict[str, set[str]] = {}
    for name in VAR_CALL.findall(node["raw_code"]):
        found.setdefault(name, set()).add(node["original_file_path"])
    scales = _catalog_scales()
    for kpi in KPI_RATIO_CALL.findall(node["raw_code"]):
        if kpi in scales:
            found.setdefault(scales[kpi], set()).add("macros/kpi_definitions.sql")
    seen: set[str] = set()
    pending = list(node["depends_on"]["macros"])
    while pending:
        unique_id = pending.pop()
        if unique_id in seen or unique_id not in manifest["macros"] or unique_id == SETTING:
            continue
        seen.add(unique_id)
        macro = manifest["macros"][unique_id]
        pending.extend(macro["depends_on"]["macros"])
        for name in VAR_CALL.findall(macro["macro_sql"]):
            found.setdefault(name, set()).add(macro["original_file_path"])
    return found


def needed_vars(manifest: dict, unit_test: dict) -> set[str]:
    """The vars a unit test must fix: those its model reads, except the exempt ones."""
    model = manifest["nodes"][unit_test["depends_on"]["nodes"][0]]
    return {name for name, files in vars_read(manifest, model).items()
            if not (name in EXEMPT_VARS
                    and all(file.startswith(EXEMPT_SOURCES) for file in files))}


def fixed_vars(unit_test: dict) -> set[str]:
    return set((unit_test.get("overrides") or {}).get("vars") or {})


def test_every_unit_test_fixes_the_vars_its_model_reads(manifest):
    unit_tests = list(manifest["unit_tests"].values())
    assert len(unit_tests) >= 38
    unfixed = {f"{test['name']} ({test['model']}, {test['original_file_path']})":
               sorted(needed_vars(manifest, test) - fixed_vars(test))
               for test in unit_tests}
    unfixed = {name: missing for name, missing in unfixed.items() if missing}
    assert unfixed == {}, (
        "unit tests that leave vars of their model open (add them under overrides: vars, "
        "with the value the expectations assume; the default is in dbt_project.yml):\n"
        + "\n".join(f"  {name}: {', '.join(missing)}" for name, missing in unfixed.items()))


def test_unit_tests_fix_only_declared_vars(manifest):
    """A misspelt override fixes nothing: every var a unit test fixes is declared."""
    declared = set(declared_vars())
    unknown = {test["name"]: sorted(fixed_vars(test) - declared)
               for test in manifest["unit_tests"].values() if fixed_vars(test) - declared}
    assert unknown == {}


def test_every_var_call_names_its_var(manifest):
    """var(name) with a computed name would escape the search above: there is none."""
    computed = re.compile(r"""\bvar\s*\((?!\s*['"][A-Za-z_][A-Za-z0-9_]*['"])""")
    assert computed.search("{{ var(name) }}") and not computed.search("{{ var( 'a', 1) }}")
    project = manifest["metadata"]["project_name"]
    sources = [(node["original_file_path"], node.get("raw_code") or "")
               for node in manifest["nodes"].values() if node["package_name"] == project]
    sources += [(macro["original_file_path"], macro["macro_sql"])
                for macro in manifest["macros"].values() if macro["package_name"] == project
                and macro["name"] not in VAR_REGISTRY]
    assert len(sources) > 100
    assert [path for path, code in sources if computed.search(code)] == []


def test_exempt_vars_are_declared_and_explained():
    declared = set(declared_vars())
    for name, reason in EXEMPT_VARS.items():
        assert name in declared, f"exempt var {name} is not declared in dbt_project.yml"
        assert len(reason.split()) >= 5, f"exempt var {name} needs a reason"


def test_the_search_follows_macros_transitively(manifest):
    """The check sees through macros: int_stage_transitions_sequenced reads
    reporting_timezone only through local_days_between -> to_local_date ->
    to_local_timestamp, and its unit test failed under Europe/Paris before it fixed it."""
    nodes = {node["name"]: node for node in manifest["nodes"].values()
             if node["resource_type"] == "model"}
    transitions = nodes["int_stage_transitions_sequenced"]
    assert "var(" not in transitions["raw_code"] and "setting(" not in transitions["raw_code"]
    assert vars_read(manifest, transitions)["reporting_timezone"] == {
        "macros/utils/time_zones.sql"}
    assert "macros/utils/time_zones.sql" in vars_read(
        manifest, nodes["mart_conversion"])["reporting_timezone"]
    # a rate scaled by a var: customer_lifetime_value x customer_lifespan_years
    assert "customer_lifespan_years" in vars_read(manifest, nodes["mart_revenue"])


def test_an_exempt_var_read_outside_the_input_macros_must_be_fixed():
    fake_manifest = {"macros": {
        "macro.p.input": {"macro_sql": "{{ var('raw_data_path') }}",
                          "original_file_path": "macros/raw/raw_input.sql",
                          "depends_on": {"macros": []}},
        "macro.p.mode": {"macro_sql": "{% if var(\"source_system\") == 'mautic' %}",
                         "original_file_path": "macros/utils/modes.sql",
                         "depends_on": {"macros": ["macro.p.input"]}},
    }, "nodes": {"model.p.m": {
        "raw_code": "select {{ var ( 'mql_score_threshold', 100) }}, "
                    "{{ marketing_kpis.setting('kpi_period_grains') }}",
        "original_file_path": "models/m.sql",
        "depends_on": {"macros": ["macro.p.mode"]}}}}
    unit_test = {"depends_on": {"nodes": ["model.p.m"]}}
    assert needed_vars(fake_manifest, unit_test) == {"mql_score_threshold", "source_system",
                                                     "kpi_period_grains"}


def test_unit_test_files_are_the_ones_checked(manifest):
    """The manifest holds every unit test of the YAML files (none disabled or skipped)."""
    names = {test["name"] for path in Path(PROJECT_DIR, "models").rglob("*.yml")
             for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", [])}
    assert names == {test["name"] for test in manifest["unit_tests"].values()}


def test_configuration_builds_change_declared_vars_only():
    """The vars files of `make dbt-test-config` name only declared vars (a misspelt one
    would leave its default in place, untested) and move the vars of the issue that
    started these builds away from their defaults."""
    declared = declared_vars()
    configs = {path.stem: yaml.safe_load(path.read_text())
               for path in sorted((PROJECT_DIR / "tools" / "test_configs").glob("*.yml"))}
    assert configs, "no configuration in tools/test_configs"
    for name, config in configs.items():
        assert set(config) <= set(declared), (name, sorted(set(config) - set(declared)))
        assert all(value != declared[var] for var, value in config.items()), name
    for var in ("reporting_timezone", "kpi_period_grains", "mql_score_threshold"):
        assert all(var in config for config in configs.values()), var
