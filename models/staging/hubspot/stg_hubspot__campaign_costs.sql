-- campaign_costs in HubSpot input: the contract-format campaign_costs table beside the export (a
-- .csv, .csv.gz or .parquet file, or a table of the schema); HubSpot cannot hold it. Ids
-- carry the portal with several portals; contact ids resolve to the canonical contact
-- (merges), and a row whose contact is no kept contact is dropped with a warning.
-- Absent: empty.

{{ marketing_kpis.hubspot_contract_file('campaign_costs') }}
