-- Budget execution per budget indicator, region and month of the years in scope_year: devengado and PIM
-- cumulated from January (each row of raw_budget is one month's movement), execution = devengado / PIM.
-- Regions as core_budget_line assigns them (Lima split by the province of the executing unit).
insert into mart_indicator_agg
with

lines as (
    select year, month, program_code, product_code, region_code, pim, devengado, batch_id
    from core_budget_line
    where year in (select year from scope_year)
),

per_indicator as (
    select i.indicator_code, l.*
    from lines as l
    join core_indicator as i
        on i.feed = 'budget'
        and i.program_code = l.program_code
        and (len(i.budget_products) = 0 or list_contains(i.budget_products, l.product_code))
),

-- Country rows include amounts with no region (executed abroad, or no department of the meta).
monthly as (
    select indicator_code, year, month, 'PE' as territory_code, sum(pim) as pim, sum(devengado) as devengado,
           max(batch_id) as batch_id
    from per_indicator
    group by all
    union all
    select indicator_code, year, month, region_code, sum(pim), sum(devengado), max(batch_id)
    from per_indicator
    where region_code is not null
    group by all
),

calendar as (
    select t.indicator_code, t.year, t.territory_code, m.month
    from (select distinct indicator_code, year, territory_code from monthly) as t
    join (select year, max(month) as last_month from lines group by year) as y using (year)
    cross join range(1, 13) as m(month)
    where m.month <= y.last_month
),

cumulative as (
    select
        c.indicator_code,
        c.territory_code,
        c.year,
        c.month,
        sum(coalesce(m.pim, 0)) over w as pim,
        sum(coalesce(m.devengado, 0)) over w as devengado,
        max(m.batch_id) over w as batch_id
    from calendar as c
    left join monthly as m using (indicator_code, year, territory_code, month)
    window w as (partition by c.indicator_code, c.territory_code, c.year order by c.month)
)

select
    indicator_code,
    case when territory_code = 'PE' then 'pais' else 'region' end,
    territory_code,
    territory_code,
    case when territory_code = 'PE' then null else 'PE' end,
    make_date(year, month, 1),
    'M',
    case when pim > 0 then 100 * devengado / pim end,
    devengado,
    pim,
    null, null, null, null, null, null, null,
    batch_id
from cumulative;
