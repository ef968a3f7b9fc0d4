-- mart_status_top holds the verdict on the country and region rows of mart_indicator_top: for the rows of this
-- batch, the stored rows must be those rows, both ways (the same keys and the same values the verdict was
-- given on). That the verdict is the rules' is how it was computed (marts._refresh_top) and kept (the rules'
-- stamp, marts.ensure_status); whole/mart_status_rules.sql applies the rules anew for `semaforo check`.
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
)

(select 'missing from mart_status_top' as problem, indicator_code, territory_code, period from (from top except all from stored))
union all
(select 'stale in mart_status_top', indicator_code, territory_code, period from (from stored except all from top))
