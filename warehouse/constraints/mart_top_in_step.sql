-- mart_indicator_top is the country and region rows of mart_indicator_agg, copied for fast reads: the rows of
-- this batch must be the same in both, both ways. Each side's rows are counted whole (a row as one struct, +1 in
-- the mart, -1 in the copy): a row whose counts differ is missing from one side or extra in it. The same answer as
-- two EXCEPT ALLs, at a sixth of their cost (about 25 ms a load on a small warehouse).
with

agg as (
    select * exclude (batch_id) from mart_indicator_agg
    where batch_id = $batch_id and territory_level in ('pais', 'region')
),

top as (
    select * exclude (batch_id) from mart_indicator_top where batch_id = $batch_id
),

counted as (
    select r, sum(side) as n
    from (select agg as r, 1 as side from agg union all select top, -1 from top)
    group by r
    having n <> 0
)

select
    if(n > 0, 'missing from mart_indicator_top', 'extra in mart_indicator_top') as problem,
    r.indicator_code, r.territory_code, r.period
from counted
