"""Trend charts as inline SVG: Vega-Lite specs rendered by vl-convert (no browser, no CDN,
no network: the data is inline and external URLs are refused)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import vl_convert

from tools.report.data import Series
from tools.report.labels import kpi_label

PALETTE = ["#1f5f8b", "#e07b39", "#3a9d5d", "#8e5ea2"]
AXIS_FORMAT = {"fraction": ".0%", "money": ",.0f", "count": ",.0f", "ratio": ",.2f",
               "days": ",.0f", "score": ",.0f"}


def _number(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def spec(series: list[Series], lang: str, currency: str, x_title: str) -> dict:
    """One chart: a bar chart for a single count or amount, lines otherwise."""
    unit = series[0].unit
    values = [{"period": start.isoformat() if isinstance(start, dt.date) else str(start),
               "kpi": kpi_label(s.column, lang), "value": _number(value)}
              for s in series for start, value in s.points]
    y_title = {"money": currency, "fraction": "%" if lang == "en" else "%"}.get(unit, "")
    single_bar = len(series) == 1 and unit in ("count", "money")
    encoding = {
        "x": {"field": "period", "type": "temporal", "title": x_title,
              "timeUnit": "yearmonthdate",
              "axis": {"format": "%b %y" if lang == "en" else "%b %y", "labelAngle": 0,
                       "tickCount": min(len(series[0].points), 12)}},
        "y": {"field": "value", "type": "quantitative", "title": y_title,
              "axis": {"format": AXIS_FORMAT.get(unit, ",.2f")}},
        "color": {"field": "kpi", "type": "nominal", "title": None,
                  "sort": [kpi_label(s.column, lang) for s in series],
                  "scale": {"range": PALETTE},
                  "legend": {"orient": "top", "direction": "horizontal"}},
        "tooltip": [{"field": "kpi"}, {"field": "period", "type": "temporal"},
                    {"field": "value", "format": AXIS_FORMAT.get(unit, ",.2f")}],
    }
    mark = ({"type": "bar", "color": PALETTE[0]} if single_bar
            else {"type": "line", "point": True, "strokeWidth": 2})
    if single_bar:
        encoding["x"]["type"] = "ordinal"
        encoding["x"]["axis"]["labelAngle"] = -40
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 400, "height": 180,
        "data": {"values": values},
        "mark": mark,
        "encoding": encoding,
        "config": {"font": "DejaVu Sans, Helvetica, Arial, sans-serif",
                   "view": {"stroke": None}, "axis": {"labelFontSize": 10, "grid": True}},
    }


def svg(series: list[Series], lang: str = "en", currency: str = "EUR", x_title: str = "") -> str:
    """The chart as an SVG element (its XML prolog stripped, so it can be inlined)."""
    locale = "fr-FR" if lang == "fr" else "en-US"
    text = vl_convert.vegalite_to_svg(spec(series, lang, currency, x_title),
                                      allowed_base_urls=[], format_locale=locale,
                                      time_format_locale=locale)
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def funnel_spec(cohorts: list[dict], stages: dict[str, str], cohort_title: str) -> dict:
    """Grouped bars: the stages reached by each of the latest cohorts."""
    values = [{"cohort": row["cohort_month"].strftime("%Y-%m"), "stage": stages[column],
               "order": i, "count": row[column]}
              for row in cohorts for i, column in enumerate(stages)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": {"step": 18}, "height": 180,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "cohort", "type": "ordinal", "title": cohort_title,
                  "axis": {"labelAngle": 0}},
            "xOffset": {"field": "stage", "sort": list(stages.values())},
            "y": {"field": "count", "type": "quantitative", "title": "",
                  "axis": {"format": ",.0f"}},
            "color": {"field": "stage", "type": "nominal", "title": None,
                      "sort": list(stages.values()), "scale": {"range": PALETTE},
                      "legend": {"orient": "top", "direction": "horizontal"}},
        },
        "config": {"font": "DejaVu Sans, Helvetica, Arial, sans-serif",
                   "view": {"stroke": None}, "axis": {"labelFontSize": 10}},
    }


def funnel_svg(cohorts: list[dict], stages: dict[str, str], cohort_title: str,
               lang: str = "en") -> str:
    locale = "fr-FR" if lang == "fr" else "en-US"
    text = vl_convert.vegalite_to_svg(funnel_spec(cohorts, stages, cohort_title),
                                      allowed_base_urls=[], format_locale=locale)
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
