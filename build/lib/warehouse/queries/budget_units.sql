-- Execution per executing unit (MEF's SEC_EJEC: a regional health directorate, a network, a municipality…) of a
-- program, or of one logical-framework product's MEF products, for the country or a region in a fiscal year,
-- cumulative to $month, with the pace light. A unit's lines may reach several regions (a ministry's central unit
-- spends in all): within a region only the lines that count there; nationally all its lines. Its region is where
-- the unit sits (the province of the executing unit), not where it spends.
-- Parameters: $program, $year, $month, $territory ('PE' or a region code), $element (NULL = whole program), $allowed.
with

lines as (
    select *
    from program_budget_lines($program, $year, $element)
    where month <= $month
      and ($territory = 'PE' or region_code = $territory)
      -- a unit is named only to those who may see its region (the country's total is public, its units are not)
      and ($allowed is null or list_contains($allowed, region_code))
),

units as (
    select
        sec_ejec,
        max(ejecutora_name) as ejecutora_name,
        any_value(ejecutora_province) as ejecutora_province,
        sum(pia) as pia,
        sum(pim) as pim,
        sum(certificado) as certificado,
        sum(comprometido_anual) as comprometido_anual,
        sum(devengado) as devengado,
        sum(girado) as girado,
        max(batch_id) as budget_batch_id
    from lines
    group by sec_ejec
),

pace as (
    select * from core_budget_pace_rule where month = $month
),

final as (
    select
        u.sec_ejec,
        u.ejecutora_name,
        pr.region_code,
        r.name as region_name,
        u.pia,
        u.pim,
        u.certificado,
        u.comprometido_anual,
        u.devengado,
        u.girado,
        100 * u.devengado / nullif(u.pim, 0) as execution_pct,
        100 * u.pim / nullif(sum(u.pim) over (), 0) as pim_share_pct,
        pace.expected_pct,
        pace_light(100 * u.devengado / nullif(u.pim, 0), pace.expected_pct, pace.at_risk_gap, pace.critical_gap)
            as pace_status,
        u.budget_batch_id
    from units as u
    cross join pace
    left join core_province_region as pr on pr.province_code = u.ejecutora_province
    left join core_region as r on r.region_code = pr.region_code
)

select * from final
order by pim desc nulls last, sec_ejec
