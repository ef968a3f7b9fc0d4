-- The country's rows of the indicators and periods in scope (scope_indicator, scope_period), summed from the
-- region rows: every unit counts in exactly one region, so the sums of the units are the sums of the regions'
-- sums, and the value follows from them by the same formula as units.sql. A load that touched a few regions
-- rebuilds those regions' rows and this one, never the other regions' (marts._units). Temp view region_rows holds
-- the scope's region rows, its scope written as literals (a subquery would not let the scan skip other months).
insert into mart_indicator_agg by name
with

summed as (
    select
        indicator_code,
        period,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(units_reporting) as units_reporting,
        sum(units_expected) as units_expected,
        max(batch_id) as batch_id
    from region_rows
    group by indicator_code, period
)

select
    s.indicator_code,
    'pais' as territory_level,
    'PE' as territory_code,
    'PE' as region_code,
    null as parent_code,
    s.period,
    'M' as period_grain,
    case
        when s.units_reporting = 0 then null
        else indicator_value(i.unit, i.multiplier, s.numerator, s.denominator)
    end as value,
    case when s.units_reporting > 0 then s.numerator end as numerator,
    case when s.units_reporting > 0 then s.denominator end as denominator,
    null::double as ci_low,
    null::double as ci_high,
    null::double as cv,
    null::integer as n,
    null::boolean as printed_referential,
    s.units_reporting,
    s.units_expected,
    s.batch_id
from summed as s
join core_indicator as i using (indicator_code);
