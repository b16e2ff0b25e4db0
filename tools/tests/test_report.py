"""The client report (tools.report): numbers written for people, every figure equal to its
mart cell, bad input refused in one line, and the HTML rendered by a real browser.

The browser test drives Debian's Chromium (/usr/bin/chromium, `make install-browser`)
through Playwright; without it the test is skipped, unless MARKETING_KPIS_REQUIRE_BROWSER
is set (make test sets it, so that a missing browser fails there).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zlib
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from tools.report import format as fmt

PROJECT_DIR = Path(__file__).resolve().parents[2]
NNBSP = "\u202f"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# ---- numbers for people (values and expected texts written by hand) ----------------------

@pytest.mark.parametrize("value, unit, lang, expected", [
    (1762, "count", "en", "1,762"),
    (1762, "count", "fr", f"1{NNBSP}762"),
    (0.2912, "fraction", "en", "29.1 %"),
    (0.2912, "fraction", "fr", f"29,1{NNBSP}%"),
    (Decimal("83.40"), "money", "en", "EUR 83"),
    (Decimal("83.40"), "money", "fr", "83 EUR"),
    (Decimal("4.5"), "money", "en", "EUR 4.50"),
    (351610, "money", "en", "EUR 351,610"),
    (3.3922949, "ratio", "en", "3.39"),
    (136.5, "days", "en", "136.5 days"),
    (None, "fraction", "en", "\u2014"),
    (float("nan"), "count", "en", "\u2014"),
])
def test_numbers_are_written_for_people(value, unit, lang, expected):
    assert fmt.number(value, unit, lang) == expected


@pytest.mark.parametrize("current, previous, unit, expected", [
    (130, 146, "count", "\u221211.0 %"),       # (130 - 146) / 146 = -10.96 %
    (21, 15, "count", "+40.0 %"),              # 6 / 15
    (0.271, 0.290, "fraction", "\u22121.9 pts"),  # 27.1 % - 29.0 %
    (0.004, 0.0042, "fraction", "\u00b10.0 pts"),  # -0.02 points rounds to nothing
    (33.20, 1.14, "ratio", "+32.06"),          # an ROI: the difference, not +2,812 %
    (136.5, 72.8, "days", "+63.7 days"),
    (5, 0, "count", "\u2014"),                  # no relative change from nothing
    (None, 3, "count", "\u2014"),
])
def test_changes_from_the_previous_period(current, previous, unit, expected):
    assert fmt.change(current, previous, unit) == expected


# ---- the report of the demo's last month ---------------------------------------------

class Cells(HTMLParser):
    """Every element carrying data-model/data-column/data-key/data-value, with its text."""

    def __init__(self):
        super().__init__()
        self.cells: list[dict] = []
        self._open: dict | None = None
        self.svg_count = 0
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.svg_count += 1
        for name in ("src", "href"):
            if attrs.get(name, "").startswith(("http:", "https:", "//")):
                self.external.append(attrs[name])
        if "data-model" in attrs:
            self._open = dict(attrs, text="", tag=tag)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if self._open is not None and tag == self._open["tag"]:
            self.cells.append(self._open)
            self._open = None


def run_report(*args: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.report", "--out", str(out), *args],
                          cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))


@pytest.fixture(scope="module")
def month_report(demo_marts, tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("report")
    done = run_report("--database", str(demo_marts), out=out)
    assert done.returncode == 0, done.stderr
    html = [p for p in out.glob("*.html")]
    assert len(html) == 1, list(out.iterdir())
    return html[0], demo_marts


def _mart_value(con, model: str, column: str, key: str):
    """The mart cell a report cell claims to show, read with the test's own SQL."""
    if model.startswith("mart_") and model in ("mart_acquisition", "mart_qualification",
                                               "mart_conversion", "mart_nurturing",
                                               "mart_revenue"):
        sql = (f"select {column} from marts.{model} where period_grain = 'month' "
               "and period_start = cast(? as date)")
    elif model == "mart_funnel":
        sql = f"select {column} from marts.mart_funnel where strftime(cohort_month, '%Y-%m') = ?"
        return _one(con, sql, key)
    elif model == "mart_campaign_performance":
        sql = f"select {column} from marts.mart_campaign_performance where campaign_id = ?"
    elif model == "mart_email_performance":
        sql = f"select {column} from marts.mart_email_performance where email_id = ?"
    else:
        raise AssertionError(f"unexpected model {model}")
    return _one(con, sql, key)


