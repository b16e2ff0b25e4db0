-- One row per email and local send date: its sends and their outcomes (DESIGN.md section
-- 4: a send is dated by its first sent event; an open or a click counts once per send,
-- whenever it happened). mart_nurturing groups it by period, mart_email_performance by
-- email, mart_campaign_scorecard by campaign and cadence period.

with

email_sends as (

    select * from {{ ref('int_email_sends_aggregated') }}

),

final as (

    select
        email_id,
        campaign_id,
        sent_date,
        count(*) as sends,
        count(case when is_delivered then 1 end) as delivered,
        count(case when is_bounced then 1 end) as bounces,
        count(case when is_opened then 1 end) as unique_opens,
        count(case when is_clicked then 1 end) as unique_clicks,
        count(case when is_unsubscribed then 1 end) as unsubscribes,
        min(sent_at) as first_sent_at

    from email_sends
    group by email_id, campaign_id, sent_date

)

select * from final
