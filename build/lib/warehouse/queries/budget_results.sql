-- Budget against results per region for a year: PIM and devengado of the program at its last month of data,
-- the PIM and devengado per child of the target population, and the program's final-result indicator in that year.
-- Parameters: $program, $year, $age_group, $allowed.
with

budget as (
    select
        a.territory_code,
        a.denominator as pim,
        a.numerator as devengado,
        a.value as execution_pct,
        a.period,
        row_number() over (partition by a.territory_code order by a.period desc) as recency
    from mart_indicator_top as a
    join core_indicator as i using (indicator_code)
    where i.program_code = $program
      and i.feed = 'budget'
      and len(i.budget_products) = 0
      and year(a.period) = $year
      and a.territory_level in ('pais', 'region')
),

population as (
    select territory_code, children
    from mart_population
    where year = $year and age_group = $age_group and territory_level in ('pais', 'region')
),

result as (
    select s.territory_code, s.indicator_code, s.value, s.ci_low, s.ci_high, s.status, s.is_referential
    from mart_status_top as s
    join core_indicator as i using (indicator_code)
    where i.program_code = $program
      and i.chain_level = 'final_result'
      and s.period = make_date($year, 1, 1)
      and s.territory_level in ('pais', 'region')
),

final as (
    select
        t.territory_code,
        t.name,
        t.territory_level,
        b.pim,
        b.devengado,
        b.execution_pct,
        b.period as budget_period,
        p.children,
        b.pim / nullif(p.children, 0) as pim_per_child,
        b.devengado / nullif(p.children, 0) as spent_per_child,
        r.indicator_code as result_indicator,
        r.value as result_value,
        r.ci_low as result_ci_low,
        r.ci_high as result_ci_high,
        r.status as result_status,
        r.is_referential as result_referential
    from core_territory as t
    left join budget as b on b.territory_code = t.territory_code and b.recency = 1
    left join population as p on p.territory_code = t.territory_code
    left join result as r on r.territory_code = t.territory_code
    where t.territory_level in ('pais', 'region')
      and ($allowed is null or t.region_code = 'PE' or list_contains($allowed, t.region_code))
)

select * from final
order by territory_level, territory_code
