-- Indicator values above the facility, from per-unit facts (a unit is a facility, or a district when the source
-- reports by district), for the periods in temp table scope_period, along both trees with the same sums: the
-- territory (country, region, province, district) and the health network (region → Red → MicroRed, by the
-- facility's MicroRed in that month: core_network). A facility missing from the network master counts under its
-- region's "sin red asignada"; a unit that is a district has no place in the network and only counts in the
-- territory. No survey or budget figure comes here, so none is ever per Red.
-- Expects temp views unit_facts(period, indicator_code, unit, ubigeo, cod_ipress, numerator, denominator,
-- batch_id) for those periods and unit_history(period, indicator_code, unit, ubigeo, cod_ipress) with the reports
-- before them. A unit that reported in the look-back window but not in the period counts as expected and not
-- reporting. A query in mart_indicator_agg's columns: marts._units inserts it there, or keeps it in temp table
-- mart_fresh when it rebuilds a few regions.
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
    select distinct m.period, h.indicator_code, h.unit, h.ubigeo, h.cod_ipress
    from lookback_month as m
    join unit_history as h on h.period = m.history_period
),

units as (
    select
        coalesce(f.period, e.period) as period,
        coalesce(f.indicator_code, e.indicator_code) as indicator_code,
        coalesce(f.ubigeo, e.ubigeo) as ubigeo,
        coalesce(f.cod_ipress, e.cod_ipress) as cod_ipress,
        f.numerator,
        f.denominator,
        f.batch_id,
        f.unit is not null as reported
    from unit_facts as f
    full outer join expected as e
        on e.period = f.period and e.indicator_code = f.indicator_code and e.unit = f.unit
),

located as (
    select
        u.*,
        dr.province_code,
        dr.region_code,
        case when u.cod_ipress is not null then coalesce(n.red_key, 'sin_red') end as red_key,
        case when u.cod_ipress is not null then coalesce(n.microred_key, 'sin_red_mr') end as microred_key
    from units as u
    join core_district_region as dr using (ubigeo)
    left join core_network_v as n
        on n.ipress = try_cast(u.cod_ipress as bigint)
        and u.period >= n.valid_from
        and (n.valid_to is null or u.period < n.valid_to)
),

grouped as (
    select
        indicator_code,
        period,
        region_code,
        province_code,
        ubigeo,
        red_key,
        microred_key,
        grouping(region_code, province_code, ubigeo, red_key, microred_key) as level_bits,
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
        (indicator_code, period, region_code, province_code, ubigeo),
        (indicator_code, period, region_code, red_key),
        (indicator_code, period, region_code, red_key, microred_key)
    )
    -- district units have no Red: their group of the network sets is not a Red
    having grouping(red_key) = 1 or red_key is not null
),

-- level, code and parent of each grouping set (bits: region 16, province 8, district 4, Red 2, MicroRed 1)
leveled as (
    select
        *,
        case level_bits
            when 31 then 'pais' when 15 then 'region' when 7 then 'provincia' when 3 then 'distrito'
            when 13 then 'red' when 12 then 'microred'
        end as territory_level,
        case level_bits
            when 31 then 'PE' when 15 then region_code when 7 then province_code when 3 then ubigeo
            when 13 then red_key when 12 then microred_key
        end as territory_code,
        case level_bits
            when 31 then null when 15 then 'PE' when 7 then region_code when 3 then province_code
            when 13 then region_code when 12 then red_key
        end as parent_code
    from grouped
),

final as (
    select
        g.indicator_code,
        g.territory_level,
        g.territory_code,
        coalesce(g.region_code, 'PE') as region_code,
        g.parent_code,
        g.period,
        'M' as period_grain,
        case
            when g.units_reporting = 0 then null
            else indicator_value(i.unit, i.multiplier, g.numerator, g.denominator)
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
    from leveled as g
    join core_indicator as i using (indicator_code)
)

select * from final;
