-- One mart value per indicator, territory, region and period (a Red that reaches into two regions has one row in
-- each, with the facilities of that region only).
select m.indicator_code, m.territory_level, m.territory_code, m.region_code, m.period, count(*) as rows
from mart_indicator_agg as m
semi join (select distinct indicator_code, period from mart_indicator_agg where batch_id = $batch_id) as b
    on b.indicator_code = m.indicator_code and b.period = m.period
group by all
having count(*) > 1
