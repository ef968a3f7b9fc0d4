-- mart_indicator_top is the country and region rows of mart_indicator_agg, copied for fast reads: the rows of
-- this batch must be the same in both, both ways.
with

agg as (
    select * exclude (batch_id) from mart_indicator_agg
    where batch_id = $batch_id and territory_level in ('pais', 'region')
),

top as (
    select * exclude (batch_id) from mart_indicator_top where batch_id = $batch_id
)

(select 'missing from mart_indicator_top' as problem, indicator_code, territory_code, period from (from agg except all from top))
union all
(select 'extra in mart_indicator_top', indicator_code, territory_code, period from (from top except all from agg))
