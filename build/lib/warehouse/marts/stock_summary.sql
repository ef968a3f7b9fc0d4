-- Stock classes and months of supply per critical input, territory and month, for the periods in scope_period.
insert into mart_stock_summary
with

facility as (
    select
        s.indicator_code,
        s.period,
        dr.region_code,
        dr.province_code,
        s.ubigeo,
        stock_class(s.stock, s.cpm) as class,
        months_of_supply(s.stock, s.cpm) as months,
        s.stock,
        s.cpm
    from raw_stock as s
    join core_district_region as dr using (ubigeo)
    where s.period in (select period from scope_period)
),

grouped as (
    select
        indicator_code,
        period,
        region_code,
        province_code,
        ubigeo,
        grouping(region_code, province_code, ubigeo) as level_bits,
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
        (indicator_code, period, region_code, province_code, ubigeo)
    )
)

select
    indicator_code,
    case level_bits when 7 then 'pais' when 3 then 'region' when 1 then 'provincia' else 'distrito' end,
    case level_bits when 7 then 'PE' when 3 then region_code when 1 then province_code else ubigeo end,
    coalesce(region_code, 'PE'),
    period, facilities, desabastecido, substock, normostock, sobrestock, sin_rotacion, months_median,
    stock_total, cpm_total
from grouped;
