-- Drill-down: the values of one indicator for the units one level below a parent at a period, along either tree:
-- region → provinces → districts, or region → Reds → MicroRedes (the facilities below a district or a MicroRed:
-- children_facilities.sql). The rules are applied to the aggregated rows of that level alone, named from that
-- tree's nodes: a query on every level's union and both trees' names cost twice as much to plan as to run.
-- Parameters: $indicator, $parents (territory or network codes), $child_level, $period (date), $region (the region
-- whose part of a Red is shown — a Red may reach into another region — or NULL), $allowed, $names (the nodes of
-- the tree: core_territory or core_network_territory, chosen by warehouse.query.children).
with

children as (
    select
        s.indicator_code, s.territory_level, s.territory_code, s.region_code, s.parent_code, s.period, s.value,
        s.numerator, s.denominator, s.units_reporting, s.units_expected, s.target, s.status, s.light,
        s.stock_class, s.rule_label_es, s.rule_label_en, s.batch_id
    from indicator_status('mart_indicator_agg') as s
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
        t.name,
        null::varchar as facility_category,
        null::varchar as district_name,
        null::varchar as microred_name
    from children as c
    left join query_table($names) as t
        on t.territory_code = c.territory_code
        and t.territory_level = c.territory_level
        and t.region_code = c.region_code
)

select * from named
order by value nulls first, territory_code
