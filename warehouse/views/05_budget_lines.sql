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

-- Whether a MEF product belongs to a logical-framework product (p_element NULL: the whole program).
create or replace macro in_element(p_element, p_product) as
    p_element is null
    or list_contains((select mef_products from core_element where element_code = p_element), p_product);

-- A program's budget lines of a fiscal year, narrowed to one logical-framework product's MEF products. The budget
-- queries add their own territory, month and access filters.
create or replace macro program_budget_lines(p_program, p_year, p_element) as table
select b.*
from core_budget_line as b
where b.program_code = p_program
  and b.year = p_year
  and in_element(p_element, b.product_code);

-- The same narrowing on the budget's serving mart (mart_budget: the lines summed per month, region and MEF
-- product), which the queries that show sums read.
create or replace macro program_budget(p_program, p_year, p_element) as table
select b.*
from mart_budget as b
where b.program_code = p_program
  and b.year = p_year
  and in_element(p_element, b.product_code);

-- The inputs of the budget-pace rule (pace_light) for each month: the expected cumulative execution and the
-- at-risk and critical gaps of settings.yaml, read once here for every budget query.
create or replace view core_budget_pace_rule as
select
    p.month,
    p.expected_pct,
    max(s.num_value) filter (where s.key = 'budget_at_risk_gap') as at_risk_gap,
    max(s.num_value) filter (where s.key = 'budget_critical_gap') as critical_gap
from core_budget_pace as p
cross join core_setting as s
group by p.month, p.expected_pct;
