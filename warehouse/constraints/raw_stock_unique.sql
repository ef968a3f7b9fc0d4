-- One stock record per period, critical input and facility.
-- batch table: raw_stock
-- Only the keys the batch wrote can have gained a duplicate (the stored rows were unique before it): a semi join
-- on them reads that many rows, not every row of the batch's months.
select s.period, s.indicator_code, s.cod_ipress, count(*) as rows
from raw_stock as s
semi join (select distinct period, indicator_code, cod_ipress from raw_stock where batch_id = $batch_id) as b
    on b.period = s.period and b.indicator_code = s.indicator_code and b.cod_ipress = s.cod_ipress
group by all
having count(*) > 1
