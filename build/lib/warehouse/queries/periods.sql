-- Periods with data per grain and program: the months of administrative and budget data, the survey years.
select
    i.program_code,
    a.period_grain,
    a.period,
    count(*) as rows
from mart_indicator_top as a
join core_indicator as i using (indicator_code)
where a.territory_level = 'pais'
group by all
order by i.program_code, a.period_grain, a.period
