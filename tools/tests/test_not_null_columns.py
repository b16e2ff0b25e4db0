"""The generic test not_null_columns (macros/tests/test_not_null_columns.sql): one test per
model for the columns that must hold no null (DECISIONLOG, Tests). Run on a copy of the
demo build, with nulls written by hand into one of its staging tables."""

from __future__ import annotations

import shutil

import duckdb
import yaml

from tools.tests.conftest import PROJECT_DIR, DbtProject


def test_a_null_fails_the_models_test_and_names_its_column(demo_marts, tmp_path):
    project = DbtProject(tmp_path)
    shutil.copyfile(demo_marts, project.database)
    with duckdb.connect(str(project.database)) as con:
        # the demo has 2,000 contacts, none without created_at: two lose it
        con.execute("update staging.stg_contacts set created_at = null where contact_id in"
                    " (select contact_id from staging.stg_contacts order by contact_id limit 2)")
        assert con.execute("select count(*) - count(created_at), count(*) - count(contact_id)"
                           " from staging.stg_contacts").fetchall() == [(2, 0)]

    result = project.run("test", "--select", "not_null_stg_contacts", "not_null_stg_campaigns",
                         "--store-failures")

    assert result.returncode == 1, result.output[-3000:]
    # one failing row per column holding nulls: created_at only (contact_id has none)
    assert "Failure in test not_null_stg_contacts" in result.output
    assert "Got 1 result, configured to fail if != 0" in result.output
    assert "PASS not_null_stg_campaigns" in result.output
    with duckdb.connect(str(project.database), read_only=True) as con:
        schema = con.execute("select table_schema from information_schema.tables"
                             " where table_name = 'not_null_stg_contacts'").fetchall()
        assert len(schema) == 1
        rows = con.execute(f'select column_name, null_rows from "{schema[0][0]}".'
                           '"not_null_stg_contacts"').fetchall()
    assert rows == [("created_at", 2)]


def test_no_column_declares_dbt_not_null_any_more():
    """A column's `not_null` would be a node of its own again: the project declares the
    model's not_null_columns test instead, named not_null_<model>."""
    found = []
    for path in sorted((PROJECT_DIR / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            for column in model.get("columns") or []:
                if "not_null" in (column.get("data_tests") or []):
                    found.append(f"{path.name}: {model['name']}.{column['name']}")
            for test in model.get("data_tests") or []:
                if isinstance(test, dict) and "marketing_kpis.not_null_columns" in test:
                    assert test["marketing_kpis.not_null_columns"]["name"] \
                        == f"not_null_{model['name']}"
    assert found == []
