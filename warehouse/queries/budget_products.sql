-- Budget of a program by MEF product for the country or one region in a fiscal year, cumulative from January to
-- $month: the MEF amounts, execution (devengado / PIM) and its pace light, the coverage the product buys (its
-- logical-framework element's coverage indicator, latest month of the year up to $month) and the money per
-- beneficiary: per child of the product's target population in the Padrón Nominal of the year (the element's age
-- group). Bottlenecks — execution behind pace while coverage lags — come first; the program total is the last row
-- (product_code NULL).
-- Parameters: $program, $year, $month, $territory ('PE' or a region code), $allowed.
with

lines as (
    select *
    from mart_budget
    where program_code = $program
      and year = $year
      and month <= $month
      and ($territory = 'PE' or region_code = $territory)
      and ($allowed is null or $territory = 'PE' or list_contains($allowed, $territory))
),

products as (
    select
        product_code,
        case when grouping(product_code) = 0 then max(product_name) end as product_name,
        sum(pia) as pia,
        sum(pim) as pim,
        sum(certificado) as certificado,
        sum(comprometido_anual) as comprometido_anual,
        sum(comprometido) as comprometido,
        sum(devengado) as devengado,
        sum(girado) as girado,
        max(batch_id) as budget_batch_id
    from lines
    group by grouping sets ((product_code), ())
),

elements as (
    select
        element_code,
        objective_es,
        objective_en,
        coverage_indicator,
        population_age_group,
        unnest(mef_products) as product_code
    from core_element
    where program_code = $program
),

pace as (
    select * from core_budget_pace_rule where month = $month
),

coverage as (
    select
        indicator_code,
        arg_max(period, period) as coverage_period,
        arg_max(value, period) as coverage_value,
        arg_max(target, period) as coverage_target,
        arg_max(status, period) as coverage_status,
        arg_max(batch_id, period) as coverage_batch_id
    from mart_status_top
    where territory_code = $territory
      and period_grain = 'M'
      and period between make_date($year, 1, 1) and make_date($year, $month, 1)
    group by indicator_code
),

population as (
    select age_group, children
    from mart_population
    where year = $year and territory_code = $territory
),

final as (
    select
        p.product_code,
        p.product_name,
        e.element_code,
        e.objective_es,
        e.objective_en,
        p.pia,
        p.pim,
        p.certificado,
        p.comprometido_anual,
        p.comprometido,
        p.devengado,
        p.girado,
        100 * p.devengado / nullif(p.pim, 0) as execution_pct,
        pace.expected_pct,
        pace_light(100 * p.devengado / nullif(p.pim, 0), pace.expected_pct, pace.at_risk_gap, pace.critical_gap)
            as pace_status,
        e.coverage_indicator,
        c.coverage_period,
        c.coverage_value,
        c.coverage_target,
        c.coverage_status,
        e.population_age_group,
        pop.children as beneficiaries,
        p.pim / nullif(pop.children, 0) as pim_per_beneficiary,
        p.devengado / nullif(pop.children, 0) as devengado_per_beneficiary,
        p.budget_batch_id,
        c.coverage_batch_id
    from products as p
    cross join pace
    left join elements as e on e.product_code = p.product_code
    left join coverage as c on c.indicator_code = e.coverage_indicator
    left join population as pop on pop.age_group = e.population_age_group
),

ranked as (
    select
        *,
        coalesce(pace_status in ('critico', 'en_riesgo') and coverage_status in ('critico', 'en_riesgo'), false)
            as bottleneck,
        coalesce(pace_status = 'critico', false)::int + coalesce(coverage_status = 'critico', false)::int
            as severity
    from final
)

select * exclude (severity)
from ranked
-- PIM to the cent: products of equal PIM are ordered by code, whatever the order the cents were summed in
order by product_code is null, bottleneck desc, severity desc, round(pim, 2) desc nulls last, product_code
