"""The client KPI report: one self-contained HTML file (and a PDF of it) from the marts.

    python -m tools.report --database marketing_kpis.duckdb --out target/report
    python -m tools.report --month 2025-11 --lang fr
    python -m tools.report --campaign cmp_ads_guide --period 12

See README "Client report". The figures are read from the marts as they are (no KPI is
recomputed here); the definitions in the footnotes come from marts.kpi_catalog.
"""
