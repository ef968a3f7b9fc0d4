-- Values of some indicators for some territories over a period range (trends, sparklines, small multiples).
-- Parameters: $indicators, $territories (lists), $levels (the territories' levels, so that the scan skips the
-- others), $start, $end (dates), $allowed, $statuses (the view of statuses to read, chosen by
-- warehouse.query.statuses for those levels).
select
    s.indicator_code, s.territory_level, s.territory_code, s.region_code, s.period, s.period_grain, s.value,
    s.ci_low, s.ci_high, s.cv, s.n, s.target, s.expected_pct, s.status, s.light, s.is_referential,
    s.numerator, s.denominator, s.units_reporting, s.units_expected
from query_table($statuses) as s
where s.territory_level in ('pais', 'region', 'provincia', 'distrito')
  and list_contains($levels, s.territory_level)
  and list_contains($indicators, s.indicator_code)
  and list_contains($territories, s.territory_code)
  and s.period between $start::date and $end::date
  and ($allowed is null or s.region_code = 'PE' or list_contains($allowed, s.region_code))
order by s.indicator_code, s.territory_code, s.period
