-- Hand-written reference for the benchmark: the headline monthly KPIs (new leads, sends,
-- unique opens, new customers, revenue) computed in one DuckDB script straight from the
-- raw Parquet files, the way an analyst would without the project. tools/benchmark.py
-- replaces __RAW__ with the raw folder and times it against the project's full build.
-- Definitions follow DESIGN.md closely (lead and customer signals with backfill, sends
-- as (email, contact) pairs with a sent event, machine opens excluded) but without the
-- input checks, lifecycle details, attribution, drill-downs and tests of the project.

set TimeZone = 'UTC';

create or replace temp view raw_contacts as select * from read_parquet('__RAW__/contacts/*.parquet', union_by_name = true);
create or replace temp view raw_changes as select * from read_parquet('__RAW__/contact_changes/*.parquet', union_by_name = true);
create or replace temp view raw_forms as select * from read_parquet('__RAW__/form_submissions/*.parquet', union_by_name = true);
create or replace temp view raw_calls as select * from read_parquet('__RAW__/calls/*.parquet', union_by_name = true);
create or replace temp view raw_segments as select * from read_parquet('__RAW__/segments/*.parquet', union_by_name = true);
create or replace temp view raw_segment_members as select * from read_parquet('__RAW__/segment_members/*.parquet', union_by_name = true);
create or replace temp view raw_deals as select * from read_parquet('__RAW__/deals/*.parquet', union_by_name = true);
create or replace temp view raw_orders as select * from read_parquet('__RAW__/orders/*.parquet', union_by_name = true);
create or replace temp view raw_email_events as select * from read_parquet('__RAW__/email_events/*.parquet', union_by_name = true);
create or replace temp view raw_score_events as select * from read_parquet('__RAW__/score_events/*.parquet', union_by_name = true);

create or replace temp table customer_signals as
select contact_id, min(signal_at) as customer_at from (
    select contact_id, min(ordered_at) as signal_at from raw_orders where status = 'completed' group by 1
    union all
    select contact_id, min(closed_at) from raw_deals where is_won group by 1
    union all
    select contact_id, min(changed_at) from raw_changes
    where field_name = 'contact_type' and lower(new_value) in ('client', 'customer') group by 1
    union all
    select contact_id, created_at from raw_contacts
    where contact_type in ('client', 'customer')
        and contact_id not in (select contact_id from raw_changes where field_name = 'contact_type')
    union all
    select m.contact_id, min(m.added_at) from raw_segment_members m
    join raw_segments s using (segment_id) where s.segment_name = 'Clients' group by 1
) group by 1;

create or replace temp table lead_signals as
with scores as (
    select contact_id, occurred_at,
        sum(delta) over (partition by contact_id order by occurred_at) as score
    from raw_score_events
)
select contact_id, min(signal_at) as lead_at from (
    select contact_id, min(submitted_at) as signal_at from raw_forms group by 1
    union all
    select contact_id, min(started_at) from raw_calls group by 1
    union all
    select contact_id, min(changed_at) from raw_changes
    where field_name = 'contact_type' and lower(new_value) = 'prospect' group by 1
    union all
    select m.contact_id, min(m.added_at) from raw_segment_members m
    join raw_segments s using (segment_id) where s.segment_name = 'Prospects' group by 1
    union all
    select contact_id, min(occurred_at) from scores where score >= 100 group by 1
    union all
    select contact_id, min(created_at) from raw_deals group by 1
    union all
    select contact_id, customer_at from customer_signals
) where contact_id in (select contact_id from raw_contacts)
group by 1;

create or replace temp table sends as
select email_id, contact_id,
    min(occurred_at) filter (where event_type = 'sent') as sent_at,
    bool_or(event_type = 'opened' and not coalesce(is_machine_open, false)) as is_opened
from raw_email_events
group by 1, 2
having sent_at is not null;

create or replace temp table reference_kpis as
with months as (
    select distinct date_trunc('month', lead_at) as month from lead_signals
),
leads as (select date_trunc('month', lead_at) as month, count(*) as new_leads from lead_signals group by 1),
email as (
    select date_trunc('month', sent_at) as month, count(*) as sends,
        count(*) filter (where is_opened) as unique_opens
    from sends group by 1
),
customers as (
    select date_trunc('month', customer_at) as month, count(*) as new_customers
    from customer_signals where contact_id in (select contact_id from raw_contacts) group by 1
),
revenue as (
    select date_trunc('month', ordered_at) as month, sum(amount) as revenue
    from raw_orders where status = 'completed' group by 1
)
select months.month, new_leads, sends, unique_opens, new_customers, revenue
from months
left join leads using (month)
left join email using (month)
left join customers using (month)
left join revenue using (month)
order by 1;

select * from reference_kpis;
