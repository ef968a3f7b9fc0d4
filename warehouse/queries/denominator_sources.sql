-- Which denominator the figures computed from nominal records used (raw_admin.denominator_source, migration 0008:
-- `padron`, the children of the Padrón Nominal, or `registros`, the children attended), per indicator for the
-- country and each region at a month; both, where the facilities differ, as `padron+registros`. Rows of files
-- that do not say (the monthly HIS aggregate files) give no row.
-- Parameters: $indicators (codes), $period (date), $allowed (region codes the caller may see, or NULL for all).
with

said as (
    select a.indicator_code, dr.region_code, a.denominator_source
    from raw_admin as a
    join core_district_region as dr using (ubigeo)
    where a.period = $period::date
      and a.denominator_source is not null
      and list_contains($indicators, a.indicator_code)
      and ($allowed is null or list_contains($allowed, dr.region_code))
)

select indicator_code, region_code as territory_code,
    string_agg(distinct denominator_source, '+' order by denominator_source) as denominator_source
from said
group by all

union all

select indicator_code, 'PE',
    string_agg(distinct denominator_source, '+' order by denominator_source)
from said
group by all

order by indicator_code, territory_code
