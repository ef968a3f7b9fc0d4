-- ONE status definition: every traffic-light rule of the catalogue, applied in one place.
--   target       direction-aware comparison with the target of the region (else national, else the catalogue's
--                default) and a tolerance band in points
--   bands        fixed bands (e.g. WHO prevalence thresholds), from core_rule_band
--   stock        a facility by its months of supply (stock_class macro); above the facility, the share of
--                reporting facilities in normal stock against the availability bands
--   budget_pace  execution (devengado / PIM) against the expected cumulative pace of the month
-- Then the states that are not a light: no report from a unit that was expected to report, no data, survey
-- estimates that INEI marks as referential (printed in parentheses, or CV above the threshold), and figures whose
-- denominator (their n) is below the indicator's minimum (core_indicator.min_n, from the catalogue): "muestra
-- pequeña" — the value and its n stay, the light is held back (one child with anaemia is not "100 % Crítico").
--
-- A table macro over the name of a view of values: the view mart_indicator_status below is the macro over
-- mart_indicator_value; the dashboard's queries (warehouse/queries) read the same rules over
-- mart_indicator_value_fast, whose layout lets their filters skip the rows they do not need.
create or replace macro indicator_status(source) as table
with

settings as (
    select
        max(num_value) filter (where key = 'referential_cv') as referential_cv,
        max(num_value) filter (where key = 'budget_at_risk_gap') as at_risk_gap,
        max(num_value) filter (where key = 'budget_critical_gap') as critical_gap,
        max(num_value) filter (where key = 'sub_stock_below_months') as sub_stock_below,
        max(num_value) filter (where key = 'over_stock_above_months') as over_stock_above
    from core_setting
),

joined as (
    select
        v.*,
        i.program_code,
        i.chain_level,
        i.rule_kind,
        i.direction,
        i.tolerance,
        coalesce(i.min_n, 0) as min_n,
        coalesce(t_region.target, t_country.target, i.default_target) as target,
        pace.expected_pct,
        case when i.rule_kind = 'stock' and v.territory_level = 'eess'
             then stock_class_at(v.numerator, v.denominator, s.sub_stock_below, s.over_stock_above) end
            as stock_class
    from query_table(source) as v
    cross join settings as s
    join core_indicator as i using (indicator_code)
    left join core_target as t_region
        on t_region.indicator_code = v.indicator_code
        and t_region.territory_code = v.region_code
        and t_region.year = year(v.period)
    left join core_target as t_country
        on t_country.indicator_code = v.indicator_code
        and t_country.territory_code = 'PE'
        and t_country.year = year(v.period)
    left join core_budget_pace as pace
        on i.rule_kind = 'budget_pace' and pace.month = month(v.period)
),

lit as (
    select
        j.*,
        coalesce(j.value is not null, false) or j.stock_class is not null as has_value,
        coalesce(j.printed_referential, false) or coalesce(j.cv > s.referential_cv, false) as is_referential,
        case
            when j.stock_class is not null then sc.status
            when j.value is null then null
            when j.rule_kind in ('bands', 'stock') then band.status
            when j.rule_kind = 'target' and j.direction = 'up' then
                case when j.value >= j.target then 'adecuado'
                     when j.value >= j.target - j.tolerance then 'en_riesgo'
                     else 'critico' end
            when j.rule_kind = 'target' and j.direction = 'down' then
                case when j.value <= j.target then 'adecuado'
                     when j.value <= j.target + j.tolerance then 'en_riesgo'
                     else 'critico' end
            when j.rule_kind = 'budget_pace' then pace_light(j.value, j.expected_pct, s.at_risk_gap, s.critical_gap)
        end as light,
        coalesce(sc.label_es, band.label_es) as rule_label_es,
        coalesce(sc.label_en, band.label_en) as rule_label_en
    from joined as j
    cross join settings as s
    left join core_stock_class as sc on sc.class_code = j.stock_class
    left join core_rule_band as band
        on j.stock_class is null
        and band.indicator_code = j.indicator_code
        and j.value >= band.lower_bound
        and j.value < band.upper_bound
),

final as (
    select
        * exclude (has_value),
        case
            when not has_value and coalesce(units_expected, 0) > 0 then 'no_reportado'
            when not has_value then 'sin_datos'
            when is_referential then 'referencial'
            when denominator < min_n then 'muestra_pequena'
            else light
        end as status
    from lit
)

select * from final;

create or replace view mart_indicator_status as
select * from indicator_status('mart_indicator_value');

-- The same rules over the layout the dashboard's queries read (see mart_indicator_value_fast). Queries that ask
-- for the country and regions only read the stored statuses in mart_status_top instead (warehouse/marts.py).
create or replace view mart_indicator_status_fast as
select * from indicator_status('mart_indicator_value_fast');

-- The same rules over the facility rows placed in the network tree (mart_facility_network_value).
create or replace view mart_facility_network_status as
select * from indicator_status('mart_facility_network_value');
