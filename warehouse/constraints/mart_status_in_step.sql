-- mart_status_top holds the rules' verdict on the country and region rows: for the rows of this batch it must be
-- what the rules say now, both ways (the rules applied to the batch's rows alone).
with

batch_top as (
    select * from mart_indicator_top where batch_id = $batch_id
),

now as materialized (
    select * from indicator_status('batch_top')
),

stored as (
    select * from mart_status_top where batch_id = $batch_id
)

(select 'missing from mart_status_top' as problem, indicator_code, territory_code, period from (from now except all from stored))
union all
(select 'stale in mart_status_top', indicator_code, territory_code, period from (from stored except all from now))
