-- Stock classes and months of supply per critical input, territory and month, for the periods in scope_period,
-- along both trees as marts/units.sql does (a facility outside the network master under "sin red asignada").
insert into mart_stock_summary
with

facility as (
    select
        s.indicator_code,
        s.period,
        dr.region_code,
        dr.province_code,
        s.ubigeo,
        coalesce(n.red_key, 'sin_red') as red_key,
        coalesce(n.microred_key, 'sin_red_mr') as microred_key,
        stock_class(s.stock, s.cpm) as class,
        months_of_supply(s.stock, s.cpm) as months,
        s.stock,
        s.cpm
    from raw_stock as s
    join core_district_region as dr using (ubigeo)
    left join core_network_v as n
        on n.ipress = try_cast(s.cod_ipress as bigint)
        and s.period >= n.valid_from
        and (n.valid_to is null or s.period < n.valid_to)
    where s.period in (select period from scope_period)
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
        count(*) as facilities,
        count(*) filter (where class = 'desabastecido') as desabastecido,
        count(*) filter (where class = 'substock') as substock,
        count(*) filter (where class = 'normostock') as normostock,
        count(*) filter (where class = 'sobrestock') as sobrestock,
        count(*) filter (where class = 'sin_rotacion') as sin_rotacion,
        median(months) as months_median,
        sum(stock) as stock_total,
        sum(cpm) as cpm_total
    from facility
    group by grouping sets (
        (indicator_code, period),
        (indicator_code, period, region_code),
        (indicator_code, period, region_code, province_code),
        (indicator_code, period, region_code, province_code, ubigeo),
        (indicator_code, period, region_code, red_key),
        (indicator_code, period, region_code, red_key, microred_key)
    )
)

select
    indicator_code,
    -- bits: region 16, province 8, district 4, Red 2, MicroRed 1
    case level_bits
        when 31 then 'pais' when 15 then 'region' when 7 then 'provincia' when 3 then 'distrito'
        when 13 then 'red' when 12 then 'microred'
    end,
    case level_bits
        when 31 then 'PE' when 15 then region_code when 7 then province_code when 3 then ubigeo
        when 13 then red_key when 12 then microred_key
    end,
    coalesce(region_code, 'PE'),
    period, facilities, desabastecido, substock, normostock, sobrestock, sin_rotacion, months_median,
    stock_total, cpm_total
from grouped;
