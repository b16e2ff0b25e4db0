"""Files a reader can hold (issue 16, STYLE.md "Where our own code should move next"): no
model of the project is over 200 lines or reads more than 7 models, sources or seeds
(dbt_project_evaluator flags 7+ parents; jaffle-shop's models are 40-90 lines). A model
that grows past either is split by concern (see int_contact_deal_signals_unioned, split
from int_lifecycle_signals_unioned when the refresh scope became one more parent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.tests.conftest import PROJECT_DIR, DbtProject

MAX_LINES = 200
MAX_PARENTS = 7


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> list[dict]:
    workdir = tmp_path_factory.mktemp("shape")
    DbtProject(workdir).run("parse", check=True)
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]


def test_no_model_is_over_200_lines(models):
    too_long = {model["name"]: n for model in models
                if (n := len((PROJECT_DIR / model["original_file_path"]).read_text()
                             .splitlines())) > MAX_LINES}
    assert not too_long, f"models over {MAX_LINES} lines: {too_long}"


def test_no_model_reads_more_than_7_parents(models):
    # every ref, source and `-- depends_on:` counts, as in dbt_project_evaluator
    crowded = {model["name"]: n for model in models
               if (n := len(set(model["depends_on"]["nodes"]))) > MAX_PARENTS}
    assert not crowded, f"models with more than {MAX_PARENTS} parents: {crowded}"


def test_the_check_sees_the_project(models):
    # the counts above come from the real models (a parse that found none would pass)
    names = {model["name"] for model in models}
    assert {"int_lifecycle_signals_unioned", "mart_acquisition"} <= names
    assert Path(PROJECT_DIR / "models").is_dir()
