-- Drill-down: the values of one indicator for the territories one level below a parent at a period
-- (region → provinces → districts → facilities). Facility rows come from the raw facts through the view.
-- Parameters: $indicator, $parent (territory code), $child_level, $period (date), $allowed, $statuses (the view
-- of statuses to read, chosen by warehouse.query.statuses for the child level).
with

children as (
    select
        s.indicator_code, s.territory_level, s.territory_code, s.region_code, s.parent_code, s.period, s.value,
        s.numerator, s.denominator, s.units_reporting, s.units_expected, s.target, s.status, s.light,
        s.stock_class, s.rule_label_es, s.rule_label_en
    from query_table($statuses) as s
    where s.indicator_code = $indicator
      and s.territory_level = $child_level
      and s.parent_code = $parent
      and s.period = $period::date
      and ($allowed is null or list_contains($allowed, s.region_code))
),

named as (
    select
        c.*,
        coalesce(t.name, f.name) as name,
        f.categoria as facility_category
    from children as c
    left join core_territory as t
        on t.territory_code = c.territory_code and t.territory_level = c.territory_level
    left join core_facility as f
        on c.territory_level = 'eess' and f.cod_ipress = c.territory_code
)

select * from named
order by value nulls first, territory_code
