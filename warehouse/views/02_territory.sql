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

-- The health network (core_network) with its composite keys: a Red code is unique only within its DISA, a
-- MicroRed code only within its (DISA, Red).
create or replace view core_network_v as
select
    n.*,
    n.disa_code || '_' || n.red_code as red_key,
    n.disa_code || '_' || n.red_code || '_' || n.microred_code as microred_key
from core_network as n;

-- Every Red and MicroRed the network tree can name, once per region its facilities are in (a Red that reaches
-- into another region is that region's Red too, with that region's facilities only), named as last loaded; the
-- Red's name carries its DISA where one region has Reds of several (Lima Metropolitana's four DIRIS). Facilities
-- outside the master fall under "sin red asignada" of their region (the marts, marts/units.sql), named here too.
create or replace view core_network_territory as
with

placed as (
    select n.*, dr.region_code
    from core_network_v as n
    join core_district_region as dr using (ubigeo)
),

red_name as (
    select red_key, arg_max(red, valid_from) as red, arg_max(disa, valid_from) as disa from core_network_v group by all
),

microred_name as (
    select microred_key, arg_max(microred, valid_from) as microred from core_network_v group by all
),

reds as (
    select distinct region_code, red_key from placed
),

disas as (
    select region_code, count(distinct split_part(red_key, '_', 1)) as n from reds group by all
)

select 'red' as territory_level, r.red_key as territory_code,
       case when d.n > 1 then rn.red || ' (' || rn.disa || ')' else rn.red end as name,
       r.region_code as parent_code, r.region_code, 0 as sort_order
from reds as r
join red_name as rn using (red_key)
join disas as d using (region_code)
union all
select distinct 'microred', p.microred_key, mn.microred, p.red_key, p.region_code, 0
from placed as p
join microred_name as mn using (microred_key)
union all
select 'red', 'sin_red', 'Sin red asignada', region_code, region_code, 1 from core_region
union all
select 'microred', 'sin_red_mr', 'Sin microred asignada', 'sin_red', region_code, 1 from core_region;

-- Every node of either tree with its level, parent and region: the territory and the network.
create or replace view core_node as
select * from core_territory
union all
select * from core_network_territory;
