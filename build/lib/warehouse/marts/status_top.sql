-- The statuses of the country and region rows (mart_indicator_top), stored: the dashboard reads these rows on
-- every page, and applying the rules at read time costs more than the read itself. Rebuilt whole when a rule
-- input changes (rules' SQL, catalogue, targets, settings: see marts.rule_stamp), and for a load's scope
-- otherwise; the constraint mart_status_in_step checks each load's rows against the rules applied anew.
create or replace table mart_status_top as
select * from indicator_status('mart_indicator_top')
order by territory_code, indicator_code, period;
