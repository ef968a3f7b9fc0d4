-- Completeness and timeliness of monthly reporting (administrative records and critical-input stock) per territory
-- and month, from the marts: reports expected (units × indicators: a unit — facility, or district when the source
-- reports by district — is expected to report an indicator when it did in the look-back window, see
-- marts/units.sql), reports received, and of those the ones on time: their file received within the deadline after
-- the month closed (etl_batch.received_on). Lit by the completeness rule (completeness_light).
-- Parameters: $program (its indicators only), $parent ('PE' → its regions; a region → its provinces, or its Reds on
-- the network tree; a province → its districts; a Red → its MicroRedes), $child_level (the level of those
-- children), $region (the region whose part of a Red is shown, or NULL), $start, $end (first and last month),
-- $monthly_feeds (warehouse.sources.MONTHLY_FEEDS), $allowed.
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
    from core_node
    where parent_code = $parent
      and territory_level = $child_level
      and ($region is null or region_code = $region)
      and ($allowed is null or list_contains($allowed, region_code))
),

-- Timeliness from the marts too: a load replaces a source's rows by month × department, so every report of a
-- territory, month and indicator came in the same batch — the one the mart row names — and its file's received
-- date says whether all of them were on time. No scan of the facility rows.
reported as (
    select
        a.territory_code,
        a.period,
        a.units_reporting,
        a.units_expected,
        b.received_on,
        b.received_on <= (a.period + interval 1 month - interval 1 day)::date + s.deadline_days as on_time
    from mart_indicator_agg as a
    join core_indicator as i using (indicator_code)
    cross join settings as s
    left join etl_batch as b on b.batch_id = a.batch_id
    where list_contains($monthly_feeds, i.feed)
      and i.program_code = $program
      and a.territory_level = $child_level
      and (a.territory_code, a.region_code) in (select (territory_code, region_code) from territories)
      and a.period between $start::date and $end::date
),

per_month as (
    select
        territory_code,
        period,
        sum(units_expected) as expected,
        sum(units_reporting) as reporting,
        sum(units_reporting) filter (where on_time) as on_time,
        max(received_on) filter (where units_reporting > 0) as last_received
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
        m.reporting as received,
        coalesce(m.on_time, 0) as on_time,
        100.0 * coalesce(m.on_time, 0) / nullif(m.reporting, 0) as timeliness_pct,
        completeness_light(100.0 * coalesce(m.on_time, 0) / nullif(m.reporting, 0), s.adequate_from, s.at_risk_from)
            as timeliness_status,
        m.last_received,
        t.sort_order
    from territories as t
    join per_month as m using (territory_code)
    cross join settings as s
)

select * exclude (sort_order) from final
order by sort_order, name, period
