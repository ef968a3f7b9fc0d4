-- Levels, grains and statuses take only their accepted values. The statuses are the rules applied to this batch's
-- rows alone (the status macro over them, not over every value of the warehouse filtered afterwards).
with

batch_rows as (
    select * from mart_indicator_agg where batch_id = $batch_id
)

select 'territory_level' as col, territory_level as value
from batch_rows
where territory_level not in ('pais', 'region', 'provincia', 'distrito', 'red', 'microred')
union all
select 'period_grain', period_grain
from batch_rows
where period_grain not in ('M', 'A')
union all
select 'status', status
from indicator_status('batch_rows')
where status not in ('adecuado', 'en_riesgo', 'critico', 'sin_datos', 'no_reportado', 'referencial', 'muestra_pequena')
