"""The cross-engine comparison: equal within 1e-9 relative passes, anything else fails."""

import datetime as dt
import decimal

from tools import compare_engines as ce

COLUMNS = ["period_start", "leads", "rate", "label"]


def _table(*rows):
    return (COLUMNS, list(rows))


def test_driver_types_and_row_order_do_not_matter():
    duckdb = _table((dt.date(2024, 1, 1), 3, 0.1, "a"), (dt.date(2024, 2, 1), 5, None, "b"))
    # PostgreSQL hands back Decimal, Spark may order rows differently
    other = _table((dt.date(2024, 2, 1), decimal.Decimal(5), None, "b"),
                   (dt.date(2024, 1, 1), 3, 0.1 * (1 + 1e-12), "a"))
    assert ce.compare_table("t", duckdb, other) == []


def test_a_relative_difference_above_1e_9_fails():
    left = _table((dt.date(2024, 1, 1), 3, 0.25, "a"))
    right = _table((dt.date(2024, 1, 1), 3, 0.25 * (1 + 1e-8), "a"))
    problems = ce.compare_table("t", left, right)
    assert len(problems) == 1 and "rate" in problems[0]


def test_null_versus_zero_text_and_row_counts_fail():
    left = _table((dt.date(2024, 1, 1), 3, None, "a"))
    assert ce.compare_table("t", left, _table((dt.date(2024, 1, 1), 3, 0.0, "a")))
    assert ce.compare_table("t", left, _table((dt.date(2024, 1, 1), 3, None, "A")))
    assert ce.compare_table("t", left, _table())


def test_timestamps_with_a_zone_compare_in_utc():
    naive = dt.datetime(2024, 1, 1, 12, 0)
    aware = dt.datetime(2024, 1, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert ce.normalize(naive) == ce.normalize(aware)


def test_unit_test_names_fit_postgresql_identifiers():
    """dbt names a unit test's temporary relation after the test: PostgreSQL refuses
    identifiers longer than 63 characters, so such a test fails there only (found when
    a 69-character name broke the PostgreSQL build)."""
    import yaml

    from tools.tests.conftest import PROJECT_DIR

    names = [test["name"] for path in (PROJECT_DIR / "models").rglob("*.yml")
             for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", [])]
    assert len(names) >= 38
    assert [name for name in names if len(name) > 63] == []
