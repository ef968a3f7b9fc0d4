-- One survey estimate per indicator, year and region.
-- batch table: raw_survey
select indicator_code, year, region_code, count(*) as rows
from raw_survey
where indicator_code in (select indicator_code from raw_survey where batch_id = $batch_id)
group by all
having count(*) > 1
