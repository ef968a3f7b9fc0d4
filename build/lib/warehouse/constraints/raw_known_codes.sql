-- Every fact names an indicator of the catalogue (of the right feed) and a known territory.
select 'raw_admin' as tbl, indicator_code, ubigeo as code
from raw_admin
where batch_id = $batch_id
  and (indicator_code not in (select indicator_code from core_indicator where feed = 'admin')
       or ubigeo not in (select ubigeo from core_district))
union all
select 'raw_stock', indicator_code, ubigeo
from raw_stock
where batch_id = $batch_id
  and (indicator_code not in (select indicator_code from core_indicator where feed = 'stock')
       or ubigeo not in (select ubigeo from core_district)
       or cod_ipress not in (select cod_ipress from core_facility))
union all
select 'raw_survey', indicator_code, region_code
from raw_survey
where batch_id = $batch_id
  and (indicator_code not in (select indicator_code from core_indicator where feed = 'survey')
       or region_code not in (select region_code from core_region union all select 'PE'))
union all
select 'raw_population', age_group, ubigeo
from raw_population
where batch_id = $batch_id and ubigeo not in (select ubigeo from core_district)
