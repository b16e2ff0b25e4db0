"""The KPI catalog, its doc blocks and the marts' YAML agree with each other."""

from __future__ import annotations

import re

import yaml

from tools import render_kpi_docs
from tools.contract import PROJECT_DIR

MARTS_YAML = PROJECT_DIR / "models" / "marts" / "_marts__models.yml"


def _mart_columns() -> dict[str, dict[str, dict]]:
    models = yaml.safe_load(MARTS_YAML.read_text())["models"]
    return {m["name"]: {c["name"]: c for c in m["columns"]} for m in models}


def test_kpi_doc_blocks_are_rendered_from_the_catalog():
    assert render_kpi_docs.main(["--check"]) == 0, "run python -m tools.render_kpi_docs"


def test_every_catalog_column_exists_and_reuses_its_kpi_doc_block():
    columns = _mart_columns()
    for kpi in render_kpi_docs.load_kpis():
        for qualified in kpi["columns"]:
            model, column = qualified.split(".")
            assert column in columns[model], qualified
            description = columns[model][column]["description"]
            assert f"doc('kpi_{kpi['name']}')" in description, qualified


def test_every_rate_has_its_numerator_and_denominator_beside_it():
    columns = _mart_columns()
    for kpi in render_kpi_docs.load_kpis():
        for qualified in kpi["columns"]:
            model, column = qualified.split(".")
            terms = kpi.get("ratios", {}).get(column) or [kpi.get("numerator"),
                                                          kpi.get("denominator")]
            for part, term in zip(("numerator", "denominator"), terms):
                names = re.findall(r"[a-z_0-9]+", term or "")
                for name in names:
                    assert name in columns[model], f"{qualified}: {part} {name} missing"


def test_every_rate_column_is_computed_by_the_catalog():
    """A rate is `kpi_ratio(...)` in its model, never a division restated by hand."""
    models = PROJECT_DIR / "models"
    for path in models.rglob("*.sql"):
        text = path.read_text()
        assert "safe_divide(" not in text, f"{path.name}: use kpi_ratio, not safe_divide"
    for kpi in render_kpi_docs.load_kpis():
        if not (kpi.get("numerator") or kpi.get("ratios")):
            continue
        for qualified in kpi["columns"]:
            model, column = qualified.split(".")
            sql = next(models.rglob(f"{model}.sql")).read_text()
            calls = re.findall(r"kpi_ratio\('([a-z_0-9]+)'[^}]*\}\}[^,]*?\bas\s+([a-z_0-9]+)",
                               sql, flags=re.S)
            assert (kpi["name"], column) in calls, f"{qualified}: not kpi_ratio('{kpi['name']}')"


def test_kpi_names_are_unique_and_families_known():
    kpis = render_kpi_docs.load_kpis()
    names = [k["name"] for k in kpis]
    assert len(names) == len(set(names))
    assert {k["family"] for k in kpis} == {"acquisition", "nurturing", "qualification",
                                           "conversion", "revenue"}


def test_every_mart_column_is_described_and_typed():
    for model, columns in _mart_columns().items():
        for name, column in columns.items():
            assert column.get("description"), f"{model}.{name} has no description"
            assert column.get("data_type"), f"{model}.{name} has no data_type (contract)"


def test_design_catalog_columns_are_all_present():
    """Every column DESIGN.md section 5 names for a mart is in that mart."""
    required = {
        "mart_acquisition": "new_leads leads_by_form leads_by_prospect_segment "
                            "leads_by_prospect_campaign leads_by_first_prospect_email "
                            "phone_leads unique_visitors visitor_to_lead_rate marketing_cost "
                            "cost_per_lead",
        "mart_nurturing": "sends delivered unique_opens unique_clicks unsubscribes open_rate "
                          "open_rate_on_sends click_rate click_to_open_rate reopened_leads",
        "mart_qualification": "new_mqls new_sqls lead_to_mql_rate mql_to_sql_rate "
                              "cost_per_mql",
        "mart_conversion": "new_customers new_promoters mql_to_customer_rate mqls_per_customer "
                           "sqls_per_customer customers_ever_prospect "
                           "customers_from_prospect_campaign avg_days_to_close "
                           "median_days_to_close cost_per_acquisition",
        "mart_revenue": "revenue orders paying_customers average_order_value "
                        "revenue_per_customer revenue_per_lead promoter_rate retention_rate "
                        "customer_lifetime_value roi",
        "mart_email_performance": "email_id campaign_id parent_email_id sends delivered "
                                  "unique_opens unique_clicks unsubscribes open_rate "
                                  "click_rate family_open_rate",
        "mart_campaign_performance": "campaign_id members profile_update_rate site_visit_rate "
                                     "download_rate revenue marketing_cost roi",
        "mart_landing_pages": "page_id period_grain period_start page_views form_submissions "
                              "form_fill_rate",
        "mart_ctas": "cta_id page_id period_grain period_start cta_clicks page_views "
                     "cta_click_rate",
        "mart_funnel": "cohort_month leads reached_mql reached_sql reached_customer",
        "mart_lead_score_profile": "lead_month leads avg_score p25_score median_score "
                                   "p75_score",
        "mart_lead_scoring_accuracy": "band_min band_max leads customers conversion_rate auc",
        "mart_attribution": "campaign_id attribution_model period_grain period_start "
                            "conversion_type credit",
    }
    columns = _mart_columns()
    for model, names in required.items():
        missing = [n for n in names.split() if n not in columns[model]]
        assert not missing, f"{model} lacks {missing}"
    for family in ("mart_acquisition", "mart_nurturing", "mart_qualification",
                   "mart_conversion", "mart_revenue"):
        assert {"period_grain", "period_start", "period_end"} <= set(columns[family])


def test_kpis_are_found_by_their_usual_acronyms():
    """Searching the docs for CLV, CPL, CPA, ROI or CTR finds the KPI (issue 17)."""
    kpis = {k["name"]: k for k in render_kpi_docs.load_kpis()}
    expected = {"customer_lifetime_value": "CLV", "cost_per_lead": "CPL",
                "cost_per_acquisition": "CPA", "roi": "ROI", "click_rate": "CTR"}
    blocks = render_kpi_docs.DOCS.read_text(encoding="utf-8")
    for name, acronym in expected.items():
        assert acronym in kpis[name].get("synonyms", []), name
        block = blocks.split(f"{{% docs kpi_{name} %}}")[1].split("{% enddocs %}")[0]
        assert f"Also known as: {acronym}" in block, name
    reference = render_kpi_docs.REFERENCE.read_text(encoding="utf-8")
    assert "| [customer_lifetime_value](#customer_lifetime_value) | CLV, LTV" in reference


def test_generated_docs_link_nowhere_outside_the_repository():
    for path in render_kpi_docs.outputs():
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "http" not in text, path
