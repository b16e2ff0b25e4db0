{#-
    The KPI catalog of DESIGN.md section 5, as data: one entry per KPI with its family,
    definition, formula, the columns that hold its numerator and denominator, whether it
    is a subset rate (tested to lie in [0, 1]), its source articles and every mart column
    that carries it.

    Read by the kpi_catalog model (one row per KPI and column), by the bounds test of the
    marts, and by tools/render_kpi_docs.py, which writes the doc block of each KPI
    (models/marts/_kpis__docs.md) that the marts' column descriptions reuse, the KPI
    reference docs/KPIS.md and the KPI list of the docs site's overview (models/overview.md).

    synonyms: the acronyms and other names users search for (CLV, CPL, CTR, ...); they are
    written into the doc blocks so that the search of `dbt docs` finds the KPI by them.

    unit: count | money | fraction (a rate) | ratio (unbounded) | days | score
-#}
{% macro kpi_definitions() %}
    {%- set catalog = fromyaml(marketing_kpis.kpi_definitions_yaml()) -%}
    {#- kpi() parses one entry's lines only: it must find each entry as the whole parse does
        (an entry is found by its `- name:` line; a catalog edited into another layout, such
        as a flow mapping, would break that lookup, so it is refused here, at parse time) -#}
    {%- for entry in catalog -%}
        {%- if marketing_kpis.kpi(entry.name) != entry -%}
            {{- exceptions.raise_compiler_error(
                "kpi '" ~ entry.name ~ "': macros/kpi_definitions.sql must write each entry as"
                ~ " a block starting with its own line '- name: " ~ entry.name ~ "' and its"
                ~ " other keys indented below it; kpi() reads it otherwise than the catalog") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(catalog) }}
{% endmacro %}


{#- The catalog's text: a YAML list, one block per KPI starting with a `- name:` line -#}
{% macro kpi_definitions_yaml() %}
{%- set kpis_yaml -%}
# ---- acquisition ---------------------------------------------------------------------
- name: new_leads
  family: acquisition
  definition: Contacts whose lead date (DESIGN.md section 3) falls in the period.
  formula: count(contacts with lead_date in period)
  unit: count
  articles: "000, 004"
  synonyms: [new prospects, lead volume, leads per month]
  columns: [mart_acquisition.new_leads, mart_qualification.new_leads, mart_revenue.new_leads]
- name: leads_by_form
  family: acquisition
  definition: >
    Seed variant of new leads: contacts whose first form submission (any form) falls in
    the period, whatever their actual lead signal.
  formula: count(contacts with first form submission in period)
  unit: count
  articles: "000"
  columns: [mart_acquisition.leads_by_form]
- name: leads_by_prospect_segment
  family: acquisition
  definition: >
    Seed variant of new leads: contacts whose first entry into a segment named in var
    lead_segments ('Prospects') falls in the period.
  formula: count(contacts with first entry into a lead segment in period)
  unit: count
  articles: "000"
  columns: [mart_acquisition.leads_by_prospect_segment]
- name: leads_by_prospect_campaign
  family: acquisition
  definition: >
    Seed variant of new leads: contacts whose first entry into a campaign whose audience
    is exactly 'prospect' falls in the period.
  formula: count(contacts with first entry into a prospect campaign in period)
  unit: count
  articles: "000"
  columns: [mart_acquisition.leads_by_prospect_campaign]
- name: leads_by_first_prospect_email
  family: acquisition
  definition: >
    Seed variant of new leads: contacts whose first send of an email whose audience is
    exactly 'prospect' falls in the period.
  formula: count(contacts with first send of a prospect email in period)
  unit: count
  articles: "000"
  columns: [mart_acquisition.leads_by_first_prospect_email]
- name: phone_leads
  family: acquisition
  definition: New leads of the period whose first lead signal is a call.
  formula: count(new leads with lead_signal = 'call')
  unit: count
  articles: "004"
  synonyms: [call leads, inbound call leads]
  columns: [mart_acquisition.phone_leads]
- name: unique_visitors
  family: acquisition
  definition: Distinct visitor_id with a web event (page view or CTA click) in the period.
  formula: count(distinct visitor_id)
  unit: count
  articles: "001"
  synonyms: [UV, site traffic, distinct visitors]
  columns: [mart_acquisition.unique_visitors]
- name: visitor_to_lead_rate
  family: acquisition
  definition: >
    New leads per unique visitor of the same period (a ratio of independent counts: not
    bounded by 1).
  formula: new_leads / unique_visitors
  numerator: new_leads
  denominator: unique_visitors
  unit: ratio
  articles: "001, 003, 004"
  synonyms: [visitor-to-lead conversion rate, lead conversion rate]
  columns: [mart_acquisition.visitor_to_lead_rate]
- name: cta_click_rate
  family: acquisition
  definition: Clicks on a call to action per page view of the page it is on, in the period.
  formula: cta_clicks / page_views
  numerator: cta_clicks
  denominator: page_views
  unit: ratio
  articles: "001"
  synonyms: [CTA CTR, call-to-action click-through rate]
  columns: [mart_ctas.cta_click_rate]
- name: form_fill_rate
  family: acquisition
  definition: >
    Form submissions made on a landing page (page_type 'landing_page') per page view of
    that page, in the period.
  formula: form_submissions / page_views
  numerator: form_submissions
  denominator: page_views
  unit: ratio
  articles: "001"
  synonyms: [form conversion rate, landing page conversion rate]
  columns: [mart_landing_pages.form_fill_rate]
- name: marketing_cost
  family: acquisition
  definition: >
    Campaign costs (every cost type: media, labor, technology, other) whose cost_date
    falls in the period; for a campaign, all of its costs.
  formula: sum(campaign_costs.amount)
  unit: money
  articles: "003, 004"
  synonyms: [marketing spend, spend, ad spend, budget]
  columns: [mart_acquisition.marketing_cost, mart_qualification.marketing_cost,
            mart_conversion.marketing_cost, mart_revenue.marketing_cost,
            mart_campaign_performance.marketing_cost, mart_campaign_scorecard.marketing_cost]
- name: cost_per_lead
  family: acquisition
  definition: Marketing cost of the period per new lead of the period.
  formula: marketing_cost / new_leads
  numerator: marketing_cost
  denominator: new_leads
  unit: money
  articles: "003, 004"
  synonyms: [CPL]
  columns: [mart_acquisition.cost_per_lead]
- name: cost_per_sourced_lead
  family: acquisition
  definition: >
    A campaign's marketing cost per lead it sourced (contacts whose source campaign it is
    and who became leads): lifetime, or per period of its launch cadence. Not
    cost_per_lead, whose denominator is every new lead of the period.
  formula: marketing_cost / sourced_leads
  numerator: marketing_cost
  denominator: sourced_leads
  unit: money
  articles: "003, 004"
  synonyms: [campaign CPL, CPL of a campaign]
  columns: [mart_campaign_performance.cost_per_sourced_lead,
            mart_campaign_scorecard.cost_per_sourced_lead]
# ---- nurturing -----------------------------------------------------------------------
- name: sends
  family: nurturing
  definition: >
    Email sends of the period: (email_id, contact_id) pairs with a sent event, dated by
    the first sent event. A bounced send is still a send.
  formula: count(sends with sent_date in period)
  unit: count
  articles: "000, 003"
  synonyms: [emails sent, volume sent]
  columns: [mart_nurturing.sends, mart_email_performance.sends, mart_campaign_scorecard.sends]
- name: delivered
  family: nurturing
  definition: Sends of the period that did not bounce.
  formula: count(sends without a bounced event)
  unit: count
  articles: "003"
  synonyms: [deliveries, delivered emails]
  columns: [mart_nurturing.delivered, mart_email_performance.delivered,
            mart_campaign_scorecard.delivered]
- name: unique_opens
  family: nurturing
  definition: >
    Sends of the period opened at least once, whenever the open happened; machine opens
    (is_machine_open) are not opens while var exclude_machine_opens is true.
  formula: count(sends with an open)
  unit: count
  articles: "000, 003"
  synonyms: [opens, email opens]
  columns: [mart_nurturing.unique_opens, mart_email_performance.unique_opens,
            mart_campaign_scorecard.unique_opens]
- name: unique_clicks
  family: nurturing
  definition: Sends of the period clicked at least once.
  formula: count(sends with a click)
  unit: count
  articles: "002, 003"
  synonyms: [clicks, email clicks]
  columns: [mart_nurturing.unique_clicks, mart_email_performance.unique_clicks,
            mart_campaign_scorecard.unique_clicks]
- name: unsubscribes
  family: nurturing
  definition: Sends of the period followed by an unsubscribe from that send.
  formula: count(sends with an unsubscribed event)
  unit: count
  articles: "000, 003"
  synonyms: [unsubs, opt-outs]
  columns: [mart_nurturing.unsubscribes, mart_email_performance.unsubscribes]
- name: open_rate
  family: nurturing
  definition: Unique opens per delivered send (of the period, the email, or the campaign period).
  formula: unique_opens / delivered
  numerator: unique_opens
  denominator: delivered
  unit: fraction
  bounded: true
  articles: "003"
  synonyms: [OR, email open rate]
  columns: [mart_nurturing.open_rate, mart_email_performance.open_rate,
            mart_campaign_scorecard.open_rate]
- name: open_rate_on_sends
  family: nurturing
  definition: Unique opens per send, bounced sends included (article 000's "opens / sends").
  formula: unique_opens / sends
  numerator: unique_opens
  denominator: sends
  unit: fraction
  bounded: true
  articles: "000"
  synonyms: [gross open rate]
  columns: [mart_nurturing.open_rate_on_sends, mart_email_performance.open_rate_on_sends]
- name: click_rate
  family: nurturing
  definition: Unique clicks per delivered send.
  formula: unique_clicks / delivered
  numerator: unique_clicks
  denominator: delivered
  unit: fraction
  bounded: true
  articles: "003"
  synonyms: [CTR, click-through rate, email click rate]
  columns: [mart_nurturing.click_rate, mart_email_performance.click_rate,
            mart_campaign_scorecard.click_rate]
- name: click_to_open_rate
  family: nurturing
  definition: >
    Unique clicks per unique open. A click without a recorded open (images blocked) is
    not an open, so the ratio can exceed 1 on such data.
  formula: unique_clicks / unique_opens
  numerator: unique_clicks
  denominator: unique_opens
  unit: ratio
  articles: "002"
  synonyms: [CTOR, click-to-open]
  columns: [mart_nurturing.click_to_open_rate, mart_email_performance.click_to_open_rate]
- name: unsubscribe_rate
  family: nurturing
  definition: Unsubscribes per delivered send (an addition to the catalog, not in the articles).
  formula: unsubscribes / delivered
  numerator: unsubscribes
  denominator: delivered
  unit: fraction
  bounded: true
  articles: "none (extension)"
  synonyms: [unsub rate, opt-out rate]
  columns: [mart_nurturing.unsubscribe_rate]
- name: family_open_rate
  family: nurturing
  definition: >
    For an original email A: contacts who opened A or one of its resends ("A bis") per
    delivered send of A (article 000: "opens of A + A bis / sends of A"); null on resends.
  formula: family_unique_openers / delivered
  numerator: family_unique_openers
  denominator: delivered
  unit: ratio
  articles: "000"
  synonyms: [resend open rate, A + A bis open rate]
  columns: [mart_email_performance.family_open_rate]
- name: download_rate
  family: nurturing
  definition: >
    Members of the campaign who downloaded any asset strictly after joining, per member.
  formula: downloading_members / members
  numerator: downloading_members
  denominator: members
  unit: fraction
  bounded: true
  articles: "000"
  synonyms: [asset download rate, content download rate]
  columns: [mart_campaign_performance.download_rate]
- name: reopened_leads
  family: nurturing
  definition: >
    Contacts whose reopened date falls in the period: recycled leads whose first
    engagement after recycling (email click, form, identified visit, positive score)
    happened then.
  formula: count(contacts with reopened_date in period)
  unit: count
  articles: "002"
  synonyms: [re-engaged leads, reactivated leads]
  columns: [mart_nurturing.reopened_leads]
# ---- qualification -------------------------------------------------------------------
- name: new_mqls
  family: qualification
  definition: Contacts reaching mql (backfilled from later stages) in the period.
  formula: count(contacts with mql_date in period)
  unit: count
  articles: "002, 003, 004"
  synonyms: [MQL, MQLs, marketing qualified leads]
  columns: [mart_qualification.new_mqls, mart_conversion.new_mqls]
- name: new_sqls
  family: qualification
  definition: Contacts reaching sql (backfilled from later stages) in the period.
  formula: count(contacts with sql_date in period)
  unit: count
  articles: "002, 003, 004"
  synonyms: [SQL, SQLs, sales qualified leads]
  columns: [mart_qualification.new_sqls, mart_conversion.new_sqls]
- name: lead_to_mql_rate
  family: qualification
  definition: >
    New MQLs per new lead of the same period ("same time reference"); it can exceed 1
    when leads of earlier periods qualify. Cohort conversion: mart_funnel.
  formula: new_mqls / new_leads
  numerator: new_mqls
  denominator: new_leads
  unit: ratio
  articles: "001"
  synonyms: [MQL rate, lead-to-MQL conversion rate]
  columns: [mart_qualification.lead_to_mql_rate]
- name: mql_to_sql_rate
  family: qualification
  definition: New SQLs per new MQL of the same period (can exceed 1).
  formula: new_sqls / new_mqls
  numerator: new_sqls
  denominator: new_mqls
  unit: ratio
  articles: "001"
  synonyms: [SQL rate, MQL-to-SQL conversion rate]
  columns: [mart_qualification.mql_to_sql_rate]
- name: cost_per_mql
  family: qualification
  definition: Marketing cost of the period per new MQL of the period.
  formula: marketing_cost / new_mqls
  numerator: marketing_cost
  denominator: new_mqls
  unit: money
  articles: "002"
  synonyms: [CPMQL, cost per marketing qualified lead]
  columns: [mart_qualification.cost_per_mql]
- name: profile_update_rate
  family: qualification
  definition: >
    Members of the campaign on whom it ran an update_contact or change_segment action,
    per member.
  formula: updated_members / members
  numerator: updated_members
  denominator: members
  unit: fraction
  bounded: true
  articles: "000"
  synonyms: [profile completion rate]
  columns: [mart_campaign_performance.profile_update_rate]
- name: site_visit_rate
  family: qualification
  definition: >
    Members of the campaign with an identified web event strictly after joining, per member.
  formula: visiting_members / members
  numerator: visiting_members
  denominator: members
  unit: fraction
  bounded: true
  articles: "000"
  synonyms: [campaign site visit rate]
  columns: [mart_campaign_performance.site_visit_rate]
- name: lead_score_profile
  family: qualification
  definition: >
    For the leads of month M, their lead score at the end of M (local time): average,
    25th percentile, median and 75th percentile (interpolated); the count per score band
    is in mart_lead_score_bands.
  formula: avg / percentile_cont(0.25, 0.5, 0.75) of score at end of lead month
  unit: score
  articles: "002"
  synonyms: [lead score, lead scoring]
  columns: [mart_lead_score_profile.avg_score, mart_lead_score_profile.p25_score,
            mart_lead_score_profile.median_score, mart_lead_score_profile.p75_score,
            mart_lead_score_bands.leads]
- name: score_band_share
  family: qualification
  definition: >
    Leads of the month whose score at the end of the month falls in the band, per lead of
    the month (the bands of one month sum to 1).
  formula: leads / month_leads
  numerator: leads
  denominator: month_leads
  unit: fraction
  bounded: true
  articles: "002"
  synonyms: [score distribution]
  columns: [mart_lead_score_bands.share_of_month_leads]
- name: scoring_conversion_rate
  family: qualification
  definition: >
    Leads of a score band (score at the end of the lead month) who became customers
    within var scoring_horizon_days (180) of their lead date, per lead of the band.
  formula: customers / leads
  numerator: customers
  denominator: leads
  unit: fraction
  bounded: true
  articles: "003"
  synonyms: [conversion rate by score band]
  columns: [mart_lead_scoring_accuracy.conversion_rate]
- name: scoring_auc
  family: qualification
  definition: >
    Area under the ROC curve of the score at the end of the lead month for predicting a
    customer within the horizon: the probability that a converting lead outscores a
    non-converting one, ties counting half (Mann-Whitney), over all leads.
  formula: sum over converting leads of (non-converting leads below + half of those equal) / (converting x non-converting)
  unit: fraction
  bounded: true
  articles: "003"
  synonyms: [AUC, ROC AUC, lead scoring accuracy]
  columns: [mart_lead_scoring_accuracy.auc]
# ---- conversion ----------------------------------------------------------------------
- name: new_customers
  family: conversion
  definition: Contacts reaching customer (first order, won deal, field or segment) in the period.
  formula: count(contacts with customer_date in period)
  unit: count
  articles: "001"
  synonyms: [new clients, acquisitions, won customers]
  columns: [mart_conversion.new_customers]
- name: new_promoters
  family: conversion
  definition: Contacts whose second completed order falls in the period.
  formula: count(contacts with promoter_date in period)
  unit: count
  articles: "001"
  synonyms: [repeat customers, repeat buyers]
  columns: [mart_conversion.new_promoters]
- name: mql_to_customer_rate
  family: conversion
  definition: New customers per new MQL of the same period (can exceed 1).
  formula: new_customers / new_mqls
  numerator: new_customers
  denominator: new_mqls
  unit: ratio
  articles: "001"
  synonyms: [MQL-to-customer conversion rate, close rate]
  columns: [mart_conversion.mql_to_customer_rate]
- name: mqls_per_customer
  family: conversion
  definition: New MQLs per new customer of the same period (article 004's lead-to-customer ratio).
  formula: new_mqls / new_customers
  numerator: new_mqls
  denominator: new_customers
  unit: ratio
  articles: "004"
  synonyms: [MQLs needed per customer]
  columns: [mart_conversion.mqls_per_customer]
- name: sqls_per_customer
  family: conversion
  definition: New SQLs per new customer of the same period.
  formula: new_sqls / new_customers
  numerator: new_sqls
  denominator: new_customers
  unit: ratio
  articles: "004"
  synonyms: [SQLs needed per customer]
  columns: [mart_conversion.sqls_per_customer]
- name: customers_ever_prospect
  family: conversion
  definition: >
    New customers of the period whose lead moment is strictly before their customer
    moment (they were prospects first; backfilled leads are not).
  formula: count(new customers with lead_at < customer_at)
  unit: count
  articles: "000"
  columns: [mart_conversion.customers_ever_prospect]
- name: customers_from_prospect_campaign
  family: conversion
  definition: >
    Of customers_ever_prospect, those who entered a campaign whose audience is 'prospect'
    while a prospect (added_at in [lead_at, customer_at)).
  formula: count(customers_ever_prospect with a prospect-campaign entry while a prospect)
  unit: count
  articles: "000"
  columns: [mart_conversion.customers_from_prospect_campaign]
- name: days_to_close
  family: conversion
  definition: >
    For the new customers of the period: whole local days from their first interaction
    to their customer date; average and median (interpolated).
  formula: avg / median(local days between first_interaction_at and customer_at)
  unit: days
  articles: "003"
  synonyms: [time to close, sales cycle length, time to conversion]
  columns: [mart_conversion.avg_days_to_close, mart_conversion.median_days_to_close]
- name: cost_per_acquisition
  family: conversion
  definition: Marketing cost of the period per new customer of the period.
  formula: marketing_cost / new_customers
  numerator: marketing_cost
  denominator: new_customers
  unit: money
  articles: "003"
  synonyms: [CPA, CAC, customer acquisition cost, cost per customer]
  columns: [mart_conversion.cost_per_acquisition]
- name: funnel_conversion
  family: conversion
  definition: >
    For the leads of a cohort month: how many reached mql, sql and customer so far, the
    stage-to-stage rates and the median local days between stages.
  formula: reached_mql / leads, reached_sql / reached_mql, reached_customer / reached_sql, reached_customer / leads
  ratios:
    lead_to_mql_rate: [reached_mql, leads]
    mql_to_sql_rate: [reached_sql, reached_mql]
    sql_to_customer_rate: [reached_customer, reached_sql]
    lead_to_customer_rate: [reached_customer, leads]
  unit: fraction
  bounded: true
  articles: "001, 002"
  synonyms: [funnel, cohort conversion, stage conversion rates]
  columns: [mart_funnel.lead_to_mql_rate, mart_funnel.mql_to_sql_rate,
            mart_funnel.sql_to_customer_rate, mart_funnel.lead_to_customer_rate]
# ---- revenue -------------------------------------------------------------------------
- name: revenue
  family: revenue
  definition: >
    Amount of completed orders placed in the period (refunded and cancelled orders are
    not revenue); for a campaign, the completed orders of the contacts it sourced.
  formula: sum(amount of completed orders)
  unit: money
  articles: "001, 003"
  synonyms: [sales, turnover]
  columns: [mart_revenue.revenue, mart_campaign_performance.revenue,
            mart_campaign_scorecard.revenue]
- name: orders
  family: revenue
  definition: Completed orders placed in the period.
  formula: count(completed orders)
  unit: count
  articles: "001, 003"
  synonyms: [purchases, transactions]
  columns: [mart_revenue.orders]
- name: paying_customers
  family: revenue
  definition: Distinct contacts with a completed order in the period.
  formula: count(distinct contact_id of completed orders)
  unit: count
  articles: "001, 003"
  synonyms: [buyers, purchasing customers]
  columns: [mart_revenue.paying_customers]
- name: average_order_value
  family: revenue
  definition: Revenue per completed order of the period.
  formula: revenue / orders
  numerator: revenue
  denominator: orders
  unit: money
  articles: "003"
  synonyms: [AOV, average basket, average order size]
  columns: [mart_revenue.average_order_value]
- name: revenue_per_customer
  family: revenue
  definition: Revenue of the period per paying customer of the period.
  formula: revenue / paying_customers
  numerator: revenue
  denominator: paying_customers
  unit: money
  articles: "001"
  synonyms: [ARPC, average revenue per customer]
  columns: [mart_revenue.revenue_per_customer]
- name: revenue_per_lead
  family: revenue
  definition: Revenue of the period per new lead of the period.
  formula: revenue / new_leads
  numerator: revenue
  denominator: new_leads
  unit: money
  articles: "001"
  synonyms: [RPL, value per lead]
  columns: [mart_revenue.revenue_per_lead]
- name: promoter_rate
  family: revenue
  definition: >
    Customers with two or more completed orders per customer, both counted from the
    start of the data to the end of the period.
  formula: promoters_to_date / customers_to_date
  numerator: promoters_to_date
  denominator: customers_to_date
  unit: fraction
  bounded: true
  articles: "001"
  synonyms: [repeat purchase rate]
  columns: [mart_revenue.promoter_rate]
- name: retention_rate
  family: revenue
  definition: >
    Customers who were customers before the period started and placed a completed order
    in it, per customer before the period started.
  formula: retained_customers / customers_at_period_start
  numerator: retained_customers
  denominator: customers_at_period_start
  unit: fraction
  bounded: true
  articles: "003"
  synonyms: [customer retention rate]
  columns: [mart_revenue.retention_rate]
- name: customer_lifetime_value
  family: revenue
  definition: >
    Revenue per paying customer over the 12 months ending at the period end (= average
    order value x purchase frequency) times var customer_lifespan_years (3).
  formula: revenue_12m / paying_customers_12m * customer_lifespan_years
  numerator: revenue_12m
  denominator: paying_customers_12m
  scale: customer_lifespan_years
  unit: money
  articles: "003"
  synonyms: [CLV, LTV, CLTV, customer lifetime value, lifetime value]
  columns: [mart_revenue.customer_lifetime_value]
- name: roi
  family: revenue
  definition: >
    Return on the marketing spend of the period: revenue of the period from contacts that
    have a source campaign, minus the period's marketing cost, per unit of that cost.
    Null without cost.
  formula: (attributed_revenue - marketing_cost) / marketing_cost
  numerator: attributed_revenue - marketing_cost
  denominator: marketing_cost
  unit: ratio
  articles: "001, 003"
  synonyms: [ROI, return on investment, marketing ROI, ROMI]
  columns: [mart_revenue.roi]
- name: trailing_12m_roi
  family: revenue
  definition: >
    ROI over the 12 months ending at the period end: revenue of those months from
    contacts that have a source campaign, minus the marketing cost of those months, per
    unit of that cost (monthly ROI swings because sales lag spend). Null without cost.
  formula: (attributed_revenue_12m - marketing_cost_12m) / marketing_cost_12m
  numerator: attributed_revenue_12m - marketing_cost_12m
  denominator: marketing_cost_12m
  unit: ratio
  articles: "001, 003"
  synonyms: [rolling ROI, TTM ROI, LTM ROI, 12-month ROI, ROI, return on investment]
  columns: [mart_revenue.trailing_12m_roi]
- name: campaign_roi
  family: revenue
  definition: >
    Return on a campaign's spend: revenue of the contacts it sourced (completed orders)
    minus its cost, per unit of its cost (lifetime, or one period of its launch cadence).
    Null without cost.
  formula: (revenue - marketing_cost) / marketing_cost
  numerator: revenue - marketing_cost
  denominator: marketing_cost
  unit: ratio
  articles: "001, 003"
  synonyms: [ROI, campaign ROI, return on investment]
  columns: [mart_campaign_performance.roi, mart_campaign_scorecard.roi]
- name: attribution_credit
  family: revenue
  definition: >
    Conversions (lead, mql, customer) or revenue credited to a campaign by an
    attribution model (first touch, last touch, linear, time decay, position based) in
    the period of the conversion; one conversion's credits sum to 1.
  formula: sum(share x conversion value)
  unit: count
  articles: "001, 003"
  synonyms: [attribution, multi-touch attribution, MTA, first touch, last touch]
  columns: [mart_attribution.credit]
{%- endset -%}
{{ return(kpis_yaml) }}
{% endmacro %}


{#- The catalog entry of one KPI; a compile error names an unknown KPI. Only the entry's own
    lines are parsed: from its line `- name: <kpi_name>` to the next line that starts with
    `- `. The whole catalog takes tens of milliseconds of YAML parsing, and the models look
    KPIs up about 90 times when dbt parses the project and again when it compiles them:
    2.8 s of a full parse's CPU went to YAML before this, 0.67 s after (2026-12-07).
    kpi_definitions() checks that every entry is found this way as the whole parse reads
    it. -#}
{% macro kpi(kpi_name) %}
    {%- set marker = '\n- name: ' ~ kpi_name ~ '\n' %}
    {%- set catalog = '\n' ~ marketing_kpis.kpi_definitions_yaml() ~ '\n' %}
    {%- if marker in catalog %}
        {%- set entry_lines = catalog.split(marker, 1)[1].split('\n- ', 1)[0] %}
        {{- return(fromyaml('- name: ' ~ kpi_name ~ '\n' ~ entry_lines)[0]) }}
    {%- endif %}
    {{- exceptions.raise_compiler_error(
        "kpi '" ~ kpi_name ~ "' is not in the KPI catalog (macros/kpi_definitions.sql, where"
        ~ " each entry starts with its own line '- name: <kpi>')") }}
{% endmacro %}


{#- The numerator and denominator of a rate as the catalog states them: the KPI's own, or
    those of one of its columns (entries whose columns are different rates, such as
    funnel_conversion, list them under `ratios:`). -#}
{% macro kpi_ratio_terms(kpi_name, column=none) %}
    {%- set entry = marketing_kpis.kpi(kpi_name) %}
    {%- if column is not none %}
        {%- set terms = entry.get('ratios', {}).get(column) %}
        {%- if not terms %}
            {{- exceptions.raise_compiler_error(
                "kpi '" ~ kpi_name ~ "' states no ratio for column '" ~ column ~ "'") }}
        {%- endif %}
        {{- return({'numerator': terms[0], 'denominator': terms[1]}) }}
    {%- endif %}
    {%- if not entry.get('numerator') or not entry.get('denominator') %}
        {{- exceptions.raise_compiler_error(
            "kpi '" ~ kpi_name ~ "' is not a ratio: the catalog gives it no numerator") }}
    {%- endif %}
    {{- return({'numerator': entry.numerator, 'denominator': entry.denominator}) }}
{% endmacro %}


{#- A rate of the catalog, computed from the columns its numerator and denominator name
    (they must be columns of the relation the select reads), times the var named by the
    entry's `scale` when it has one (customer_lifetime_value: customer_lifespan_years).
    `relation` qualifies every column: kpi_ratio('open_rate', 'per_email') divides
    per_email.unique_opens by per_email.delivered. Null when the denominator is 0. -#}
{% macro kpi_ratio(kpi_name, column=none, relation=none) -%}
    {%- set terms = marketing_kpis.kpi_ratio_terms(kpi_name, column) %}
    {%- set parts = [] %}
    {%- for term in [terms.numerator, terms.denominator] %}
        {%- set words = [] %}
        {%- for word in term.split(' ') %}
            {%- if relation is not none and word not in ['-', '+', '*', '/'] %}
                {%- do words.append(relation ~ '.' ~ word) %}
            {%- else %}
                {%- do words.append(word) %}
            {%- endif %}
        {%- endfor %}
        {%- do parts.append(words | join(' ')) %}
    {%- endfor %}
    {%- set entry = marketing_kpis.kpi(kpi_name) -%}
    {{ marketing_kpis.safe_divide(parts[0], parts[1]) }}
    {%- if entry.get('scale') %} * {{ marketing_kpis.setting(entry.scale) }}{% endif %}
{%- endmacro %}


{#- The source articles the catalog cites by number (field articles), with their titles:
    five French blog articles, the project's reference texts (docs/DESIGN.md section 5).
    They are not distributed with the project; docs/KPIS.md lists them. -#}
{% macro kpi_source_articles() %}
{%- set articles_yaml -%}
- number: "000"
  title: Comment suivre le nombre de nouveaux prospects et clients chaque mois ?
  subject: tracking new prospects and customers per month
- number: "001"
  title: "#6 – Optimisez votre ROI grâce au marketing automation"
  subject: ROI KPIs of an agency
- number: "002"
  title: "Métriques du cycle de vie client, partie 3 : nourrir, marquer, répéter"
  subject: nurture metrics of the customer lifecycle
- number: "003"
  title: Les KPI Essentiels pour le Marketing Automation
  subject: essential marketing-automation KPIs
- number: "004"
  title: Quels KPI choisir pour votre campagne de content marketing ? (3/4)
  subject: lead KPIs of content marketing
{%- endset -%}
{{ return(fromyaml(articles_yaml)) }}
{% endmacro %}
