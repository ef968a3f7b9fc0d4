-- The one long mart of indicator values: pre-aggregated rows (country … district) plus facility rows read
-- straight from the raw facts, so that facility detail costs nothing until a query asks for one territory.
create or replace view mart_indicator_value as
select
    indicator_code, territory_level, territory_code, region_code, parent_code, period, period_grain,
    value, numerator, denominator, ci_low, ci_high, cv, n, printed_referential, units_reporting, units_expected,
    batch_id
from mart_indicator_agg

union all

select
    a.indicator_code, 'eess', a.cod_ipress, dr.region_code, a.ubigeo, a.period, 'M',
    case when i.unit = 'count' then a.numerator else i.multiplier * a.numerator / nullif(a.denominator, 0) end,
    a.numerator, a.denominator, null, null, null, null, null, 1, 1, a.batch_id
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
