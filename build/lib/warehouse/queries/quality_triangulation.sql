-- Records against the survey: for each product whose logical-framework element has an administrative coverage
-- indicator and a survey (ENDES) indicator, per region and year, the administrative coverage of the year (the
-- ratio of the year's summed numerators and denominators, region rows) next to the survey's estimate and its 95 %
-- interval; flagged when the interval excludes the administrative figure.
-- Parameters: $program, $allowed.
with

pairs as (
    select e.element_code, e.coverage_indicator as admin_indicator, s.indicator_code as survey_indicator
    from core_element as e
    join core_indicator as a on a.indicator_code = e.coverage_indicator and a.feed = 'admin'
    join core_indicator as s
        on s.element_code = e.element_code and s.feed = 'survey' and s.chain_level = 'product'
    where e.program_code = $program
),

admin_year as (
    select
        t.indicator_code,
        t.territory_code,
        year(t.period) as year,
        100.0 * sum(t.numerator) / nullif(sum(t.denominator), 0) as admin_value,
        count(*) as months
    from mart_indicator_top as t
    where t.indicator_code in (select admin_indicator from pairs)
      and t.territory_level = 'region'
    group by all
),

survey as (
    select s.indicator_code, s.territory_code, year(s.period) as year, s.value, s.ci_low, s.ci_high, s.status
    from mart_status_top as s
    where s.indicator_code in (select survey_indicator from pairs)
      and s.territory_level = 'region'
      and s.value is not null
),

final as (
    select
        v.territory_code,
        r.name as region_name,
        p.element_code,
        p.admin_indicator,
        p.survey_indicator,
        v.year,
        a.admin_value,
        a.months as admin_months,
        v.value as survey_value,
        v.ci_low,
        v.ci_high,
        v.status = 'referencial' as survey_referential,
        a.admin_value - v.value as gap,
        coalesce(a.admin_value < v.ci_low or a.admin_value > v.ci_high, false) as outside_ci,
        r.sort_order
    from pairs as p
    join survey as v on v.indicator_code = p.survey_indicator
    join admin_year as a
        on a.indicator_code = p.admin_indicator and a.territory_code = v.territory_code and a.year = v.year
    join core_region as r on r.region_code = v.territory_code
    where $allowed is null or list_contains($allowed, v.territory_code)
)

select * exclude (sort_order) from final
order by year desc, outside_ci desc, abs(gap) desc nulls last, sort_order, element_code
