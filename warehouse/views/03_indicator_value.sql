-- Facility rows read straight from the raw facts, so that facility detail costs nothing until a query asks for
-- one territory.
create or replace view mart_facility_value as
select
    a.indicator_code, 'eess' as territory_level, a.cod_ipress as territory_code, dr.region_code,
    a.ubigeo as parent_code, a.period, 'M' as period_grain,
    indicator_value(i.unit, i.multiplier, a.numerator, a.denominator)
        as value,
    a.numerator, a.denominator, null::double as ci_low, null::double as ci_high, null::double as cv,
    null::integer as n, null::boolean as printed_referential, 1 as units_reporting, 1 as units_expected,
    a.batch_id
from raw_admin as a
join core_indicator as i using (indicator_code)
join core_district_region as dr using (ubigeo)
where a.cod_ipress is not null

union all

-- Stock rows: value = months of supply, numerator = stock, denominator = CPM.
select
    s.indicator_code, 'eess', s.cod_ipress, dr.region_code, s.ubigeo, s.period, 'M',
    months_of_supply(s.stock, s.cpm), s.stock, s.cpm, null, null, null, null, null, 1, 1, s.batch_id
from raw_stock as s
join core_district_region as dr using (ubigeo);

-- The one long mart of indicator values: pre-aggregated rows (country … district) plus the facility rows.
create or replace view mart_indicator_value as
select
    indicator_code, territory_level, territory_code, region_code, parent_code, period, period_grain,
    value, numerator, denominator, ci_low, ci_high, cv, n, printed_referential, units_reporting, units_expected,
    batch_id
from mart_indicator_agg

union all

select * from mart_facility_value;

-- The same rows laid out for the dashboard's reads (warehouse/queries through indicator_status(true)):
-- country and regions from their compact copy mart_indicator_top, and one branch per level whose level is a
-- constant, so that a query naming its levels skips the other branches altogether, and the level test on
-- mart_indicator_agg is an equality the scan applies before reading the other columns.
create or replace view mart_indicator_value_fast as
select * from mart_indicator_top

union all

select
    indicator_code, 'provincia' as territory_level, territory_code, region_code, parent_code, period,
    period_grain, value, numerator, denominator, ci_low, ci_high, cv, n, printed_referential, units_reporting,
    units_expected, batch_id
from mart_indicator_agg
where territory_level = 'provincia'

union all

select
    indicator_code, 'distrito', territory_code, region_code, parent_code, period, period_grain, value,
    numerator, denominator, ci_low, ci_high, cv, n, printed_referential, units_reporting, units_expected,
    batch_id
from mart_indicator_agg
where territory_level = 'distrito'

union all

select
    indicator_code, 'red', territory_code, region_code, parent_code, period, period_grain, value,
    numerator, denominator, ci_low, ci_high, cv, n, printed_referential, units_reporting, units_expected,
    batch_id
from mart_indicator_agg
where territory_level = 'red'

union all

select
    indicator_code, 'microred', territory_code, region_code, parent_code, period, period_grain, value,
    numerator, denominator, ci_low, ci_high, cv, n, printed_referential, units_reporting, units_expected,
    batch_id
from mart_indicator_agg
where territory_level = 'microred'

union all

select * from mart_facility_value;

-- The facility rows again, each under the MicroRed it belonged to in its month (the network tree's drill-down);
-- a facility outside the network master under its region's "sin microred asignada".
create or replace view mart_facility_network_value as
select v.* replace (coalesce(n.microred_key, 'sin_red_mr') as parent_code)
from mart_facility_value as v
left join core_network_v as n
    on n.ipress = try_cast(v.territory_code as bigint)
    and v.period >= n.valid_from
    and (n.valid_to is null or v.period < n.valid_to);
