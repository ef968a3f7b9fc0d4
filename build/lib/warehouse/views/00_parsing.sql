-- Parsing macros used by the loaders to check and cast the text they stage.

-- A number written with a decimal point and optional thousands commas ("1,234.5"), or, when dc is true, with a
-- decimal comma and optional thousands dots ("1.234,5"). NULL when the text is not such a number.
create or replace macro parse_num(x, dc) as
    case
        when x is null or trim(x) = '' then null
        when not dc and try_cast(trim(x) as double) is not null and not contains(x, ',')
            then try_cast(trim(x) as double)
        when not dc and regexp_full_match(trim(x), '[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?')
            then try_cast(replace(trim(x), ',', '') as double)
        when dc and regexp_full_match(trim(x), '[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?')
            then try_cast(replace(replace(trim(x), '.', ''), ',', '.') as double)
    end;

-- True when a column's text shows an unambiguous decimal comma ("12,5", "0,25", "1.234,56").
create or replace macro looks_decimal_comma(x) as
    regexp_full_match(trim(x), '[-+]?\d+,(\d{1,2}|\d{4,})|[-+]?\d{1,3}(\.\d{3})+,\d+');

-- Month of a period written YYYY-MM, YYYY/MM, YYYYMM or YYYY-MM-01.
create or replace macro period_month(x) as
    try_cast(regexp_extract(trim(x), '^\d{4}[-/]?(\d{1,2})([-/]01)?$', 1) as integer);

-- First day of the period's month, or NULL when the text is not a period.
create or replace macro parse_period(x) as
    case
        when regexp_full_match(trim(x), '\d{4}([-/]\d{1,2}|\d{2})([-/]01)?') and period_month(x) between 1 and 12
            then make_date(cast(left(trim(x), 4) as integer), period_month(x), 1)
    end;
