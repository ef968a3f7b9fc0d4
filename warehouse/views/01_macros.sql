-- The stock rule, defined once: class of a facility's critical-input stock from its quantity and average
-- monthly consumption (CPM), against the sub- and over-stock thresholds in months.
create or replace macro stock_class_at(stock, cpm, sub_stock_below, over_stock_above) as
    case
        when stock is null then null
        when stock <= 0 then 'desabastecido'
        when coalesce(cpm, 0) <= 0 then 'sin_rotacion'
        when stock / cpm < sub_stock_below then 'substock'
        when stock / cpm <= over_stock_above then 'normostock'
        else 'sobrestock'
    end;

-- The same with the thresholds of core_setting (catalogue: settings.yaml, stock). The status rules pass the
-- thresholds themselves (stock_class_at): two scalar subqueries in every read cost more to plan than to run.
create or replace macro stock_class(stock, cpm) as
    stock_class_at(
        stock,
        cpm,
        (select num_value from core_setting where key = 'sub_stock_below_months'),
        (select num_value from core_setting where key = 'over_stock_above_months')
    );

-- An indicator's value from its numerator and denominator, defined once: a count is its numerator; a rate is
-- numerator / denominator times the catalogue's multiplier (100 for %, 1,000 for per-thousand), NULL on a zero
-- denominator.
create or replace macro indicator_value(unit, multiplier, numerator, denominator) as
    case when unit = 'count' then numerator else multiplier * numerator / nullif(denominator, 0) end;

-- Months of supply; 0 when there is no stock, NULL when nothing is consumed (no turnover).
create or replace macro months_of_supply(stock, cpm) as
    case when stock <= 0 then 0.0 when cpm > 0 then stock / cpm end;

-- The budget-pace rule, defined once: execution (devengado / PIM, %) against the expected cumulative execution of
-- the month (core_budget_pace), within the at-risk and critical gaps in points (settings.yaml, budget_pace). Used
-- by the status rules (indicator_status) and by the budget queries, per product and per executing unit.
create or replace macro pace_light(execution_pct, expected_pct, at_risk_gap, critical_gap) as
    case
        when execution_pct is null or expected_pct is null then null
        when execution_pct >= expected_pct - at_risk_gap then 'adecuado'
        when execution_pct >= expected_pct - critical_gap then 'en_riesgo'
        else 'critico'
    end;

-- The reporting-completeness rule, defined once: the share of expected reports received (%), against the bounds
-- of settings.yaml (data_quality). Used for regions, provinces, districts and months alike.
create or replace macro completeness_light(pct, adequate_from, at_risk_from) as
    case
        when pct is null then null
        when pct >= adequate_from then 'adecuado'
        when pct >= at_risk_from then 'en_riesgo'
        else 'critico'
    end;
