"""The dbt runs of one pytest process share dbt's parse (conftest._SharedParse), and each
project still sees, and shows, its own folders."""

from __future__ import annotations

from pathlib import Path

from tools.tests.conftest import DbtProject


def _log(project: DbtProject) -> str:
    return (project.workdir / "logs" / "dbt.log").read_text()


def test_a_new_project_reuses_the_parse_and_shows_its_own_folders(tmp_path: Path):
    # the first project of the process with these vars may parse in full
    DbtProject(tmp_path / "first").run("parse", raw_data_path=tmp_path / "first_export",
                                       check=True)
    # a second project, other folders, the same vars as dbt sees them: no full parse
    second = DbtProject(tmp_path / "second")
    missing = tmp_path / "second_export"
    result = second.run("build", raw_data_path=missing)
    log = _log(second)
    assert "Unable to do partial parsing" not in log, log[-2000:]
    assert "Starting full parse" not in log
    # the refusal names the folder the test passed, not the link dbt was given
    assert result.returncode != 0
    assert (f"var raw_data_path is '{missing}': no such folder, or it holds no files"
            in result.output), result.output[-2000:]
    assert "mk-dbt-" not in result.output
    # a second folder of the same project is another path for dbt, named as passed
    other = tmp_path / "other_export"
    result = second.run("build", raw_data_path=other)
    assert f"var raw_data_path is '{other}'" in result.output, result.output[-2000:]
    assert f"var raw_data_path is '{missing}'" not in result.output
