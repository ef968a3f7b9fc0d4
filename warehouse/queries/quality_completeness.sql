-- Completeness and timeliness of monthly reporting (administrative records and critical-input stock) per territory
-- and month: reports expected (units × indicators: a unit — facility, or district when the source reports by
-- district — is expected to report an indicator when it did in the look-back window, see marts/units.sql),
-- reports received, and of those the ones on time: their file received within the deadline after the month
-- closed (etl_batch.received_on). Lit by the completeness rule (completeness_light).
-- Parameters: $program (its indicators only), $parent ('PE' → its regions; a region → its provinces; a province →
-- its districts), $start, $end (first and last month), $allowed.
with

settings as (
    select
        max(num_value) filter (where key = 'quality_completeness_adequate_from') as adequate_from,
        max(num_value) filter (where key = 'quality_completeness_at_risk_from') as at_risk_from,
        max(num_value) filter (where key = 'quality_reporting_deadline_days')::integer as deadline_days
    from core_setting
),

territories as (
    select territory_code, name, territory_level, region_code, sort_order
    from core_territory
    where parent_code = $parent
      and ($allowed is null or list_contains($allowed, region_code))
),

reported as (
    select a.indicator_code, a.territory_code, a.period, a.units_reporting, a.units_expected
    from mart_indicator_agg as a
    join core_indicator as i using (indicator_code)
    where i.feed in ('admin', 'stock')
      and i.program_code = $program
      and a.territory_code in (select territory_code from territories)
      and a.period between $start::date and $end::date
),

-- Each received report with the date its file came in; located in the territory asked for.
reports as (
    select r.period, r.ubigeo, b.received_on
    from (
        select period, ubigeo, batch_id, indicator_code
        from raw_admin
        where period between $start::date and $end::date
        union all
        select period, ubigeo, batch_id, indicator_code
        from raw_stock
        where period between $start::date and $end::date
    ) as r
    join core_indicator as i on i.indicator_code = r.indicator_code and i.program_code = $program
    join etl_batch as b using (batch_id)
),

located as (
    select
        case t.territory_level
            when 'region' then dr.region_code
            when 'provincia' then dr.province_code
            else r.ubigeo
        end as territory_code,
        r.period,
        r.received_on
    from reports as r
    join core_district_region as dr using (ubigeo)
    cross join (select distinct territory_level from territories) as t
),

on_time as (
    select
        l.territory_code,
        l.period,
        count(*) filter (
            where l.received_on <= (l.period + interval 1 month - interval 1 day)::date + s.deadline_days
        ) as on_time,
        count(*) as received,
        max(l.received_on) as last_received
    from located as l
    cross join settings as s
    where l.territory_code in (select territory_code from territories)
    group by all
),

per_month as (
    select territory_code, period, sum(units_expected) as expected, sum(units_reporting) as reporting
    from reported
    group by all
),

final as (
    select
        t.territory_code,
        t.name,
        t.territory_level,
        m.period,
        m.expected,
        m.reporting,
        m.expected - m.reporting as missing,
        100.0 * m.reporting / nullif(m.expected, 0) as completeness_pct,
        completeness_light(100.0 * m.reporting / nullif(m.expected, 0), s.adequate_from, s.at_risk_from)
            as completeness_status,
        o.received,
        o.on_time,
        100.0 * o.on_time / nullif(o.received, 0) as timeliness_pct,
        completeness_light(100.0 * o.on_time / nullif(o.received, 0), s.adequate_from, s.at_risk_from)
            as timeliness_status,
        o.last_received,
        t.sort_order
    from territories as t
    join per_month as m using (territory_code)
    cross join settings as s
    left join on_time as o on o.territory_code = t.territory_code and o.period = m.period
)

select * exclude (sort_order) from final
order by sort_order, name, period
