"""The benchmark's hand-written reference computes what the marts compute."""

from __future__ import annotations

import duckdb

from tools import benchmark
from tools.generate_data import generate
from tools.tests.conftest import DbtProject


def test_reference_script_agrees_with_the_marts_on_emails_and_revenue(tmp_path):
    raw = tmp_path / "raw"
    generate(400, raw, "parquet")
    seconds = benchmark.run_reference(raw)
    assert seconds >= 0
    con = duckdb.connect()
    con.execute(benchmark.reference_sql(raw))
    reference = {row[0].date(): row[2:] for row in con.execute(
        "select month, new_leads, sends, unique_opens, new_customers, revenue "
        "from reference_kpis").fetchall()}
    # a selection: built and audited in schema marts_audit, not published
    built = DbtProject(tmp_path / "db").run("run", "--select", "+mart_nurturing",
                                            "+mart_revenue", raw_data_path=raw, check=True)
    marts = {row[0]: row[1:] for row in built.query(
        "select nurturing.period_start, nurturing.sends, nurturing.unique_opens, "
        "revenue.revenue from marts_audit.mart_nurturing as nurturing "
        "join marts_audit.mart_revenue as revenue using (period_grain, period_start) "
        "where period_grain = 'month'")}
    for month, (sends, opens, _customers, revenue) in reference.items():
        if month in marts:
            assert (sends or 0, opens or 0) == marts[month][:2], month
            assert float(revenue or 0) == float(marts[month][2]), month


def test_neighbours_mean_and_spread():
    # 4 s before and 6 s after: mean 5 s, the machine moved by 2 / 5 = 40 %
    assert benchmark.neighbours(4.0, 6.0) == {"mean": 5.0, "spread": 0.4}
    assert benchmark.neighbours(3.0, 3.0) == {"mean": 3.0, "spread": 0.0}


def test_render_reports_every_figure():
    # full 10 s between references of 0.8 and 1.2 s (mean 1.0, spread 40 %): 10x;
    # incremental 2 s between 1.5 and 2.5 s (mean 2.0): 1x; 2 / 10 = 20 % raw, and in
    # reference units (2 / 2.0) / (10 / 1.0) = 10 %
    row = {"size": "S", "contacts": 10, "raw_rows": 1000, "full_s": 10.0,
           "full_rows_per_s": 100.0, "full_rss_gib": 0.5, "tests_s": 5.0,
           "tests_rss_gib": 0.4, "incremental_s": 2.0, "incremental_rss_gib": 0.3,
           "references_s": [0.8, 1.2, 1.5, 2.5],
           "reference_s": 1.0, "reference_spread": 0.4, "ratio": 10.0,
           "incremental_reference_s": 2.0, "incremental_ratio": 1.0,
           "incremental_share": 0.1, "incremental_share_raw": 0.2,
           "slowest": [("stg_x", 3.0)],
           "preflight_s": 0.5, "publish_s": 0.25, "incremental_preflight_s": 1.5,
           "incremental_publish_s": 0.125,
           "slowest_incremental": [("stg_y", 1.0)]}
    text = benchmark.render([row])
    assert ("| S | 10 | 1,000 | 10.0 s | 100 | 0.50 GiB | 5.0 s | 2.0 s | 20 % | 10 % | "
            "1.0 s; 40 % | 10.0x | 1.0x |") in text
    assert "0.8 s, 1.2 s, 1.5 s, 2.5 s" in text
    assert "stg_x 3.0 s" in text and "stg_y 1.0 s" in text
    assert ("Preflight and publication, S: full build 0.5 s + 0.2 s, incremental build 1.5 s + 0.1 s"
            in text)
