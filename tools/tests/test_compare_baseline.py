"""The comparison with the stored demo marts catches a changed cell, and only the changes
it lists pass (tools/compare_baseline.py)."""

from __future__ import annotations

from tools import compare_baseline
from tools.compare_baseline import compare_table


def test_equal_tables_pass_in_any_row_order():
    stored = (["period_start", "sends"], [("2025-01-01", 5), ("2025-02-01", 0)])
    current = (["period_start", "sends"], [("2025-02-01", 0), ("2025-01-01", 5)])
    assert compare_table("mart_nurturing", stored, current) == []


def test_a_changed_cell_fails_and_names_it():
    stored = (["period_start", "open_rate"], [("2025-01-01", 0.5)])
    current = (["period_start", "open_rate"], [("2025-01-01", 0.5000001)])
    problems = compare_table("mart_nurturing", stored, current)
    assert len(problems) == 1 and "open_rate: 0.5 stored, 0.5000001 now" in problems[0]


def test_a_float_rounding_difference_passes():
    stored = (["x"], [(0.1 + 0.2,)])
    current = (["x"], [(0.3,)])
    assert compare_table("mart_nurturing", stored, current) == []


def test_a_missing_row_fails():
    stored = (["x"], [(1,), (2,)])
    current = (["x"], [(1,)])
    assert any("2 rows stored, 1 now" in p for p in compare_table("m", stored, current))


def test_only_listed_renames_and_additions_pass():
    stored = (["campaign_id", "cost_per_lead"], [("a", 10.0)])
    renamed = (["campaign_id", "cost_per_sourced_lead"], [("a", 10.0)])
    assert compare_table("mart_campaign_performance", stored, renamed) == []
    # the same rename in a mart the list does not name is a change
    assert compare_table("mart_acquisition", stored, renamed) != []
    # a renamed column must still hold the stored values
    assert compare_table("mart_campaign_performance", stored,
                         (renamed[0], [("a", 11.0)])) != []
    added = (["period_start", "roi", "trailing_12m_roi"], [("2025-01-01", 1.0, 2.0)])
    assert compare_table("mart_revenue", (["period_start", "roi"], [("2025-01-01", 1.0)]),
                         added) == []
    assert compare_table("mart_conversion", (["period_start", "roi"], [("2025-01-01", 1.0)]),
                         added) != []


def test_booleans_compare_with_the_integers_they_replaced():
    stored = (["flag"], [(1,), (0,)])
    assert compare_table("m", stored, (["flag"], [(True,), (False,)])) == []
    assert compare_table("m", stored, (["flag"], [(True,), (True,)])) != []


def test_the_stored_copy_is_present_and_names_its_commit():
    tables = compare_baseline.read_baseline()
    assert {"mart_acquisition", "mart_revenue", "kpi_catalog"} <= set(tables)
    assert len(tables) == 16
    columns, rows = tables["mart_nurturing"]
    assert "open_rate" in columns and len(rows) > 50
