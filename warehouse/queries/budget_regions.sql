-- Budget against coverage and results per region (and the country) in a fiscal year, cumulative to $month: the
-- program's, or one logical-framework product's, PIM and devengado, execution and its pace light, the money per
-- child of the program's beneficiary population (Padrón Nominal age group) and, for a product, its coverage and the
-- money per child of its own target population (the element's age group); and the program's final result in the
-- latest survey year up to $year.
-- Parameters: $program, $year, $month, $element (NULL = whole program), $age_group, $allowed.
with

element as (
    select coverage_indicator, population_age_group
    from core_element
    where element_code = $element
),

lines as (
    select * from program_budget($program, $year, $element) where month <= $month
),

amounts as (
    select
        coalesce(region_code, 'PE') as territory_code,
        sum(pim) as pim,
        sum(devengado) as devengado,
        max(batch_id) as budget_batch_id
    from lines
    where region_code is not null
    group by region_code
    union all
    select 'PE', sum(pim), sum(devengado), max(batch_id)
    from lines
),

pace as (
    select * from core_budget_pace_rule where month = $month
),

population as (
    select
        territory_code,
        max(children) filter (where age_group = $age_group) as children,
        max(children) filter (where age_group = (select population_age_group from element)) as beneficiaries
    from mart_population
    where year = $year and territory_level in ('pais', 'region')
    group by territory_code
),

coverage as (
    select
        territory_code,
        arg_max(value, period) as coverage_value,
        arg_max(status, period) as coverage_status
    from mart_status_top
    where indicator_code = (select coverage_indicator from element)
      and period between make_date($year, 1, 1) and make_date($year, $month, 1)
    group by territory_code
),

result as (
    select
        s.territory_code,
        arg_max(s.indicator_code, s.period) as result_indicator,
        arg_max(year(s.period), s.period) as result_year,
        arg_max(s.value, s.period) as result_value,
        arg_max(s.status, s.period) as result_status
    from mart_status_top as s
    join core_indicator as i using (indicator_code)
    where i.program_code = $program
      and i.chain_level = 'final_result'
      and s.period_grain = 'A'
      and s.value is not null
      and year(s.period) <= $year
    group by s.territory_code
),

final as (
    select
        t.territory_code,
        t.name,
        t.territory_level,
        t.sort_order,
        a.pim,
        a.devengado,
        100 * a.devengado / nullif(a.pim, 0) as execution_pct,
        pace.expected_pct,
        pace_light(100 * a.devengado / nullif(a.pim, 0), pace.expected_pct, pace.at_risk_gap, pace.critical_gap)
            as pace_status,
        p.children,
        a.pim / nullif(p.children, 0) as pim_per_child,
        a.devengado / nullif(p.children, 0) as devengado_per_child,
        c.coverage_value,
        c.coverage_status,
        p.beneficiaries,
        a.pim / nullif(p.beneficiaries, 0) as pim_per_beneficiary,
        r.result_indicator,
        r.result_year,
        r.result_value,
        r.result_status,
        a.budget_batch_id
    from core_territory as t
    cross join pace
    left join amounts as a on a.territory_code = t.territory_code
    left join population as p on p.territory_code = t.territory_code
    left join coverage as c on c.territory_code = t.territory_code
    left join result as r on r.territory_code = t.territory_code
    where t.territory_level in ('pais', 'region')
      and ($allowed is null or t.region_code = 'PE' or list_contains($allowed, t.region_code))
)

select * exclude (sort_order)
from final
order by territory_level, sort_order
