-- Region of every district: a region defined by a province (Lima Metropolitana = 1501) wins over the region
-- defined by the whole department (Lima Región = department 15 without 1501).
create or replace view core_district_region as
select
    d.ubigeo,
    d.province_code,
    d.department_code,
    coalesce(rp.region_code, rd.region_code) as region_code
from core_district as d
left join core_region as rp on rp.province_code = d.province_code
left join core_region as rd on rd.department_code = d.department_code and rd.province_code is null;

-- Region of every province, by the same rule.
create or replace view core_province_region as
select
    p.province_code,
    p.department_code,
    coalesce(rp.region_code, rd.region_code) as region_code
from core_province as p
left join core_region as rp on rp.province_code = p.province_code
left join core_region as rd on rd.department_code = p.department_code and rd.province_code is null;

-- Every territory the dashboard can name, with its level and parent: country, region, province, district.
create or replace view core_territory as
select 'pais' as territory_level, 'PE' as territory_code, 'Perú' as name, null as parent_code, 'PE' as region_code, 0 as sort_order
union all
select 'region', region_code, name, 'PE', region_code, sort_order from core_region
union all
select 'provincia', p.province_code, p.name, pr.region_code, pr.region_code, 0
from core_province as p join core_province_region as pr using (province_code)
union all
select 'distrito', d.ubigeo, d.name, d.province_code, dr.region_code, 0
from core_district as d join core_district_region as dr using (ubigeo);
