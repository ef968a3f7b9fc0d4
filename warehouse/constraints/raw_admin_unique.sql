-- One administrative value per period, indicator and reporting unit.
-- batch table: raw_admin
-- Only the keys the batch wrote can have gained a duplicate (the stored rows were unique before it): a semi join
-- on them reads that many rows, not every row of the batch's months.
select a.period, a.indicator_code, coalesce(a.cod_ipress, a.ubigeo) as unit, count(*) as rows
from raw_admin as a
semi join (
    select distinct period, indicator_code, coalesce(cod_ipress, ubigeo) as unit from raw_admin where batch_id = $batch_id
) as b
    on b.period = a.period and b.indicator_code = a.indicator_code and b.unit = coalesce(a.cod_ipress, a.ubigeo)
group by all
having count(*) > 1
