"""python -m tools.report: write the client KPI report (HTML and PDF) from the marts.

    python -m tools.report                                  # latest month of marketing_kpis.duckdb
    python -m tools.report --month 2025-11 --lang fr        # a given month, in French
    python -m tools.report --campaign cmp_ads_guide         # a campaign's latest cadence period
    python -m tools.report --campaign cmp_ads_guide --period 3 --no-pdf

Writes OUT/<name>.html (one self-contained file: inline CSS and SVG charts) and
OUT/<name>.pdf, and prints their paths. Exit status 2 with a one-line message on bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tools.report.data import Marts, ReportError, campaign_report, month_report
from tools.report.labels import LANGUAGES


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path,
                        default=Path(os.environ.get("MARKETING_KPIS_DUCKDB_PATH",
                                                    "marketing_kpis.duckdb")),
                        help="the DuckDB file with the marts (default: "
                             "$MARKETING_KPIS_DUCKDB_PATH, else marketing_kpis.duckdb)")
    parser.add_argument("--schema", default="marts", help="schema of the marts (default marts)")
    parser.add_argument("--out", type=Path, default=Path("target/report"),
                        help="output folder (default target/report)")
    parser.add_argument("--month", help="YYYY-MM (default: the latest month of the marts)")
    parser.add_argument("--campaign", help="a campaign_id: report its cadence period instead "
                                           "of a month (mart_campaign_scorecard)")
    parser.add_argument("--period", type=int, help="with --campaign: the period_number "
                                                   "(default: the latest that has started)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="labels (default en)")
    parser.add_argument("--currency", default="EUR", help="currency label (default EUR)")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    args = parser.parse_args(argv)
    if args.period is not None and not args.campaign:
        parser.error("--period needs --campaign (a month report takes --month)")
    if args.month and args.campaign:
        parser.error("--month and --campaign exclude each other")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        marts = Marts(args.database, args.schema)
        try:
            if args.campaign:
                report = campaign_report(marts, args.campaign, args.period)
                name = f"campaign_{args.campaign}_period_{report.campaign['period_number']}"
            else:
                report = month_report(marts, args.month)
                name = f"kpi_report_{report.period_start:%Y-%m}"
            from tools.report.render import render_html, write_pdf

            html = render_html(report, marts.unit, args.lang, args.currency)
        finally:
            marts.close()
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.lang == "en" else f"_{args.lang}"
    html_path = args.out / f"{name}{suffix}.html"
    html_path.write_text(html, encoding="utf-8")
    print(f"report: {html_path}")
    if not args.no_pdf:
        pdf_path = html_path.with_suffix(".pdf")
        write_pdf(html, pdf_path)
        print(f"report: {pdf_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
