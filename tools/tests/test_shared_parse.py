"""The dbt runs of one pytest process share dbt's parse (conftest._SharedParse), and each
project still sees, and shows, its own folders."""

from __future__ import annotations

from pathlib import Path

from tools.tests.conftest import DbtProject, good_contacts

# dbt's debug line of a saved parse reused as it is (logs/dbt.log holds debug lines)
REUSED = "Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed"


def _runs(project: DbtProject) -> list[str]:
    """The log of each dbt run of the project, in order."""
    log = (project.workdir / "logs" / "dbt.log").read_text()
    return log.split("Running with dbt=")[1:]


def test_a_new_project_reuses_the_parse_and_shows_its_own_folders(tmp_path: Path):
    own_folder, first_folder, second_folder = (tmp_path / name for name in
                                               ("export_own", "export_a", "export_b"))
    for folder in (own_folder, first_folder, second_folder):
        good_contacts(folder)
    # an incremental model (its table records the input); its raw file is absent
    select = ("run", "--select", "stg_email_events")

    # the first project of the process with these vars may parse in full
    DbtProject(tmp_path / "first").run(*select, raw_data_path=own_folder, check=True)
    # a second project, other folders, the same vars as dbt sees them: the parse reused
    second = DbtProject(tmp_path / "second")
    second.run(*select, raw_data_path=first_folder, check=True)
    run = _runs(second)[-1]
    assert REUSED in run, run[:3000]
    assert "Starting full parse" not in run

    # another folder of the same project is another input for dbt, named as passed
    result = second.run(*select, raw_data_path=second_folder, check=True)
    assert (f"rebuilding from scratch, as --full-refresh would: the input is folder "
            f"{second_folder}, the tables were built from folder {first_folder}."
            in result.output), result.output[-3000:]
    assert "mk-dbt-" not in result.output

    # and a refusal names the folder the test passed, not the link dbt was given
    missing = tmp_path / "missing"
    result = second.run(*select, raw_data_path=missing)
    assert result.returncode != 0
    assert (f"var raw_data_path is '{missing}': no such folder, or it holds no files"
            in result.output), result.output[-3000:]
    assert "mk-dbt-" not in result.output
