-- mart_status_top holds the verdict on the country and region rows of mart_indicator_top: for the rows of this
-- batch, the stored rows must be those rows, both ways (the same keys and the same values the verdict was
-- given on). That the verdict is the rules' is how it was computed (marts._refresh_top) and kept (the rules'
-- stamp, marts.ensure_status); whole/mart_status_rules.sql applies the rules anew for `semaforo check`.
-- Rows are counted whole, as in mart_top_in_step.sql (cheaper than two EXCEPT ALLs).
with

top as (
    select * from mart_indicator_top where batch_id = $batch_id
),

stored as (
    select
        indicator_code, territory_level, territory_code, region_code, parent_code, period, period_grain, value,
        numerator, denominator, ci_low, ci_high, cv, n, printed_referential, units_reporting, units_expected,
        batch_id
    from mart_status_top where batch_id = $batch_id
),

counted as (
    select r, sum(side) as n
    from (select top as r, 1 as side from top union all select stored, -1 from stored)
    group by r
    having n <> 0
)

select
    if(n > 0, 'missing from mart_status_top', 'stale in mart_status_top') as problem,
    r.indicator_code, r.territory_code, r.period
from counted
