-- The country's rows of the indicators and periods in scope (scope_indicator, scope_period), summed from the
-- region rows: every unit counts in exactly one region, so the sums of the units are the sums of the regions'
-- sums, and the value follows from them by the same formula as units.sql. A load that touched a few regions
-- rebuilds those regions' rows and this one, never the other regions' (marts._units): temp view region_rows holds
-- the scope's region rows, those just rebuilt (temp table mart_fresh) and the others as stored; the country's rows
-- join them in mart_fresh.
insert into mart_fresh by name
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
