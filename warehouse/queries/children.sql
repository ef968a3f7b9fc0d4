-- Drill-down: the values of one indicator for the units one level below a parent at a period, along either tree:
-- region → provinces → districts → facilities, or region → Reds → MicroRedes → facilities (a facility under the
-- MicroRed it belonged to that month). Facility rows come from the raw facts through the views. Each facility
-- row names its district and its MicroRed of that month, whichever tree it was reached by.
-- Parameters: $indicator, $parents (territory or network codes: the parent, or a province's districts or a Red's
-- MicroRedes for its whole facility list), $child_level, $period (date), $region (the region
-- whose part of a Red is shown — a Red may reach into another region — or NULL), $allowed, $statuses (the view of
-- statuses to read, chosen by warehouse.query.children for the tree and child level).
with

children as (
    select
        s.indicator_code, s.territory_level, s.territory_code, s.region_code, s.parent_code, s.period, s.value,
        s.numerator, s.denominator, s.units_reporting, s.units_expected, s.target, s.status, s.light,
        s.stock_class, s.rule_label_es, s.rule_label_en, s.batch_id
    from query_table($statuses) as s
    where s.indicator_code = $indicator
      and s.territory_level = $child_level
      and list_contains($parents, s.parent_code)
      and s.period = $period::date
      and ($region is null or s.region_code = $region)
      and ($allowed is null or list_contains($allowed, s.region_code))
),

named as (
    select
        c.*,
        coalesce(t.name, f.name) as name,
        f.categoria as facility_category,
        d.name as district_name,
        case when c.territory_level = 'eess' then coalesce(n.microred, 'Sin microred asignada') end
            as microred_name
    from children as c
    left join core_node as t
        on t.territory_code = c.territory_code
        and t.territory_level = c.territory_level
        and t.region_code = c.region_code
    left join core_facility as f
        on c.territory_level = 'eess' and f.cod_ipress = c.territory_code
    left join core_district as d
        on c.territory_level = 'eess' and d.ubigeo = f.ubigeo
    left join core_network as n
        on c.territory_level = 'eess'
        and n.ipress = try_cast(c.territory_code as bigint)
        and c.period >= n.valid_from
        and (n.valid_to is null or c.period < n.valid_to)
)

select * from named
order by value nulls first, territory_code
