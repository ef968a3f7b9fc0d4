-- One administrative value per period, indicator and reporting unit.
select a.period, a.indicator_code, coalesce(a.cod_ipress, a.ubigeo) as unit, count(*) as rows
from raw_admin as a
semi join (select distinct period, indicator_code from raw_admin where batch_id = $batch_id) as b
    on b.period = a.period and b.indicator_code = a.indicator_code
group by all
having count(*) > 1
