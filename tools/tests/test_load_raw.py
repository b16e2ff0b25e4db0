"""The raw-folder loader for PostgreSQL and Spark: what it finds and what it refuses.

The loads themselves run in `make test-postgres` and `make test-spark`, whose builds and
the cross-engine comparison check every row; these tests need no server.
"""

from pathlib import Path

import pytest

from tools import load_raw


def _write(path: Path, text: str = "contact_id\n1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_discover_finds_files_folders_and_ignores_unknown_tables(tmp_path, capsys):
    _write(tmp_path / "contacts.csv")
    _write(tmp_path / "email_events" / "part-1.csv", "event_id\n1\n")
    _write(tmp_path / "email_events" / "part-2.csv", "event_id\n2\n")
    _write(tmp_path / "deals.csv.gz")
    _write(tmp_path / "notes.csv")
    found = load_raw.discover(tmp_path)
    # contract order, not file order
    assert list(found) == ["contacts", "email_events", "deals"]
    assert found["email_events"][0] == "csv"
    assert [p.name for p in found["email_events"][1]] == ["part-1.csv", "part-2.csv"]
    assert "notes.csv" in capsys.readouterr().out


def test_discover_refuses_a_table_in_two_formats(tmp_path):
    _write(tmp_path / "contacts.csv")
    _write(tmp_path / "contacts.parquet")
    with pytest.raises(load_raw.LoadError, match="both as CSV .* and as Parquet"):
        load_raw.discover(tmp_path)


def test_discover_requires_contacts(tmp_path):
    _write(tmp_path / "deals.csv")
    with pytest.raises(load_raw.LoadError, match="no contacts table"):
        load_raw.discover(tmp_path)


def test_main_reports_a_missing_folder_without_traceback(tmp_path, capsys):
    code = load_raw.main(["--target", "postgres", "--path", str(tmp_path / "nope")])
    assert code == 1
    assert "is not a folder" in capsys.readouterr().err


def test_column_names_must_be_plain_identifiers(tmp_path):
    with pytest.raises(load_raw.LoadError, match="not a plain identifier"):
        load_raw._check_columns("contacts", ["contact_id", 'x"; drop table y'], tmp_path)


def test_chunk_reader_streams_chunks_as_one_file():
    reader = load_raw._ChunkReader([b"ab", b"", b"cde"])
    assert reader.read() == b"abcde"


def test_spark_parameters_render_env_vars(monkeypatch):
    monkeypatch.setenv("SPARK_WAREHOUSE_DIR", "/tmp/wh")
    params = load_raw.spark_profile_parameters()
    assert params["spark.sql.warehouse.dir"] == "/tmp/wh"
    assert params["spark.sql.session.timeZone"] == "UTC"


def test_an_empty_csv_is_an_absent_table_but_not_for_contacts(tmp_path):
    # as on DuckDB: a 0-byte optional file holds no rows; an empty contacts file is an error
    _write(tmp_path / "contacts.csv")
    _write(tmp_path / "calls.csv", "")
    assert list(load_raw.discover(tmp_path)) == ["contacts"]
    _write(tmp_path / "contacts.csv", "")
    with pytest.raises(load_raw.LoadError, match="contacts file is empty"):
        load_raw.discover(tmp_path)
