-- Month by month execution of a program, or of one logical-framework product's MEF products, for the country or a
-- region in a fiscal year: each month's devengado and the amounts cumulated from January, execution and its pace
-- light. Months run to $month, or to the last month loaded for the year when earlier.
-- Parameters: $program, $year, $month, $territory ('PE' or a region code), $element (NULL = the whole program),
-- $allowed.
with

lines as (
    select *
    from program_budget($program, $year, $element)
    where ($territory = 'PE' or region_code = $territory)
      and ($allowed is null or $territory = 'PE' or list_contains($allowed, $territory))
),

calendar as (
    select m.month
    from range(1, 13) as m(month)
    where m.month <= $month
      and m.month <= (select max(month) from mart_budget where program_code = $program and year = $year)
),

monthly as (
    select
        month,
        sum(pia) as pia,
        sum(pim) as pim,
        sum(certificado) as certificado,
        sum(comprometido_anual) as comprometido_anual,
        sum(devengado) as devengado,
        sum(girado) as girado,
        max(batch_id) as batch_id
    from lines
    group by month
),

cumulative as (
    select
        c.month,
        coalesce(m.devengado, 0) as devengado_month,
        sum(coalesce(m.pia, 0)) over w as pia,
        sum(coalesce(m.pim, 0)) over w as pim,
        sum(coalesce(m.certificado, 0)) over w as certificado,
        sum(coalesce(m.comprometido_anual, 0)) over w as comprometido_anual,
        sum(coalesce(m.devengado, 0)) over w as devengado,
        sum(coalesce(m.girado, 0)) over w as girado,
        max(m.batch_id) over w as budget_batch_id
    from calendar as c
    left join monthly as m using (month)
    window w as (order by c.month)
),

final as (
    select
        make_date($year, c.month, 1) as period,
        c.* exclude (month, budget_batch_id),
        100 * c.devengado / nullif(c.pim, 0) as execution_pct,
        pace.expected_pct,
        pace_light(100 * c.devengado / nullif(c.pim, 0), pace.expected_pct, pace.at_risk_gap, pace.critical_gap)
            as pace_status,
        c.budget_batch_id
    from cumulative as c
    left join core_budget_pace_rule as pace on pace.month = c.month
    where exists (select 1 from lines)
)

select * from final
order by period
