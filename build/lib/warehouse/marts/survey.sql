-- Survey estimates per region and year, for the (indicator, year) pairs in scope_survey.
insert into mart_indicator_agg
select
    s.indicator_code,
    case when s.region_code = 'PE' then 'pais' else 'region' end,
    s.region_code,
    s.region_code,
    case when s.region_code = 'PE' then null else 'PE' end,
    make_date(s.year, 1, 1),
    'A',
    s.value,
    null, null,
    s.ci_low, s.ci_high, s.cv, s.n, s.printed_referential,
    null, null,
    s.batch_id
from raw_survey as s
semi join scope_survey as sc on sc.indicator_code = s.indicator_code and sc.year = s.year;
