-- The country and region rows of mart_indicator_agg, copied into a table of their own (about 2,000 rows a month
-- against 130,000 for all levels): the dashboard's reads of the country and the regions over many months then
-- touch a few thousand rows instead of scanning the province and district rows. Values only, no rule is applied
-- here, so a change of targets or catalogue never makes it stale. Kept in step by warehouse/marts.py.
create table mart_indicator_top (
    indicator_code varchar not null, territory_level varchar not null, territory_code varchar not null,
    region_code varchar not null, parent_code varchar, period date not null, period_grain varchar not null,
    value double, numerator double, denominator double, ci_low double, ci_high double, cv double, n integer,
    printed_referential boolean, units_reporting integer, units_expected integer, batch_id integer
);
insert into mart_indicator_top
select * from mart_indicator_agg
where territory_level in ('pais', 'region')
order by territory_code, indicator_code, period;
