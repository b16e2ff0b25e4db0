"""The report as HTML (Jinja2, inline CSS and SVG: one file that opens anywhere, offline)
and as PDF (WeasyPrint renders the same HTML)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import jinja2

from tools.report import charts, format as fmt
from tools.report.data import FUNNEL_RATES, FUNNEL_STAGES, Figure, Report
from tools.report.labels import TEXT, kpi_label

HERE = Path(__file__).resolve().parent
ARROWS = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25b6"}
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]

CAMPAIGN_COLUMNS = ["sourced_leads", "sourced_customers", "revenue", "marketing_cost",
                    "cost_per_sourced_lead", "roi"]
EMAIL_COLUMNS = ["sends", "delivered", "unique_opens", "unique_clicks", "open_rate",
                 "click_rate"]


def raw(value) -> str:
    """A cell's value as data-value: exact, for the test that compares it with the mart."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class Notes:
    """Footnote numbers: one per KPI, in order of first appearance."""

    def __init__(self, report: Report):
        self.report = report
        self.order: list[tuple[str, str]] = []
        self.numbers: dict[str, int] = {}

    def number(self, model: str, column: str) -> int | None:
        entry = self.report.catalog.get((model, column))
        if entry is None:
            return None
        if entry.kpi_name not in self.numbers:
            self.numbers[entry.kpi_name] = len(self.numbers) + 1
            self.order.append((model, column))
        return self.numbers[entry.kpi_name]

    def definitions(self) -> list[dict]:
        out = []
        for model, column in self.order:
            entry = self.report.catalog[(model, column)]
            out.append({"kpi_name": entry.kpi_name,
                        "definition": " ".join(entry.definition.split()),
                        "formula": entry.formula})
        return out


def _month_label(day: dt.date, lang: str) -> str:
    return f"{MONTHS_FR[day.month - 1]} {day.year}" if lang == "fr" else f"{day:%B %Y}"


# the colour of a change says whether it is good news: green when a KPI moves the way a
# marketer wants (more leads, a higher rate), red when it moves the other way (a higher
# cost per lead, more unsubscribes), grey for amounts that are neither (the spend itself)
LOWER_IS_BETTER = {"cost_per_lead", "cost_per_mql", "cost_per_acquisition",
                   "cost_per_sourced_lead", "unsubscribe_rate", "avg_days_to_close"}
NEITHER = {"marketing_cost"}


def _tone(column: str, trend: str) -> str:
    if trend == "flat" or column in NEITHER:
        return "flat"
    return "bad" if (trend == "up") == (column in LOWER_IS_BETTER) else "good"


def _figure(f: Figure, notes: Notes, lang: str, currency: str) -> dict:
    change = fmt.change(f.value, f.previous, f.unit, lang)
    # a change that rounds to nothing gets the flat arrow, whatever the last digits say
    trend = "flat" if change.startswith("\u00b1") else fmt.trend(f.value, f.previous, f.unit)
    return {"model": f.model, "column": f.column, "kpi_name": f.kpi_name,
            "label": kpi_label(f.column, lang), "note": notes.number(f.model, f.column),
            "raw": raw(f.value), "raw_previous": raw(f.previous),
            "text": fmt.number(f.value, f.unit, lang, currency),
            "previous_text": fmt.number(f.previous, f.unit, lang, currency),
            "change": change,
            "tone": _tone(f.column, trend), "arrow": ARROWS[trend]}


def _table(rows: list[dict], model: str, columns: list[str], key: str, name: str,
           marts_unit, notes: Notes, lang: str, currency: str) -> tuple[list, list]:
    heads = [{"label": kpi_label(c, lang), "note": notes.number(model, c)} for c in columns]
    body = [{"key": row[key], "name": row.get(name) or row[key],
             "cells": [{"column": c, "raw": raw(row.get(c)),
                        "text": fmt.number(row.get(c), marts_unit(model, c), lang, currency)}
                       for c in columns]}
            for row in rows]
    return heads, body


