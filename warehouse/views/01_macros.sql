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

-- Months of supply; 0 when there is no stock, NULL when nothing is consumed (no turnover).
create or replace macro months_of_supply(stock, cpm) as
    case when stock <= 0 then 0.0 when cpm > 0 then stock / cpm end;
