-- Target population (Padrón Nominal) per territory level, for the years in scope_year.
insert into mart_population
with

located as (
    select p.year, p.age_group, p.children, dr.region_code, dr.province_code, p.ubigeo
    from raw_population as p
    join core_district_region as dr using (ubigeo)
    where p.year in (select year from scope_year)
),

grouped as (
    select year, age_group, region_code, province_code, ubigeo,
           grouping(region_code, province_code, ubigeo) as level_bits, sum(children) as children
    from located
    group by grouping sets (
        (year, age_group),
        (year, age_group, region_code),
        (year, age_group, region_code, province_code),
        (year, age_group, region_code, province_code, ubigeo)
    )
)

select
    year,
    case level_bits when 7 then 'pais' when 3 then 'region' when 1 then 'provincia' else 'distrito' end,
    case level_bits when 7 then 'PE' when 3 then region_code when 1 then province_code else ubigeo end,
    coalesce(region_code, 'PE'),
    age_group,
    children
from grouped;
