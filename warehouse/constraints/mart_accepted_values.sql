-- Levels, grains and statuses take only their accepted values.
select 'territory_level' as col, territory_level as value
from mart_indicator_agg
where batch_id = $batch_id and territory_level not in ('pais', 'region', 'provincia', 'distrito', 'red', 'microred')
union all
select 'period_grain', period_grain
from mart_indicator_agg
where batch_id = $batch_id and period_grain not in ('M', 'A')
union all
select 'status', status
from mart_indicator_status
where batch_id = $batch_id and territory_level <> 'eess'
  and status not in ('adecuado', 'en_riesgo', 'critico', 'sin_datos', 'no_reportado', 'referencial', 'muestra_pequena')
