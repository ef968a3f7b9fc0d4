-- Budget against coverage per region × MEF product of a program, cumulative from January to $month of $year: each
-- product's execution (devengado / PIM) against the month's expected pace, and the coverage its logical-framework
-- element buys in that region (the coverage indicator's latest month of the year up to $month, against the
-- region's target). Bottlenecks are ranked, not merely flagged: by the product's execution gap (points behind the
-- expected pace) × its coverage gap (points short of the target, in the indicator's good direction); rank 1 is
-- the widest; a product on pace or on target has no rank. Products without a coverage indicator are not here.
-- Parameters: $program, $year, $month, $allowed (the regions a user may see; NULL = all).
with

elements as (
    select
        e.element_code,
        e.objective_es,
        e.objective_en,
        e.coverage_indicator,
        i.direction as coverage_direction,
        unnest(e.mef_products) as product_code
    from core_element as e
    join core_indicator as i on i.indicator_code = e.coverage_indicator
    where e.program_code = $program
),

amounts as (
    select
        region_code,
        product_code,
        max(product_name) as product_name,
        sum(pim) as pim,
        sum(devengado) as devengado,
        max(batch_id) as budget_batch_id
    from mart_budget
    where program_code = $program
      and year = $year
      and month <= $month
      and region_code is not null
      and product_code in (select product_code from elements)
      and ($allowed is null or list_contains($allowed, region_code))
    group by region_code, product_code
),

pace as (
    select * from core_budget_pace_rule where month = $month
),

coverage as (
    select
        territory_code as region_code,
        indicator_code,
        arg_max(period, period) as coverage_period,
        arg_max(value, period) as coverage_value,
        arg_max(target, period) as coverage_target,
        arg_max(status, period) as coverage_status,
        arg_max(batch_id, period) as coverage_batch_id
    from mart_status_top
    where territory_level = 'region'
      and period_grain = 'M'
      and period between make_date($year, 1, 1) and make_date($year, $month, 1)
      and indicator_code in (select coverage_indicator from elements)
    group by territory_code, indicator_code
),

measured as (
    select
        a.region_code,
        a.product_code,
        a.product_name,
        e.element_code,
        e.objective_es,
        e.objective_en,
        a.pim,
        a.devengado,
        100 * a.devengado / nullif(a.pim, 0) as execution_pct,
        pace.expected_pct,
        pace_light(100 * a.devengado / nullif(a.pim, 0), pace.expected_pct, pace.at_risk_gap, pace.critical_gap)
            as pace_status,
        e.coverage_indicator,
        c.coverage_period,
        c.coverage_value,
        c.coverage_target,
        c.coverage_status,
        greatest(pace.expected_pct - 100 * a.devengado / nullif(a.pim, 0), 0) as execution_gap,
        greatest(
            case when e.coverage_direction = 'down' then c.coverage_value - c.coverage_target
                 else c.coverage_target - c.coverage_value end,
            0
        ) as coverage_gap,
        a.budget_batch_id,
        c.coverage_batch_id
    from amounts as a
    cross join pace
    join elements as e on e.product_code = a.product_code
    left join coverage as c on c.region_code = a.region_code and c.indicator_code = e.coverage_indicator
),

scored as (
    select *, execution_gap * coverage_gap as bottleneck_score
    from measured
)

select
    *,
    case when bottleneck_score > 0 then rank() over (order by bottleneck_score desc nulls last) end
        as bottleneck_rank
from scored
order by bottleneck_rank nulls last, region_code, product_code
