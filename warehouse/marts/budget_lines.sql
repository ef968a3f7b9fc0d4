-- The budget's serving mart for the years in scope_year: the lines (core_budget_line, with the region each counts
-- in) summed per program × year × month × region × MEF product. The Presupuesto page's sums read it instead of
-- the lines; lines with no region keep region_code NULL (the country's total only). Ordered so that the zone maps
-- of program, year and region narrow the page's reads.
delete from mart_budget where year in (select year from scope_year);

insert into mart_budget
select
    program_code, year, month, region_code, product_code, max(product_name), sum(pia), sum(pim), sum(certificado),
    sum(comprometido_anual), sum(comprometido), sum(devengado), sum(girado), max(batch_id)
from core_budget_line
where year in (select year from scope_year)
group by program_code, year, month, region_code, product_code
order by program_code, year, region_code, product_code, month;
