-- Money and results across years, per region: the change from $year_from to $year_to in PIM per child of the
-- program's beneficiary population, in the coverage of one logical-framework product (its coverage indicator at the
-- latest month of each year) and in the program's final result (the survey's estimate of each year), so that
-- "did more budget or better management drive the results?" can be looked at region by region.
-- Budget: the product's MEF products per child of the product's own Padrón age group (none when it has none, e.g.
-- pregnant women), or the whole program per child of the program's beneficiaries when $element is NULL (then no
-- coverage).
-- Parameters: $program, $year_from, $year_to, $element, $age_group, $allowed.
with

element as (
    select coverage_indicator, mef_products, population_age_group
    from core_element
    where element_code = $element
),

age_group as (
    select case when $element is null then $age_group else (select population_age_group from element) end
        as age_group
),

years as (
    select unnest([$year_from, $year_to]) as year
),

budget as (
    select region_code as territory_code, year, sum(pim) as pim
    from mart_budget
    where program_code = $program
      and year in (select year from years)
      and region_code is not null
      and ($element is null or list_contains((select mef_products from element), product_code))
    group by all
),

population as (
    select territory_code, year, children
    from mart_population
    where year in (select year from years)
      and age_group = (select age_group from age_group)
      and territory_level = 'region'
),

coverage as (
    select territory_code, year(period) as year, arg_max(value, period) as coverage
    from mart_status_top
    where indicator_code = (select coverage_indicator from element)
      and territory_level = 'region'
      and year(period) in (select year from years)
    group by all
),

result as (
    select
        s.territory_code,
        year(s.period) as year,
        s.indicator_code,
        s.value as result,
        s.status = 'referencial' as result_referential
    from mart_status_top as s
    join core_indicator as i using (indicator_code)
    where i.program_code = $program
      and i.chain_level = 'final_result'
      and s.period_grain = 'A'
      and s.territory_level = 'region'
      and year(s.period) in (select year from years)
),

per_year as (
    select
        t.territory_code,
        y.year,
        b.pim / nullif(p.children, 0) as pim_per_child,
        c.coverage,
        r.indicator_code as result_indicator,
        r.result,
        r.result_referential
    from core_territory as t
    cross join years as y
    left join budget as b on b.territory_code = t.territory_code and b.year = y.year
    left join population as p on p.territory_code = t.territory_code and p.year = y.year
    left join coverage as c on c.territory_code = t.territory_code and c.year = y.year
    left join result as r on r.territory_code = t.territory_code and r.year = y.year
    where t.territory_level = 'region'
      and ($allowed is null or list_contains($allowed, t.territory_code))
),

final as (
    select
        t.territory_code,
        t.name,
        $year_from as year_from,
        $year_to as year_to,
        f.pim_per_child as pim_per_child_from,
        o.pim_per_child as pim_per_child_to,
        o.pim_per_child - f.pim_per_child as pim_per_child_change,
        100 * (o.pim_per_child / nullif(f.pim_per_child, 0) - 1) as pim_per_child_change_pct,
        f.coverage as coverage_from,
        o.coverage as coverage_to,
        o.coverage - f.coverage as coverage_change,
        coalesce(o.result_indicator, f.result_indicator) as result_indicator,
        f.result as result_from,
        o.result as result_to,
        o.result - f.result as result_change,
        coalesce(f.result_referential, false) or coalesce(o.result_referential, false) as result_referential,
        t.sort_order
    from core_territory as t
    join per_year as f on f.territory_code = t.territory_code and f.year = $year_from
    join per_year as o on o.territory_code = t.territory_code and o.year = $year_to
)

select * exclude (sort_order) from final
order by sort_order
