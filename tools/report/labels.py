"""The report's words, in English and French (option --lang). KPI definitions in the
footnotes come from marts.kpi_catalog and stay in English (the catalog's language)."""

from __future__ import annotations

LANGUAGES = ("en", "fr")

TEXT = {
    "en": {
        "title": "Marketing KPI report",
        "campaign_title": "Campaign report",
        "period": "Period",
        "month_of": "Month of",
        "previous": "Previous period",
        "change": "Change",
        "value": "This period",
        "headline": "Headline KPIs",
        "trends": "Trends",
        "trend_months": "last {n} months",
        "funnel": "Funnel of the latest lead cohorts",
        "funnel_note": ("A cohort is the leads of one month; each stage counts those of them "
                        "that reached it, up to today."),
        "cohort": "Cohort",
        "top_campaigns": "Top campaigns (since launch, by revenue)",
        "top_emails": "Top emails (since first send, by unique clicks)",
        "campaign": "Campaign",
        "email": "Email",
        "definitions": "Definitions",
        "published": "Marts published",
        "input": "input",
        "generated": "Report generated",
        "no_data": "no data",
        "data_through": "data through",
        "partial": ("Partial period: the data stops before its end, so its figures are not "
                    "comparable with the previous period's."),
        "cadence": {"weekly": "weekly", "biweekly": "every two weeks", "monthly": "monthly"},
        "period_n": "period {n}",
        "campaign_periods": "by cadence period since launch",
        "family": {"acquisition": "Acquisition", "qualification": "Qualification",
                   "conversion": "Conversion", "nurturing": "Nurturing",
                   "revenue": "Revenue", "campaign": "Campaign"},
        "stages": {"leads": "Leads", "reached_mql": "MQL", "reached_sql": "SQL",
                   "reached_customer": "Customer"},
    },
    "fr": {
        "title": "Rapport des KPI marketing",
        "campaign_title": "Rapport de campagne",
        "period": "Période",
        "month_of": "Mois de",
        "previous": "Période précédente",
        "change": "Évolution",
        "value": "Cette période",
        "headline": "KPI principaux",
        "trends": "Tendances",
        "trend_months": "{n} derniers mois",
        "funnel": "Entonnoir des dernières cohortes de leads",
        "funnel_note": ("Une cohorte regroupe les leads d'un mois ; chaque étape compte ceux "
                        "qui l'ont atteinte, à ce jour."),
        "cohort": "Cohorte",
        "top_campaigns": "Meilleures campagnes (depuis le lancement, par chiffre d'affaires)",
        "top_emails": "Meilleurs e-mails (depuis le premier envoi, par clics uniques)",
        "campaign": "Campagne",
        "email": "E-mail",
        "definitions": "Définitions",
        "published": "Marts publiés",
        "input": "données",
        "generated": "Rapport généré",
        "no_data": "aucune donnée",
        "data_through": "données jusqu'au",
        "partial": ("Période partielle : les données s'arrêtent avant sa fin ; ses chiffres ne "
                    "sont pas comparables à ceux de la période précédente."),
        "cadence": {"weekly": "hebdomadaire", "biweekly": "toutes les deux semaines",
                    "monthly": "mensuelle"},
        "period_n": "période {n}",
        "campaign_periods": "par période de suivi depuis le lancement",
        "family": {"acquisition": "Acquisition", "qualification": "Qualification",
                   "conversion": "Conversion", "nurturing": "Nurturing",
                   "revenue": "Chiffre d'affaires", "campaign": "Campagne"},
        "stages": {"leads": "Leads", "reached_mql": "MQL", "reached_sql": "SQL",
                   "reached_customer": "Client"},
    },
}

# column -> (English, French) label; a column without one is shown by its name
KPI_LABELS = {
    "new_leads": ("New leads", "Nouveaux leads"),
    "unique_visitors": ("Unique visitors", "Visiteurs uniques"),
    "visitor_to_lead_rate": ("Leads per visitor", "Leads par visiteur"),
    "marketing_cost": ("Marketing cost", "Coût marketing"),
    "cost_per_lead": ("Cost per lead (CPL)", "Coût par lead (CPL)"),
    "new_mqls": ("New MQLs", "Nouveaux MQL"),
    "new_sqls": ("New SQLs", "Nouveaux SQL"),
    "lead_to_mql_rate": ("Lead to MQL rate", "Taux lead vers MQL"),
    "mql_to_sql_rate": ("MQL to SQL rate", "Taux MQL vers SQL"),
    "cost_per_mql": ("Cost per MQL", "Coût par MQL"),
    "new_customers": ("New customers", "Nouveaux clients"),
    "mql_to_customer_rate": ("MQL to customer rate", "Taux MQL vers client"),
    "avg_days_to_close": ("Average days to close", "Délai moyen de conclusion"),
    "cost_per_acquisition": ("Cost per acquisition (CPA)", "Coût par acquisition (CPA)"),
    "sends": ("Emails sent", "E-mails envoyés"),
    "delivered": ("Delivered", "Délivrés"),
    "open_rate": ("Open rate", "Taux d'ouverture"),
    "click_rate": ("Click rate (CTR)", "Taux de clic (CTR)"),
    "click_to_open_rate": ("Click-to-open rate", "Taux de réactivité"),
    "unsubscribe_rate": ("Unsubscribe rate", "Taux de désabonnement"),
    "revenue": ("Revenue", "Chiffre d'affaires"),
    "orders": ("Orders", "Commandes"),
    "average_order_value": ("Average order value", "Panier moyen"),
    "customer_lifetime_value": ("Customer lifetime value (CLV)", "Valeur vie client (CLV)"),
    "roi": ("ROI", "ROI"),
    "trailing_12m_roi": ("ROI, trailing 12 months", "ROI sur 12 mois glissants"),
    "members_added": ("Members added", "Membres ajoutés"),
    "unique_opens": ("Unique opens", "Ouvertures uniques"),
    "unique_clicks": ("Unique clicks", "Clics uniques"),
    "sourced_leads": ("Sourced leads", "Leads apportés"),
    "sourced_customers": ("Sourced customers", "Clients apportés"),
    "cost_per_sourced_lead": ("Cost per sourced lead", "Coût par lead apporté"),
    "lead_to_customer_rate": ("Lead to customer rate", "Taux lead vers client"),
    "leads": ("Leads", "Leads"),
    "reached_mql": ("Reached MQL", "Devenus MQL"),
    "reached_sql": ("Reached SQL", "Devenus SQL"),
    "reached_customer": ("Became customers", "Devenus clients"),
    "sql_to_customer_rate": ("SQL to customer rate", "Taux SQL vers client"),
}


def kpi_label(column: str, lang: str) -> str:
    labels = KPI_LABELS.get(column)
    if labels is None:
        return column.replace("_", " ").capitalize()
    return labels[LANGUAGES.index(lang)]
