-- The stock rule, defined once: class of a facility's critical-input stock from its quantity and average
-- monthly consumption (CPM). Thresholds come from core_setting (catalogue: settings.yaml, stock).
create or replace macro stock_class(stock, cpm) as
    case
        when stock is null then null
        when stock <= 0 then 'desabastecido'
        when coalesce(cpm, 0) <= 0 then 'sin_rotacion'
        when stock / cpm < (select num_value from core_setting where key = 'sub_stock_below_months') then 'substock'
        when stock / cpm <= (select num_value from core_setting where key = 'over_stock_above_months') then 'normostock'
        else 'sobrestock'
    end;

-- Months of supply; 0 when there is no stock, NULL when nothing is consumed (no turnover).
create or replace macro months_of_supply(stock, cpm) as
    case when stock <= 0 then 0.0 when cpm > 0 then stock / cpm end;
