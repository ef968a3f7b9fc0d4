-- mart_status_top holds the rules' verdict on the country and region rows: it must be what the rules say now,
-- both ways. Checked over the whole warehouse only (`semaforo check`): a load stores the verdict the rules give
-- its rows (marts._refresh_top), the stamp says when a rule input changed (marts.ensure_status), and the
-- constraint mart_status_in_step checks, for each batch, that the stored verdicts are those of its rows.
with

now as materialized (
    select * from indicator_status('mart_indicator_top') where batch_id = $batch_id
),

stored as (
    select * from mart_status_top where batch_id = $batch_id
)

(select 'missing from mart_status_top' as problem, indicator_code, territory_code, period from (from now except all from stored))
union all
(select 'stale in mart_status_top', indicator_code, territory_code, period from (from stored except all from now))