def _one(con, sql, key):
    rows = con.execute(sql, [key]).fetchall()
    assert len(rows) == 1, (sql, key, rows)
    return rows[0][0]


def _same(shown: str, expected) -> bool:
    if expected is None:
        return shown == ""
    if isinstance(expected, (float, Decimal)):
        return abs(float(shown) - float(expected)) <= 1e-9 * max(1.0, abs(float(expected)))
    return shown == str(expected)


def test_the_month_report_shows_the_marts_figures(month_report):
    html_path, database = month_report
    parser = Cells()
    parser.feed(html_path.read_text(encoding="utf-8"))
    con = duckdb.connect(str(database), read_only=True)
    latest, previous = [r[0] for r in con.execute(
        "select period_start from marts.mart_acquisition where period_grain = 'month' "
        "order by period_start desc limit 2").fetchall()]
    headline = [c for c in parser.cells if c.get("class") == "value"]
    # 5 + 5 + 4 + 5 + 6 headline KPIs, each for the latest month of the marts
    assert len(headline) == 25
    assert {c["data-key"] for c in headline} == {latest.isoformat()}
    assert {c["data-key"] for c in parser.cells if c.get("class") == "previous"} == \
        {previous.isoformat()}
    assert len(parser.cells) > 25 + 25 + 6 * 8 + 5 * 6  # headline, previous, funnel, tables
    for cell in parser.cells:
        expected = _mart_value(con, cell["data-model"], cell["data-column"], cell["data-key"])
        assert _same(cell["data-value"], expected), cell
    # the texts a reader sees, for cells whose format is fixed by hand here
    by_column = {(c["data-model"], c["data-column"], c.get("class")): c for c in parser.cells}
    leads = _mart_value(con, "mart_acquisition", "new_leads", latest.isoformat())
    assert by_column[("mart_acquisition", "new_leads", "value")]["text"] == f"{leads:,}"
    rate = _mart_value(con, "mart_nurturing", "open_rate", latest.isoformat())
    assert by_column[("mart_nurturing", "open_rate", "value")]["text"] == f"{rate * 100:.1f} %"
    revenue = _mart_value(con, "mart_revenue", "revenue", latest.isoformat())
    assert by_column[("mart_revenue", "revenue", "value")]["text"] == f"EUR {revenue:,.0f}"
    con.close()
    assert parser.external == []  # self-contained: nothing to fetch


def test_every_kpi_shown_has_its_catalog_definition(month_report):
    html_path, database = month_report
    html = html_path.read_text(encoding="utf-8")
    con = duckdb.connect(str(database), read_only=True)
    definition = con.execute("select definition from marts.kpi_catalog "
                             "where kpi_name = 'customer_lifetime_value'").fetchone()[0]
    con.close()
    assert " ".join(definition.split()) in html
    assert 'id="def-1"' in html and "<strong>new_leads</strong>" in html


def test_campaign_report_and_french_labels(demo_marts, tmp_path):
    done = run_report("--database", str(demo_marts), "--campaign", "cmp_ads_guide",
                      "--period", "3", "--lang", "fr", "--no-pdf", out=tmp_path)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "campaign_cmp_ads_guide_period_3_fr.html").read_text(encoding="utf-8")
    parser = Cells()
    parser.feed(html)
    con = duckdb.connect(str(demo_marts), read_only=True)
    start, sends, before = con.execute(
        "select period_start, sends, lag(period_start) over (order by period_number) "
        "from marts.mart_campaign_scorecard where campaign_id = 'cmp_ads_guide' "
        "qualify period_number = 3").fetchone()
    con.close()
    cells = {c["data-column"]: c for c in parser.cells if c.get("class") == "value"}
    assert cells["sends"]["data-key"] == start.isoformat()
    assert int(cells["sends"]["data-value"]) == sends
    assert {c["data-key"] for c in parser.cells if c.get("class") == "previous"} == \
        {before.isoformat()}
    assert "Rapport de campagne" in html and "Taux d'ouverture" in html


