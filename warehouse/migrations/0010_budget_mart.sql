-- Version 10: the budget's serving mart — MEF execution summed per program × year × month × region × MEF product,
-- what the Presupuesto page and its downloads add up (the executing units' table still reads the lines). It is
-- rebuilt with the budget marts, for the years a load touched (warehouse/marts/budget_lines.sql); here it is filled
-- once from the lines already loaded, with the region rule of core_budget_line (views/05_budget_lines.sql) as it
-- is at this version: the views do not exist yet when a new warehouse is migrated.
create table mart_budget (
    program_code varchar not null, year integer not null, month integer not null, region_code varchar,
    product_code varchar not null, product_name varchar, pia double, pim double, certificado double,
    comprometido_anual double, comprometido double, devengado double, girado double, batch_id integer
);

insert into mart_budget
select
    b.program_code, b.year, b.month, coalesce(rp.region_code, rd.region_code), b.product_code,
    max(b.product_name), sum(b.pia), sum(b.pim), sum(b.certificado), sum(b.comprometido_anual),
    sum(b.comprometido), sum(b.devengado), sum(b.girado), max(b.batch_id)
from raw_budget as b
left join core_region as rp
    on rp.province_code = b.ejecutora_province and rp.department_code = b.department_code
left join core_region as rd
    on rd.department_code = b.department_code and rd.province_code is null
group by all
order by 1, 2, 4, 5, 3;
