-- Suspect facility values of the administrative records in one month, each with its reasons; nothing is dropped,
-- the dashboard lists them and marks their lights. (A coverage above 100 % — numerator above denominator — never
-- gets here: the admin loader quarantines that row with its reason, see etl_quarantine.) Reasons, with thresholds
-- from settings.yaml (data_quality):
--   atipico       far from the facility's own history: |modified z| = |0.6745 (value − median) / MAD| of its
--                 previous `history_months` months (at least `min_history_months` of them) above
--                 `outlier_modified_z` (Iglesias & Hoaglin); when the MAD is 0, the mean absolute deviation
--                 × 1.2533 stands in for it (the same scale for a normal distribution)
--   salto         the value moved more than `jump_points` from the month before
--   denominador   the denominator changed by more than `denominator_change_pct` % from the month before
-- Parameters: $program (its indicators only), $period (the month), $since (the first month of its history:
-- $period less `history_months`, read by the caller, warehouse.quality_queries — a constant, so that DuckDB's zone
-- maps skip the other months), $region (a region code or NULL for all), $indicator (one indicator's values, or
-- NULL for every one of the program), $allowed.
with

settings as (
    select
        max(num_value) filter (where key = 'quality_outlier_modified_z') as max_z,
        max(num_value) filter (where key = 'quality_min_history_months')::integer as min_history,
        max(num_value) filter (where key = 'quality_jump_points') as jump_points,
        max(num_value) filter (where key = 'quality_denominator_change_pct') as denominator_change_pct
    from core_setting
),

facility_values as (
    select
        a.cod_ipress,
        a.ubigeo,
        dr.region_code,
        a.indicator_code,
        i.name_es as indicator_es,
        i.name_en as indicator_en,
        i.unit,
        a.period,
        a.numerator,
        a.denominator,
        indicator_value(i.unit, i.multiplier, a.numerator, a.denominator)
            as value,
        a.batch_id,
        a.row_number
    from raw_admin as a
    join core_indicator as i using (indicator_code)
    join core_district_region as dr using (ubigeo)
    cross join settings as s
    where a.cod_ipress is not null
      and i.program_code = $program
      and ($indicator is null or a.indicator_code = $indicator)
      and a.period between $since::date and $period::date
      and ($region is null or dr.region_code = $region)
      and ($allowed is null or list_contains($allowed, dr.region_code))
),

current as (
    select * from facility_values where period = $period::date
),

history as (
    select
        h.cod_ipress,
        h.indicator_code,
        count(h.value) as months,
        median(h.value) as median,
        mad(h.value) as mad,
        avg(abs(h.value - m.median)) as mean_abs_dev
    from facility_values as h
    join (
        select cod_ipress, indicator_code, median(value) as median
        from facility_values
        where period < $period::date
        group by all
    ) as m using (cod_ipress, indicator_code)
    where h.period < $period::date
    group by all
),

previous as (
    select cod_ipress, indicator_code, value as prev_value, denominator as prev_denominator
    from facility_values
    where period = ($period::date - interval 1 month)::date
),

scored as (
    select
        c.*,
        h.months as history_months,
        h.median as history_median,
        case
            when h.months < s.min_history then null
            when h.mad > 0 then 0.6745 * (c.value - h.median) / h.mad
            when h.mean_abs_dev > 0 then (c.value - h.median) / (1.2533 * h.mean_abs_dev)
        end as modified_z,
        p.prev_value,
        p.prev_denominator,
        s.max_z,
        s.jump_points,
        s.denominator_change_pct
    from current as c
    cross join settings as s
    left join history as h using (cod_ipress, indicator_code)
    left join previous as p using (cod_ipress, indicator_code)
),

flagged as (
    select
        *,
        list_filter(
            [
                case when abs(modified_z) > max_z then 'atipico' end,
                case when unit = 'pct' and abs(value - prev_value) > jump_points then 'salto' end,
                case
                    when abs(denominator - prev_denominator) > denominator_change_pct / 100 * prev_denominator
                    then 'denominador'
                end
            ],
            lambda r: r is not null
        ) as reasons
    from scored
),

final as (
    select
        f.region_code,
        f.ubigeo,
        f.cod_ipress,
        fac.name as facility_name,
        f.indicator_code,
        f.indicator_es,
        f.indicator_en,
        f.period,
        f.value,
        f.numerator,
        f.denominator,
        f.prev_value,
        f.prev_denominator,
        f.history_months,
        f.history_median,
        f.modified_z,
        f.reasons,
        f.batch_id,
        f.row_number,
        n.red_key,
        coalesce(n.microred, 'Sin microred asignada') as microred_name
    from flagged as f
    left join core_facility as fac using (cod_ipress)
    -- the facility's MicroRed that month (the network tree's place of the facility)
    left join core_network_v as n
        on n.ipress = try_cast(f.cod_ipress as bigint)
        and f.period >= n.valid_from
        and (n.valid_to is null or f.period < n.valid_to)
    where len(f.reasons) > 0
)

select * from final
order by region_code, len(reasons) desc, abs(coalesce(modified_z, 0)) desc, cod_ipress, indicator_code
