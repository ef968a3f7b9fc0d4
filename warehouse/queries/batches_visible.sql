-- The loaded batches a user who may see only the regions $allowed may be told about — their file's name, SHA-256
-- and scope, in export context sheets and the print view: those with rows in one of those regions, and those
-- that concern the whole country (the territory and facility registries, national survey figures and targets).
-- A regional file of another region (a DIRESA's late report) is not named to them.
with covered as (
    select distinct a.batch_id, d.region_code
    from raw_admin as a join core_district_region as d using (ubigeo)
    union
    select distinct s.batch_id, d.region_code
    from raw_stock as s join core_district_region as d using (ubigeo)
    union
    select distinct p.batch_id, d.region_code
    from raw_population as p join core_district_region as d using (ubigeo)
    union
    select distinct batch_id, region_code from core_budget_line where region_code is not null
    union
    select distinct batch_id, region_code from raw_survey
    union
    select distinct batch_id, territory_code from core_target
)
select b.batch_id
from etl_batch as b
where b.status in ('loaded', 'partial')
  and (
      b.source in ('territory', 'facilities')
      or exists (
          select 1 from covered as c
          where c.batch_id = b.batch_id and (c.region_code = 'PE' or list_contains($allowed, c.region_code))
      )
  )
order by b.batch_id
