-- Drill-down to facilities: the values of one indicator for the facilities below some districts or MicroRedes at a
-- period (a facility under the MicroRed it belonged to that month), read from the raw facts through the views; each
-- row names its district and its MicroRed of that month, whichever tree it was reached by.
-- Parameters: $indicator, $parents (districts, or MicroRedes: the parent, or a province's districts or a Red's
-- MicroRedes for its whole facility list), $period (date), $region (the region whose part of a MicroRed is shown,
-- or NULL), $allowed, $values (the facility rows placed in the URL's tree: mart_facility_value or
-- mart_facility_network_value, chosen by warehouse.query.children).
with

children as (
    select
        s.indicator_code, s.territory_level, s.territory_code, s.region_code, s.parent_code, s.period, s.value,
        s.numerator, s.denominator, s.units_reporting, s.units_expected, s.target, s.status, s.light,
        s.stock_class, s.rule_label_es, s.rule_label_en, s.batch_id
    from indicator_status($values) as s
    where s.indicator_code = $indicator
      and list_contains($parents, s.parent_code)
      and s.period = $period::date
      and ($region is null or s.region_code = $region)
      and ($allowed is null or list_contains($allowed, s.region_code))
),

named as (
    select
        c.*,
        f.name,
        f.categoria as facility_category,
        d.name as district_name,
        coalesce(n.microred, 'Sin microred asignada') as microred_name
    from children as c
    left join core_facility as f on f.cod_ipress = c.territory_code
    left join core_district as d on d.ubigeo = f.ubigeo
    left join core_network as n
        on n.ipress = try_cast(c.territory_code as bigint)
        and c.period >= n.valid_from
        and (n.valid_to is null or c.period < n.valid_to)
)

select * from named
order by value nulls first, territory_code
