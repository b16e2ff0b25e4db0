"""What the report shows, read from the marts of a DuckDB database (read-only).

Nothing here recomputes a KPI: every figure is a cell of a mart, and the report only picks
the period, its predecessor and the trend rows. Each figure keeps the mart and column it
came from (the figures-equal-marts test and the footnotes use them).
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

FAMILY_MARTS = {
    "acquisition": "mart_acquisition",
    "qualification": "mart_qualification",
    "conversion": "mart_conversion",
    "nurturing": "mart_nurturing",
    "revenue": "mart_revenue",
}

# the headline KPIs of each family: (family, columns of its mart)
MONTH_HEADLINES = [
    ("acquisition", ["new_leads", "unique_visitors", "visitor_to_lead_rate", "marketing_cost",
                     "cost_per_lead"]),
    ("qualification", ["new_mqls", "new_sqls", "lead_to_mql_rate", "mql_to_sql_rate",
                       "cost_per_mql"]),
    ("conversion", ["new_customers", "mql_to_customer_rate", "avg_days_to_close",
                    "cost_per_acquisition"]),
    ("nurturing", ["sends", "open_rate", "click_rate", "click_to_open_rate",
                   "unsubscribe_rate"]),
    ("revenue", ["revenue", "orders", "average_order_value", "customer_lifetime_value", "roi",
                 "trailing_12m_roi"]),
]

CAMPAIGN_HEADLINES = ["members_added", "sends", "delivered", "open_rate", "click_rate",
                      "sourced_leads", "sourced_customers", "revenue", "marketing_cost",
                      "cost_per_sourced_lead", "roi"]

# trend charts of the month report: (chart id, mart, columns drawn together)
MONTH_TRENDS = [
    ("leads_mqls_customers", [("mart_acquisition", "new_leads"), ("mart_qualification", "new_mqls"),
                              ("mart_conversion", "new_customers")]),
    ("email_rates", [("mart_nurturing", "open_rate"), ("mart_nurturing", "click_rate")]),
    ("cost_per_lead", [("mart_acquisition", "cost_per_lead")]),
    ("revenue", [("mart_revenue", "revenue")]),
    ("roi", [("mart_revenue", "roi"), ("mart_revenue", "trailing_12m_roi")]),
]

CAMPAIGN_TRENDS = [
    ("campaign_sends", [("mart_campaign_scorecard", "sends"),
                        ("mart_campaign_scorecard", "unique_opens"),
                        ("mart_campaign_scorecard", "unique_clicks")]),
    ("campaign_rates", [("mart_campaign_scorecard", "open_rate"),
                        ("mart_campaign_scorecard", "click_rate")]),
    ("campaign_leads", [("mart_campaign_scorecard", "sourced_leads"),
                        ("mart_campaign_scorecard", "sourced_customers")]),
    ("campaign_revenue", [("mart_campaign_scorecard", "revenue"),
                          ("mart_campaign_scorecard", "marketing_cost")]),
]

FUNNEL_STAGES = ["leads", "reached_mql", "reached_sql", "reached_customer"]
FUNNEL_RATES = ["lead_to_mql_rate", "mql_to_sql_rate", "sql_to_customer_rate",
                "lead_to_customer_rate"]


class ReportError(Exception):
    """Bad input to the report (no database, no marts, an unknown month or campaign):
    its message says what is wrong and what to do, in one line."""


@dataclass
class CatalogEntry:
    kpi_name: str
    definition: str
    formula: str
    unit: str


@dataclass
class Figure:
    """One KPI value of the reported period, with its previous value."""
    model: str
    column: str
    value: object
    previous: object
    unit: str
    kpi_name: str | None


@dataclass
class Series:
    """One line of a trend chart: (period start, value) points."""
    model: str
    column: str
    unit: str
    kpi_name: str | None
    points: list[tuple[dt.date, object]]


@dataclass
class Report:
    kind: str  # month | campaign
    period_start: dt.date
    period_end: dt.date
    previous_start: dt.date | None
    headlines: list[tuple[str, list[Figure]]]
    trends: list[tuple[str, list[Series]]]
    funnel: list[dict] = field(default_factory=list)
    top_campaigns: list[dict] = field(default_factory=list)
    top_emails: list[dict] = field(default_factory=list)
    catalog: dict[tuple[str, str], CatalogEntry] = field(default_factory=dict)
    publication: dict | None = None
    campaign: dict | None = None
    data_through: dt.date | None = None


def display_unit(column: str, unit: str) -> str:
    """A rate the catalog calls an unbounded ratio (mql_to_customer_rate, click_to_open_rate)
    is still read as a percentage."""
    if unit == "ratio" and column.endswith("_rate"):
        return "fraction"
    return unit


class Marts:
    """Read-only access to the marts of one DuckDB file."""

    def __init__(self, database: Path, schema: str = "marts"):
        if not Path(database).is_file():
            raise ReportError(f"no database at {database}: build the marts first "
                              "(make demo, or dbt build), or pass --database PATH")
        self.con = duckdb.connect(str(database), read_only=True)
        self.schema = schema
        tables = {row[0] for row in self.con.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [schema]).fetchall()}
        needed = set(FAMILY_MARTS.values()) | {"kpi_catalog", "mart_funnel",
                                               "mart_campaign_scorecard",
                                               "mart_campaign_performance",
                                               "mart_email_performance"}
        missing = sorted(needed - tables)
        if missing:
            raise ReportError(f"{database} has no {schema}.{missing[0]} (missing: "
                              f"{', '.join(missing)}): build the marts with dbt build first")
        self.catalog = {
            (model, column): CatalogEntry(kpi, definition, formula, unit)
            for kpi, model, column, definition, formula, unit in self.con.execute(
                f"select kpi_name, model_name, column_name, definition, formula, unit "
                f"from {schema}.kpi_catalog").fetchall()}

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def unit(self, model: str, column: str) -> str:
        entry = self.catalog.get((model, column))
        return display_unit(column, entry.unit if entry else "count")

    def kpi(self, model: str, column: str) -> str | None:
        entry = self.catalog.get((model, column))
        return entry.kpi_name if entry else None

    def publication(self) -> dict | None:
        try:
            found = self.rows(f"select * from {self.schema}.publication_log "
                              "order by published_at desc limit 1")
        except duckdb.Error:
            return None
        return found[0] if found else None

    def data_through(self) -> dt.date | None:
        """The local date of the latest event the marts were built from: the latest
        last_at of the intermediate event bounds, in the reporting_timezone the
        publication log records. None when either is missing (another layout)."""
        publication = self.publication() or {}
        try:
            timezone = json.loads(publication.get("definitions") or "{}").get(
                "reporting_timezone", "UTC")
            intermediate = self.schema[: -len("marts")] + "intermediate" \
                if self.schema.endswith("marts") else "intermediate"
            latest = self.con.execute(
                f"select max(last_at) from {intermediate}.int_event_bounds_aggregated"
            ).fetchone()[0]
        except (duckdb.Error, ValueError, AttributeError):
            return None
        if latest is None:
            return None
        try:
            zone = zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
        return latest.replace(tzinfo=dt.timezone.utc).astimezone(zone).date()

    def close(self) -> None:
        self.con.close()


def _months(marts: Marts) -> list[dt.date]:
    return [row["period_start"] for row in marts.rows(
        f"select distinct period_start from {marts.schema}.mart_acquisition "
        "where period_grain = 'month' order by period_start")]


def _month_end(start: dt.date) -> dt.date:
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def month_report(marts: Marts, month: str | None = None, trend_months: int = 12) -> Report:
    """The report of one calendar month (default: the latest month of the marts)."""
    months = _months(marts)
    if not months:
        grains = [row["period_grain"] for row in marts.rows(
            f"select distinct period_grain from {marts.schema}.mart_acquisition order by 1")]
        if grains:
            raise ReportError(f"the marts hold no month rows (period grains: "
                              f"{', '.join(grains)}): add month to var kpi_period_grains "
                              "and build again, or report a campaign with --campaign")
        raise ReportError("mart_acquisition is empty: the input has no activity to report "
                          "(check the export folder the marts were built from)")
    through = marts.data_through()
    if month is None:
        # the latest month the data covers to its end: a month in progress (an export of
        # the 5th) would be compared, nearly empty, with a whole one
        complete = [m for m in months if through is None or _month_end(m) <= through]
        start = (complete or months)[-1]
    else:
        try:
            start = dt.date.fromisoformat(f"{month}-01" if len(month) == 7 else month)
        except ValueError:
            raise ReportError(f"--month {month!r} is not a month: write it as YYYY-MM") from None
        start = start.replace(day=1)
        if start not in months:
            raise ReportError(f"no month {start:%Y-%m} in the marts (they hold "
                              f"{months[0]:%Y-%m} to {months[-1]:%Y-%m}): pick one of those")
    index = months.index(start)
    previous = months[index - 1] if index > 0 else None
    window = months[max(0, index - trend_months + 1): index + 1]

    by_model: dict[str, dict[dt.date, dict]] = {}
    for model in FAMILY_MARTS.values():
        by_model[model] = {row["period_start"]: row for row in marts.rows(
            f"select * from {marts.schema}.{model} where period_grain = 'month' "
            "and period_start between ? and ?", [window[0], start])}

    headlines = []
    for family, columns in MONTH_HEADLINES:
        model = FAMILY_MARTS[family]
        current = by_model[model].get(start, {})
        before = by_model[model].get(previous, {}) if previous else {}
        headlines.append((family, [
            Figure(model, column, current.get(column), before.get(column),
                   marts.unit(model, column), marts.kpi(model, column))
            for column in columns]))

    trends = [(chart, [Series(model, column, marts.unit(model, column), marts.kpi(model, column),
                              [(m, by_model[model].get(m, {}).get(column)) for m in window])
                       for model, column in lines])
              for chart, lines in MONTH_TRENDS]

    period_end = by_model["mart_acquisition"][start]["period_end"]
    funnel = marts.rows(
        f"select * from {marts.schema}.mart_funnel where cohort_month <= ? "
        "order by cohort_month desc limit 6", [start])
    top_campaigns = marts.rows(
        f"select * from {marts.schema}.mart_campaign_performance "
        "order by revenue desc nulls last, campaign_id limit 5")
    top_emails = marts.rows(
        f"select * from {marts.schema}.mart_email_performance "
        "order by unique_clicks desc nulls last, email_id limit 5")
    return Report("month", start, period_end, previous, headlines, trends, funnel,
                  top_campaigns, top_emails, marts.catalog, marts.publication(),
                  data_through=through)


def campaign_report(marts: Marts, campaign_id: str, period_number: int | None = None) -> Report:
    """The report of one cadence period of a campaign (mart_campaign_scorecard: weekly in
    its first month, every two weeks for two months, then monthly); default: the latest
    period that is over by the end of the marts' last month (a period that runs past the
    data would be compared, mostly empty, with a whole one)."""
    campaigns = marts.rows(f"select * from {marts.schema}.mart_campaign_performance "
                           "where campaign_id = ?", [campaign_id])
    if not campaigns:
        known = [row["campaign_id"] for row in marts.rows(
            f"select campaign_id from {marts.schema}.mart_campaign_performance order by 1")]
        raise ReportError(f"no campaign {campaign_id!r} in mart_campaign_performance "
                          f"(campaigns: {', '.join(known[:10])}{', ...' if len(known) > 10 else ''})")
    periods = marts.rows(f"select * from {marts.schema}.mart_campaign_scorecard "
                         "where campaign_id = ? order by period_number", [campaign_id])
    if not periods:
        raise ReportError(f"campaign {campaign_id!r} has no cadence period in "
                          "mart_campaign_scorecard (it has no launch date): use the month report")
    months = _months(marts)
    through = marts.data_through()
    last_day = through or (_month_end(months[-1]) if months else None)
    if period_number is None:
        # the latest period over by the data's last day (else the end of the marts' last
        # month); else the first one
        ended = [p for p in periods if last_day is None or p["period_end"] <= last_day]
        chosen = (ended or periods[:1])[-1]
    else:
        found = [p for p in periods if p["period_number"] == period_number]
        if not found:
            raise ReportError(f"campaign {campaign_id!r} has periods 1 to "
                              f"{periods[-1]['period_number']}, not {period_number}: pick one")
        chosen = found[0]
    index = periods.index(chosen)
    before = periods[index - 1] if index > 0 else {}
    model = "mart_campaign_scorecard"
    headlines = [("campaign", [
        Figure(model, column, chosen.get(column), before.get(column),
               marts.unit(model, column), marts.kpi(model, column))
        for column in CAMPAIGN_HEADLINES])]
    shown = periods[: index + 1]
    trends = [(chart, [Series(m, column, marts.unit(m, column), marts.kpi(m, column),
                              [(p["period_start"], p.get(column)) for p in shown])
                       for m, column in lines])
              for chart, lines in CAMPAIGN_TRENDS]
    top_emails = marts.rows(
        f"select * from {marts.schema}.mart_email_performance where campaign_id = ? "
        "order by unique_clicks desc nulls last, email_id limit 5", [campaign_id])
    campaign = dict(campaigns[0], period_number=chosen["period_number"],
                    cadence=chosen["cadence"], periods=len(periods))
    return Report("campaign", chosen["period_start"], chosen["period_end"],
                  before.get("period_start"), headlines, trends, [], [], top_emails,
                  marts.catalog, marts.publication(), campaign, through)
