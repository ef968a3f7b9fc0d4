-- Indicator values above the facility, from per-unit facts (a unit is a facility, or a district when the source
-- reports by district), for the periods in temp table scope_period.
-- Expects temp views unit_facts(period, indicator_code, unit, ubigeo, numerator, denominator, batch_id) for
-- those periods and unit_history(period, indicator_code, unit, ubigeo) with the reports before them.
-- A unit that reported in the look-back window but not in the period counts as expected and not reporting.
insert into mart_indicator_agg
with

lookback as (
    select cast(num_value as integer) as months from core_setting where key = 'expected_lookback_months'
),

-- The months each period looks back on. Periods are first days of months, so "before the period and within the
-- look-back" is exactly these months: an equality join, far cheaper than the range join it replaces.
lookback_month as (
    select s.period, cast(s.period - to_months(k.months_back) as date) as history_period
    from scope_period as s
    cross join lookback as lb
    cross join lateral (select unnest(generate_series(1, lb.months)) as months_back) as k
),

expected as (
    select distinct m.period, h.indicator_code, h.unit, h.ubigeo
    from lookback_month as m
    join unit_history as h on h.period = m.history_period
),

units as (
    select
        coalesce(f.period, e.period) as period,
        coalesce(f.indicator_code, e.indicator_code) as indicator_code,
        coalesce(f.ubigeo, e.ubigeo) as ubigeo,
        f.numerator,
        f.denominator,
        f.batch_id,
        f.unit is not null as reported
    from unit_facts as f
    full outer join expected as e
        on e.period = f.period and e.indicator_code = f.indicator_code and e.unit = f.unit
),

located as (
    select u.*, dr.province_code, dr.region_code
    from units as u
    join core_district_region as dr using (ubigeo)
),

grouped as (
    select
        indicator_code,
        period,
        region_code,
        province_code,
        ubigeo,
        grouping(region_code, province_code, ubigeo) as level_bits,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        count(*) filter (where reported) as units_reporting,
        count(*) as units_expected,
        max(batch_id) as batch_id
    from located
    group by grouping sets (
        (indicator_code, period),
        (indicator_code, period, region_code),
        (indicator_code, period, region_code, province_code),
        (indicator_code, period, region_code, province_code, ubigeo)
    )
),

final as (
    select
        g.indicator_code,
        case g.level_bits when 7 then 'pais' when 3 then 'region' when 1 then 'provincia' else 'distrito' end
            as territory_level,
        case g.level_bits when 7 then 'PE' when 3 then g.region_code when 1 then g.province_code else g.ubigeo end
            as territory_code,
        coalesce(g.region_code, 'PE') as region_code,
        case g.level_bits when 7 then null when 3 then 'PE' when 1 then g.region_code else g.province_code end
            as parent_code,
        g.period,
        'M' as period_grain,
        case
            when g.units_reporting = 0 then null
            when i.unit = 'count' then g.numerator
            else i.multiplier * g.numerator / nullif(g.denominator, 0)
        end as value,
        case when g.units_reporting > 0 then g.numerator end as numerator,
        case when g.units_reporting > 0 then g.denominator end as denominator,
        null::double as ci_low,
        null::double as ci_high,
        null::double as cv,
        null::integer as n,
        null::boolean as printed_referential,
        g.units_reporting,
        g.units_expected,
        g.batch_id
    from grouped as g
    join core_indicator as i using (indicator_code)
)

select * from final;
