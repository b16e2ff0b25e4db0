-- campaigns in HubSpot input: campaigns.csv (or .parquet, or the table in the schema) beside the
-- export, in the contract's format; HubSpot cannot hold it. Ids carry the portal with
-- several portals; contact ids resolve to the canonical contact (merges), and a row whose
-- contact is no kept contact is dropped with a warning. Absent: empty.

{{ marketing_kpis.hubspot_contract_file('campaigns') }}
