-- The units (facilities, or districts where the source reports by district) that were expected to report in a month
-- and did not: for each, the indicators missing and when it last reported them. Expected as in marts/units.sql: it
-- reported the indicator in the look-back window (settings: expected_lookback_months).
-- Parameters: $program (its indicators only), $period, $since (the look-back window's first month: $period less
-- expected_lookback_months, read by the caller, warehouse.quality_queries — a constant, so that DuckDB's zone maps
-- skip the other months instead of reading the whole tables), $region (a region code or NULL for all), $allowed.
with

facts as (
    select period, indicator_code, coalesce(cod_ipress, ubigeo) as unit, cod_ipress, ubigeo
    from raw_admin
    where period between $since::date and $period::date
    union all
    select period, indicator_code, cod_ipress, cod_ipress, ubigeo
    from raw_stock
    where period between $since::date and $period::date
),

program_facts as (
    select f.*, i.source_code
    from facts as f
    join core_indicator as i using (indicator_code)
    where i.program_code = $program
),

located as (
    select f.*, dr.region_code, dr.province_code
    from program_facts as f
    join core_district_region as dr using (ubigeo)
    where ($region is null or dr.region_code = $region)
      and ($allowed is null or list_contains($allowed, dr.region_code))
),

expected as (
    select unit, indicator_code, any_value(cod_ipress) as cod_ipress, any_value(ubigeo) as ubigeo,
           any_value(region_code) as region_code, any_value(province_code) as province_code,
           any_value(source_code) as source_code, max(period) as last_period
    from located
    where period < $period::date
    group by unit, indicator_code
),

now_reported as (
    select distinct unit, indicator_code from located where period = $period::date
),

missing as (
    select e.*
    from expected as e
    anti join now_reported as n using (unit, indicator_code)
),

final as (
    select
        m.region_code,
        r.name as region_name,
        m.province_code,
        p.name as province_name,
        m.ubigeo,
        d.name as district_name,
        m.cod_ipress,
        f.name as facility_name,
        count(*) as indicators_missing,
        string_agg(m.indicator_code, ', ' order by m.indicator_code) as indicators,
        string_agg(distinct m.source_code, ', ' order by m.source_code) as sources,
        max(m.last_period) as last_reported,
        n.red_key,
        case when m.cod_ipress is not null then coalesce(n.microred, 'Sin microred asignada') end
            as microred_name
    from missing as m
    left join core_region as r on r.region_code = m.region_code
    left join core_province as p on p.province_code = m.province_code
    left join core_district as d on d.ubigeo = m.ubigeo
    left join core_facility as f on f.cod_ipress = m.cod_ipress
    -- the facility's MicroRed in the month (the network tree's place of the facility)
    left join core_network_v as n
        on n.ipress = try_cast(m.cod_ipress as bigint)
        and $period::date >= n.valid_from
        and (n.valid_to is null or $period::date < n.valid_to)
    group by all
)

select * from final
order by region_code, province_name, district_name, facility_name nulls first
