-- Budget lines with the region they count in, defined once for the budget mart and the budget queries: the
-- department of the meta, with Lima (15) split by the province of the executing unit (1501 → Lima Metropolitana,
-- else Lima Región). Lines without a department (executed abroad, meta 00) have no region: they count in the
-- national total only.
create or replace view core_budget_line as
select
    b.*,
    coalesce(rp.region_code, rd.region_code) as region_code
from raw_budget as b
left join core_region as rp
    on rp.province_code = b.ejecutora_province and rp.department_code = b.department_code
left join core_region as rd
    on rd.department_code = b.department_code and rd.province_code is null;
