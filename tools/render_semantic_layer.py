"""Write the MetricFlow metrics of every KPI from the catalog in macros/kpi_definitions.sql.

    python -m tools.render_semantic_layer           # rewrites models/semantic/_semantic__metrics.yml
    python -m tools.render_semantic_layer --check   # exits 1 if the file is out of date

One metric per KPI, named as the KPI, described by its catalog definition: a simple
metric on the measure of the same name (models/semantic/_semantic__models.yml), a ratio
metric of the catalog's numerator and denominator, or a derived metric when the
numerator is an expression or the KPI has a scale. The numerator and denominator terms
that are not KPIs get a metric of their own (an input metric); TERM_METRICS renames the
terms that mean different things in different KPIs. A measure of a mart with a
period_grain column is read on its monthly rows (a filter on the metric).
"""

from __future__ import annotations

import argparse
import sys
import textwrap

import yaml

from tools.contract import PROJECT_DIR, macro_yaml_block

CATALOG = PROJECT_DIR / "macros" / "kpi_definitions.sql"
SEMANTIC_MODELS = PROJECT_DIR / "models" / "semantic" / "_semantic__models.yml"
METRICS = PROJECT_DIR / "models" / "semantic" / "_semantic__metrics.yml"
PROJECT = PROJECT_DIR / "dbt_project.yml"

# catalog term -> metric name, per KPI, where a term means something else than the
# metric of that name (the leads of a score band are not the new leads of a period)
TERM_METRICS: dict[str, dict[str, str]] = {
    "form_fill_rate": {"page_views": "landing_page_views"},
    "family_open_rate": {"delivered": "family_delivered"},
    "score_band_share": {"leads": "band_leads"},
    "scoring_conversion_rate": {"leads": "scored_leads", "customers": "scored_customers"},
    "funnel_conversion": {"leads": "cohort_leads"},
    "campaign_roi": {"revenue": "sourced_revenue"},
}

# KPIs whose catalog entry lists several rates (`ratios:`): the one their metric is
HEADLINE_RATIO = {"funnel_conversion": "lead_to_customer_rate"}

# input metrics that are running totals of a measure: (measure, window or None for
# "from the start of the data"); read at the last day of each metric_time period
CUMULATIVE: dict[str, tuple[str, str | None]] = {
    "promoters_to_date": ("new_promoters", None),
    "customers_to_date": ("new_customers", None),
    "revenue_12m": ("revenue", "12 months"),
    "paying_customers_12m": ("paying_customers", "12 months"),
    "attributed_revenue_12m": ("attributed_revenue", "12 months"),
    "marketing_cost_12m": ("marketing_cost", "12 months"),
}

ANY_GRAIN = "additive over local days, holds at any metric_time grain."
ACRONYMS = {"roi": "ROI", "cta": "CTA", "mql": "MQL", "mqls": "MQLs", "sql": "SQL", "sqls": "SQLs"}
OPERATORS = {"-", "+", "*", "/"}


def load_kpis() -> list[dict]:
    return macro_yaml_block(CATALOG, "kpis_yaml")


def load_measures() -> dict[str, dict]:
    """measure name -> {model, ref, description, monthly_filter}"""
    spec = yaml.safe_load(SEMANTIC_MODELS.read_text(encoding="utf-8"))
    measures = {}
    for model in spec["semantic_models"]:
        primary = model.get("primary_entity") or next(
            e["name"] for e in model.get("entities", []) if e["type"] == "primary")
        dims = {d["name"] for d in model.get("dimensions", [])}
        is_mart = "ref('mart_" in model["model"]
        monthly = (f"{{{{ Dimension('{primary}__period_grain') }}}} = 'month'"
                   if "period_grain" in dims else None)
        for measure in model["measures"]:
            measures[measure["name"]] = {
                "additive": measure["agg"] in ("sum", "count", "count_distinct"),
                "model": model["name"],
                "grain": " ".join(model["description"].split()) if is_mart else ANY_GRAIN,
                "filter": monthly,
            }
    return measures


def project_var(name: str):
    return yaml.safe_load(PROJECT.read_text(encoding="utf-8"))["vars"][name]


def ratio_terms(kpi: dict) -> tuple[str, str] | None:
    if kpi["name"] in HEADLINE_RATIO:
        num, den = kpi["ratios"][HEADLINE_RATIO[kpi["name"]]]
        return num, den
    if kpi.get("numerator") and kpi.get("denominator"):
        return kpi["numerator"], kpi["denominator"]
    return None


def rename(kpi_name: str, term: str) -> str:
    """A catalog term (a column or an expression of columns) with metric names."""
    aliases = TERM_METRICS.get(kpi_name, {})
    return " ".join(w if w in OPERATORS else aliases.get(w, w) for w in term.split())