def render_html(report: Report, unit_of, lang: str = "en", currency: str = "EUR") -> str:
    """The report's HTML; unit_of(model, column) is Marts.unit (the display unit)."""
    t = TEXT[lang]
    notes = Notes(report)
    headlines = [(family, [_figure(f, notes, lang, currency) for f in figures])
                 for family, figures in report.headlines]

    if report.kind == "month":
        title = t["title"]
        period_label = f"{t['month_of']} {_month_label(report.period_start, lang)}"
        previous_label = (_month_label(report.previous_start, lang)
                          if report.previous_start else None)
        trend_note = t["trend_months"].format(n=len(report.trends[0][1][0].points))
    else:
        c = report.campaign
        title = f"{t['campaign_title']}: {c['campaign_name'] or c['campaign_id']}"
        period_label = (f"{t['period_n'].format(n=c['period_number']).capitalize()} / "
                        f"{c['periods']} ({t['cadence'].get(c['cadence'], c['cadence'])})")
        previous_label = (t["period_n"].format(n=c["period_number"] - 1)
                          if report.previous_start else None)
        trend_note = t["campaign_periods"]

    chart_blocks = []
    for chart_id, series in report.trends:
        caption = " · ".join(kpi_label(s.column, lang) for s in series)
        chart_blocks.append({
            "id": chart_id, "caption": caption,
            "notes": sorted({n for s in series if (n := notes.number(s.model, s.column))}),
            "svg": charts.svg(series, lang, currency)})

    funnel_rows, funnel_columns, funnel_svg = [], [], ""
    if report.funnel:
        cohorts = sorted(report.funnel, key=lambda r: r["cohort_month"])
        columns = FUNNEL_STAGES + FUNNEL_RATES
        funnel_columns = [{"label": kpi_label(c, lang), "note": notes.number("mart_funnel", c)}
                          for c in columns]
        funnel_rows = [{"key": row["cohort_month"].strftime("%Y-%m"),
                        "cells": [{"column": c, "raw": raw(row[c]),
                                   "text": fmt.number(row[c], unit_of("mart_funnel", c),
                                                      lang, currency)} for c in columns]}
                       for row in cohorts]
        stages = {c: t["stages"][c] for c in FUNNEL_STAGES}
        funnel_svg = charts.funnel_svg(cohorts, stages, t["cohort"], lang)

    tables = []
    if report.top_campaigns:
        heads, body = _table(report.top_campaigns, "mart_campaign_performance",
                             CAMPAIGN_COLUMNS, "campaign_id", "campaign_name", unit_of,
                             notes, lang, currency)
        tables.append({"id": "top-campaigns", "title": t["top_campaigns"],
                       "key_label": t["campaign"], "model": "mart_campaign_performance",
                       "columns": heads, "rows": body})
    heads, body = _table(report.top_emails, "mart_email_performance", EMAIL_COLUMNS,
                         "email_id", "email_name", unit_of, notes, lang, currency)
    tables.append({"id": "top-emails", "title": t["top_emails"], "key_label": t["email"],
                   "model": "mart_email_performance", "columns": heads, "rows": body})

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE),
                                     autoescape=jinja2.select_autoescape(["html", "j2"]),
                                     undefined=jinja2.StrictUndefined)
    template = environment.get_template("template.html.j2")
    return template.render(
        lang=lang, t=t, title=title, period_label=period_label,
        period_range=f"{report.period_start:%Y-%m-%d} \u2013 {report.period_end:%Y-%m-%d}",
        data_through=report.data_through.isoformat() if report.data_through else None,
        partial=bool(report.data_through and report.data_through < report.period_end),
        previous_label=previous_label, publication=report.publication,
        generated_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        headlines=headlines, period_key=report.period_start.isoformat(),
        previous_key=report.previous_start.isoformat() if report.previous_start else "",
        charts=[dict(c, svg=jinja2.utils.markupsafe.Markup(c["svg"])) for c in chart_blocks],
        trend_note=trend_note, funnel=funnel_rows, funnel_columns=funnel_columns,
        funnel_svg=jinja2.utils.markupsafe.Markup(funnel_svg), tables=tables,
        definitions=notes.definitions())


def write_pdf(html: str, path: Path) -> None:
    """The same report as PDF (WeasyPrint: HTML and inline SVG to PDF, no browser)."""
    import weasyprint  # imported here: the HTML report does not need it

    weasyprint.HTML(string=html, base_url=str(path.parent)).write_pdf(str(path))
