-- One mart value per indicator, territory and period.
select m.indicator_code, m.territory_level, m.territory_code, m.period, count(*) as rows
from mart_indicator_agg as m
semi join (select distinct indicator_code, period from mart_indicator_agg where batch_id = $batch_id) as b
    on b.indicator_code = m.indicator_code and b.period = m.period
group by all
having count(*) > 1
