-- Indicator values and statuses of a program for a list of territories at a period: monthly indicators at the
-- month, annual ones (surveys) at the latest year not after it; with the previous value for the trend arrow.
-- Parameters: $program, $level (chain level or NULL for all), $indicator (one indicator or NULL for all),
-- $territories (list of codes), $levels (their territory levels), $monthly and $annual (the codes of its monthly
-- and annual indicators), $period (date), $allowed (list of region codes the caller may see, or NULL for all),
-- $statuses (the view of statuses to read, chosen by warehouse.query.statuses for $levels). $levels, $monthly and
-- $annual only repeat what the joins say, as constants: they let the scan skip the rows that cannot match before
-- the rules run.
with

indicators as (
    select indicator_code, periodicity
    from core_indicator
    where program_code = $program
      and ($level is null or chain_level = $level)
      and ($indicator is null or indicator_code = $indicator)
),

candidates as (
    select
        s.*,
        i.periodicity,
        row_number() over (partition by s.indicator_code, s.territory_code order by s.period desc) as recency
    from query_table($statuses) as s
    join indicators as i using (indicator_code)
    where s.territory_level in ('pais', 'region', 'provincia', 'distrito')
      and list_contains($levels, s.territory_level)
      and list_contains($territories, s.territory_code)
      and ($allowed is null or s.region_code = 'PE' or list_contains($allowed, s.region_code))
      and (
          (i.periodicity = 'monthly' and s.period in ($period::date, $period::date - interval 1 month))
          or (i.periodicity = 'annual' and s.period <= $period::date)
      )
      -- the same condition on the value columns alone, so that it is applied before the rules
      and (
          (list_contains($monthly, s.indicator_code)
           and s.period in ($period::date, ($period::date - interval 1 month)::date))
          or (list_contains($annual, s.indicator_code) and s.period <= $period::date)
      )
),

current as (
    select *
    from candidates
    where (periodicity = 'monthly' and period = $period::date) or (periodicity = 'annual' and recency = 1)
),

previous as (
    select indicator_code, territory_code, value as prev_value, period as prev_period, status as prev_status
    from candidates
    where (periodicity = 'monthly' and period = $period::date - interval 1 month)
       or (periodicity = 'annual' and recency = 2)
),

final as (
    select
        c.indicator_code, c.territory_level, c.territory_code, c.region_code, c.period, c.period_grain, c.value,
        c.numerator, c.denominator, c.ci_low, c.ci_high, c.cv, c.n, c.units_reporting, c.units_expected,
        c.target, c.expected_pct, c.status, c.light, c.is_referential, c.rule_label_es, c.rule_label_en,
        p.prev_value, p.prev_period, p.prev_status, c.batch_id
    from current as c
    left join previous as p using (indicator_code, territory_code)
)

select * from final
order by indicator_code, territory_code
