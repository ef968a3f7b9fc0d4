-- Levels, grains and statuses take only their accepted values: the levels and grains of this batch's mart rows,
-- and the verdicts stored on its country and region rows (mart_status_top). The rules applied anew to every row
-- (province, district and Red verdicts are given at read time) run in `semaforo check` only:
-- whole/mart_accepted_statuses.sql. Binding the status macro here cost each load 30–60 ms, and applying it to a
-- month's mart rows a few tenths of a second more.
select 'territory_level' as col, territory_level as value
from mart_indicator_agg
where batch_id = $batch_id
  and territory_level not in ('pais', 'region', 'provincia', 'distrito', 'red', 'microred')
union all
select 'period_grain', period_grain
from mart_indicator_agg
where batch_id = $batch_id and period_grain not in ('M', 'A')
union all
select 'status', status
from mart_status_top
where batch_id = $batch_id
  and status not in ('adecuado', 'en_riesgo', 'critico', 'sin_datos', 'no_reportado', 'referencial', 'muestra_pequena')
