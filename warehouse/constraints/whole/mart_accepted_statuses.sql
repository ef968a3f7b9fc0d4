-- The rules give only accepted statuses, on every mart row (the batch's own check, mart_accepted_values, reads the
-- verdicts stored on the country and region rows; the other rows get theirs at read time).
with

batch_rows as (
    select * from mart_indicator_agg where batch_id = $batch_id
)

select 'status' as col, status as value
from indicator_status('batch_rows')
where status not in ('adecuado', 'en_riesgo', 'critico', 'sin_datos', 'no_reportado', 'referencial', 'muestra_pequena')
