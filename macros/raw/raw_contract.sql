{#-
    The raw contract of docs/DESIGN.md section 2, as data.

    This YAML block is the single source of truth for the raw tables the project
    accepts. dbt reads it through raw_contract(); the Python tools (generator,
    loader, tests) read the same block from this file (tools/contract.py), so the
    two can never drift apart.

    Per table:
      primary_key   column that must be unique after exact duplicate rows are collapsed
      event_time    for event tables: the column that dates a row; their staging models
                    are incremental and reprocess a window of var incremental_lookback_days
      dated_by      the column whose time range the run's inventory prints
      columns       in contract order; per column:
        type        string | timestamp | date | decimal | integer | boolean
        required    the column must be present in the file and never empty
        accepted    allowed values (compared after trim + lower case); anything else fails
        references  <table>.<column> it points to; an orphan id is a warning
        lower       the value is a code: staging lower-cases it
-#}
{% macro raw_contract() %}
{%- set contract_yaml -%}
contacts:
  dated_by: created_at
  primary_key: contact_id
  columns:
    contact_id: {type: string, required: true}
    email: {type: string, lower: true}
    created_at: {type: timestamp, required: true}
    contact_type: {type: string, lower: true}
    lead_source: {type: string, lower: true}
    source_campaign_id: {type: string, references: campaigns.campaign_id}
    company: {type: string}
    country: {type: string}
contact_changes:
  dated_by: changed_at
  columns:
    contact_id: {type: string, required: true, references: contacts.contact_id}
    field_name: {type: string, required: true, lower: true}
    old_value: {type: string}
    new_value: {type: string}
    changed_at: {type: timestamp, required: true}
campaigns:
  dated_by: launched_at
  primary_key: campaign_id
  columns:
    campaign_id: {type: string, required: true}
    campaign_name: {type: string}
    campaign_type: {type: string, lower: true}
    audience: {type: string, lower: true, accepted: [prospect, customer, all]}
    channel: {type: string, lower: true}
    launched_at: {type: timestamp}
    ended_at: {type: timestamp}
campaign_costs:
  dated_by: cost_date
  columns:
    campaign_id: {type: string, required: true, references: campaigns.campaign_id}
    cost_date: {type: date, required: true}
    amount: {type: decimal, required: true}
    cost_type: {type: string, lower: true, accepted: [media, labor, technology, other]}
campaign_members:
  dated_by: added_at
  columns:
    campaign_id: {type: string, required: true, references: campaigns.campaign_id}
    contact_id: {type: string, required: true, references: contacts.contact_id}
    added_at: {type: timestamp, required: true}
    removed_at: {type: timestamp}
campaign_actions:
  dated_by: executed_at
  event_time: executed_at
  columns:
    campaign_id: {type: string, required: true, references: campaigns.campaign_id}
    contact_id: {type: string, required: true, references: contacts.contact_id}
    action_type:
      type: string
      required: true
      lower: true
      accepted: [send_email, update_contact, change_segment, adjust_score, notify_sales, other]
    action_name: {type: string}
    executed_at: {type: timestamp, required: true}
segments:
  primary_key: segment_id
  columns:
    segment_id: {type: string, required: true}
    segment_name: {type: string, required: true}
segment_members:
  dated_by: added_at
  columns:
    segment_id: {type: string, required: true, references: segments.segment_id}
    contact_id: {type: string, required: true, references: contacts.contact_id}
    added_at: {type: timestamp, required: true}
    removed_at: {type: timestamp}
emails:
  dated_by: created_at
  primary_key: email_id
  columns:
    email_id: {type: string, required: true}
    campaign_id: {type: string, references: campaigns.campaign_id}
    email_name: {type: string}
    subject: {type: string}
    audience: {type: string, lower: true, accepted: [prospect, customer, all]}
    parent_email_id: {type: string, references: emails.email_id}
    created_at: {type: timestamp}
email_events:
  dated_by: occurred_at
  event_time: occurred_at
  columns:
    email_id: {type: string, required: true, references: emails.email_id}
    contact_id: {type: string, required: true, references: contacts.contact_id}
    event_type:
      type: string
      required: true
      lower: true
      accepted: [sent, delivered, bounced, opened, clicked, unsubscribed, complained]
    occurred_at: {type: timestamp, required: true}
    url: {type: string}
    is_machine_open: {type: boolean}
web_events:
  dated_by: occurred_at
  primary_key: event_id
  event_time: occurred_at
  columns:
    event_id: {type: string, required: true}
    visitor_id: {type: string}
    contact_id: {type: string, references: contacts.contact_id}
    event_type: {type: string, required: true, lower: true, accepted: [page_view, cta_click]}
    page_id: {type: string}
    page_url: {type: string}
    page_type: {type: string, lower: true, accepted: [landing_page, content, other]}
    cta_id: {type: string}
    campaign_id: {type: string, references: campaigns.campaign_id}
    occurred_at: {type: timestamp, required: true}
form_submissions:
  dated_by: submitted_at
  primary_key: submission_id
  columns:
    submission_id: {type: string, required: true}
    form_id: {type: string}
    contact_id: {type: string, references: contacts.contact_id}
    visitor_id: {type: string}
    page_id: {type: string}
    campaign_id: {type: string, references: campaigns.campaign_id}
    submitted_at: {type: timestamp, required: true}
asset_downloads:
  dated_by: downloaded_at
  columns:
    asset_id: {type: string, required: true}
    contact_id: {type: string, required: true, references: contacts.contact_id}
    campaign_id: {type: string, references: campaigns.campaign_id}
    downloaded_at: {type: timestamp, required: true}
calls:
  dated_by: started_at
  primary_key: call_id
  columns:
    call_id: {type: string, required: true}
    contact_id: {type: string, references: contacts.contact_id}
    campaign_id: {type: string, references: campaigns.campaign_id}
    started_at: {type: timestamp, required: true}
    duration_seconds: {type: integer}
score_events:
  dated_by: occurred_at
  event_time: occurred_at
  columns:
    contact_id: {type: string, required: true, references: contacts.contact_id}
    delta: {type: integer, required: true}
    reason: {type: string}
    occurred_at: {type: timestamp, required: true}
deals:
  dated_by: created_at
  primary_key: deal_id
  columns:
    deal_id: {type: string, required: true}
    contact_id: {type: string, required: true, references: contacts.contact_id}
    created_at: {type: timestamp, required: true}
    stage: {type: string, lower: true}
    amount: {type: decimal}
    is_closed: {type: boolean}
    is_won: {type: boolean}
    closed_at: {type: timestamp}
    campaign_id: {type: string, references: campaigns.campaign_id}
orders:
  dated_by: ordered_at
  primary_key: order_id
  columns:
    order_id: {type: string, required: true}
    contact_id: {type: string, required: true, references: contacts.contact_id}
    ordered_at: {type: timestamp, required: true}
    amount: {type: decimal, required: true}
    currency: {type: string}
    status: {type: string, required: true, lower: true, accepted: [completed, refunded, cancelled]}
{%- endset -%}
{{ return(fromyaml(contract_yaml)) }}
{% endmacro %}
