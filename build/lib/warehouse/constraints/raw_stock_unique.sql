-- One stock record per period, critical input and facility.
-- Only the (period, input) pairs the batch wrote can have gained a duplicate; a semi join on them reads far less
-- than every row of its periods (and than a scan of the whole table for the batch's periods).
select s.period, s.indicator_code, s.cod_ipress, count(*) as rows
from raw_stock as s
semi join (select distinct period, indicator_code from raw_stock where batch_id = $batch_id) as b
    on b.period = s.period and b.indicator_code = s.indicator_code
group by all
having count(*) > 1
