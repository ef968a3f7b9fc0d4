-- Stock classes and months of supply of critical inputs for some territories at a period.
-- Parameters: $indicators, $territories (lists), $period (date), $allowed.
select
    indicator_code, territory_level, territory_code, region_code, period, facilities, desabastecido, substock,
    normostock, sobrestock, sin_rotacion, months_median, stock_total, cpm_total
from mart_stock_summary
where list_contains($indicators, indicator_code)
  and list_contains($territories, territory_code)
  and period = $period::date
  and ($allowed is null or region_code = 'PE' or list_contains($allowed, region_code))
order by indicator_code, territory_code