def words(expr: str) -> list[str]:
    return [w for w in expr.split() if w not in OPERATORS]


def label(name: str) -> str:
    text = " ".join(ACRONYMS.get(w, w) for w in name.split("_"))
    return text[0].upper() + text[1:]


def describe(text: str, *notes: str) -> str:
    return " ".join([" ".join(text.split()), *[n for n in notes if n]])


def simple_metric(name: str, description: str, measures: dict) -> dict:
    if name not in measures:
        raise SystemExit(f"no measure named {name} in {SEMANTIC_MODELS.name}")
    measure = measures[name]
    metric = {"name": name, "label": label(name), "description": describe(description, "Grain:", measure["grain"]),
              "type": "simple", "type_params": {"measure": measure_input(name, measures)}}
    if measure["filter"]:
        metric["filter"] = measure["filter"]
    return metric


def measure_input(name: str, measures: dict) -> str | dict:
    """A count or sum is 0, not null, in a period without rows (as in the marts)."""
    return {"name": name, "fill_nulls_with": 0} if measures[name]["additive"] else name


def input_grain(names: list[str], measures: dict) -> str:
    notes = []
    for name in names:
        measure = measures.get(CUMULATIVE.get(name, (name,))[0])
        if measure and measure["grain"] != ANY_GRAIN and measure["grain"] not in notes:
            notes.append(measure["grain"])
    return " ".join(notes) if notes else ANY_GRAIN


def build(kpis: list[dict], measures: dict) -> list[dict]:
    kpi_names = {k["name"] for k in kpis}
    metrics, inputs = [], {}
    for kpi in kpis:
        name, definition = kpi["name"], kpi["definition"]
        terms = ratio_terms(kpi)
        if terms is None:
            metrics.append(simple_metric(name, definition, measures))
            continue
        num, den = rename(name, terms[0]), rename(name, terms[1])
        for term in words(num) + words(den):
            if term not in kpi_names:
                inputs.setdefault(term, []).append(name)
        grain = input_grain(words(num) + words(den), measures)
        if kpi.get("scale") or len(words(num)) > 1 or len(words(den)) > 1:
            expr = f"({num}) / nullif({den}, 0)" if len(words(num)) > 1 else \
                f"{num} / nullif({den}, 0)"
            if kpi.get("scale"):
                expr += f" * {project_var(kpi['scale'])}"
            metrics.append({
                "name": name,
                "label": label(name),
                "description": describe(definition, f"Computed as {expr}"
                                        + (f" (var {kpi['scale']} of dbt_project.yml)."
                                           if kpi.get("scale") else "."), "Grain:", grain),
                "type": "derived",
                "type_params": {"expr": expr,
                                "metrics": [{"name": m} for m in dict.fromkeys(
                                    words(num) + words(den))]}})
        else:
            metrics.append({"name": name, "label": label(name), "description": describe(definition, "Grain:", grain),
                             "type": "ratio",
                             "type_params": {"numerator": num, "denominator": den}})
    for name, users in sorted(inputs.items()):
        used_by = f"Input of {', '.join(users)} (KPI catalog term)."
        if name in CUMULATIVE:
            measure, window = CUMULATIVE[name]
            span = f"over the {window} ending" if window else "from the start of the data to"
            params: dict = {"period_agg": "last"}
            if window:
                params["window"] = window
            metrics.append({
                "name": name,
                "label": label(name),
                "description": describe(f"{measure} {span} the last day of each metric_time "
                                        "period.", used_by,
                                        "Grain: holds at any metric_time grain."),
                "type": "cumulative",
                "type_params": {"measure": measure_input(measure, measures),
                                "cumulative_type_params": params}})
        else:
            metrics.append(simple_metric(name, used_by, measures))
    return metrics


def render(kpis: list[dict], measures: dict) -> str:
    header = textwrap.dedent("""\
        # Generated by `python -m tools.render_semantic_layer` from the KPI catalog
        # (macros/kpi_definitions.sql) and the measures of _semantic__models.yml; edit
        # those, not this file (tools/tests/test_semantic_layer.py checks it is current).
        version: 2

        """)
    body = yaml.safe_dump({"metrics": build(kpis, measures)}, sort_keys=False, width=88,
                          allow_unicode=True)
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    text = render(load_kpis(), load_measures())
    if args.check:
        if not METRICS.exists() or METRICS.read_text(encoding="utf-8") != text:
            print(f"{METRICS} is out of date: run python -m tools.render_semantic_layer",
                  file=sys.stderr)
            return 1
        return 0
    METRICS.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10) + '- name: ')} metrics to "
          f"{METRICS.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
