-- One stock record per period, critical input and facility.
select s.period, s.indicator_code, s.cod_ipress, count(*) as rows
from raw_stock as s
where s.period in (select period from raw_stock where batch_id = $batch_id)
group by all
having count(*) > 1