@pytest.mark.parametrize("args, message", [
    (["--database", "/nonexistent/kpis.duckdb"], "no database at /nonexistent/kpis.duckdb"),
    (["--month", "1999-01"], "no month 1999-01 in the marts"),
    (["--month", "Dec"], "is not a month: write it as YYYY-MM"),
    (["--campaign", "cmp_nope"], "no campaign 'cmp_nope'"),
])
def test_bad_input_is_refused_in_one_line(demo_marts, tmp_path, args, message):
    if "--database" not in args:
        args = ["--database", str(demo_marts), *args]
    done = run_report(*args, "--no-pdf", out=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert not list(tmp_path.glob("*.html"))


def test_the_pdf_is_written(month_report):
    html_path, _ = month_report
    pdf = html_path.with_suffix(".pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    # an A4 page holds the headline KPIs; the charts, funnel and tables need more pages
    assert pdf.rstrip().endswith(b"%%EOF")
    # the page objects sit in compressed object streams: inflate them to count the pages
    inflated = pdf + b"".join(zlib.decompress(stream) for stream in re.findall(
        rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S) if stream[:1] == b"x")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", inflated)) >= 3


# ---- a real browser ------------------------------------------------------------------

def test_the_report_renders_in_a_browser(month_report, tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("MARKETING_KPIS_REQUIRE_BROWSER"):
            pytest.fail(f"no Chromium at {CHROMIUM}: run make install-browser")
        pytest.skip("no Chromium (make install-browser installs Debian's)")
    from playwright.sync_api import sync_playwright

    html_path, _ = month_report
    errors, requests = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-quic"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html_path.as_uri())
        page.wait_for_load_state("load")
        charts = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')]
            .map(svg => ({w: svg.getBoundingClientRect().width,
                          h: svg.getBoundingClientRect().height,
                          marks: svg.querySelectorAll('path, rect, line').length,
                          text: svg.querySelectorAll('text').length}))""")
        shot = PROJECT_DIR / "target" / "report-test" / "screenshot.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert errors == []
    assert [url for url in requests if not url.startswith("file:")] == []
    # five trend charts and the funnel, each drawn: a real size, marks and axis labels
    assert len(charts) == 6, charts
    for chart in charts:
        assert chart["w"] > 200 and chart["h"] > 100 and chart["marks"] > 10 \
            and chart["text"] > 5, chart
    assert shot.stat().st_size > 100_000  # a blank page of this size is a few kB


@pytest.mark.parametrize("column, trend, tone", [
    ("new_leads", "up", "good"), ("new_leads", "down", "bad"),
    ("cost_per_lead", "down", "good"), ("unsubscribe_rate", "up", "bad"),
    ("marketing_cost", "up", "flat"), ("open_rate", "flat", "flat"),
])
def test_a_change_is_coloured_by_whether_it_is_good_news(column, trend, tone):
    from tools.report.render import _tone

    assert _tone(column, trend) == tone


def test_marts_without_months_say_which_var_to_change(demo_marts, tmp_path):
    # the marts of a build with kpi_period_grains: [week]: no month row to report
    copy = tmp_path / "weeks_only.duckdb"
    shutil.copy(demo_marts, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("delete from marts.mart_acquisition where period_grain <> 'week'")
    done = run_report("--database", str(copy), "--no-pdf", out=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: the marts hold no month rows (period grains: week): add month to var "
        "kpi_period_grains and build again, or report a campaign with --campaign")


def test_the_default_month_is_the_latest_the_data_covers(demo_marts, tmp_path):
    # an export that stops on 2025-11-20 (UTC, and the demo reports in UTC): November is
    # in progress, so the report defaults to October, and November, asked for, is flagged
    copy = tmp_path / "stops_mid_november.duckdb"
    shutil.copy(demo_marts, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("update intermediate.int_event_bounds_aggregated "
                    "set last_at = timestamp '2025-11-20 10:00:00'")
    done = run_report("--database", str(copy), "--no-pdf", out=tmp_path)
    assert done.returncode == 0, done.stderr
    october = (tmp_path / "kpi_report_2025-10.html").read_text(encoding="utf-8")
    assert "data through 2025-11-20" in october and 'class="partial"' not in october
    done = run_report("--database", str(copy), "--month", "2025-11", "--no-pdf", out=tmp_path)
    assert done.returncode == 0, done.stderr
    november = (tmp_path / "kpi_report_2025-11.html").read_text(encoding="utf-8")
    assert 'class="partial"' in november
