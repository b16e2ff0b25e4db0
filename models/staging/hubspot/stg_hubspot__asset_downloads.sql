-- asset_downloads in HubSpot input: the contract-format asset_downloads table beside the export (a
-- .csv, .csv.gz or .parquet file, or a table of the schema); HubSpot cannot hold it. Ids
-- carry the portal with several portals; contact ids resolve to the canonical contact
-- (merges), and a row whose contact is no kept contact is dropped with a warning.
-- Absent: empty.

-- depends_on: {{ ref('stg_hubspot__contact_identities') }}

{{ config(post_hook="{{ marketing_kpis.hubspot_warn(
    reasons=marketing_kpis.hubspot_contact_drop_reasons()) }}") }}

{{ marketing_kpis.hubspot_contract_file('asset_downloads') }}
